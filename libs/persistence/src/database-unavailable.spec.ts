import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, retryWhileDatabaseUnavailable } from './database-unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['PostgreSQL refusing connections', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['PostgreSQL shutting down', new QueryFailedError('SELECT 1', [], withCode('terminating connection due to administrator command', '57P01'))],
    ['PostgreSQL starting up', withCode('the database system is starting up', '57P03')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a locked sqlite file', new QueryFailedError('INSERT', [], withCode('SQLITE_BUSY: database is locked', 'SQLITE_BUSY'))],
    ['every address refused', new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], '')],
  ])('recognises %s', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a constraint violation', new QueryFailedError('INSERT', [], withCode('duplicate key value violates unique constraint', '23505'))],
    ['a sqlite constraint', new QueryFailedError('INSERT', [], withCode('SQLITE_CONSTRAINT: UNIQUE constraint failed', 'SQLITE_CONSTRAINT'))],
    ['a programming error', new TypeError('cannot read properties of undefined')],
    ['something not an error', 'ECONNREFUSED'],
  ])('does not mistake %s for an outage', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('retryWhileDatabaseUnavailable', () => {
  const refused = () => withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED');

  it('tries again while the database is away, and returns once it is back', async () => {
    let calls = 0;
    const waits: number[] = [];
    const value = await retryWhileDatabaseUnavailable(
      async () => {
        calls++;
        if (calls < 3) throw refused();
        return 'stored';
      },
      10_000,
      (_error, wait) => waits.push(wait),
    );
    expect(value).toBe('stored');
    expect(waits).toEqual([250, 500]);
  });

  it('gives up with the last error once the window has passed', async () => {
    let calls = 0;
    await expect(retryWhileDatabaseUnavailable(async () => ((calls++, Promise.reject(refused())) as Promise<never>), 600)).rejects.toThrow('ECONNREFUSED');
    expect(calls).toBe(2);
  });

  it('never retries other errors', async () => {
    let calls = 0;
    await expect(retryWhileDatabaseUnavailable(async () => ((calls++, Promise.reject(new TypeError('bug'))) as Promise<never>), 10_000)).rejects.toThrow('bug');
    expect(calls).toBe(1);
  });
});
