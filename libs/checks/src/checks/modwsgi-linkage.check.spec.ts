import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLdd } from '../parsers/linked-libraries.parser';
import { framedSection } from '../testing/framed-section';
import { parseModWsgiLinkage } from './modwsgi-linkage.check';

const FIXTURES = join(__dirname, '../../../../test/fixtures/raw');
const fixture = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');
const READELF = fixture('readelf/debian12-py3.11-libapache2-mod-wsgi-py3-4.9.4-driftwatch-capture.txt');

const section = (parts: Record<string, string>) => framedSection('modwsgi.linkage', parts);

describe('libpython that is not found', () => {
  it('glibc, FreeBSD and musl forms are all "not found", never a static build', () => {
    const forms = [
      '\tlibpython3.11.so.1.0 => not found\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f1c2a000000)',
      '/usr/local/libexec/apache24/mod_wsgi.so:\n\tlibpython3.9.so.1.0 => not found (0)\n\tlibthr.so.3 => /lib/libthr.so.3 (0x8002a5000)',
      '\t/lib/ld-musl-x86_64.so.1 (0x7f5bf3f00000)\nError loading shared library libpython3.11.so.1.0: No such file or directory (needed by /usr/lib/apache2/mod_wsgi.so)\nError relocating /usr/lib/apache2/mod_wsgi.so: PyGILState_Ensure: symbol not found',
    ];
    for (const text of forms) {
      expect(parseLdd(text).facts).toMatchObject({ linkage: 'missing', libpython: { found: false, resolvedPath: null } });
    }
  });

  it('musl stopping at another library leaves libpython unknown, not static', () => {
    const text = 'Error loading shared library libexpat.so.1: No such file or directory (needed by /usr/lib/apache2/mod_wsgi.so)';
    expect(parseLdd(text).facts).toMatchObject({ linkage: 'unknown', libpython: null });
  });

  it('an SCL soname carries its version (the soname of mod_wsgi issue #386)', () => {
    expect(parseLdd('\tlibpython3.6m.so.rh-python36-1.0 => not found\n').facts?.libpython).toEqual({ name: 'libpython3.6m.so.rh-python36-1.0', version: '3.6', resolvedPath: null, found: false });
  });

  it('a paste a terminal wrapped mid-path is joined again (the Debian 12 capture, wrapped at 48 columns)', () => {
    const real = fixture('ldd/debian12-py3.11-libapache2-mod-wsgi-py3-4.9.4-live.txt');
    const wrapped = real.replace(/^(.{48})(.+)$/gm, '$1\n$2');
    expect(wrapped).not.toBe(real);
    expect(parseLdd(wrapped).facts).toEqual(parseLdd(real).facts);
  });
});

describe('NEEDED is the truth of what is linked', () => {
  it('readelf names libpython while ldd says nothing of it: unknown, not static', () => {
    const facts = parseModWsgiLinkage(section({ readelf: READELF, ldd: '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)' })).facts;
    expect(facts).toMatchObject({ neededFrom: 'readelf', linkage: 'unknown', libpython: { name: 'libpython3.11.so.1.0', version: '3.11', found: null } });
  });

  it('NEEDED without libpython is a static build even when ldd output is missing', () => {
    const noPython = READELF.split('\n').filter((l) => !l.includes('libpython')).join('\n');
    expect(parseModWsgiLinkage(section({ readelf: noPython })).facts).toMatchObject({ linkage: 'static', libpython: null, needed: ['libc.so.6'] });
  });

  it('objdump -p gives the same NEEDED as readelf -d of the same file', () => {
    const objdump = fixture('objdump/debian12-py3.11-libapache2-mod-wsgi-py3-4.9.4-driftwatch-capture.txt');
    const a = parseModWsgiLinkage(section({ readelf: READELF })).facts;
    const b = parseModWsgiLinkage(section({ objdump })).facts;
    expect(b).toMatchObject({ neededFrom: 'objdump', needed: a?.needed });
  });
});

describe("Apache's environment", () => {
  it('systemd, EnvironmentFile and sysconfig sources are kept, and the one that fixed libpython is named', () => {
    const nf = '\tlibpython3.11.so.1.0 => not found';
    const ok = '\tlibpython3.11.so.1.0 => /opt/py/lib/libpython3.11.so.1.0 (0x1)';
    const env = ['systemd\thttpd.service\t=/opt/py/lib', 'EnvironmentFile\t/etc/sysconfig/httpd\t=/opt/py/lib', 'envvars\t/etc/apache2/envvars\t-'].join('\n');
    const facts = parseModWsgiLinkage(section({ 'apache-env': env, 'ldd-apache-env': ok, 'ldd-unset': nf, ldd: nf })).facts;
    expect(facts).toMatchObject({
      linkage: 'shared',
      apacheEnvironment: [
        { source: 'systemd', where: 'httpd.service', ldLibraryPath: '/opt/py/lib' },
        { source: 'EnvironmentFile', where: '/etc/sysconfig/httpd', ldLibraryPath: '/opt/py/lib' },
        { source: 'envvars', where: '/etc/apache2/envvars', ldLibraryPath: null },
      ],
      resolvedBy: 'systemd httpd.service, EnvironmentFile /etc/sysconfig/httpd',
      ldLibraryPathSensitive: true,
    });
  });
});
