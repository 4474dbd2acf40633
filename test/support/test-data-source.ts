import { DataSource } from 'typeorm';
import { NewHost, openDataSource } from '@driftwatch/persistence';
import { createTestDatabase, TestDatabase } from './test-database';

/**
 * A migrated throwaway database for the enclosing describe block: opened before its tests,
 * destroyed after. Call `current()` (and `database()` for its URL and kind) inside tests.
 */
export function useTestDataSource(): { current: () => DataSource; database: () => TestDatabase } {
  let db: TestDatabase | undefined;
  let dataSource: DataSource | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await openDataSource(db.url);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.cleanup();
  });
  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the test data source is not open yet');
    return value;
  };
  return { current: () => opened(dataSource), database: () => opened(db) };
}

/** A host row for repository tests: key login as `ops` on 127.0.0.1:22, nothing pinned. */
export function testHost(name: string, fields: Partial<NewHost> = {}): NewHost {
  return { name, address: '127.0.0.1', port: 22, username: 'ops', authType: 'key', privateKeyPath: '/keys/id', hostKey: null, labels: [], overrides: {}, ...fields };
}
