import { classifySsh2Error } from '@driftwatch/ssh';
import { backoffDelay, isTransient } from './transient-failure';

const where = { address: '127.0.0.1', port: 22, username: 'ops' };

describe(isTransient.name, () => {
  it.each(['ECONNRESET', 'EPIPE', 'ECONNABORTED'])('retries a connection ended by %s, as the transport words it', (code) => {
    expect(isTransient(classifySsh2Error({ message: 'x', level: 'client-socket', code }, where))).toBe(true);
  });

  it('retries timeouts and connections dropped before or during the probe', () => {
    expect(isTransient(classifySsh2Error({ message: 'x', level: 'client-timeout' }, where))).toBe(true);
    expect(isTransient(classifySsh2Error({ message: 'x', level: 'client-socket', code: 'ETIMEDOUT' }, where))).toBe(true);
    expect(isTransient({ outcome: 'failed', error: 'the connection to 127.0.0.1:22 closed before the session was ready' })).toBe(true);
    expect(isTransient({ outcome: 'failed', error: 'the connection to 127.0.0.1:22 closed before the command finished' })).toBe(true);
  });

  it('never retries a refused login, a host key mismatch, an unreachable host or a local problem', () => {
    expect(isTransient(classifySsh2Error({ message: 'x', level: 'client-authentication' }, where))).toBe(false);
    expect(isTransient({ outcome: 'hostkey-mismatch', error: '127.0.0.1:22 presented SHA256:a, not the pinned SHA256:b' })).toBe(false);
    expect(isTransient(classifySsh2Error({ message: 'x', level: 'client-socket', code: 'ECONNREFUSED' }, where))).toBe(false);
    expect(isTransient(classifySsh2Error({ message: 'no matching key exchange', level: 'handshake' }, where))).toBe(false);
    expect(isTransient({ outcome: 'failed', error: 'cannot read the private key file /k: ENOENT' })).toBe(false);
    expect(isTransient({ outcome: 'ok' })).toBe(false);
  });
});

describe(backoffDelay.name, () => {
  it('doubles from the base', () => {
    expect([1, 2, 3].map((a) => backoffDelay(500, a))).toEqual([500, 1000, 2000]);
  });
});
