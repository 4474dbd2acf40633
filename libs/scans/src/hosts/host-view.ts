import type { HostEntity, HostOverrides } from '@driftwatch/persistence';

/**
 * What the API and CLI show of a host: never key material or any secret, only where the key
 * file is and whether a secret is stored (`has…` flags).
 */
export interface HostView {
  name: string;
  address: string;
  port: number;
  username: string;
  auth: AuthView;
  hostKey: string | null;
  /** null: the collector's HOST_KEY_POLICY applies. */
  hostKeyPolicy: string | null;
  knownHostsFile: string | null;
  jumpHost: string | null;
  sudo: boolean;
  labels: string[];
  overrides: HostOverrides;
  /** The reference of its label cohorts. */
  golden: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toHostView(host: HostEntity): HostView {
  return {
    name: host.name,
    address: host.address,
    port: host.port,
    username: host.username,
    auth: authView(host),
    hostKey: host.hostKey,
    hostKeyPolicy: host.hostKeyPolicy,
    knownHostsFile: host.knownHostsFile,
    jumpHost: host.jumpHost,
    sudo: host.sudo,
    labels: host.labels,
    overrides: host.overrides,
    golden: host.golden,
    createdAt: host.createdAt,
    updatedAt: host.updatedAt,
  };
}

export type AuthView =
  | { type: 'key'; privateKeyPath?: string; hasPrivateKey: boolean; hasPassphrase: boolean }
  | { type: 'agent' }
  | { type: 'password'; hasPassword: boolean };

function authView(host: HostEntity): AuthView {
  if (host.authType === 'agent') return { type: 'agent' };
  if (host.authType === 'password') return { type: 'password', hasPassword: !!host.secretPassword };
  return {
    type: 'key',
    ...(host.privateKeyPath ? { privateKeyPath: host.privateKeyPath } : {}),
    hasPrivateKey: !!host.secretPrivateKey,
    hasPassphrase: !!host.secretPassphrase,
  };
}
