/**
 * The guide's accept mutex on the real Apache + mod_wsgi of two Debian releases: the mechanisms
 * the release's Apache and mod_wsgi list for a deliberately invalid value, the mechanism in
 * effect for Apache's children (event takes none; prefork and worker APR's default, or what a
 * Mutex … mpm-accept sets) and for mod_wsgi's daemon groups (APR's default, or WSGIAcceptMutex),
 * the report's summary of it (with the architecture and APR/APR-UTIL loaded vs compiled, each
 * command's own output, the shared configuration dump once), and an AcceptMutex written into the
 * 2.4 configuration, which stops Apache starting: a critical finding with the fix, and the
 * configuration test in the report.
 */
import { directiveMechanism } from '@driftwatch/checks';
import { CollectorHarness } from '../support/collector-harness';
import { ReleaseHost } from './releases/release-host';
import { Release } from './releases/release-roots';
import { ScannedHost, startScannedHost } from './releases/scanned-host';

jest.setTimeout(1_200_000);

const MATRIX: { release: Release; address: string }[] = [
  { release: 'bookworm', address: '127.0.44.1' },
  { release: 'trixie', address: '127.0.44.2' },
];

const CONF = '/etc/apache2/conf-enabled/driftwatch-mutex.conf';

/** The mechanisms an `httpd -t` error lists, read here with a plain regex, apart from the parser. */
function listedBy(text: string, intro: RegExp): string[] {
  const m = intro.exec(text.replace(/\\\n\s*/g, ''));
  if (!m) throw new Error(`no list in: ${text}`);
  return m[1].split(',').map((w) => w.trim().replace(/^'|'$|\.$|\)$/g, '').replace(/'$/, '').replace(/:.*$/, ''));
}

/** Stops Apache, switches the MPM with a2dismod/a2enmod, and starts it again (a MPM change needs a full restart). */
async function switchMpm(host: ReleaseHost, from: string, to: string): Promise<void> {
  await host.sh(`. /etc/apache2/envvars; apache2ctl stop >/dev/null 2>&1; while [ -e /run/apache2/apache2.pid ]; do sleep 0.1; done; a2dismod -q mpm_${from} >/dev/null && a2enmod -q mpm_${to} >/dev/null`);
  await host.sh('. /etc/apache2/envvars && apache2ctl start </dev/null >/var/log/apache2/start.log 2>&1');
  expect(await host.sh('kill -0 "$(cat /run/apache2/apache2.pid)" && echo running')).toBe('running\n');
}

interface ReportPart {
  name: string;
  command: string | null;
  text: string;
  sameAs?: string;
}

describe.each(MATRIX)('the accept mutex on $release', ({ release, address }) => {
  let scanned: ScannedHost;
  let c: CollectorHarness;
  let host: ReleaseHost;
  const scan = async () => (await scanned.scan(), scanned.latest());

  beforeAll(async () => {
    scanned = await startScannedHost({ name: release, release, address });
    ({ host, collector: c } = scanned);
  });

  afterAll(() => scanned?.stop());

  it("lists the release's mechanisms; on the event MPM the children take no accept mutex, the daemon groups APR's default", async () => {
    const mutexError = await host.sh(`. /etc/apache2/envvars; apache2 -t -C 'Mutex dw-invalid' 2>&1 || true`);
    const wsgiError = await host.sh(`. /etc/apache2/envvars; apache2 -t -c 'WSGIAcceptMutex dw-invalid' 2>&1 || true`);
    const firstUse = /-D APR_USE_(\w+?)_SERIALIZE/.exec(await host.sh('. /etc/apache2/envvars; apache2 -V'))![1];
    // The release's own event MPM registers no mpm-accept mutex: Apache refuses one.
    const eventTest = await host.sh(`. /etc/apache2/envvars; apache2 -t -c 'Mutex flock mpm-accept' 2>&1 || true`);
    expect(eventTest).toContain('Mutex type mpm-accept is not valid');
    const facts = (await scan()).checks['apache.mutex'].facts;

    expect(facts.acceptDirective).toBe('Mutex');
    expect(facts.listed).toEqual([
      { directive: 'Mutex', mechanisms: listedBy(mutexError, /\(Mutex mechanisms are:(.*)$/m), note: null },
      { directive: 'WSGIAcceptMutex', mechanisms: listedBy(wsgiError, /Valid accept mutex mechanisms for this platform are:(.*)$/m), note: null },
    ]);
    expect(facts.listed[0].mechanisms).toEqual(expect.arrayContaining(['default', 'flock', 'fcntl', 'sysvsem', 'posixsem']));
    expect(facts.mutexes.map((m: { name: string }) => m.name)).not.toContain('mpm-accept');
    expect(facts.apacheAccept).toMatchObject({ mechanism: 'none', from: 'MPM' });
    expect(facts.wsgiAccept).toEqual({ mechanism: directiveMechanism(firstUse), from: 'APR default' });
    process.stdout.write(`${release}: Mutex lists ${facts.listed[0].mechanisms.join(' ')}; WSGIAcceptMutex lists ${facts.listed[1].mechanisms.join(' ')}; APR default ${firstUse}\n`);
  });

  it("the report: architecture, APR and APR-UTIL loaded vs compiled and the accept mutex in the summary; each command's own output, the configuration dump once", async () => {
    const v = await host.sh('. /etc/apache2/envvars; apache2 -V');
    const firstUse = /-D APR_USE_(\w+?)_SERIALIZE/.exec(v)![1];
    const loaded = /^Server loaded:\s+APR ([\d.]+), APR-UTIL ([\d.]+)/m.exec(v)!;
    const compiled = /^Compiled using:\s+APR ([\d.]+), APR-UTIL ([\d.]+)/m.exec(v)!;
    const report = (await c.http().get(`/api/v1/hosts/${release}/report?format=json`).expect(200)).body;
    const rows = Object.fromEntries(report.summary.rows.map((r: { label: string; value: string }) => [r.label, r.value]));
    process.stdout.write(`${release} report summary: ${JSON.stringify(rows)}\n`);
    expect(rows).toMatchObject({
      Architecture: /^Architecture:\s+(\S+)/m.exec(v)![1],
      APR: `loaded ${loaded[1]}, compiled ${compiled[1]}${loaded[1] === compiled[1] ? '' : ' (differ)'}`,
      'APR-UTIL': `loaded ${loaded[2]}, compiled ${compiled[2]}${loaded[2] === compiled[2] ? '' : ' (differ)'}`,
      'Accept mutex': `Apache children none (this MPM registers no mpm-accept mutex (only prefork and worker serialise accept; event does not)); mod_wsgi daemon groups ${directiveMechanism(firstUse)} (APR default)`,
    });
    expect(report.summary.rows.every((r: { label: string; known: boolean }) => r.known || r.label === 'Python' || r.label === 'mod_wsgi')).toBe(true);

    // Each command's output as it printed it: no part carries the probe's framing.
    const checks = report.checks as { id: string; parts: ReportPart[] }[];
    const parts = checks.flatMap((check) => check.parts.map((part) => ({ check: check.id, ...part })));
    expect(parts.length).toBeGreaterThan(0);
    for (const part of parts) expect(part.text).not.toMatch(/^--- dw:/m);
    const mutexList = parts.find((p) => p.name === 'mutex-list')!;
    expect(mutexList.command).toContain("-t -C 'Mutex dw-invalid'");
    expect(mutexList.text).toBe((await host.sh(`. /etc/apache2/envvars; apache2ctl -t -C 'Mutex dw-invalid' 2>&1 || true`)).replace(/\n$/, ''));

    // The configuration dump several checks read is shown once; the others refer to it.
    const dumps = parts.filter((p) => p.command?.includes('-D DUMP_RUN_CFG'));
    expect(dumps.length).toBeGreaterThanOrEqual(3);
    const shown = dumps.filter((p) => p.sameAs === undefined);
    expect(shown).toHaveLength(1);
    for (const p of dumps) if (p !== shown[0]) expect(p.sameAs).toBe(shown[0].check);
    const markdown = (await c.http().get(`/api/v1/hosts/${release}/report`).expect(200)).text as string;
    expect(markdown).not.toMatch(/^--- dw:/m);
    const dumpLine = shown[0].text.split('\n').find((l) => l.startsWith('ServerRoot:'))!;
    expect(markdown.split('\n').filter((l) => l === dumpLine)).toHaveLength(1);
    expect(markdown).toContain(`the same output as in check`);
  });

  it('prefork: APR default for the children, then Mutex … mpm-accept for them and WSGIAcceptMutex for the daemon groups, with Apache running', async () => {
    await switchMpm(host, 'event', 'prefork');
    const firstUse = /-D APR_USE_(\w+?)_SERIALIZE/.exec(await host.sh('. /etc/apache2/envvars; apache2 -V'))![1];
    let facts = (await scan()).checks['apache.mutex'].facts;
    expect(facts.mutexes).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'mpm-accept', usingDefaults: true })]));
    expect(facts.apacheAccept).toEqual({ mechanism: directiveMechanism(firstUse), from: 'APR default' });
    expect(facts.wsgiAccept).toEqual({ mechanism: directiveMechanism(firstUse), from: 'APR default' });

    await host.sh(`printf '%s\\n' 'Mutex flock:\${APACHE_LOCK_DIR} mpm-accept' 'WSGIAcceptMutex fcntl' > ${CONF}`);
    expect(await host.sh(`. /etc/apache2/envvars; apache2ctl -t 2>&1`)).toContain('Syntax OK');
    await host.restartApache();
    expect(await host.sh('kill -0 "$(cat /run/apache2/apache2.pid)" && echo running')).toBe('running\n');
    facts = (await scan()).checks['apache.mutex'].facts;
    expect(facts.mutexes).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'mpm-accept', mechanism: 'flock', dir: '/var/lock/apache2' })]));
    expect(facts.apacheAccept).toEqual({ mechanism: 'flock', from: 'Mutex mpm-accept' });
    expect(facts.wsgiAccept).toEqual({ mechanism: 'fcntl', from: 'WSGIAcceptMutex' });
  });

  it('worker: Mutex sysvsem mpm-accept for the children; without WSGIAcceptMutex the daemon groups keep APR default', async () => {
    await host.sh(`printf '%s\\n' 'Mutex sysvsem mpm-accept' > ${CONF}`);
    await switchMpm(host, 'prefork', 'worker');
    const firstUse = /-D APR_USE_(\w+?)_SERIALIZE/.exec(await host.sh('. /etc/apache2/envvars; apache2 -V'))![1];
    const latest = await scan();
    expect(latest.checks['apache.build'].facts.mpm).toBe('worker');
    const facts = latest.checks['apache.mutex'].facts;
    expect(facts.mutexes).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'mpm-accept', mechanism: 'sysvsem' })]));
    expect(facts.apacheAccept).toEqual({ mechanism: 'sysvsem', from: 'Mutex mpm-accept' });
    expect(facts.wsgiAccept).toEqual({ mechanism: directiveMechanism(firstUse), from: 'APR default' });
    expect(latest.findings.map((f: { id: string }) => f.id)).not.toContain('accept-mutex-deprecated');
  });

  it('reports AcceptMutex on 2.4 as critical: Apache refuses to start; the fix and the configuration test are in the report', async () => {
    await host.sh('. /etc/apache2/envvars; apache2ctl stop >/dev/null 2>&1; while [ -e /run/apache2/apache2.pid ]; do sleep 0.1; done');
    await host.sh(`printf '%s\\n' 'AcceptMutex flock' > ${CONF}`);
    const test = await host.sh(`. /etc/apache2/envvars; apache2ctl -t 2>&1; echo "rc=$?"`);
    expect(test).toContain("Invalid command 'AcceptMutex'");
    expect(test).toContain('rc=1');
    const start = await host.sh(`. /etc/apache2/envvars; apache2ctl start 2>&1; echo "rc=$?"; if test -e /run/apache2/apache2.pid; then echo pidfile; fi`);
    expect(start).toMatch(/rc=[1-9]/);
    expect(start).not.toContain('pidfile');

    const latest = await scan();
    const finding = latest.findings.find((f: { id: string }) => f.id === 'accept-mutex-deprecated')!;
    expect(finding).toMatchObject({ severity: 'critical', checkId: 'apache.mutex' });
    expect(finding.message).toContain(`does not start with AcceptMutex (line 1 of ${CONF})`);
    expect(finding.message).toContain(`The configuration test says: "Invalid command 'AcceptMutex'`);
    expect(finding.message).toContain('replace "AcceptMutex flock" with "Mutex flock mpm-accept"');
    expect(finding.message).toContain('"WSGIAcceptMutex flock"');

    const report = (await c.http().get(`/api/v1/hosts/${release}/report`).expect(200)).text as string;
    expect(report).toContain('| critical | accept-mutex-deprecated | apache.mutex |');
    expect(report).toContain(`AH00526: Syntax error on line 1 of ${CONF}:\nInvalid command 'AcceptMutex'`);
    expect(report).not.toMatch(/^--- dw:/m);
    process.stdout.write(`${release}: ${finding.message}\n`);
  });
});
