import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';

/** sqlite3's Backup object (the package ships no types for it). */
interface SqliteBackup {
  step(pages: number, callback: (error: Error | null) => void): void;
  finish(callback: (error: Error | null) => void): void;
  readonly completed: boolean;
  readonly failed: boolean;
  readonly pageCount: number;
}

interface BackupCapable {
  backup(file: string, callback: (error: Error | null) => void): SqliteBackup;
}

const settle = (run: (callback: (error: Error | null) => void) => void) =>
  new Promise<void>((resolve, reject) => run((error) => (error ? reject(error) : resolve())));

/**
 * Copies a sqlite store to `file` with sqlite's online backup API: the copy is the database as
 * of one instant, taken while scans go on committing (in WAL mode the reader does not block
 * them). A step that meets a busy or locked source is retried. Refuses to overwrite a file.
 */
export async function backupSqlite(dataSource: DataSource, file: string): Promise<{ pages: number }> {
  if (dataSource.options.type !== 'sqlite') throw new Error('backup copies a sqlite store; for PostgreSQL use pg_dump (or driftwatch export)');
  if (existsSync(file)) throw new Error(`${file} exists; give a new file name`);
  const connection = (dataSource.driver as unknown as { databaseConnection: BackupCapable }).databaseConnection;
  let backup: SqliteBackup | undefined;
  await settle((callback) => (backup = connection.backup(file, callback)));
  const copy = backup!;
  try {
    let lastError: unknown = null;
    for (let attempt = 0; !copy.completed && !copy.failed && attempt < 100; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      await settle((callback) => copy.step(-1, callback)).catch((error: unknown) => (lastError = error));
    }
    if (!copy.completed) throw new Error(`the backup to ${file} failed${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
    return { pages: copy.pageCount };
  } finally {
    await settle((callback) => copy.finish(callback));
  }
}
