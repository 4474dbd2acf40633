import { readFile } from 'node:fs/promises';
import { loadCredentials, LoginConfig } from './credentials';
import { HostKeyTrust } from './host-key-policy';
import { keyTypesFor, parseKnownHosts } from './known-hosts';
import { JumpTarget, SshTarget } from './ssh-target';

/** One host on the way to the target (or the target itself), ready to connect to. */
export interface PreparedHop {
  target: SshTarget;
  /** Set for jump hosts: the registered name messages use. */
  jumpName?: string;
  login: LoginConfig;
  trust: HostKeyTrust;
  /** Host key algorithms to ask for, so the server presents a key type we can check. */
  serverHostKey?: string[];
  /** The hop this one is reached through. */
  via?: PreparedHop;
}

export type PreparedRoute = { ok: true; hop: PreparedHop } | { ok: false; error: string; outcome?: 'auth-failed' };

/** ssh2's algorithm names for a known_hosts key type. */
const ALGORITHMS_OF: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
};

const MAX_JUMPS = 8;

/**
 * Loads what each hop needs at exec time (credentials, known_hosts), the target and every
 * jump host before it. Problems name the hop and the file, never any secret.
 */
export async function prepareRoute(target: SshTarget, env: NodeJS.ProcessEnv = process.env, depth = 0): Promise<PreparedRoute> {
  const jumpName = (target as Partial<JumpTarget>).name;
  const prefix = depth > 0 ? `jump host ${jumpName}: ` : '';
  if (depth > MAX_JUMPS) return { ok: false, error: `more than ${MAX_JUMPS} jump hosts in a row` };
  const credentials = await loadCredentials(target.auth, env);
  if (!credentials.ok) return { ok: false, error: prefix + credentials.error, ...(credentials.outcome ? { outcome: credentials.outcome } : {}) };
  const trust = await loadTrust(target);
  if ('error' in trust) return { ok: false, error: prefix + trust.error };
  const hop: PreparedHop = { target, login: credentials.login, trust: trust.trust };
  if (depth > 0) hop.jumpName = jumpName;
  if (trust.trust.knownHosts) {
    const algorithms = keyTypesFor(trust.trust.knownHosts, target.address, target.port).flatMap((t) => ALGORITHMS_OF[t] ?? []);
    if (algorithms.length) hop.serverHostKey = algorithms;
  }
  if (target.jumpHost) {
    const via = await prepareRoute(target.jumpHost, env, depth + 1);
    if (!via.ok) return via;
    hop.via = via.hop;
  }
  return { ok: true, hop };
}

async function loadTrust(target: SshTarget): Promise<{ trust: HostKeyTrust } | { error: string }> {
  const policy = target.hostKeyPolicy ?? 'accept-new';
  if (policy !== 'known-hosts') return { trust: { policy, pinned: target.hostKey } };
  const path = target.knownHostsFile;
  if (!path) return { error: 'the host key policy is "known-hosts" but no known_hosts file is configured (KNOWN_HOSTS_FILE or the host\'s knownHostsFile)' };
  try {
    const text = await readFile(path, 'utf8');
    return { trust: { policy, pinned: target.hostKey, knownHosts: parseKnownHosts(text), knownHostsSource: path } };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return { error: `known_hosts file ${path} cannot be read (${code})` };
  }
}
