import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckResult, CheckResults } from './check';
import { ParseKind, parseRaw } from './parse-kind';
import { CHECKS } from './registry';

/**
 * Each finding fires on the facts the guide warns about, and never on unknown data: a check
 * that failed or was unavailable, or a fact that is null, produces no finding.
 */
const FIXTURES = join(__dirname, '../../../test/fixtures');

function parsed(kind: ParseKind, path: string): CheckResult {
  const { status, facts } = parseRaw(kind, readFileSync(join(FIXTURES, path), 'utf8'));
  return { status, facts };
}

const ok = (facts: unknown): CheckResult => ({ status: 'ok', facts });
const failed: CheckResult = { status: 'failed', reason: 'cut short', facts: null };
const unavailable: CheckResult = { status: 'unavailable', reason: 'not installed', facts: null };
const patch = (result: CheckResult, change: Record<string, unknown>): CheckResult => ok({ ...(result.facts as object), ...change });

const BUILD = parsed('httpd-V', 'raw/httpd-V/debian12-2.4.71-event-apache2ctl-V-live.txt');
const BUILD_22 = parsed('httpd-V', 'raw/httpd-V/macos-system-2.2.14-modwsgidocs.txt');
const MODULES = parsed('httpd-M', 'raw/httpd-M/debian12-2.4.71-event-wsgi-ah00558-live.txt');
const RUNTIME = parsed('wsgi-diag', 'raw/wsgi-diag/debian12-py3.11-modwsgi4.9.4-event-daemon-live.txt');
const CONFIG = parsed('wsgi-config', 'raw/express-module-config/ubuntu22.04-py3.10-venv-modwsgi4.9.4-modwsgi817.txt');
const libpython = (version: string, found: boolean | null) => ({ name: `libpython${version}.so.1.0`, version, resolvedPath: found ? `/usr/lib/libpython${version}.so.1.0` : null, found });
const LINKAGE = ok({
  path: '/usr/lib/apache2/modules/mod_wsgi.so',
  tool: 'ldd',
  libpython: libpython('3.11', true),
  linkage: 'shared',
  resolutions: { withoutLdLibraryPath: '/usr/lib/libpython3.11.so.1.0', caller: '/usr/lib/libpython3.11.so.1.0' },
  ldLibraryPathSensitive: false,
});
const MUTEX = ok({ defaultMechanism: 'sysvsem', defaultFrom: 'apr.h', available: null, mutexes: null, directives: [], unreadableFiles: [], configError: null });
const acceptMutex = [{ name: 'AcceptMutex', args: ['flock'], file: '/etc/httpd/conf/httpd.conf' }];

/** A healthy host: no finding but the (informational) multithreaded one. */
const HEALTHY: CheckResults = {
  'apache.build': BUILD,
  'apache.modules': MODULES,
  'apache.mutex': MUTEX,
  'modwsgi.linkage': LINKAGE,
  'python.runtime': RUNTIME,
  'python.config': patch(CONFIG, { pythonHome: '/usr' }),
};

function evaluateFindings(results: CheckResults) {
  return CHECKS.flatMap((c) => c.findings?.(results) ?? []);
}

function findingIds(results: CheckResults): string[] {
  return evaluateFindings(results)
    .map((f) => f.id)
    .sort();
}

