import type { CheckResult } from '@driftwatch/checks';
import type { SnapshotContent } from '@driftwatch/snapshots';
import { diffSnapshots } from './diff';
import { DEFAULT_SEVERITY, SEVERITY_RULES, categoryOf, severityOf } from './rules';

type Input = Parameters<typeof severityOf>[0];
const change = (path: string, kind: Input['kind'], before: unknown, after: unknown): Input => ({ path, kind, before, after, category: categoryOf(path) });
const ruleOf = (c: Input) => SEVERITY_RULES.find((r) => r.when(c))?.name;

describe('SEVERITY_RULES', () => {
  const cases: [string, Input, string][] = [
    ['unknown', change('python.runtime', 'unknown', 'ok', 'failed: HTTP 404'), 'warning'],
    ['critical finding appears', change('findings.wsgi-not-loaded', 'added', null, { id: 'wsgi-not-loaded', severity: 'critical' }), 'critical'],
    ['info finding clears', change('findings.embedded-mode', 'removed', { id: 'embedded-mode', severity: 'info' }, null), 'info'],
    ['Apache minor upgrade', change('apache.build.version', 'changed', '2.4.71', '2.5.0'), 'critical'],
    ['Apache major upgrade', change('apache.build.version', 'changed', '2.4.71', '3.0.0'), 'critical'],
    ['Apache patch upgrade', change('apache.build.version', 'changed', '2.4.71', '2.4.72'), 'warning'],
    ['Python minor upgrade', change('python.runtime.python.version', 'changed', '3.11.2', '3.12.1'), 'critical'],
    ['Python patch upgrade', change('python.runtime.python.version', 'changed', '3.11.2', '3.11.4'), 'warning'],
    ['MPM change', change('apache.build.mpm', 'changed', 'event', 'prefork'), 'critical'],
    ['wsgi_module no longer loaded', change('apache.modules.wsgiLoaded', 'changed', true, false), 'critical'],
    ['wsgi_module loaded again', change('apache.modules.wsgiLoaded', 'changed', false, true), 'warning'],
    ['wsgi_module removed', change('apache.modules.modules', 'removed', { name: 'wsgi_module', origin: 'shared' }, null), 'critical'],
    ['libpython change', change('modwsgi.linkage.libpython.name', 'changed', 'libpython3.11.so.1.0', 'libpython3.12.so.1.0'), 'critical'],
    ['static/shared linkage change', change('modwsgi.linkage.linkage', 'changed', 'shared', 'static'), 'critical'],
    [
      "an instance's libpython no longer found",
      change('apache.instances.instances[/tmp/mod_wsgi-127.0.46.1:8046:1000/httpd.conf].linkage.facts.libpython.found', 'changed', true, false),
      'critical',
    ],
    ['an instance stopped', change('apache.instances.instances', 'removed', { id: '/tmp/mod_wsgi-127.0.46.1:8046:1000/httpd.conf' }, null), DEFAULT_SEVERITY],
    ['module added', change('apache.modules.modules', 'added', null, { name: 'headers_module', origin: 'shared' }), 'warning'],
    ['other module removed', change('apache.modules.modules', 'removed', { name: 'status_module', origin: 'shared' }, null), 'warning'],
    ['load order changed', change('apache.modules.modules', 'reordered', ['a'], ['b']), 'warning'],
    ['mod_wsgi version', change('python.runtime.modWsgiVersion', 'changed', '4.9.4', '5.0.0'), 'warning'],
    ['OS package bump', change('packages.os.packages.apache2', 'changed', '2.4.71-1', '2.4.72-1'), 'info'],
    ['Python package bump', change('python.runtime.packages.flask', 'changed', '3.0.0', '3.0.1'), 'info'],
    ['kernel update', change('host.platform.kernel', 'changed', '6.1.0-25', '6.1.0-26'), 'info'],
    ['configure arguments', change('apache.configure.configureArgs', 'added', null, '--enable-so'), 'info'],
    ['sys.path entry moved', change('python.runtime.python.path', 'reordered', ['/a', '/b'], ['/b', '/a']), DEFAULT_SEVERITY],
  ];

  it.each(cases)('%s', (_name, input, severity) => {
    expect(severityOf(input)).toBe(severity);
  });

  it('every rule of the table is exercised by a case above', () => {
    const used = new Set(cases.map(([, input]) => ruleOf(input)));
    expect(SEVERITY_RULES.map((r) => r.name).filter((name) => !used.has(name))).toEqual([]);
  });
});

