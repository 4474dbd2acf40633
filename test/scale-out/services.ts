import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { Client } from 'pg';

export const POSTGRES_URL = process.env.SCALE_OUT_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.SCALE_OUT_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const COLLECTOR = join(__dirname, '..', '..', 'dist', 'apps', 'collector', 'src', 'main.js');

/** Fails (never skips) with what is missing: the build, PostgreSQL, Redis. */
export async function requireServices(): Promise<void> {
  if (!existsSync(COLLECTOR)) throw new Error(`the scale-out suite runs the built collector: ${COLLECTOR} is missing, run npm run build`);
  const pg = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await pg.connect();
  } catch (error) {
    throw new Error(`the scale-out suite needs PostgreSQL at ${POSTGRES_URL}: ${(error as Error).message}`);
  } finally {
    await pg.end().catch(() => undefined);
  }
  const redis = new IORedis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`the scale-out suite needs Redis at ${REDIS_URL} (redis-server --bind 127.0.0.1 --port 6379): ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }
}

/** A schema of its own in the test database, selected through search_path; dropped by cleanup. */
export async function freshSchema(): Promise<{ url: string; cleanup(): Promise<void> }> {
  const schema = `dw_scale_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return {
    url: `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    cleanup: async () => {
      const client = new Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

/** Removes every key of this run's queue prefix. */
export async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = new IORedis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
