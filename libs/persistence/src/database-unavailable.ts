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
  if (!(error instanceof Error)) return false;
  if (codesOf(error).some((code) => UNAVAILABLE_CODES.has(code))) return true;
  if (error instanceof AggregateError && error.errors.some(isDatabaseUnavailable)) return true;
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message));
}
