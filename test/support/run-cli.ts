import { runCli } from '../../apps/cli/src/cli';
import { createTestDatabase, TestDatabase } from './test-database';

/** Runs the `driftwatch` CLI in-process (DATABASE_URL from the environment), capturing its output. */
export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += chunk.toString()), true));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += chunk.toString()), true));
  try {
    return { code: await runCli(args), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/**
 * A throwaway database the CLI uses (through DATABASE_URL) for the enclosing describe block;
 * the previous DATABASE_URL comes back afterwards. Call the returned function inside tests.
 */
export function useCliDatabase(): () => TestDatabase {
  const saved = process.env.DATABASE_URL;
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    await db?.cleanup();
  });
  return () => {
    if (!db) throw new Error('the CLI database is not created yet');
    return db;
  };
}
