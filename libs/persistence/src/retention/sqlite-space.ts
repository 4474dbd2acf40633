import { DataSource } from 'typeorm';
import { writeQueueFor } from '../write-queue';

/** How much room the database takes; free bytes are sqlite pages no row uses. */
export interface StorageFootprint {
  type: 'sqlite' | 'postgres';
  bytes: number;
  /** sqlite: bytes of free pages inside the file (reusable, or returned by a vacuum). */
  freeBytes: number | null;
  /** sqlite's auto_vacuum mode: none, full or incremental. */
  autoVacuum: 'none' | 'full' | 'incremental' | null;
}

/** Free pages returned to the file system per write (4 MiB at the default page size). */
const PAGES_PER_STEP = 1024;

const AUTO_VACUUM_MODES = ['none', 'full', 'incremental'] as const;

async function pragma(dataSource: DataSource, name: string): Promise<number> {
  const [row] = (await dataSource.query(`PRAGMA ${name}`)) as Array<Record<string, number>>;
  return Number(row[name]);
}

function isSqliteFile(dataSource: DataSource): boolean {
  return dataSource.options.type === 'sqlite' && dataSource.options.database !== ':memory:';
}

export async function storageFootprint(dataSource: DataSource): Promise<StorageFootprint> {
  if (dataSource.options.type !== 'sqlite') {
    const [row] = (await dataSource.query('SELECT pg_database_size(current_database()) AS bytes')) as Array<{ bytes: string }>;
    return { type: 'postgres', bytes: Number(row.bytes), freeBytes: null, autoVacuum: null };
  }
  const pageSize = await pragma(dataSource, 'page_size');
  return {
    type: 'sqlite',
    bytes: (await pragma(dataSource, 'page_count')) * pageSize,
    freeBytes: (await pragma(dataSource, 'freelist_count')) * pageSize,
    autoVacuum: AUTO_VACUUM_MODES[await pragma(dataSource, 'auto_vacuum')] ?? null,
  };
}

/**
 * Returns free pages to the file system, a bounded step per write (a scan waits for one
 * step at most). Only sqlite files in incremental mode can; elsewhere free pages stay free
 * and are reused by later rows (PostgreSQL's autovacuum does the same for its tables).
 */
export async function releaseFreePages(dataSource: DataSource): Promise<number> {
  if (!isSqliteFile(dataSource) || (await pragma(dataSource, 'auto_vacuum')) !== 2) return 0;
  const writes = writeQueueFor(dataSource);
  let released = 0;
  for (;;) {
    const free = await pragma(dataSource, 'freelist_count');
    if (free === 0) return released;
    const step = Math.min(free, PAGES_PER_STEP);
    await writes.run((m) => m.query(`PRAGMA incremental_vacuum(${step})`));
    released += step;
  }
}

/**
 * Rebuilds a sqlite file without its free pages, in incremental mode from then on (so a file
 * made before that mode was the default converts once; a new file is set so right after its
 * migrations ran, while it is tiny). Needs free disk space for a copy of
 * the database and holds the write lock throughout: other processes' writes wait meanwhile.
 */
export async function compactSqlite(dataSource: DataSource): Promise<void> {
  if (!isSqliteFile(dataSource)) return;
  await dataSource.query('PRAGMA auto_vacuum = INCREMENTAL');
  await dataSource.query('VACUUM');
}
