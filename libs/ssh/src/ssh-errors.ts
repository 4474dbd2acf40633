import { SshOutcome } from './ssh-target';

/** An error as ssh2 emits it: `level` says which layer failed, `code` is the socket's errno. */
export interface Ssh2Error {
  message: string;
  level?: string;
  code?: string | number;
}

export interface ClassifiedError {
  outcome: SshOutcome;
  error: string;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENONET', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME', 'EADDRNOTAVAIL']);

/** Text that came from the network is hostile: printable ASCII only, and short. */
export function sanitize(text: string, max = 200): string {
  const clean = text.replace(/[^\x20-\x7e]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}

/**
 * Maps an ssh2 error to an outcome. Host key mismatches never get here: the transport knows
 * it rejected the key and reports that itself.
 */
export function classifySsh2Error(err: Ssh2Error, where: { address: string; port: number; username: string }): ClassifiedError {
  const endpoint = `${where.address}:${where.port}`;
  const code = typeof err.code === 'string' ? err.code : undefined;
  switch (err.level) {
    case 'client-authentication':
      return { outcome: 'auth-failed', error: `${endpoint} rejected the login of user ${where.username}` };
    case 'client-timeout':
      return { outcome: 'timeout', error: `${endpoint} timed out: ${sanitize(err.message)}` };
    case 'client-dns':
      return { outcome: 'unreachable', error: `cannot resolve ${where.address}` };
    case 'client-socket':
      if (code && UNREACHABLE_CODES.has(code)) return { outcome: 'unreachable', error: `cannot reach ${endpoint} (${code})` };
      if (code === 'ETIMEDOUT') return { outcome: 'timeout', error: `connecting to ${endpoint} timed out (ETIMEDOUT)` };
      return { outcome: 'failed', error: `connection to ${endpoint} failed (${code ?? sanitize(err.message)})` };
    case 'handshake':
      return { outcome: 'failed', error: `SSH handshake with ${endpoint} failed: ${sanitize(err.message)}` };
    default:
      return { outcome: 'failed', error: `SSH connection to ${endpoint} failed: ${sanitize(err.message)}` };
  }
}
