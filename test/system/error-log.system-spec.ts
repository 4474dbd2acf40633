/**
 * The Apache error log of a real Debian 12 host (packaged apache2 + libapache2-mod-wsgi-py3),
 * filled with real errors by requests made with curl to the host's own address:
 * - a request mapped to `WSGIProcessGroup nosuchgroup` (no such daemon group);
 * - a daemon process killed with SIGSEGV (Apache's "exit signal Segmentation fault");
 * - a daemon group whose socket-timeout= passes before the app answers;
 * - a daemon group whose python-home= Apache's user cannot enter (Python starts without its
 *   standard library);
 * - WSGISocketPrefix in a directory Apache's children cannot enter (Permission denied on the
 *   daemon's socket).
 * Each kind is one typed finding with the fix and the time of its last occurrence; the same
 * errors again are no new state and no drift; a new kind is drift on the finding ids only; the
 * host's errorLogBytes bounds what is read. The journal case (ErrorLog /dev/stderr, read with
 * journalctl from the host's own systemd-journald) is error-log-journal.system-spec.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CollectorHarness } from '../support/collector-harness';
import { Occurrence, httpStatus, timeOf } from './error-log-lines';
import { ReleaseHost } from './releases/release-host';
import { ScannedHost, startScannedHost } from './releases/scanned-host';

jest.setTimeout(1_200_000);

const NAME = 'errorlog-1';
const ADDRESS = '127.0.42.1';
const LOG = '/var/log/apache2/error.log';
const CONF = '/etc/apache2/conf-enabled/driftwatch-errors.conf';
const APP = '/var/www/dw/app.wsgi';

const APP_SOURCE = [
  'import time',
  'def application(environ, start_response):',
  "    where = environ.get('SCRIPT_NAME', '')",
  "    if where == '/slow':",
  '        time.sleep(6)',
  "    start_response('200 OK', [('Content-Type', 'text/plain')])",
  "    return [b'ok\\n']",
];

/** Daemon groups, the app at three URLs, /missing mapped to a group nobody defined. */
const BASE_CONF = [
  'WSGIDaemonProcess dw-app processes=1 threads=2 display-name=%{GROUP}',
  'WSGIDaemonProcess dw-slow processes=1 threads=2 socket-timeout=2',
  ...['ok', 'slow', 'missing'].map((p) => `WSGIScriptAlias /${p} ${APP}`),
  '<Location /ok>', '    WSGIProcessGroup dw-app', '</Location>',
  '<Location /slow>', '    WSGIProcessGroup dw-slow', '</Location>',
  '<Location /missing>', '    WSGIProcessGroup nosuchgroup', '</Location>',
  '<Directory /var/www/dw>', '    Require all granted', '</Directory>',
];

