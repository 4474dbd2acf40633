import { HostEntity, writeQueueFor } from '@driftwatch/persistence';
import { DataSource } from 'typeorm';

/**
 * Registers many hosts at once, in slices: TypeORM reads inserted rows back with one OR term per
 * row, and sqlite refuses an expression deeper than 1,000.
 */
export async function insertHosts(dataSource: DataSource, rows: Partial<HostEntity>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 250) await writeQueueFor(dataSource).run((m) => m.getRepository(HostEntity).insert(rows.slice(i, i + 250)));
}
