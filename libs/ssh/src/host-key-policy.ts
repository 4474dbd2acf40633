import { fingerprintOf } from './fingerprint';
import { checkKnownHosts, KnownHostsEntry, knownHostsName } from './known-hosts';

/**
 * How a host's key is trusted:
 * - `pinned`: only the fingerprint registered with the host;
 * - `known-hosts`: only a key an OpenSSH known_hosts file lists for the host;
 * - `accept-new`: the first key seen is accepted (and pinned by the caller), then as `pinned`.
 */
export type HostKeyPolicy = 'pinned' | 'known-hosts' | 'accept-new';
export const HOST_KEY_POLICIES: readonly HostKeyPolicy[] = ['pinned', 'known-hosts', 'accept-new'];

export interface HostKeyTrust {
  policy: HostKeyPolicy;
  /** The pinned fingerprint ('SHA256:…'), if any. */
  pinned: string | null;
  /** Parsed known_hosts lines (policy `known-hosts` only). */
  knownHosts?: readonly KnownHostsEntry[];
  /** Where they came from, for messages. */
  knownHostsSource?: string;
}

export type HostKeyDecision = { accept: true } | { accept: false; reason: string };

/** Decides on the key a server presented; the reason names what was expected, never guesses. */
export function decideHostKey(trust: HostKeyTrust, address: string, port: number, key: Buffer): HostKeyDecision {
  const presented = fingerprintOf(key);
  const endpoint = `${address}:${port}`;
  if (trust.policy === 'known-hosts') {
    const source = trust.knownHostsSource ?? 'known_hosts';
    const verdict = checkKnownHosts(trust.knownHosts ?? [], address, port, key);
    switch (verdict.verdict) {
      case 'trusted':
        return { accept: true };
      case 'revoked':
        return { accept: false, reason: `${endpoint} presented ${presented}, which ${source} line ${verdict.line} marks @revoked` };
      case 'changed':
        return { accept: false, reason: `${endpoint} presented ${presented}, not the key ${source} lists for it (line ${verdict.lines.join(', ')})` };
      case 'unknown':
        return { accept: false, reason: `${source} has no entry for ${knownHostsName(address, port)} (presented ${presented})` };
    }
  }
  if (trust.pinned === null) {
    if (trust.policy === 'accept-new') return { accept: true };
    return { accept: false, reason: `${endpoint} has no pinned host key, and its policy is "pinned" (presented ${presented})` };
  }
  if (trust.pinned === presented) return { accept: true };
  return { accept: false, reason: `${endpoint} presented ${presented}, not the pinned ${trust.pinned}` };
}
