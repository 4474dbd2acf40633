import type { CheckResult, Finding } from '@driftwatch/checks';
import type { SnapshotContent } from '@driftwatch/snapshots';
import { CohortMember, fleetBaseline } from './fleet-baseline';

const ok = (facts: unknown): CheckResult => ({ status: 'ok', facts });
const failed: CheckResult = { status: 'failed', reason: 'timed out', facts: null };
const snapshot = (checks: Record<string, CheckResult>, findings: Finding[] = []): SnapshotContent => ({ schemaVersion: 1, checks, findings });
const build = (over: Record<string, unknown> = {}) => ok({ version: '2.4.62', mpm: 'event', threaded: true, built: '2026-01-01T00:00:00', ...over });
const modules = (...names: string[]) => ok({ modules: names.map((name) => ({ name, origin: 'shared' })), wsgiLoaded: names.includes('wsgi_module') });
const host = (name: string, content: SnapshotContent | null, golden = false): CohortMember => ({ name, golden, content });
const standard = () => snapshot({ 'apache.build': build(), 'apache.modules': modules('core_module', 'wsgi_module', 'headers_module') });

describe(fleetBaseline.name, () => {
  it('takes the majority value as baseline and ranks the host that differs most first', () => {
    const drift = fleetBaseline([
      host('a', standard()),
      host('b', standard()),
      host('c', snapshot({ 'apache.build': build({ mpm: 'prefork', threaded: false }), 'apache.modules': modules('core_module', 'wsgi_module', 'headers_module') })),
      host('d', snapshot({ 'apache.build': build(), 'apache.modules': modules('core_module', 'wsgi_module') })),
    ]);
    expect(drift.baseline).toContainEqual({ path: 'apache.build.mpm', category: 'apache', value: 'event', source: 'majority', agreeing: 3, known: 4 });
    expect(drift.hosts.map((h) => [h.host, h.score])).toEqual([
      ['c', 9 + 3],
      ['d', 3],
      ['a', 0],
      ['b', 0],
    ]);
    expect(drift.hosts[0].deviations).toContainEqual({ path: 'apache.build.mpm', category: 'apache', severity: 'critical', kind: 'changed', baseline: 'event', value: 'prefork' });
    expect(drift.hosts[1].deviations).toEqual([
      { path: 'apache.modules.modules[headers_module]', category: 'modules', severity: 'warning', kind: 'removed', baseline: { name: 'headers_module', origin: 'shared' }, value: null },
    ]);
  });

  it('rates a missing wsgi_module critical, with the rule table of host drift', () => {
    const drift = fleetBaseline([host('a', standard()), host('b', standard()), host('c', snapshot({ 'apache.modules': modules('core_module', 'headers_module') }))]);
    const c = drift.hosts.find((h) => h.host === 'c')!;
    expect(c.deviations.map((d) => [d.path, d.severity])).toEqual([
      ['apache.modules.modules[wsgi_module]', 'critical'],
      ['apache.modules.wsgiLoaded', 'critical'],
    ]);
  });

  it('lets a golden host decide over the majority', () => {
    const prefork = snapshot({ 'apache.build': build({ mpm: 'prefork', threaded: false }) });
    const drift = fleetBaseline([host('a', snapshot({ 'apache.build': build() })), host('b', snapshot({ 'apache.build': build() })), host('g', prefork, true)]);
    expect(drift.golden).toEqual(['g']);
    expect(drift.baseline.find((f) => f.path === 'apache.build.mpm')).toMatchObject({ value: 'prefork', source: 'golden', agreeing: 1, known: 3 });
    expect(drift.hosts.map((h) => [h.host, h.counts.critical])).toEqual([
      ['a', 1],
      ['b', 1],
      ['g', 0],
    ]);
  });

  it('with several golden hosts takes their most common value, and a tie among them contests the fact', () => {
    const event = snapshot({ 'apache.build': build() });
    const prefork = snapshot({ 'apache.build': build({ mpm: 'prefork' }) });
    const two = fleetBaseline([host('g1', event, true), host('g2', prefork, true), host('x', prefork)]);
    expect(two.contested).toEqual([
      {
        path: 'apache.build.mpm',
        category: 'apache',
        source: 'golden',
        candidates: [
          { value: 'event', hosts: ['g1'] },
          { value: 'prefork', hosts: ['g2'] },
        ],
      },
    ]);
    expect(two.hosts.every((h) => h.score === 0)).toBe(true);
    const three = fleetBaseline([host('g1', event, true), host('g2', prefork, true), host('g3', prefork, true), host('x', event)]);
    expect(three.baseline.find((f) => f.path === 'apache.build.mpm')).toMatchObject({ value: 'prefork', source: 'golden' });
    expect(three.hosts.slice(0, 2).map((h) => h.host)).toEqual(['g1', 'x']);
  });

  it('never counts a check that is not ok as deviation, and says which checks are unknown', () => {
    const drift = fleetBaseline([host('a', standard()), host('b', standard()), host('c', snapshot({ 'apache.build': build(), 'apache.modules': failed }))]);
    const c = drift.hosts.find((h) => h.host === 'c')!;
    expect(c).toMatchObject({ score: 0, unknownChecks: ['apache.modules'], deviations: [] });
    expect(drift.baseline.find((f) => f.path === 'apache.modules.wsgiLoaded')).toMatchObject({ agreeing: 2, known: 2 });
  });

  it('contests a fact on a tie without a golden host', () => {
    const drift = fleetBaseline([host('a', snapshot({ 'apache.build': build() })), host('b', snapshot({ 'apache.build': build({ mpm: 'worker' }) }))]);
    expect(drift.contested.map((f) => f.path)).toEqual(['apache.build.mpm']);
    expect(drift.hosts.map((h) => h.score)).toEqual([0, 0]);
  });

  it('lists a host never scanned last, unknown in everything', () => {
    const drift = fleetBaseline([host('new', null), host('a', standard())]);
    expect(drift.hosts.map((h) => [h.host, h.scanned, h.score])).toEqual([
      ['a', true, 0],
      ['new', false, 0],
    ]);
  });

  it('compares findings only where their check is known, with the finding’s severity', () => {
    const embedded: Finding = { id: 'embedded-mode', severity: 'warning', checkId: 'python.runtime', message: 'embedded' };
    const runtime = (mode: string) => ok({ mode });
    const drift = fleetBaseline([
      host('a', snapshot({ 'python.runtime': runtime('daemon') })),
      host('b', snapshot({ 'python.runtime': runtime('daemon') })),
      host('c', snapshot({ 'python.runtime': runtime('embedded') }, [embedded])),
      host('d', snapshot({ 'python.runtime': failed })),
    ]);
    const c = drift.hosts.find((h) => h.host === 'c')!;
    expect(c.deviations).toContainEqual({ path: 'findings.embedded-mode', category: 'wsgi', severity: 'warning', kind: 'added', baseline: null, value: true });
    expect(drift.baseline.find((f) => f.path === 'findings.embedded-mode')).toEqual({
      path: 'findings.embedded-mode',
      category: 'wsgi',
      value: null,
      absent: true,
      source: 'majority',
      agreeing: 2,
      known: 3,
    });
  });

  it('ignores the build date of the same version and the DRIFT_IGNORE globs', () => {
    const drift = fleetBaseline(
      [
        host('a', snapshot({ 'apache.build': build() })),
        host('b', snapshot({ 'apache.build': build() })),
        host('c', snapshot({ 'apache.build': build({ built: '2026-02-02T00:00:00', threaded: false }) })),
      ],
      { ignore: ['apache.build.threaded'] },
    );
    expect(drift.hosts.every((h) => h.deviations.length === 0)).toBe(true);
    expect(drift.baseline.map((f) => f.path)).not.toContain('apache.build.threaded');
  });
});