describe('volatile facts and list semantics', () => {
  const ok = (facts: unknown): CheckResult => ({ status: 'ok', facts });
  const snap = (checks: Record<string, CheckResult>): SnapshotContent => ({ schemaVersion: 1, checks, findings: [] });
  const runtime = (version: string, versionString: string, path: string[], packages: Record<string, string>) =>
    ok({ mode: 'daemon', python: { version, versionString, prefix: '/usr', path }, packages });

  it("ignores Python's sys.version text (build date, compiler) while the version stays", () => {
    const before = snap({ 'python.runtime': runtime('3.11.2', '3.11.2 (main, Mar 13 2023, 12:18:29) [GCC 12.2.0]', ['/a'], {}) });
    const rebuilt = snap({ 'python.runtime': runtime('3.11.2', '3.11.2 (main, Sep 01 2026, 08:00:00) [GCC 12.2.0]', ['/a'], {}) });
    expect(diffSnapshots(before, rebuilt)).toEqual([]);
    const upgraded = snap({ 'python.runtime': runtime('3.11.4', '3.11.4 (main, Sep 01 2026, 08:00:00) [GCC 12.2.0]', ['/a'], {}) });
    expect(diffSnapshots(before, upgraded).map((c) => c.path)).toEqual(['python.runtime.python.version', 'python.runtime.python.versionString']);
  });

  it('reports sys.path moves (ordered) but never package moves (a set)', () => {
    const before = snap({ 'python.runtime': runtime('3.11.2', 'x', ['/app', '/usr/lib/python3.11'], { flask: '3.0.0', jinja2: '3.1.4' }) });
    const after = snap({ 'python.runtime': runtime('3.11.2', 'x', ['/usr/lib/python3.11', '/app'], { jinja2: '3.1.4', flask: '3.0.0' }) });
    expect(diffSnapshots(before, after)).toEqual([
      expect.objectContaining({ path: 'python.runtime.python.path', kind: 'reordered', summary: 'path: order changed', severity: 'warning' }),
    ]);
  });

  it('reports a compiled-in module set without order, by membership', () => {
    const before = snap({ 'apache.compiled': ok({ modules: ['core.c', 'mod_so.c'] }) });
    const after = snap({ 'apache.compiled': ok({ modules: ['mod_so.c', 'core.c', 'http_core.c'] }) });
    expect(diffSnapshots(before, after).map((c) => [c.kind, c.after])).toEqual([['added', 'http_core.c']]);
  });

  it('gives exactly one unknown change for a failed check, whatever facts it had', () => {
    const facts = { version: '2.4.71', mpm: 'event', threaded: true, defines: { A: true, B: true } };
    const before = snap({ 'apache.build': ok(facts) });
    const after = snap({ 'apache.build': { status: 'failed', reason: 'apache2ctl: not found', facts: null } });
    expect(diffSnapshots(before, after)).toEqual([
      { path: 'apache.build', kind: 'unknown', before: 'ok', after: 'failed: apache2ctl: not found', category: 'build', severity: 'warning', summary: 'apache.build: unknown (ok → failed: apache2ctl: not found)' },
    ]);
    expect(diffSnapshots(after, before)).toHaveLength(1);
  });

  it('summarizes findings as appeared/cleared', () => {
    const finding = { id: 'embedded-mode', severity: 'info' as const, checkId: 'python.runtime', message: 'embedded' };
    const [appeared] = diffSnapshots({ ...snap({}), findings: [] }, { ...snap({}), findings: [finding] });
    expect(appeared.summary).toBe('finding embedded-mode appeared');
    const [cleared] = diffSnapshots({ ...snap({}), findings: [finding] }, { ...snap({}), findings: [] });
    expect(cleared).toMatchObject({ kind: 'removed', summary: 'finding embedded-mode cleared', severity: 'info' });
  });
});
