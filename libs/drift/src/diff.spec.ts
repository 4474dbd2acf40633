import type { CheckResult } from '@driftwatch/checks';
import type { SnapshotContent } from '@driftwatch/snapshots';
import { diffSnapshots } from './diff';

const ok = (facts: unknown): CheckResult => ({ status: 'ok', facts });
const snapshot = (checks: Record<string, CheckResult>, findings: SnapshotContent['findings'] = []): SnapshotContent => ({ schemaVersion: 1, checks, findings });

const build = (over: Record<string, unknown> = {}) => ok({ version: '2.4.71', mpm: 'event', threaded: true, built: '2026-11-12T08:58:41', ...over });
const modules = (...names: string[]) => ok({ modules: names.map((name) => ({ name, origin: 'shared' })), wsgiLoaded: names.includes('wsgi_module') });

describe(diffSnapshots.name, () => {
  it('finds nothing between equal snapshots', () => {
    const s = snapshot({ 'apache.build': build(), 'apache.modules': modules('core_module', 'wsgi_module') });
    expect(diffSnapshots(s, s)).toEqual([]);
  });

  it('reports an MPM change as one critical apache change with a summary', () => {
    const changes = diffSnapshots(snapshot({ 'apache.build': build() }), snapshot({ 'apache.build': build({ mpm: 'prefork', threaded: false }) }));
    expect(changes).toEqual([
      { path: 'apache.build.mpm', kind: 'changed', before: 'event', after: 'prefork', category: 'apache', severity: 'critical', summary: 'mpm: event → prefork' },
      { path: 'apache.build.threaded', kind: 'changed', before: true, after: false, category: 'apache', severity: 'warning', summary: 'threaded: true → false' },
    ]);
  });

  it('rates a patch upgrade a warning and a minor upgrade critical', () => {
    const patch = diffSnapshots(snapshot({ 'apache.build': build() }), snapshot({ 'apache.build': build({ version: '2.4.72' }) }));
    expect(patch.find((c) => c.path === 'apache.build.version')?.severity).toBe('warning');
    const minor = diffSnapshots(snapshot({ 'apache.build': build() }), snapshot({ 'apache.build': build({ version: '2.5.0' }) }));
    expect(minor.find((c) => c.path === 'apache.build.version')?.severity).toBe('critical');
  });

  it('ignores a new build date of the same version, but not of a new version', () => {
    const rebuilt = diffSnapshots(snapshot({ 'apache.build': build() }), snapshot({ 'apache.build': build({ built: '2026-12-01T00:00:00' }) }));
    expect(rebuilt).toEqual([]);
    const upgraded = diffSnapshots(snapshot({ 'apache.build': build() }), snapshot({ 'apache.build': build({ version: '2.4.72', built: '2026-12-01T00:00:00' }) }));
    expect(upgraded.map((c) => c.path)).toEqual(['apache.build.built', 'apache.build.version']);
  });

  it('reports modules added and removed by name, and the removal of wsgi_module as critical', () => {
    const changes = diffSnapshots(
      snapshot({ 'apache.modules': modules('core_module', 'mpm_event_module', 'wsgi_module') }),
      snapshot({ 'apache.modules': modules('core_module', 'mpm_prefork_module', 'headers_module') }),
    );
    expect(changes.filter((c) => c.path === 'apache.modules.modules').map((c) => [c.kind, (c.before ?? c.after) as object, c.severity])).toEqual([
      ['removed', { name: 'mpm_event_module', origin: 'shared' }, 'warning'],
      ['removed', { name: 'wsgi_module', origin: 'shared' }, 'critical'],
      ['added', { name: 'mpm_prefork_module', origin: 'shared' }, 'warning'],
      ['added', { name: 'headers_module', origin: 'shared' }, 'warning'],
    ]);
    expect(changes.find((c) => c.path === 'apache.modules.wsgiLoaded')).toMatchObject({ before: true, after: false, severity: 'critical' });
  });

  it('reports a change of load order once, and a module origin change by key', () => {
    const before = ok({ modules: [{ name: 'a_module', origin: 'static' }, { name: 'b_module', origin: 'shared' }], wsgiLoaded: false });
    const after = ok({ modules: [{ name: 'b_module', origin: 'shared' }, { name: 'a_module', origin: 'shared' }], wsgiLoaded: false });
    const changes = diffSnapshots(snapshot({ 'apache.modules': before }), snapshot({ 'apache.modules': after }));
    expect(changes.map((c) => [c.path, c.kind])).toEqual([
      ['apache.modules.modules[a_module].origin', 'changed'],
      ['apache.modules.modules', 'reordered'],
    ]);
  });

  it('treats a check that is not ok on either side as unknown, never as facts removed', () => {
    const before = snapshot({ 'python.runtime': ok({ mode: 'daemon', python: { version: '3.11.2' } }) });
    const after = snapshot({ 'python.runtime': { status: 'failed', reason: 'HTTP 404', facts: null } });
    expect(diffSnapshots(before, after)).toEqual([
      expect.objectContaining({ path: 'python.runtime', kind: 'unknown', before: 'ok', after: 'failed: HTTP 404', severity: 'warning' }),
    ]);
    expect(diffSnapshots(after, after)).toEqual([]);
  });

  it('reports findings that appear or clear', () => {
    const finding = { id: 'embedded-mode', severity: 'info' as const, checkId: 'python.runtime', message: 'embedded' };
    const changes = diffSnapshots(snapshot({}, []), snapshot({}, [finding]));
    expect(changes).toEqual([expect.objectContaining({ path: 'findings.embedded-mode', kind: 'added', severity: 'info', category: 'wsgi' })]);
  });

  it('skips paths matched by ignore globs', () => {
    const before = snapshot({ 'packages.os': ok({ packages: { apache2: '2.4.71', python3: '3.11.2' } }) });
    const after = snapshot({ 'packages.os': ok({ packages: { apache2: '2.4.72', python3: '3.11.4' } }) });
    expect(diffSnapshots(before, after, { ignore: ['packages.os.packages.python*'] }).map((c) => c.path)).toEqual(['packages.os.packages.apache2']);
    expect(diffSnapshots(before, after, { ignore: ['**'] })).toEqual([]);
  });
});
