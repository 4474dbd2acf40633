import { parseApacheBuild } from './checks/apache-build.check';
import { parseConfigNice } from './checks/apache-configure.check';
import { parsePythonRuntime } from './checks/python-runtime.check';
import { PARSE_KINDS, parseRaw } from './parse-kind';
import { parseLdd } from './parsers/linked-libraries.parser';
import { splitParts } from './probe/parts';
import { parsePythonLiteral } from './util/python-literal';

/** Cases the captured fixtures do not cover; the inputs here are written for the test. */
describe('parsers, beyond the fixtures', () => {
  it.each(PARSE_KINDS.map((k) => [k]))('%s: empty and whitespace-only output is failed, not ok', (kind) => {
    for (const text of ['', '\n', ' \r\n\t ']) expect(parseRaw(kind, text)).toMatchObject({ kind, status: 'failed', facts: null });
  });

  it('httpd -V on Windows: WinNT MPM, drive-letter paths, not forked', () => {
    const text = [
      'Server version: Apache/2.4.63 (Win64)',
      'Apache Lounge VS17 Server built:   Feb  3 2025 10:10:51',
      'Architecture:   64-bit',
      'Server MPM:     WinNT',
      '  threaded:     yes (fixed thread count)',
      '    forked:     no',
      'Server compiled with....',
      ' -D APR_HAS_MMAP',
      ' -D HTTPD_ROOT="C:/Apache24"',
      ' -D SERVER_CONFIG_FILE="conf\\httpd.conf"',
    ].join('\r\n');
    expect(parseApacheBuild(text).facts).toMatchObject({
      version: '2.4.63',
      built: 'Feb  3 2025 10:10:51',
      mpm: 'winnt',
      threaded: true,
      forked: false,
      defines: { HTTPD_ROOT: 'C:/Apache24', SERVER_CONFIG_FILE: 'conf\\httpd.conf' },
      serialize: [],
    });
  });

  it('config.nice: variables set before configure, VAR=value arguments kept, "$@" dropped', () => {
    const text = ['#! /bin/sh', '#', '# Created by configure', '', 'CFLAGS="-O2 -g"; export CFLAGS', '"./configure" \\', '"--prefix=/opt/apache 2" \\', '"--with-mpm=event" \\', '"LDFLAGS=-Wl,-rpath,/opt/lib" \\', '"$@"'].join('\n');
    expect(parseConfigNice(text).facts).toEqual({
      installBuildDir: null,
      configure: './configure',
      configureArgs: ['--prefix=/opt/apache 2', '--with-mpm=event', 'LDFLAGS=-Wl,-rpath,/opt/lib'],
      environment: { CFLAGS: '-O2 -g' },
    });
  });

  it('ldd of a module without shared libraries is static linkage; an ldd error is failed', () => {
    expect(parseLdd('\tstatically linked\n').facts).toEqual({ dependencies: [], libpython: null, linkage: 'static' });
    expect(parseLdd('ldd: /x/mod_wsgi.so: No such file or directory\n')).toMatchObject({ status: 'failed', reason: expect.stringContaining('No such file') });
  });

  it('diagnostics: Python 2 reprs, and JSON that does not parse falls back to repr lines', () => {
    const py2 = "mod_wsgi.process_group = u'app'\nwsgi.multithread = False\nsys.path = [u'/srv/app', '/usr/lib/python2.7']\nmod_wsgi.version = (4, 5, 17)\n";
    expect(parsePythonRuntime(py2).facts).toMatchObject({ processGroup: 'app', mode: 'daemon', multithread: false, modWsgiVersion: '4.5.17', python: { path: ['/srv/app', '/usr/lib/python2.7'] } });
    expect(parsePythonRuntime('{"sys.prefix": "/usr", "packages": {"Django": "4.2", "n": 1}}').facts).toMatchObject({ python: { prefix: '/usr' }, packages: { Django: '4.2', n: '1' } });
    expect(parsePythonRuntime('{"sys.prefix": ').status).toBe('failed');
    expect(parsePythonRuntime('<html><title>403 Forbidden</title></html>')).toMatchObject({ status: 'failed', reason: expect.stringContaining('403 Forbidden') });
  });

  it('python literals: escapes, nesting, and __proto__ keys that stay plain data', () => {
    expect(parsePythonLiteral("'a\\nb\\x41\\u00e9\\'' tail")).toEqual({ value: "a\nbAé'", rest: ' tail' });
    expect(parsePythonLiteral("{'__proto__': [1, (2, None)], 'k': True}")!.value).toEqual(JSON.parse('{"__proto__": [1, [2, null]], "k": true}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parsePythonLiteral('['.repeat(100))).toBeNull();
  });

  it('parts: the first marker fixes the token; forged markers from command output are plain text', () => {
    const out = [
      '--- dw:N0NCE:begin ldd',
      'libpython3.11.so.1.0 => /usr/lib/libpython3.11.so.1.0 (0x1)',
      '--- dw:FORGED:end ldd rc=0',
      '',
      '--- dw:N0NCE:end ldd rc=0',
      '--- dw:N0NCE:begin ldd-unset',
      'cut here',
    ].join('\n');
    const parts = splitParts(out);
    expect(parts.get('ldd')).toEqual({ name: 'ldd', text: 'libpython3.11.so.1.0 => /usr/lib/libpython3.11.so.1.0 (0x1)\n--- dw:FORGED:end ldd rc=0', exitCode: 0 });
    expect(parts.get('ldd-unset')).toEqual({ name: 'ldd-unset', text: 'cut here', exitCode: null });
  });
});