describe('the Apache error log of a real host with real mod_wsgi errors', () => {
  let scanned: ScannedHost;
  let host: ReleaseHost;
  let c: CollectorHarness;

  const get = (path: string) => httpStatus(host, ADDRESS, path);
  /** Waits until the log holds `count` lines with `text` (Apache logs a child's exit once it reaps it). */
  const logged = async (text: string, count = 1) => {
    for (let i = 0; i < 100; i++) {
      const n = Number((await host.sh(`grep -cF ${JSON.stringify(text)} ${LOG} || true`)).trim());
      if (n >= count) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`"${text}" not logged ${count} times:\n${await host.sh(`tail -n 30 ${LOG}`)}`);
  };
  /** Kills the daemon process of group dw-app (display name `(wsgi:dw-app)`) with SIGSEGV. */
  const segfaultDaemon = async () => {
    const pids = await host.sh(`for p in /proc/[0-9]*; do case "$(tr '\\0' ' ' < $p/cmdline 2>/dev/null)" in '(wsgi:dw-app)'*) echo \${p#/proc/} ;; esac; done`);
    expect(pids.trim()).toMatch(/^\d+$/);
    await host.sh(`kill -SEGV ${pids.trim()}`);
  };
  /** The last log line with `text`, read directly. */
  const lastLine = async (text: string) => (await host.sh(`grep -F ${JSON.stringify(text)} ${LOG} | tail -n 1`)).trim();
  const errorlog = async () => (await scanned.latest()).checks['apache.errorlog'];
  const findings = async () => (await scanned.latest()).findings.filter((f) => f.checkId === 'apache.errorlog');
  const driftTotal = async () => (await c.http().get(`/api/v1/hosts/${NAME}/drift`).expect(200)).body.total as number;
  const diff = async () => (await c.http().get(`/api/v1/hosts/${NAME}/diff`).expect(200)).body.changes as { path: string; kind: string; severity: string }[];
  const reconfigure = async (lines: string[]) => {
    await host.sh(`printf '%s\\n' ${lines.map((l) => `'${l}'`).join(' ')} > ${CONF}`);
    expect(await host.sh('. /etc/apache2/envvars; apache2ctl -t 2>&1')).toContain('Syntax OK');
    await host.restartApache().catch(async (error: Error) => {
      throw new Error(`${error.message}\nstart.log: ${await host.sh('cat /var/log/apache2/start.log')}\nerror.log: ${await host.sh(`tail -n 20 ${LOG}`)}`);
    });
  };

  beforeAll(async () => {
    scanned = await startScannedHost({ name: NAME, release: 'bookworm', address: ADDRESS });
    ({ host, collector: c } = scanned);
    await host.sh(`install -d /var/www/dw && printf '%s\\n' ${APP_SOURCE.map((l) => `'${l.replace(/'/g, "'\\''")}'`).join(' ')} > ${APP}`);
    await reconfigure(BASE_CONF);
    expect(await get('/ok')).toBe('200');
  });

  afterAll(async () => {
    // The log as this host wrote it, for a fixture of the parser (test-artifacts is not committed).
    if (host) {
      const artifacts = join(__dirname, '../../test-artifacts');
      mkdirSync(artifacts, { recursive: true });
      writeFileSync(join(artifacts, 'error-log-bookworm.txt'), await host.sh(`cat ${LOG}`).catch(() => ''));
    }
    await scanned?.stop();
  });

  it("a log the login user cannot read is unavailable with the fix; in the log's group it is read, and a healthy log has no findings", async () => {
    await scanned.scan();
    const denied = await errorlog();
    expect(denied.status).toBe('unavailable');
    expect(denied.reason).toContain(`cannot read the ErrorLog ${LOG} as ops`);
    expect(denied.reason).toContain("add the user to the log's group or register the host with sudo");
    expect(denied.reason).toContain('root:adm');

    await host.sh('usermod -aG adm ops');
    await scanned.scan();
    const read = await errorlog();
    expect(read.status).toBe('ok');
    expect(read.facts).toMatchObject({ source: 'file', path: LOG, limitBytes: 262_144, events: [], occurrences: {} });
    const size = Number((await host.sh(`wc -c < ${LOG}`)).trim());
    expect(read.facts.read.sizeBytes).toBe(size);
    // All of it (the part's framing takes the last newline).
    expect(read.facts.read.bytes).toBeGreaterThanOrEqual(size - 1);
  });

  it('a group nobody defined and a daemon killed by SIGSEGV: typed findings with the fix and the time of their last occurrence', async () => {
    expect(await get('/missing')).toBe('500');
    await segfaultDaemon();
    await logged('exit signal Segmentation fault');
    expect(await get('/ok')).toBe('200');

    const outcome = await scanned.scan();
    expect(outcome).toMatchObject({ status: 'ok', changed: true });
    const byId = Object.fromEntries((await findings()).map((f) => [f.id, f]));
    expect(Object.keys(byId).sort()).toEqual(['errorlog-daemon-not-configured', 'errorlog-daemon-segfault']);
    expect(byId['errorlog-daemon-not-configured']).toMatchObject({ severity: 'critical', message: expect.stringContaining('define the group with WSGIDaemonProcess') });
    expect(byId['errorlog-daemon-not-configured'].message).toContain('[nosuchgroup]');
    expect(byId['errorlog-daemon-segfault']).toMatchObject({ severity: 'critical', message: expect.stringContaining('WSGIApplicationGroup %{GLOBAL}') });
    for (const f of Object.values(byId)) expect(f.message).not.toMatch(/\d\d:\d\d:\d\d/);

    const occurrences = (await errorlog()).facts.occurrences as Record<string, Occurrence>;
    for (const [id, text] of [
      ['daemon-not-configured', "No WSGI daemon process called 'nosuchgroup' has been configured"],
      ['daemon-segfault', 'exit signal Segmentation fault'],
    ]) {
      const line = await lastLine(text);
      expect(occurrences[id]).toMatchObject({ count: 1, lastAt: timeOf(line), lastLine: line });
    }
    // The drift of this scan is the findings that appeared, nothing of the log's lines or times.
    expect((await diff()).map((ch) => [ch.path, ch.kind, ch.severity])).toEqual([
      ['findings.errorlog-daemon-not-configured', 'added', 'critical'],
      ['findings.errorlog-daemon-segfault', 'added', 'critical'],
    ]);
  });

  it('more of the same errors: no new state, no drift', async () => {
    const before = { snapshot: (await scanned.latest()).id, drift: await driftTotal() };
    for (let i = 0; i < 3; i++) expect(await get('/missing')).toBe('500');
    await segfaultDaemon();
    await logged('exit signal Segmentation fault', 2);
    expect(await host.sh(`grep -c 'nosuchgroup' ${LOG}`)).toBe('4\n');

    const outcome = await scanned.scan();
    expect(outcome).toMatchObject({ status: 'ok', changed: false, snapshotId: before.snapshot });
    expect(await driftTotal()).toBe(before.drift);
    // The state shows this scan's observation, not the first one's: counted again, with the newest time.
    const occurrences = (await errorlog()).facts.occurrences as Record<string, Occurrence>;
    expect(occurrences['daemon-not-configured']).toMatchObject({ count: 4, lastAt: timeOf(await lastLine("No WSGI daemon process called 'nosuchgroup'")) });
    expect(occurrences['daemon-segfault'].count).toBe(2);
  });

  it('a new kind of error (a response header timeout) is drift on the finding ids only', async () => {
    expect(await get('/slow')).toBe('504');
    await logged("Timeout when reading response headers from daemon process 'dw-slow'");

    const outcome = await scanned.scan();
    expect(outcome).toMatchObject({ status: 'ok', changed: true });
    expect((await diff()).map((ch) => [ch.path, ch.kind, ch.severity])).toEqual([['findings.errorlog-response-header-timeout', 'added', 'warning']]);
    const occurrences = (await errorlog()).facts.occurrences as Record<string, Occurrence>;
    // Every occurrence of this scan's log, counted: the earlier errors four and two times.
    expect(occurrences['daemon-not-configured'].count).toBe(4);
    expect(occurrences['daemon-segfault'].count).toBe(2);
    expect(occurrences['response-header-timeout'].lastAt).toBe(timeOf(await lastLine('Timeout when reading response headers')));
    const timeout = (await findings()).find((f) => f.id === 'errorlog-response-header-timeout')!;
    expect(timeout.message).toContain('socket-timeout=');
    expect(timeout.message).toContain('[dw-slow]');
  });

  it("python-home= Apache's user cannot enter: the Python home and the missing standard library", async () => {
    await host.sh('install -d -m 0700 /opt/dw-venv');
    await reconfigure([...BASE_CONF, 'WSGIDaemonProcess dw-nohome processes=1 threads=1 python-home=/opt/dw-venv']);
    // mod_wsgi 4.9.4's words for a home it cannot enter; older ones say "Unable to stat Python home".
    await logged('Python home /opt/dw-venv is not accessible');
    await logged("No module named 'encodings'");
    await reconfigure(BASE_CONF);

    await scanned.scan();
    const byId = Object.fromEntries((await findings()).map((f) => [f.id, f]));
    expect(byId['errorlog-python-home-inaccessible']).toMatchObject({ severity: 'critical', message: expect.stringContaining('[/opt/dw-venv]') });
    expect(byId['errorlog-python-home-inaccessible'].message).toContain("readable by Apache's user along the whole path");
    expect(byId['errorlog-no-encodings-module']).toMatchObject({ severity: 'critical', message: expect.stringContaining("No module named 'encodings'") });
    const occurrences = (await errorlog()).facts.occurrences as Record<string, Occurrence>;
    expect(occurrences['python-home-inaccessible'].lastAt).toBe(timeOf(await lastLine('Python home /opt/dw-venv is not accessible')));
    // Python's own lines carry no time: they take that of Apache's line before them.
    const before = await host.sh(`awk '/^\\[/ { t = $0 } /No module named .encodings./ { last = t } END { print last }' ${LOG}`);
    expect(occurrences['no-encodings-module'].lastAt).toBe(timeOf(before.trim()));
    expect((await diff()).filter((ch) => !ch.path.startsWith('findings.'))).toEqual([]);
  });

  it("WSGISocketPrefix in a directory Apache's children cannot enter: permission denied on the daemon's socket", async () => {
    await host.sh('install -d -m 0700 /var/lib/dw-sockets');
    await reconfigure(['WSGISocketPrefix /var/lib/dw-sockets/wsgi', ...BASE_CONF]);
    expect(await get('/ok')).toBe('503');
    await logged("Unable to connect to WSGI daemon process 'dw-app'");
    await reconfigure(BASE_CONF);
    expect(await get('/ok')).toBe('200');

    await scanned.scan();
    const denied = (await findings()).find((f) => f.id === 'errorlog-daemon-socket-denied')!;
    expect(denied).toMatchObject({ severity: 'critical', message: expect.stringContaining('WSGISocketPrefix') });
    expect(denied.message).toContain('[dw-app]');
    expect((await diff()).map((ch) => [ch.path, ch.kind])).toEqual([['findings.errorlog-daemon-socket-denied', 'added']]);
  });

  it("the host's errorLogBytes bounds what is read: errors before the last N bytes are not seen", async () => {
    const size = Number((await host.sh(`wc -c < ${LOG}`)).trim());
    const limit = 1024;
    expect(size).toBeGreaterThan(limit * 2);
    // The host's own tail of that size: the oldest errors are not in it.
    const tail = await host.sh(`tail -c ${limit} ${LOG}`);
    expect(tail).not.toContain('nosuchgroup');
    await c.http().patch(`/api/v1/hosts/${NAME}`).send({ overrides: { errorLogBytes: String(limit) } }).expect(200);

    await scanned.scan();
    const bounded = await errorlog();
    expect(bounded.facts.limitBytes).toBe(limit);
    expect(bounded.facts.read.bytes).toBeLessThanOrEqual(limit);
    expect(bounded.facts.read.sizeBytes).toBeGreaterThan(limit);
    expect((await findings()).map((f) => f.id)).not.toContain('errorlog-daemon-not-configured');

    // Seen again once it is logged again, within the bound.
    expect(await get('/missing')).toBe('500');
    await scanned.scan();
    expect((await findings()).map((f) => f.id)).toContain('errorlog-daemon-not-configured');
    expect((await errorlog()).facts.occurrences['daemon-not-configured'].count).toBe(1);
  });
});
