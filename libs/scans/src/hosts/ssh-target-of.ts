import type { HostEntity } from '@driftwatch/persistence';
import type { HostKeyPolicy, JumpTarget, SshAuth, SshTarget } from '@driftwatch/ssh';
import type { SecretPurpose } from '../secrets/secret-box';

/** What a host's row alone does not say: the collector's defaults, its secrets, its jump host. */
export interface TargetContext {
  defaultPolicy?: HostKeyPolicy;
  defaultKnownHostsFile?: string | null;
  /** Opens a sealed secret (throws with a message that holds no secret). */
  open?: (envelope: string, purpose: SecretPurpose) => string;
  jumpHost?: JumpTarget;
}

/** How to reach a registered host: address, login (secrets opened), key policy, jump host. */
export function sshTargetOf(host: HostEntity, context: TargetContext = {}): SshTarget {
  const target: SshTarget = {
    address: host.address,
    port: host.port,
    username: host.username,
    auth: authOf(host, context),
    hostKey: host.hostKey,
    hostKeyPolicy: host.hostKeyPolicy ?? context.defaultPolicy ?? 'accept-new',
  };
  const knownHostsFile = host.knownHostsFile ?? context.defaultKnownHostsFile;
  if (knownHostsFile) target.knownHostsFile = knownHostsFile;
  if (context.jumpHost) target.jumpHost = context.jumpHost;
  return target;
}

function authOf(host: HostEntity, context: TargetContext): SshAuth {
  const open = (envelope: string | null | undefined, purpose: SecretPurpose): string | undefined => {
    if (!envelope) return undefined;
    if (!context.open) throw new Error(`host "${host.name}" has a stored ${purpose} but no secret key was given to open it`);
    return context.open(envelope, purpose);
  };
  if (host.authType === 'agent') return { type: 'agent' };
  if (host.authType === 'password') return { type: 'password', password: open(host.secretPassword, 'password') ?? '' };
  const passphrase = open(host.secretPassphrase, 'passphrase');
  const privateKey = open(host.secretPrivateKey, 'private-key');
  if (privateKey !== undefined) return { type: 'inline-key', privateKey, ...(passphrase !== undefined ? { passphrase } : {}) };
  return { type: 'key', privateKeyPath: host.privateKeyPath ?? '', ...(passphrase !== undefined ? { passphrase } : {}) };
}
