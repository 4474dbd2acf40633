import { DataSource } from 'typeorm';
import { openDataSource } from '@driftwatch/persistence';
import { createTestDatabase, TestDatabase } from './test-database';

/**
 * A migrated throwaway database for the enclosing describe block: opened before its tests,
 * destroyed after. Call `current()` inside tests.
 */
export function useTestDataSource(): { current: () => DataSource } {
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
  return {
    current: () => {
      if (!dataSource) throw new Error('the test data source is not open yet');
      return dataSource;
    },
  };
}
