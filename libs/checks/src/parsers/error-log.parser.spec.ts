import { parseErrorLog } from './error-log.parser';
import { TIER_SEVERITY, WSGI_ERROR_CODES } from './wsgi-error-codes';

/**
 * Lines as published: GrahamDumpleton/mod_wsgi issue #876 (Apache 2.4 format, a daemon group
 * "hgweb"), mod_wsgi's docs/error-reference.rst (its WSGI0001 example), and lines this
 * project's system suite captured from a bookworm host broken on purpose
 * (test/system/error-log.system-spec.ts).
 */
const ISSUE_876 = [
  "[Sat Feb 24 02:03:02.259434 2024] [wsgi:error] [pid 137:tid 140153012078272] [client 10.42.6.14:41134] Truncated or oversized response headers received from daemon process 'hgweb': /usr/local/www/wsgi-scripts/hgweb.wsgi",
  '[Sat Feb 24 02:03:02.258689 2024] [wsgi:error] [pid 12:tid 140152408098496] (104)Connection reset by peer: [client 10.42.6.14:33748] mod_wsgi (pid=12): Failed to proxy response from daemon.',
  '10.42.6.14 - - [24/Feb/2024:02:02:58 +0000] "POST /hg/repo-b?cmd=unbundle HTTP/1.1" 500 528',
  "[Mon Feb 26 12:41:57.757909 2024] [wsgi:error] [pid 137:tid 140152290666176] [client 10.42.6.14:35910] Truncated or oversized response headers received from daemon process 'hgweb': /usr/local/www/wsgi-scripts/hgweb.wsgi",
].join('\n');
const DOCS_WSGI0001 = '[Mon Jan 01 12:00:00.000000 2026] [wsgi:crit] [pid 12345] WSGI0001: Python initialisation failed; Python based handlers will not be available in this child process.';

describe('parseErrorLog', () => {
  it('counts a recurring message once, with its first and last time and the daemon group', () => {
    const r = parseErrorLog(ISSUE_876);
    expect(r.status).toBe('ok');
    expect(r.facts!.events).toEqual([
      // The same issue's "(104)Connection reset by peer: … Failed to proxy response from daemon."
      expect.objectContaining({ id: 'daemon-response-failed', severity: 'warning', details: [] }),
      expect.objectContaining({ id: 'truncated-response-headers', severity: 'warning', details: ['hgweb'] }),
    ]);
    expect(r.facts!.occurrences['truncated-response-headers']).toMatchObject({ count: 2, firstAt: '2024-02-24T02:03:02.259434', lastAt: '2024-02-26T12:41:57.757909' });
  });

  it('reads Apache 2.2 lines (no module, no microseconds)', () => {
    const r = parseErrorLog("[Mon Dec 07 05:59:36 2026] [error] [client 127.0.0.1] No WSGI daemon process called 'site' has been configured: /srv/app.wsgi");
    expect(r.facts!.events).toEqual([expect.objectContaining({ id: 'daemon-not-configured', severity: 'critical', details: ['site'] })]);
    expect(r.facts!.occurrences['daemon-not-configured'].lastAt).toBe('2026-12-07T05:59:36');
  });

  it('recognises the older messages by their text', () => {
    const log = [
      '[Mon Dec 07 05:00:00.1 2026] [core:notice] [pid 9] AH00052: child pid 4242 exit signal Segmentation fault (11)',
      "httpd: Syntax error on line 1 of /etc/httpd/conf.d/wsgi.conf: Cannot load /usr/lib64/httpd/modules/mod_wsgi.so into server: libpython3.9.so.1.0: cannot open shared object file: No such file or directory",
      '[Mon Dec 07 05:00:01.1 2026] [wsgi:warn] [pid 10] mod_wsgi (pid=10): Unable to stat Python home /nonexistent. Python interpreter may not be able to be initialized correctly.',
      "ModuleNotFoundError: No module named 'encodings'",
      '[Mon Dec 07 05:00:02 2026] [warn] mod_wsgi: Compiled for Python/2.7.3.',
      '[Mon Dec 07 05:00:02 2026] [warn] mod_wsgi: Runtime using Python/2.6.6.',
      "[Mon Dec 07 05:00:03.5 2026] [wsgi:error] [pid 11] [client 1.2.3.4:5] Timeout when reading response headers from daemon process 'app': /srv/app.wsgi",
      '[Mon Dec 07 05:00:05.5 2026] [wsgi:error] [pid 13] [client 1.2.3.4:5] mod_wsgi (pid=13): Failed to proxy response from daemon.',
      "[Mon Dec 07 05:00:04.5 2026] [wsgi:error] [pid 12] (13)Permission denied: [client 1.2.3.4:5] mod_wsgi (pid=12): Unable to connect to WSGI daemon process 'app' on '/etc/httpd/logs/wsgi.1.0.1.sock' as user with uid=48.",
    ].join('\n');
    const events = parseErrorLog(log).facts!.events;
    expect(events.map((e) => [e.id, e.severity, e.details])).toEqual([
      ['cannot-load-module', 'critical', ['/usr/lib64/httpd/modules/mod_wsgi.so']],
      ['daemon-response-failed', 'warning', []],
      ['daemon-segfault', 'critical', []],
      ['daemon-socket-denied', 'critical', ['app']],
      ['no-encodings-module', 'critical', []],
      ['python-home-inaccessible', 'critical', ['/nonexistent']],
      ['python-version-mismatch', 'critical', ['2.7→2.6']],
      ['response-header-timeout', 'warning', ['app']],
    ]);
  });

  it("gives Python's own lines (no Apache prefix) the time of Apache's line before them", () => {
    // As captured from python-home= naming a directory Apache's user cannot enter (fixture raw/error-log).
    const log = [
      '[Mon Dec 07 11:41:30.401723 2026] [wsgi:warn] [pid 7244:tid 7244] mod_wsgi (pid=7244): Python home /opt/dw-venv is not accessible. Python interpreter may not be able to be initialized correctly. Verify the supplied path and access permissions on the directory.',
      'Fatal Python error: init_fs_encoding: failed to get the Python codec of the filesystem encoding',
      'Python runtime state: core initialized',
      "ModuleNotFoundError: No module named 'encodings'",
    ].join('\n');
    const r = parseErrorLog(log).facts!;
    expect(r.occurrences['no-encodings-module']).toMatchObject({ count: 1, lastAt: '2026-12-07T11:41:30.401723' });
    expect(r.occurrences['python-home-inaccessible'].lastAt).toBe('2026-12-07T11:41:30.401723');
    expect(parseErrorLog("ModuleNotFoundError: No module named 'encodings'").facts!.occurrences['no-encodings-module'].lastAt).toBeNull();
  });

  it('does not report a version pair that agrees', () => {
    expect(parseErrorLog('mod_wsgi: Compiled for Python/3.11.\nmod_wsgi: Runtime using Python/3.11.2.').facts!.events).toEqual([]);
  });

  it('an empty log or unrelated lines give no events (ok, not failed)', () => {
    expect(parseErrorLog('')).toEqual({ status: 'ok', facts: { events: [], occurrences: {} } });
    expect(parseErrorLog('[Mon Dec 07 05:59:36.1 2026] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 configured -- resuming normal operations').facts!.events).toEqual([]);
  });
});