/** [finding, results where it fires, results where it must not] */
const CASES: [string, Partial<CheckResults>, Partial<CheckResults>[]][] = [
  ['wsgi-not-loaded', { 'apache.modules': patch(MODULES, { wsgiLoaded: false }) }, [{ 'apache.modules': failed }, { 'apache.modules': unavailable }]],
  [
    'modwsgi-static-python',
    { 'modwsgi.linkage': patch(LINKAGE, { libpython: null, linkage: 'static', resolutions: {}, ldLibraryPathSensitive: null }) },
    [{ 'modwsgi.linkage': failed }],
  ],
  [
    'libpython-not-found',
    { 'modwsgi.linkage': patch(LINKAGE, { libpython: libpython('3.11', false), linkage: 'missing' }) },
    [{ 'modwsgi.linkage': patch(LINKAGE, { libpython: libpython('3.11', null) }) }, { 'modwsgi.linkage': unavailable }],
  ],
  [
    'libpython-ld-library-path-sensitive',
    { 'modwsgi.linkage': patch(LINKAGE, { resolutions: { caller: '/opt/lib/libpython3.11.so.1.0', withoutLdLibraryPath: '/usr/lib/libpython3.11.so.1.0' }, ldLibraryPathSensitive: true }) },
    [{ 'modwsgi.linkage': patch(LINKAGE, { ldLibraryPathSensitive: null }) }],
  ],
  [
    'python-version-mismatch',
    { 'modwsgi.linkage': patch(LINKAGE, { libpython: libpython('3.5', true) }) },
    [
      { 'modwsgi.linkage': patch(LINKAGE, { libpython: libpython('3.5', true) }), 'python.runtime': failed },
      { 'modwsgi.linkage': patch(LINKAGE, { libpython: { ...libpython('3', true), version: '3' } }) },
      { 'python.runtime': patch(RUNTIME, { python: { version: null, versionString: null, prefix: '/usr', path: null } }), 'modwsgi.linkage': patch(LINKAGE, { libpython: libpython('3.5', true) }) },
    ],
  ],
  [
    'python-home-mismatch',
    { 'python.config': CONFIG },
    [{ 'python.config': CONFIG, 'python.runtime': unavailable }, { 'python.config': patch(CONFIG, { pythonHome: null }) }, { 'python.config': patch(CONFIG, { pythonHome: '/usr/' }) }],
  ],
  ['multithreaded-app', {}, [{ 'python.runtime': patch(RUNTIME, { multithread: null }) }, { 'python.runtime': failed }]],
  [
    'accept-mutex-deprecated',
    { 'apache.mutex': patch(MUTEX, { directives: acceptMutex }) },
    [
      { 'apache.mutex': patch(MUTEX, { directives: acceptMutex }), 'apache.build': BUILD_22 },
      { 'apache.mutex': patch(MUTEX, { directives: acceptMutex }), 'apache.build': failed },
      { 'apache.mutex': patch(MUTEX, { directives: null }) },
    ],
  ],
  ['embedded-mode', { 'python.runtime': patch(RUNTIME, { processGroup: '', mode: 'embedded' }) }, [{ 'python.runtime': patch(RUNTIME, { processGroup: null, mode: null }) }]],
  [
    'apr-loaded-compiled-mismatch',
    { 'apache.build': patch(BUILD, { apr: { loaded: '1.7.5', compiled: '1.7.2' } }) },
    [{ 'apache.build': patch(BUILD, { apr: { loaded: null, compiled: '1.7.2' } }) }, { 'apache.build': unavailable }],
  ],
];

describe('findings', () => {
  it('fire on a healthy host only for the multithreaded application', () => {
    expect(findingIds(HEALTHY)).toEqual(['multithreaded-app']);
  });

  it('never fire when nothing is known', () => {
    const unknown = Object.fromEntries(CHECKS.map((c) => [c.id, failed]));
    expect(findingIds(unknown)).toEqual([]);
    expect(findingIds({})).toEqual([]);
  });

  it('fire for AcceptMutex when Apache 2.4 rejects it outright, even with the file list unknown', () => {
    const rejected = patch(MUTEX, { directives: null, configError: "Invalid command 'AcceptMutex', perhaps misspelled or defined by a module not included in the server configuration" });
    expect(findingIds({ ...HEALTHY, 'apache.mutex': rejected, 'apache.build': failed })).toContain('accept-mutex-deprecated');
  });

  it('make AcceptMutex on 2.4 critical (Apache does not start), with the configuration test output and the Mutex fix', () => {
    const rejected = patch(MUTEX, {
      directives: null,
      configError: "Invalid command 'AcceptMutex', perhaps misspelled or defined by a module not included in the server configuration",
      configErrorAt: 'line 3 of /etc/apache2/conf-enabled/mutex.conf',
    });
    const finding = evaluateFindings({ ...HEALTHY, 'apache.mutex': rejected }).find((f) => f.id === 'accept-mutex-deprecated')!;
    expect(finding.severity).toBe('critical');
    expect(finding.message).toContain('does not start with AcceptMutex (line 3 of /etc/apache2/conf-enabled/mutex.conf)');
    expect(finding.message).toContain("The configuration test says: \"Invalid command 'AcceptMutex'");
    const configured = evaluateFindings({ ...HEALTHY, 'apache.mutex': patch(MUTEX, { directives: acceptMutex }) }).find((f) => f.id === 'accept-mutex-deprecated')!;
    expect(configured.severity).toBe('critical');
    expect(configured.message).toContain('replace "AcceptMutex flock" with "Mutex flock mpm-accept"');
    expect(configured.message).toContain('"WSGIAcceptMutex flock"');
  });

  it.each(CASES)('%s fires on known facts and not on unknown ones', (id, firing, quiet) => {
    expect(findingIds({ ...HEALTHY, ...firing } as CheckResults)).toContain(id);
    for (const results of quiet) expect(findingIds({ ...HEALTHY, ...results } as CheckResults)).not.toContain(id);
  });

  it('explain themselves in one line and name their check', () => {
    const troubled = {
      ...HEALTHY,
      ...Object.assign({}, ...CASES.map(([, firing]) => firing)),
    } as CheckResults;
    const all = CHECKS.flatMap((c) => c.findings?.(troubled) ?? []);
    for (const f of all) {
      expect(f.message).not.toMatch(/\n/);
      expect(CHECKS.map((c) => c.id)).toContain(f.checkId);
    }
  });
});
