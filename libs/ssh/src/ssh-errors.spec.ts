import { classifySsh2Error, sanitize } from './ssh-errors';

const where = { address: '203.0.113.7', port: 2222, username: 'probe' };

describe(classifySsh2Error.name, () => {
  it.each([
    [{ level: 'client-authentication', message: 'All configured authentication methods failed' }, 'auth-failed'],
    [{ level: 'client-timeout', message: 'Timed out while waiting for handshake' }, 'timeout'],
    [{ level: 'client-socket', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'unreachable'],
    [{ level: 'client-socket', code: 'EHOSTUNREACH', message: 'connect EHOSTUNREACH' }, 'unreachable'],
    [{ level: 'client-socket', code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' }, 'unreachable'],
    [{ level: 'client-dns', message: 'lookup failed' }, 'unreachable'],
    [{ level: 'client-socket', code: 'ETIMEDOUT', message: 'connect ETIMEDOUT' }, 'timeout'],
    [{ level: 'client-socket', code: 'ECONNRESET', message: 'read ECONNRESET' }, 'failed'],
    [{ level: 'handshake', message: 'Handshake failed: no matching key exchange algorithm' }, 'failed'],
    [{ level: 'protocol', message: 'Connection lost before handshake' }, 'failed'],
    [{ message: 'something else' }, 'failed'],
  ])('%j → %s', (err, outcome) => {
    expect(classifySsh2Error(err, where).outcome).toBe(outcome);
  });

  it('names the endpoint and the user, never more', () => {
    const { error } = classifySsh2Error({ level: 'client-authentication', message: 'x' }, where);
    expect(error).toBe('203.0.113.7:2222 rejected the login of user probe');
  });
});

describe(sanitize.name, () => {
  it('keeps printable ASCII only and cuts long text', () => {
    expect(sanitize('bad\x1b[31m\nthing\x00')).toBe('bad [31m thing');
    expect(sanitize('x'.repeat(300), 10)).toBe('xxxxxxxxxx...');
  });
});
