/** Connection-level failures: the database is away or busy, not the query wrong. */
const UNAVAILABLE_CODES = new Set([
  // Node sockets (PostgreSQL down, restarting, unreachable)
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  // PostgreSQL: connection exceptions and operator intervention
  '08000',
  '08001',
  '08003',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  // sqlite: another writer holds the file, or it cannot be opened
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
]);

const UNAVAILABLE_MESSAGES = [/Connection terminated/i, /connection.*(closed|ended)/i, /Cannot use a pool after calling end/i, /database is locked/i, /Client has encountered a connection error/i];

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error as { code?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string') codes.push(e.code);
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return codes;
}

/** True when `error` means the database cannot be reached right now (worth a retry, or a 503). */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Duck-typed rather than `instanceof Error`: socket errors may come from another realm.
  if (typeof error !== 'object' || error === null || typeof (error as Error).message !== 'string') return false;
  if (codesOf(error).some((code) => UNAVAILABLE_CODES.has(code))) return true;
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.some(isDatabaseUnavailable)) return true;
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test((error as Error).message));
}

/**
 * Runs `work`, again while it fails because the database is unavailable, with a doubling wait
 * (250 ms up to 5 s), until `windowMs` has passed; then the last error is thrown. Any other error
 * is thrown at once. For work whose result must not be lost, like a finished scan.
 */
export async function retryWhileDatabaseUnavailable<T>(work: () => Promise<T>, windowMs: number, onRetry?: (error: Error, waitMs: number) => void): Promise<T> {
  const deadline = Date.now() + windowMs;
  for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
    try {
      return await work();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() + wait > deadline) throw error;
      onRetry?.(error as Error, wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
