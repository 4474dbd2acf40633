import type { ExecResult } from '@driftwatch/ssh';

/**
 * Failures worth another attempt soon: the host may well answer the next time.
 * - `timeout`: connect, handshake, login or the probe took too long.
 * - a connection that was reset, aborted or dropped before the probe finished.
 * Never retried: `hostkey-mismatch` and `auth-failed` (retrying cannot fix them and only
 * repeats a refused login), `unreachable` (refused, no route, unknown name: the answer comes at
 * once and will be the same in a second; the next scheduled scan tries again), probe output
 * that did not parse, and local problems such as an unreadable key file.
 */
const DROPPED_CONNECTION = [
  /\((ECONNRESET|EPIPE|ECONNABORTED)\)/,
  /closed before the session was ready/,
  /closed before the command finished/,
  /the connection failed while the command ran/,
];

export function isTransient(result: Pick<ExecResult, 'outcome' | 'error'>): boolean {
  if (result.outcome === 'timeout') return true;
  if (result.outcome !== 'failed' || !result.error) return false;
  return DROPPED_CONNECTION.some((pattern) => pattern.test(result.error!));
}

/** Wait before attempt `attempt + 1` (attempt counts from 1): base, 2×base, 4×base, … */
export function backoffDelay(baseMs: number, attempt: number): number {
  return baseMs * 2 ** (attempt - 1);
}
