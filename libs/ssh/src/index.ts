export * from './ssh-target';
export { fingerprintOf } from './fingerprint';
export { SshTransport } from './ssh-transport';
export { BoundedOutput } from './bounded-output';
