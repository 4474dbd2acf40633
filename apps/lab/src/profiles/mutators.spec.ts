import { listedHostFiles } from './apache-includes';
import { centos7HttpdProfile } from './centos-7.profile';
import { debian12EventProfile, debian12PreforkEmbeddedProfile } from './debian-12.profile';
import { FixtureDir } from './fixtures';
import { withApacheVersion, withCommandScript, withModule, withMpm, withoutModule } from './mutators';
import { LabProfile } from './profile';

const stdout = (profile: LabProfile, command: string, args: string) => profile.commands[command]?.find((c) => c.args === args)?.stdout;
const INCLUDES = '*DUMP_INCLUDES*';

describe('profile mutators', () => {
  const event = debian12EventProfile();
  const preforkCaptures = new FixtureDir('test/fixtures/hosts/debian-12-apache-2.4.71-prefork-embedded');

  it('turn the event host into the captured prefork host: MPM switched, headers_module added', () => {
    const drifted = withModule(withMpm(event, 'prefork'), 'headers');
    expect(stdout(drifted, 'apache2ctl', '-M|*DUMP_MODULES*')).toBe(preforkCaptures.text('apachectl-M.stdout'));
    expect(stdout(drifted, 'apache2ctl', '-V')).toBe(preforkCaptures.text('apachectl-V.stdout'));
    expect(stdout(drifted, 'apache2ctl', INCLUDES)).toBe(stdout(debian12PreforkEmbeddedProfile(), 'apache2ctl', INCLUDES));
    expect(drifted.name).toBe('debian-12-apache-2.4.71-event+mpm=prefork+headers_module');
  });

  it('keep the listed configuration files in step with the includes', () => {
    const drifted = withModule(withMpm(event, 'prefork'), 'headers');
    expect(drifted.files['etc/apache2/mods-enabled/headers.load']).toBe('LoadModule headers_module ${LAB_ROOT}/usr/lib/apache2/modules/mod_headers.so\n');
    expect(drifted.files['etc/apache2/mods-enabled/mpm_prefork.load']).toContain('mpm_prefork_module');
    expect(drifted.files['etc/apache2/mods-enabled/mpm_event.load']).toBeUndefined();
    for (const path of listedHostFiles(stdout(drifted, 'apache2ctl', INCLUDES)!)) expect(drifted.files[path]).toBeDefined();
  });

  it('remove a module from -M, the includes and the files', () => {
    const drifted = withoutModule(event, 'wsgi_module');
    expect(stdout(drifted, 'apache2ctl', '-M|*DUMP_MODULES*')).not.toContain('wsgi_module');
    expect(stdout(drifted, 'apache2ctl', INCLUDES)).not.toMatch(/wsgi\.(load|conf)/);
    expect(Object.keys(drifted.files).filter((p) => p.includes('mods-enabled/wsgi'))).toEqual([]);
  });

  it('change the Apache version of the binary and of its packages only', () => {
    const drifted = withApacheVersion(event, '2.4.72');
    expect(stdout(drifted, 'apache2ctl', '-V')).toContain('Server version: Apache/2.4.72 (Debian)');
    expect(stdout(drifted, 'apache2ctl', '-v')).toContain('Apache/2.4.72');
    expect(stdout(drifted, 'apache2', '-V')).toContain('Apache/2.4.72');
    const packages = stdout(drifted, 'dpkg-query', '-W*|--show*');
    expect(packages).toContain('apache2 2.4.72-1~deb12u1 install ok installed');
    expect(packages).toContain('apache2-bin 2.4.72-1~deb12u1');
    expect(packages).toContain('python3 3.11.2-1+b1');
    expect(() => withApacheVersion(event, 'latest')).toThrow('invalid Apache version');
  });

  it('work on the RHEL host too (no Debian includes to edit)', () => {
    const drifted = withMpm(withoutModule(centos7HttpdProfile(), 'wsgi'), 'event');
    expect(stdout(drifted, 'httpd', '-M|*DUMP_MODULES*')).toContain('mpm_event_module (shared)');
    expect(stdout(drifted, 'httpd', '-M|*DUMP_MODULES*')).not.toContain('wsgi_module');
    expect(stdout(drifted, 'apachectl', '-V')).toMatch(/Server MPM:\s+event\n\s*threaded:\s+yes \(fixed thread count\)/);
  });

  it('never change their input', () => {
    const before = JSON.stringify(event);
    withApacheVersion(withoutModule(withModule(withMpm(event, 'worker'), 'ssl'), 'status'), '2.4.99');
    expect(JSON.stringify(event)).toBe(before);
    expect(() => withMpm(event, 'turbo')).toThrow('unknown MPM turbo');
  });

  it('make one command run a script ahead of its captured answers, keeping the others', () => {
    const before = JSON.stringify(event);
    const hostile = withCommandScript(event, 'apache2ctl', '-V', 'yes');
    expect(hostile.commands.apache2ctl[0]).toEqual({ args: '-V', script: 'yes' });
    expect(hostile.commands.apache2ctl.slice(1)).toEqual(event.commands.apache2ctl);
    expect(hostile.commands.ldd).toEqual(event.commands.ldd);
    expect(hostile.name).not.toBe(event.name);
    expect(JSON.stringify(event)).toBe(before);
  });
});