describe('mod_wsgi 6 error codes', () => {
  it('takes a catalogued code from the published example line: crit is critical', () => {
    const e = parseErrorLog(DOCS_WSGI0001).facts!.events[0];
    expect(e).toMatchObject({ id: 'WSGI0001', severity: 'critical' });
    expect(e.message).toContain('WSGIPythonHome');
  });

  it.each([
    ['alert', 'WSGI0003', 'critical', 'chroot'],
    ['crit', 'WSGI0028', 'critical', 'python-home='],
    ['error', 'WSGI0084', 'warning', 'threads='],
    ['warn', 'WSGI0079', 'info', 'C.UTF-8'],
  ])('tier %s (%s) is %s, with the catalogue action', (level, code, severity, action) => {
    const line = `[Mon Dec 07 05:59:36.1 2026] [wsgi:${level}] [pid 1] ${code}: text`;
    const e = parseErrorLog(line).facts!.events[0];
    expect(WSGI_ERROR_CODES[code].tier).toBe(level);
    expect(e).toMatchObject({ id: code, severity });
    expect(e.message).toContain(action);
  });

  it('an uncatalogued code still becomes a finding, as loud as the level it was logged at', () => {
    expect(parseErrorLog('[Mon Dec 07 05:59:36.1 2026] [wsgi:alert] [pid 1] WSGI0999: new').facts!.events[0]).toMatchObject({ id: 'WSGI0999', severity: 'critical' });
    expect(parseErrorLog('[Mon Dec 07 05:59:36.1 2026] [wsgi:warn] [pid 1] WSGI0998: new').facts!.events[0]).toMatchObject({ severity: 'info' });
  });

  it('every catalogued tier maps to a severity', () => {
    for (const entry of Object.values(WSGI_ERROR_CODES)) expect(TIER_SEVERITY[entry.tier]).toBeDefined();
  });
});
