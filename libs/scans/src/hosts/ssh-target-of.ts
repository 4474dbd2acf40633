import type { HostEntity } from '@driftwatch/persistence';
import type { SshTarget } from '@driftwatch/ssh';

/** How to reach a registered host: its address, login and pinned key (null: trust on first use). */
export function sshTargetOf(host: HostEntity): SshTarget {
  return {
    address: host.address,
    port: host.port,
    username: host.username,
    auth: host.authType === 'key' ? { type: 'key', privateKeyPath: host.privateKeyPath ?? '' } : { type: 'agent' },
    hostKey: host.hostKey,
  };
}
