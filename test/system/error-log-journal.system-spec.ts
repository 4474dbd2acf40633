/**
 * The error log of a real Debian 12 host whose Apache logs to stderr and systemd's journal:
 * `ErrorLog /dev/stderr`, the host's own systemd-journald (journal root flavour) and Apache run
 * as the unit apache2.service is (release-host.ts, option `journal`: in the foreground, stderr a
 * pipe to systemd-cat, in a cgroup `…/system.slice/apache2.service`), so journald writes Apache's
 * own lines to /var/log/journal/<machine-id>/ with `_SYSTEMD_UNIT=apache2.service`. The probe
 * runs the host's real `journalctl -u apache2` over SSH as the login user (in group
 * systemd-journal). Real errors are made with curl inside the host: a request mapped to
 * `WSGIProcessGroup nosuchgroup`. The finding carries the time of its last occurrence, taken
 * from Apache's own `[time]` at the start of each line (`-o cat` prints the message, which
 * holds it); a rescan with no new lines, and the same error again, are no new state.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CollectorHarness } from '../support/collector-harness';
import { Occurrence, httpStatus, timeOf } from './error-log-lines';
import { ReleaseHost } from './releases/release-host';
import { JOURNAL } from './releases/release-roots';
import { ScannedHost, startScannedHost } from './releases/scanned-host';

jest.setTimeout(1_200_000);

const NAME = 'errorlog-journal-1';
const ADDRESS = '127.0.47.1';
const CONF = '/etc/apache2/conf-enabled/driftwatch-errors.conf';
const APP = '/var/www/dw/app.wsgi';
const JOURNAL_CAT = 'journalctl -u apache2 --no-pager -q -o cat';
const MISSING = "No WSGI daemon process called 'nosuchgroup' has been configured";

const APP_SOURCE = ['def application(environ, start_response):', "    start_response('200 OK', [('Content-Type', 'text/plain')])", "    return [b'ok\\n']"];

/** A daemon group for /ok, /missing mapped to a group nobody defined. */
const CONF_LINES = [
  'WSGIDaemonProcess dw-app processes=1 threads=2 display-name=%{GROUP}',
  ...['ok', 'missing'].map((p) => `WSGIScriptAlias /${p} ${APP}`),
  '<Location /ok>', '    WSGIProcessGroup dw-app', '</Location>',
  '<Location /missing>', '    WSGIProcessGroup nosuchgroup', '</Location>',
  '<Directory /var/www/dw>', '    Require all granted', '</Directory>',
];

