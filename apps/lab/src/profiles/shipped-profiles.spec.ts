import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { centos7HttpdProfile } from './centos-7.profile';
import { debian12EventProfile, debian12NoApacheProfile, debian12PreforkEmbeddedProfile } from './debian-12.profile';
import { dpkgQuery } from './dpkg-query';
import { FixtureDir, repoRoot } from './fixtures';
import { assertValidProfile, LabProfile } from './profile';
import { dedent, splitWarnings } from './published-output';

const SHIPPED = { debian12EventProfile, debian12PreforkEmbeddedProfile, centos7HttpdProfile, debian12NoApacheProfile };
const find = (profile: LabProfile, command: string, args: string) => profile.commands[command]?.find((c) => c.args === args);

describe('shipped profiles', () => {
  it.each(Object.entries(SHIPPED))('%s is valid, frozen and built once', (_, make) => {
    const profile = make();
    expect(() => assertValidProfile(profile)).not.toThrow();
    expect(make()).toBe(profile);
    expect(Object.isFrozen(profile.commands)).toBe(true);
  });

  it('serve the Debian captures as they are', () => {
    const event = new FixtureDir('test/fixtures/hosts/debian-12-apache-2.4.71-event');
    expect(find(debian12EventProfile(), 'apache2ctl', '-V')).toMatchObject({ stdout: event.text('apachectl-V.stdout'), stderr: '', exitCode: 0 });
    expect(find(debian12EventProfile(), 'apache2', '-V')).toMatchObject({ stderr: event.text('apache2-V-without-envvars.stderr'), exitCode: 1 });
    expect(find(debian12EventProfile(), 'curl', '*/__diag*')?.stdout).toBe(event.text('wsgi-diag-daemon.txt'));
  });

  it('point the probe at files the host directory carries', () => {
    const event = debian12EventProfile();
    expect(find(event, 'apache2ctl', '*DUMP_INCLUDES*')?.stdout).toContain('(*) ${LAB_ROOT}/etc/apache2/apache2.conf');
    expect(event.files['etc/apache2/mods-enabled/wsgi.load']).toBe('LoadModule wsgi_module ${LAB_ROOT}/usr/lib/apache2/modules/mod_wsgi.so\n');
    expect(event.files['usr/lib/apache2/modules/mod_wsgi.so']).toBeDefined();
    expect(event.files['etc/apache2/conf-enabled/diag.conf']).toContain('WSGIDaemonProcess diag processes=2 threads=4');
    expect(find(event, 'apache2ctl', '*DUMP_RUN_CFG*')?.stdout).toContain('ServerRoot: "${LAB_ROOT}/etc/apache2"');
  });

  it('print both dumps when the probe asks for both at once', () => {
    const both = find(debian12EventProfile(), 'apache2ctl', '*DUMP_RUN_CFG*DUMP_INCLUDES*|*DUMP_INCLUDES*DUMP_RUN_CFG*')!.stdout!;
    expect(both.indexOf('Included configuration files:')).toBe(0);
    expect(both).toContain('Define: DUMP_RUN_CFG\nDefine: DUMP_INCLUDES\n');
  });

  it('unmangle the published CentOS captures', () => {
    const centos = centos7HttpdProfile();
    const build = find(centos, 'httpd', '-V')!;
    expect(build.stdout).toMatch(/^Server version: Apache\/2\.4\.6 \(CentOS\)\n/);
    expect(build.stderr).toMatch(/^AH00558: httpd: Could not reliably determine/);
    expect(find(centos, 'httpd', '-M|*DUMP_MODULES*')!.stdout).toMatch(/ wsgi_module \(shared\)\n$/);
    expect(find(centos, 'apachectl', '-M|*DUMP_MODULES*')).toBeUndefined();
    expect(centos.files['etc/httpd/conf.modules.d/10-wsgi.conf']).toBe('LoadModule wsgi_module modules/mod_wsgi.so\n');
  });

  it('leave Apache off the no-Apache host', () => {
    const none = debian12NoApacheProfile();
    expect(Object.keys(none.commands).sort()).toEqual(['curl', 'dpkg-query', 'uname']);
    expect(find(none, 'dpkg-query', '-W*|--show*')).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('no packages found matching apache2\n') });
  });
});

describe('published-output', () => {
  it('removes a publisher indent and moves AH warnings to stderr', () => {
    expect(dedent('    a\n      b\nc', '    ')).toBe('a\n  b\nc');
    expect(splitWarnings('AH00558: warn\n\nServer version: x\n')).toEqual({ stdout: 'Server version: x\n', stderr: 'AH00558: warn\n', exitCode: 0 });
  });
});

describe(dpkgQuery.name, () => {
  it('splits complaints from packages and can take packages away', () => {
    const captured = 'dpkg-query: no packages found matching python\napache2 1 install ok installed\nlibapache2-mod-wsgi-py3 2 install ok installed\npython3 3 install ok installed\n';
    expect(dpkgQuery(captured)).toEqual({ stdout: 'apache2 1 install ok installed\nlibapache2-mod-wsgi-py3 2 install ok installed\npython3 3 install ok installed\n', stderr: 'dpkg-query: no packages found matching python\n', exitCode: 1 });
    expect(dpkgQuery(captured, ['apache2', 'libapache2-mod-wsgi*']).stdout).toBe('python3 3 install ok installed\n');
  });
});

describe(repoRoot.name, () => {
  it('finds the repository from anywhere below it, and fails clearly elsewhere', () => {
    const root = repoRoot();
    expect(repoRoot(join(root, 'apps', 'lab', 'src', 'profiles'))).toBe(root);
    const outside = mkdtempSync(join(tmpdir(), 'driftwatch-norepo-'));
    try {
      mkdirSync(join(outside, 'a'));
      writeFileSync(join(outside, 'package.json'), '{}');
      expect(() => repoRoot(join(outside, 'a'))).toThrow('no driftwatch repository');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
