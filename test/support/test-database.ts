import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export interface TestDatabase {
  /** DATABASE_URL for the collector or openDataSource. */
  url: string;
  kind: 'sqlite' | 'postgres';
  cleanup(): Promise<void>;
}

/**
 * A throwaway database for one test file: a temporary sqlite file by default, or, when
 * DATABASE_URL points at PostgreSQL (npm run test:pg), a fresh schema in that database
 * selected through the connection's search_path and dropped afterwards.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (base && /^postgres(ql)?:\/\//.test(base)) {
    const schema = `dw_test_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    return {
      url,
      kind: 'postgres',
      cleanup: async () => {
        const client = new Client({ connectionString: base });
        await client.connect();
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
        await client.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-test-'));
  return {
    url: `sqlite:${join(dir, 'driftwatch.sqlite')}`,
    kind: 'sqlite',
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
