/**
 * The guide's accept mutex on the real Apache + mod_wsgi of two Debian releases: the mechanisms
 * the release's Apache and mod_wsgi list for a deliberately invalid value, the mechanism in
 * effect for Apache's children and mod_wsgi's daemon groups by default, with a Mutex directive
 * and with WSGIAcceptMutex, and an AcceptMutex written into the 2.4 configuration, which stops
 * Apache starting: a critical finding with the fix, and the configuration test in the report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directiveMechanism } from '@driftwatch/checks';
import { ClientKey, generateClientKey } from '@driftwatch/lab';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { ReleaseHost } from './releases/release-host';
import { Release, releaseRoot } from './releases/release-roots';

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

describe.each(MATRIX)('the accept mutex on $release', ({ release, address }) => {
  let work: string;
  let key: ClientKey;
  let c: CollectorHarness;
  let host: ReleaseHost;

  const scan = async () => {
    await c.http().post(`/api/v1/hosts/${release}/scan`).expect(200);
    return (await c.http().get(`/api/v1/hosts/${release}/snapshots/latest`).expect(200)).body;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), `driftwatch-mutex-${release}-`));
    key = generateClientKey();
    const root = await releaseRoot(release);
    host = await ReleaseHost.start({ name: release, release, root: root.dir, address, user: 'ops', publicKey: key.publicKey, dir: join(work, release) });
    c = await startCollector();
    await c
      .http()
      .post('/api/v1/hosts')
      .send({ name: release, address: host.address, port: host.sshPort, username: 'ops', auth: { type: 'key', privateKeyPath: key.path } })
      .expect(201);
  });

  afterAll(async () => {
    await c?.close();
    await host?.stop();
    key?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

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

  it('prefork: APR default for the children, then Mutex … mpm-accept for them and WSGIAcceptMutex for the daemon groups, with Apache running', async () => {
    await host.sh(`. /etc/apache2/envvars; apache2ctl stop >/dev/null 2>&1; while [ -e /run/apache2/apache2.pid ]; do sleep 0.1; done; a2dismod -q mpm_event >/dev/null && a2enmod -q mpm_prefork >/dev/null`);
    await host.sh('. /etc/apache2/envvars && apache2ctl start </dev/null >/var/log/apache2/start.log 2>&1');
    const firstUse = /-D APR_USE_(\w+?)_SERIALIZE/.exec(await host.sh('. /etc/apache2/envvars; apache2 -V'))![1];
    let facts = (await scan()).checks['apache.mutex'].facts;
    expect(facts.mutexes).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'mpm-accept', usingDefaults: true })]));
    expect(facts.apacheAccept).toEqual({ mechanism: directiveMechanism(firstUse), from: 'APR default' });

    await host.sh(`printf '%s\\n' 'Mutex flock:\${APACHE_LOCK_DIR} mpm-accept' 'WSGIAcceptMutex fcntl' > ${CONF}`);
    expect(await host.sh(`. /etc/apache2/envvars; apache2ctl -t 2>&1`)).toContain('Syntax OK');
    await host.restartApache();
    expect(await host.sh('kill -0 "$(cat /run/apache2/apache2.pid)" && echo running')).toBe('running\n');
    facts = (await scan()).checks['apache.mutex'].facts;
    expect(facts.mutexes).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'mpm-accept', mechanism: 'flock', dir: '/var/lock/apache2' })]));
    expect(facts.apacheAccept).toEqual({ mechanism: 'flock', from: 'Mutex mpm-accept' });
    expect(facts.wsgiAccept).toEqual({ mechanism: 'fcntl', from: 'WSGIAcceptMutex' });
  });

  it('reports AcceptMutex on 2.4 as critical: Apache refuses to start; the fix and the configuration test are in the report', async () => {
    await host.sh('. /etc/apache2/envvars; apache2ctl stop >/dev/null 2>&1; while [ -e /run/apache2/apache2.pid ]; do sleep 0.1; done');
    await host.sh(`printf '%s\\n' 'AcceptMutex flock' > ${CONF}`);
    const test = await host.sh(`. /etc/apache2/envvars; apache2ctl -t 2>&1; echo "rc=$?"`);
    expect(test).toContain("Invalid command 'AcceptMutex'");
    expect(test).toContain('rc=1');
    const start = await host.sh(`. /etc/apache2/envvars; apache2ctl start 2>&1; echo "rc=$?"; test -e /run/apache2/apache2.pid && echo pidfile`);
    expect(start).toMatch(/rc=[1-9]/);
    expect(start).not.toContain('pidfile');

    const latest = await scan();
    const finding = latest.findings.find((f: { id: string }) => f.id === 'accept-mutex-deprecated');
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
