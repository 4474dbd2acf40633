import type { CheckResult } from '@driftwatch/checks';
import type { SnapshotContent } from '@driftwatch/snapshots';
import { diffSnapshots } from './diff';
import { explainChanges } from './explain';

const ok = (facts: unknown): CheckResult => ({ status: 'ok', facts });
const snapshot = (checks: Record<string, CheckResult>): SnapshotContent => ({ schemaVersion: 1, checks, findings: [] });

/** The checks a dist-upgrade moves, as the bookworm and trixie hosts of the system suite report them. */
function host(release: { apache: string; modWsgi: string; python: string; soname: string; os: string; pretty: string; modules: string[] }): SnapshotContent {
  const pyVersion = /libpython(\d+\.\d+)/.exec(release.soname)![1];
  return snapshot({
    'apache.build': ok({ version: release.apache, mpm: 'event', threaded: true }),
    'apache.modules': ok({ modules: release.modules.map((name) => ({ name, origin: 'shared' })), wsgiLoaded: true }),
    'modwsgi.linkage': ok({ path: '/usr/lib/apache2/modules/mod_wsgi.so', linkage: 'shared', libpython: { name: release.soname, resolvedPath: `/usr/lib/x86_64-linux-gnu/${release.soname}`, version: pyVersion, found: true } }),
    'packages.os': ok({ manager: 'dpkg', packages: { apache2: `${release.apache}-1`, 'libapache2-mod-wsgi-py3': `${release.modWsgi}-1`, python3: `${release.python}-1` }, apache: `${release.apache}-1`, modWsgi: `${release.modWsgi}-1`, python: `${release.python}-1` }),
    'host.platform': ok({ os: 'debian', osVersion: release.os, prettyName: release.pretty, kernel: '6.1', arch: 'x86_64' }),
  });
}

const bookworm = { apache: '2.4.68', modWsgi: '4.9.4', python: '3.11.2', soname: 'libpython3.11.so.1.0', os: '12', pretty: 'Debian GNU/Linux 12 (bookworm)', modules: ['core_module', 'wsgi_module'] };
const trixie = { apache: '2.4.71', modWsgi: '5.0.2', python: '3.13.5', soname: 'libpython3.13.so.1.0', os: '13', pretty: 'Debian GNU/Linux 13 (trixie)', modules: ['core_module', 'wsgi_module'] };

describe(explainChanges.name, () => {
  it('explains a dist-upgrade in order of importance: Apache, mod_wsgi, Python, libpython, the OS', () => {
    const headlines = explainChanges(diffSnapshots(host(bookworm), host(trixie)));
    expect(headlines.map((h) => [h.subject, h.summary, h.severity])).toEqual([
      ['apache', 'Apache 2.4.68 → 2.4.71', 'warning'],
      ['modwsgi', 'mod_wsgi 4.9.4-1 → 5.0.2-1', 'info'],
      ['python', 'Python 3.11.2-1 → 3.13.5-1', 'info'],
      ['libpython', 'libpython libpython3.11.so.1.0 → libpython3.13.so.1.0', 'critical'],
      ['os', 'OS Debian GNU/Linux 12 (bookworm) → Debian GNU/Linux 13 (trixie)', 'info'],
    ]);
  });

  it('stands each headline for every detailed change of its subject, once', () => {
    const changes = diffSnapshots(host(bookworm), host(trixie));
    const covered = explainChanges(changes).flatMap((h) => h.paths);
    expect(new Set(covered).size).toBe(covered.length);
    expect([...covered].sort()).toEqual(changes.map((c) => c.path).sort());
  });

  it('prefers the runtime mod_wsgi and Python versions to the packages, and names modules added and removed', () => {
    const runtime = (modWsgiVersion: string, version: string) => ok({ modWsgiVersion, python: { version }, mode: 'daemon' });
    const before = { ...host(bookworm).checks, 'python.runtime': runtime('4.9.4', '3.11.2') };
    const after = { ...host(bookworm).checks, 'python.runtime': runtime('4.9.5', '3.11.2'), 'apache.modules': ok({ modules: [{ name: 'core_module', origin: 'shared' }, { name: 'headers_module', origin: 'shared' }], wsgiLoaded: false }) };
    const headlines = explainChanges(diffSnapshots(snapshot(before), snapshot(after)));
    expect(headlines.map((h) => h.summary)).toEqual(['mod_wsgi 4.9.4 → 4.9.5', 'modules +headers_module -wsgi_module']);
    expect(headlines[1].severity).toBe('critical');
  });

  it('keeps an MPM switch out of the Apache headline: each change belongs to its most specific subject', () => {
    const build = (version: string, mpm: string) => snapshot({ 'apache.build': ok({ version, mpm, threaded: mpm !== 'prefork' }) });
    const headlines = explainChanges(diffSnapshots(build('2.4.71', 'event'), build('2.4.72', 'prefork')));
    expect(headlines.map((h) => [h.summary, h.severity, h.paths])).toEqual([
      ['Apache 2.4.71 → 2.4.72', 'warning', ['apache.build.version']],
      ['MPM event → prefork', 'critical', ['apache.build.mpm', 'apache.build.threaded']],
    ]);
  });

  it('has nothing to say about changes of no subject', () => {
    expect(explainChanges([{ path: 'apache.mutex.mechanism', kind: 'changed', before: 'sysvsem', after: 'fcntl', category: 'mutex', severity: 'warning', summary: '' }])).toEqual([]);
  });
});
