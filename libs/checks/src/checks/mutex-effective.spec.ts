import { apacheAcceptMutex, directiveMechanism, wsgiAcceptMutex } from './mutex-effective';

const at = (name: string, ...args: string[]) => ({ name, args, file: '/etc/httpd/conf/httpd.conf' });
const usingDefaults = [
  { name: 'default', mechanism: 'default', dir: '/run/httpd/', usingDefaults: false },
  { name: 'mpm-accept', mechanism: null, dir: null, usingDefaults: true },
];

describe('the effective accept mutex', () => {
  it('names APR PROC_PTHREAD as the directives do: pthread', () => {
    expect(directiveMechanism('PROC_PTHREAD')).toBe('pthread');
    expect(directiveMechanism('SYSVSEM')).toBe('sysvsem');
  });

  it('2.4: mpm-accept from DUMP_RUN_CFG, else Mutex default, else APR', () => {
    const flock = [{ name: 'mpm-accept', mechanism: 'flock', dir: '/run/lock/apache2', usingDefaults: false }, usingDefaults[0]];
    expect(apacheAcceptMutex(true, flock, [], 'sysvsem')).toEqual({ mechanism: 'flock', from: 'Mutex mpm-accept' });
    expect(apacheAcceptMutex(true, [{ ...usingDefaults[0], mechanism: 'fcntl' }, usingDefaults[1]], [], 'sysvsem')).toEqual({ mechanism: 'fcntl', from: 'Mutex default' });
    expect(apacheAcceptMutex(true, usingDefaults, [], 'proc_pthread')).toEqual({ mechanism: 'pthread', from: 'APR default' });
  });

  it('2.4 event MPM: no mpm-accept mutex registered, so the children take none', () => {
    const event = [usingDefaults[0], { name: 'watchdog-callback', mechanism: null, dir: null, usingDefaults: true }];
    expect(apacheAcceptMutex(true, event, [], 'proc_pthread')).toMatchObject({ mechanism: 'none', from: 'MPM', reason: expect.stringContaining('event does not') });
    expect(wsgiAcceptMutex(true, [], 'proc_pthread')).toEqual({ mechanism: 'pthread', from: 'APR default' });
  });

  it('2.4 without DUMP_RUN_CFG: the Mutex directives that name mpm-accept or default', () => {
    expect(apacheAcceptMutex(true, null, [at('Mutex', 'flock:/run/lock/apache2', 'mpm-accept')], 'sysvsem')).toEqual({ mechanism: 'flock', from: 'Mutex mpm-accept' });
    expect(apacheAcceptMutex(true, null, [at('Mutex', 'posixsem')], 'sysvsem')).toEqual({ mechanism: 'posixsem', from: 'Mutex default' });
    expect(apacheAcceptMutex(true, null, null, 'sysvsem')).toMatchObject({ mechanism: null, reason: expect.stringContaining('nor the Mutex directives could be read') });
  });

  it('2.2: AcceptMutex sets the children, and the daemon groups too unless WSGIAcceptMutex is set', () => {
    const directives = [at('AcceptMutex', 'fcntl')];
    expect(apacheAcceptMutex(false, null, directives, 'sysvsem')).toEqual({ mechanism: 'fcntl', from: 'AcceptMutex' });
    expect(wsgiAcceptMutex(false, directives, 'sysvsem')).toEqual({ mechanism: 'fcntl', from: 'AcceptMutex' });
    expect(wsgiAcceptMutex(false, [...directives, at('WSGIAcceptMutex', 'flock')], 'sysvsem')).toEqual({ mechanism: 'flock', from: 'WSGIAcceptMutex' });
    expect(apacheAcceptMutex(false, null, [], 'flock')).toEqual({ mechanism: 'flock', from: 'APR default' });
  });

  it('2.4: neither Mutex nor AcceptMutex reaches the daemon groups; only WSGIAcceptMutex does', () => {
    expect(wsgiAcceptMutex(true, [at('Mutex', 'flock', 'mpm-accept'), at('AcceptMutex', 'fcntl')], 'sysvsem')).toEqual({ mechanism: 'sysvsem', from: 'APR default' });
    expect(wsgiAcceptMutex(true, [at('WSGIAcceptMutex', 'posixsem')], 'sysvsem')).toEqual({ mechanism: 'posixsem', from: 'WSGIAcceptMutex' });
    expect(wsgiAcceptMutex(true, [at('WSGIAcceptMutex', 'default')], 'sysvsem')).toEqual({ mechanism: 'sysvsem', from: 'APR default' });
  });

  it('says unknown, not a mechanism, when the version decides and is unknown', () => {
    expect(wsgiAcceptMutex(null, [at('AcceptMutex', 'fcntl')], 'sysvsem')).toMatchObject({ mechanism: null, reason: expect.stringContaining('version is unknown') });
    expect(wsgiAcceptMutex(true, [], null)).toMatchObject({ mechanism: null, from: 'APR default', reason: expect.stringContaining("APR's default is unknown") });
  });
});
