export * from './ssh-target';
export { fingerprintOf } from './fingerprint';
export { SshTransport } from './ssh-transport';
export * from './host-key-policy';
export { parseKnownHosts, checkKnownHosts, knownHostsName, entryMatchesHost } from './known-hosts';
export type { KnownHostsEntry, KnownHostsVerdict } from './known-hosts';
export { BoundedOutput } from './bounded-output';
export { classifySsh2Error } from './ssh-errors';
