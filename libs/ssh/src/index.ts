export * from './ssh-target';
export { fingerprintOf } from './fingerprint';
export { SshTransport } from './ssh-transport';
export { classifySsh2Error } from './ssh-errors';
