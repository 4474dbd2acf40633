import type { HostEntity, HostOverrides } from '@driftwatch/persistence';

/** What the API and CLI show of a host: never key material, only where the key file is. */
export interface HostView {
  name: string;
  address: string;
  port: number;
  username: string;
  auth: { type: 'key'; privateKeyPath: string } | { type: 'agent' };
  hostKey: string | null;
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
    auth: host.authType === 'key' ? { type: 'key', privateKeyPath: host.privateKeyPath ?? '' } : { type: 'agent' },
    hostKey: host.hostKey,
    labels: host.labels,
    overrides: host.overrides,
    golden: host.golden,
    createdAt: host.createdAt,
    updatedAt: host.updatedAt,
  };
}
