import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import sqlite3 from 'sqlite3';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { ApiTokenEntity } from './entities/api-token.entity';
import { DriftEventEntity } from './entities/drift-event.entity';
import { HostStateEntity } from './entities/host-state.entity';
import { HostEntity } from './entities/host.entity';
import { ScanRunEntity } from './entities/scan-run.entity';
import { ScanEntity } from './entities/scan.entity';
import { HostAlertStateEntity } from './entities/host-alert-state.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEntity } from './entities/webhook.entity';
import { compactSqlite } from './retention/sqlite-space';

/**
 * sqlite3 as TypeORM should load it, minus `verbose()`: TypeORM always calls it, and verbose mode
 * wraps every statement in a stack capture plus a util.inspect of its SQL and parameters (a
 * state's whole content), a third of the database time of a scan. Errors keep their messages.
 */
const quietSqlite3: typeof sqlite3 = Object.create(sqlite3, { verbose: { value: () => sqlite3 } });

export const ENTITIES = [HostEntity, HostStateEntity, ScanRunEntity, ScanEntity, ApiTokenEntity, DriftEventEntity, WebhookEntity, WebhookDeliveryEntity, HostAlertStateEntity];

/**
 * DATABASE_URL → TypeORM options. `sqlite:<path>` (relative to the working directory; the
 * directory is created) or `postgres://…`. Migrations always run; the schema is never synchronized.
 */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    return { type: 'postgres', url: databaseUrl, entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: true, synchronize: false };
  }
  const match = /^sqlite:(.+)$/.exec(databaseUrl);
  if (!match) throw new Error('DATABASE_URL must be sqlite:<path> or postgres://…');
  const database = match[1] === ':memory:' ? ':memory:' : resolve(match[1]);
  if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
  return {
    type: 'sqlite',
    driver: quietSqlite3,
    database,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    enableWAL: database !== ':memory:',
    busyTimeout: 10_000,
  };
}

/** Opens the database and brings its schema up to date. */
export async function openDataSource(databaseUrl: string): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(databaseUrl));
  const { options } = dataSource;
  const sqliteFile = options.type === 'sqlite' && options.database !== ':memory:' ? options.database : null;
  const isNewFile = sqliteFile !== null && !existsSync(sqliteFile);
  await dataSource.initialize();
  // auto_vacuum can only be chosen before the first table exists, or by rebuilding the file.
  if (isNewFile) await compactSqlite(dataSource);
  if (sqliteFile) {
    // WAL + synchronous=NORMAL: commits are no longer fsync'd one by one (the WAL is synced at
    // checkpoints). Every write goes through one queue on sqlite, so with FULL each scan waited
    // for two fsyncs in a row of the whole fleet's. A power loss may drop the last commits;
    // the database stays consistent, and the next scan records the host again.
    await dataSource.query('PRAGMA synchronous = NORMAL');
  }
  return dataSource;
}