describe("the systemd journal of a real host's Apache (ErrorLog /dev/stderr) with a real mod_wsgi error", () => {
  let scanned: ScannedHost;
  let host: ReleaseHost;
  let c: CollectorHarness;

  const get = (path: string) => httpStatus(host, ADDRESS, path);
  /** The unit's journal lines holding `text`, as root reads them. */
  const journalLines = async (text: string) => (await host.sh(`${JOURNAL_CAT} | grep -F ${JSON.stringify(text)} || true`)).split('\n').filter(Boolean);
  /** Waits until journald has stored `count` lines with `text`. */
  const logged = async (text: string, count = 1) => {
    for (let i = 0; i < 100; i++) {
      if ((await journalLines(text)).length >= count) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`"${text}" not in the journal ${count} times:\n${await host.sh(`${JOURNAL_CAT} | tail -n 30`)}`);
  };
  const errorlog = async () => (await scanned.latest()).checks['apache.errorlog'];
  const findings = async () => (await scanned.latest()).findings.filter((f) => f.checkId === 'apache.errorlog');
  const driftTotal = async () => (await c.http().get(`/api/v1/hosts/${NAME}/drift`).expect(200)).body.total as number;
  const diff = async () => (await c.http().get(`/api/v1/hosts/${NAME}/diff`).expect(200)).body.changes as { path: string; kind: string; severity: string }[];

  beforeAll(async () => {
    scanned = await startScannedHost({ name: NAME, release: 'bookworm', address: ADDRESS, flavour: JOURNAL, journal: true });
    ({ host, collector: c } = scanned);
    await host.sh(`install -d /var/www/dw && printf '%s\\n' ${APP_SOURCE.map((l) => `'${l.replace(/'/g, "'\\''")}'`).join(' ')} > ${APP}`);
    await host.sh(`printf '%s\\n' ${CONF_LINES.map((l) => `'${l}'`).join(' ')} > ${CONF}`);
    await host.sh("sed -i 's|^ErrorLog .*|ErrorLog /dev/stderr|' /etc/apache2/apache2.conf");
    expect(await host.sh('. /etc/apache2/envvars; apache2ctl -t 2>&1')).toContain('Syntax OK');
    await host.restartApache();
    expect(await get('/ok')).toBe('200');
  });

  afterAll(async () => {
    // The unit's journal as this host wrote it (test-artifacts is not committed).
    if (host) {
      const artifacts = join(__dirname, '../../test-artifacts');
      mkdirSync(artifacts, { recursive: true });
      writeFileSync(join(artifacts, 'error-log-journal-bookworm.txt'), await host.sh(JOURNAL_CAT).catch(() => ''));
    }
    await scanned?.stop();
  });

  it("a login user the journal shows none of the system's lines: unavailable with the fix, with or without a journal file of its own", async () => {
    // What the host's journalctl says to that user, on stderr, and nothing on stdout (-q: not even that).
    expect(await host.sh("su -s /bin/sh ops -c 'journalctl -u apache2 --no-pager -n 0' 2>&1 || true")).toContain('No journal files were opened due to insufficient permissions');
    expect(await host.sh("su -s /bin/sh ops -c 'journalctl -u apache2 --no-pager -q -o cat' 2>/dev/null || true")).toBe('');
    await scanned.scan();
    const denied = await errorlog();
    expect(denied.status).toBe('unavailable');
    expect(denied.reason).toContain('cannot read the system journal as ops (ops)');
    expect(denied.reason).toContain('add the user to group systemd-journal');

    // Something ops logs itself: journald gives it a user journal it may read, and journalctl a hint instead.
    await host.sh("su -s /bin/sh ops -c 'echo driftwatch-ops | systemd-cat -t ops'");
    for (let i = 0; i < 50 && !(await host.sh('ls /var/log/journal/$(cat /etc/machine-id)/')).includes('user-1000'); i++) await new Promise((r) => setTimeout(r, 200));
    expect(await host.sh("su -s /bin/sh ops -c 'journalctl --no-pager -n 0' 2>&1 || true")).toContain('not seeing messages from other users and the system');
    await scanned.scan();
    expect((await errorlog()).status).toBe('unavailable');

    // Debian's journal is readable by group systemd-journal (and adm through its ACL).
    await host.sh('usermod -aG systemd-journal ops');
  });

  it("Apache's stderr is in a real journal file as the unit apache2.service; the check reads it from there, and a healthy log has no findings", async () => {
    expect(await host.sh('. /etc/apache2/envvars; apache2ctl -t -D DUMP_RUN_CFG 2>/dev/null | grep "Main ErrorLog"')).toContain('Main ErrorLog: "/dev/stderr"');
    // journald's own file under the host's machine id, and Apache's own start line in it, stamped with the unit by journald.
    expect(await host.sh('ls /var/log/journal/$(cat /etc/machine-id)/')).toContain('system.journal');
    const started = await host.sh("journalctl _SYSTEMD_UNIT=apache2.service --no-pager -q -o export | grep -a -E '^(_SYSTEMD_UNIT|_TRANSPORT|MESSAGE)=' | grep -a -B2 'resuming normal operations' | tail -n 3");
    expect(started).toContain('_SYSTEMD_UNIT=apache2.service');
    expect(started).toContain('_TRANSPORT=stdout');
    expect(started).toMatch(/MESSAGE=\[\w{3} \w{3} .*\] \[mpm_event:notice\] .*AH00489: Apache\/2\.4\.\d+ \(Debian\) mod_wsgi\/4\.9\.4/);
    // Nothing went to the file.
    expect(await host.sh('grep -c AH00489 /var/log/apache2/error.log || true')).toBe('1\n');

    const outcome = await scanned.scan();
    expect(outcome.status).toBe('ok');
    const read = await errorlog();
    expect(read.status).toBe('ok');
    expect(read.facts).toMatchObject({ source: 'journal', path: 'apache2', limitBytes: 262_144, events: [], occurrences: {} });
    expect(read.facts.read.sizeBytes).toBeNull();
    // All of it: the unit's lines as journalctl prints them.
    expect(read.facts.read.bytes).toBeGreaterThanOrEqual(Buffer.byteLength(await host.sh(JOURNAL_CAT)) - 1);
    expect(await findings()).toEqual([]);
  });

  it('a group nobody defined: the typed finding with the fix and the time of its last occurrence, from the journal line', async () => {
    expect(await get('/missing')).toBe('500');
    await logged(MISSING);

    const outcome = await scanned.scan();
    expect(outcome).toMatchObject({ status: 'ok', changed: true });
    const [finding, ...others] = await findings();
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ id: 'errorlog-daemon-not-configured', severity: 'critical', message: expect.stringContaining('define the group with WSGIDaemonProcess') });
    expect(finding.message).toMatch(/^Error log \(apache2\): /);
    expect(finding.message).toContain('[nosuchgroup]');
    expect(finding.message).not.toMatch(/\d\d:\d\d:\d\d/);

    const [line] = await journalLines(MISSING);
    // `-o cat` prints the message; Apache's own time is its start.
    expect(line).toMatch(/^\[\w{3} \w{3} +\d+ \d\d:\d\d:\d\d\.\d{6} \d{4}\] \[wsgi:error\] /);
    const occurrences = (await errorlog()).facts.occurrences as Record<string, Occurrence>;
    expect(occurrences['daemon-not-configured']).toMatchObject({ count: 1, firstAt: timeOf(line), lastAt: timeOf(line), lastLine: line });
    expect((await diff()).map((ch) => [ch.path, ch.kind, ch.severity])).toEqual([['findings.errorlog-daemon-not-configured', 'added', 'critical']]);
  });

  it('a rescan with no new lines, then the same error again: no new state, no drift', async () => {
    const before = { snapshot: (await scanned.latest()).id, drift: await driftTotal() };
    expect(await scanned.scan()).toMatchObject({ status: 'ok', changed: false, snapshotId: before.snapshot });

    for (let i = 0; i < 3; i++) expect(await get('/missing')).toBe('500');
    await logged(MISSING, 4);
    const outcome = await scanned.scan();
    expect(outcome).toMatchObject({ status: 'ok', changed: false, snapshotId: before.snapshot });
    expect(await driftTotal()).toBe(before.drift);
    // Counted again, with the newest line's time.
    const lines = await journalLines(MISSING);
    const occurrences = (await errorlog()).facts.occurrences as Record<string, Occurrence>;
    expect(occurrences['daemon-not-configured']).toMatchObject({ count: 4, firstAt: timeOf(lines[0]), lastAt: timeOf(lines[3]), lastLine: lines[3] });
  });
});
