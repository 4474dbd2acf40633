import { apacheBuildCheck, discoveryOf } from './apache-build.check';

const V = 'Server version: Apache/2.4.68 (Unix)\nServer MPM:     event\n';
const section = (meta: Record<string, string>) => ({ id: 'apache.build', stdout: V, stderr: '', exitCode: 0, durationMs: 1, truncated: false, meta });

describe('which Apache the probe checked', () => {
  const sourceBuilt = {
    discoveredBy: 'running',
    control: '/usr/local/apache2/bin/apachectl',
    onPath: '/usr/sbin/apache2ctl',
    runningBinary: '/usr/local/apache2/bin/httpd',
    runningVia: 'cmdline',
    runningReplaced: '',
    runningServerRoot: '',
    runningConfig: '/etc/httpd/site.conf',
    apxs: '/usr/local/apache2/bin/apxs',
    apxsSbindir: '/usr/local/apache2/bin/',
  };

  it('records how it was found, the running binary with its -f, and an apxs of the same Apache', () => {
    expect(discoveryOf(sourceBuilt)).toEqual({
      discoveredBy: 'running',
      control: '/usr/local/apache2/bin/apachectl',
      running: { binary: '/usr/local/apache2/bin/httpd', via: 'cmdline', replacedOnDisk: false, serverRoot: null, configFile: '/etc/httpd/site.conf' },
      onPath: '/usr/sbin/apache2ctl',
      apxs: { path: '/usr/local/apache2/bin/apxs', sbindir: '/usr/local/apache2/bin', matches: true },
    });
  });

  it('an Apache shadowed on PATH, an apxs of another Apache and a binary replaced since start are findings', () => {
    const result = apacheBuildCheck.parse(section({ ...sourceBuilt, apxs: '/usr/bin/apxs2', apxsSbindir: '/usr/sbin', runningReplaced: 'yes' }));
    const findings = apacheBuildCheck.findings!({ 'apache.build': result });
    expect(findings.map((f) => [f.id, f.severity])).toEqual([
      ['running-apache-not-on-path', 'warning'],
      ['apache-binary-replaced', 'warning'],
      ['apxs-other-apache', 'warning'],
    ]);
    expect(findings[2]!.message).toContain('/usr/bin/apxs2 belongs to the Apache in /usr/sbin');
  });

  it('Debian: apache2ctl on PATH runs the running apache2, apxs2 built for /usr/sbin: no finding', () => {
    const meta = { discoveredBy: 'running', control: '/usr/sbin/apache2ctl', onPath: '/usr/sbin/apache2ctl', runningBinary: '/usr/sbin/apache2', runningVia: 'exe', apxs: '/usr/bin/apxs2', apxsSbindir: '/usr/sbin' };
    const result = apacheBuildCheck.parse(section(meta));
    expect(apacheBuildCheck.findings!({ 'apache.build': result })).toEqual([]);
    expect(discoveryOf({ ...meta, discoveredBy: 'path', runningBinary: '' })).toMatchObject({ discoveredBy: 'path', running: null });
  });

  it('a pasted httpd -V has no discovery notes: no discovery facts, no guess', () => {
    expect(apacheBuildCheck.parse(section({})).facts).not.toHaveProperty('discovery');
    expect(discoveryOf({ discoveredBy: 'somehow', control: '/x' })).toBeUndefined();
  });
});
