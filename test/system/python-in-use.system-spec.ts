/**
 * The Python in use, on a real Debian 12 host (packaged apache2 + libapache2-mod-wsgi-py3, the
 * diagnostic app of apps/collector/assets) broken for real inside its overlay, one way at a time:
 * (a) healthy daemon mode (processes=2 threads=4 display-name=%{GROUP}): the running daemon
 *     processes, their threads and the libpython mapped in them (sudo), unknown without sudo;
 * (b) processes=/threads= changed without a restart: the running counts disagree;
 * (c) WSGIDaemonProcess defined but no WSGIProcessGroup: the group serves nothing, the app is embedded;
 * (d) python-home= a directory that does not exist;
 * (e) python-home= a virtual environment that Apache's user cannot read (chmod 700);
 * (f) python-home= a virtual environment whose pyvenv.cfg is of another Python version;
 * (g) python-home= a copy of the standard library without json: the app answers with sys alone;
 * (h) mod_python loaded beside mod_wsgi.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellQuote } from '@driftwatch/checks';
import { ClientKey, generateClientKey } from '@driftwatch/lab';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { ReleaseHost } from './releases/release-host';
import { releaseRoot } from './releases/release-roots';

jest.setTimeout(1_200_000);

const NAME = 'python-1';
const ADDRESS = '127.0.43.1';
const DIAG = `http://${ADDRESS}:8080/__driftwatch/diag`;
const LIBPYTHON = '/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0';
const APP = readFileSync(join(__dirname, '../../apps/collector/assets/driftwatch_diag.py'), 'utf8');

interface Finding {
  id: string;
  severity: string;
  message: string;
}

/** The site: the diagnostic app, delegated to daemon group diag unless `delegate` is false. */
function site(daemon: string | null, delegate = true): string {
  return [
    `<VirtualHost ${ADDRESS}:8080>`,
    `    ServerName ${ADDRESS}`,
    ...(daemon ? [`    WSGIDaemonProcess diag ${daemon}`, ...(delegate ? ['    WSGIProcessGroup diag'] : [])] : []),
    '    WSGIApplicationGroup %{GLOBAL}',
    '    WSGIScriptAlias /__driftwatch/diag /var/www/driftwatch/driftwatch_diag.py',
    '    <Directory /var/www/driftwatch>',
    '        Require local',
    '    </Directory>',
    '</VirtualHost>',
    '',
  ].join('\n');
}

describe('the Python in use, without mounting anything', () => {
  let work: string;
  let key: ClientKey;
  let c: CollectorHarness;
  let host: ReleaseHost;

  const configure = async (text: string, restart = true) => {
    await host.sh(`printf '%s' ${shellQuote(text)} > /etc/apache2/sites-enabled/python.conf`);
    if (restart) await host.restartApache();
  };

  const scan = async () => {
    const outcome = (await c.http().post(`/api/v1/hosts/${NAME}/scan`).expect(200)).body;
    expect(outcome.status).toMatch(/^(ok|partial)$/);
    const latest = (await c.http().get(`/api/v1/hosts/${NAME}/snapshots/latest`).expect(200)).body;
    const findings = latest.findings as Finding[];
    return {
      check: (id: string) => latest.checks[id] as { status: string; reason?: string; facts: Record<string, any> },
      finding: (id: string) => findings.find((f) => f.id === id),
      all: (id: string) => findings.filter((f) => f.id === id),
      ids: findings.map((f) => f.id),
    };
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'driftwatch-python-'));
    key = generateClientKey();
    const root = await releaseRoot('bookworm');
    host = await ReleaseHost.start({ name: NAME, release: 'bookworm', root: root.dir, address: ADDRESS, user: 'ops', publicKey: key.publicKey, dir: join(work, NAME) });
    // sudo for the login user (to read /proc/PID/maps), and mod_python for (h), inside the host's own overlay.
    const install = 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends sudo libapache2-mod-python >/tmp/apt.log 2>&1';
    await host.sh(`${install} || { apt-get update -q >/dev/null 2>&1 && ${install}; }`, 300_000);
    await host.sh(`printf 'ops ALL=(root) NOPASSWD: /bin/sh, /usr/bin/sh\\n' > /etc/sudoers.d/ops && chmod 0440 /etc/sudoers.d/ops && a2dismod -q python >/dev/null 2>&1; a2enmod -q wsgi >/dev/null`);
    await host.sh(`install -d /var/www/driftwatch && printf '%s' ${shellQuote(APP)} > /var/www/driftwatch/driftwatch_diag.py`);
    // A daemon group that cannot start keeps the diagnostic request waiting for mod_wsgi's connect-timeout (15 s) and curl's 20 s.
    c = await startCollector({ SSH_COMMAND_TIMEOUT_MS: '90000' });
    await c
      .http()
      .post('/api/v1/hosts')
      .send({ name: NAME, address: host.address, port: host.sshPort, username: 'ops', auth: { type: 'key', privateKeyPath: key.path }, sudo: true, overrides: { diagnosticUrl: DIAG } })
      .expect(201);
  });

  afterAll(async () => {
    await c?.close();
    await host?.stop();
    key?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('(a) healthy daemon mode: two (wsgi:diag) processes of 4 + 3 threads with libpython mapped; unknown without sudo', async () => {
    await configure(site('processes=2 threads=4 display-name=%{GROUP}'));
    const s = await scan();
    expect(s.check('python.runtime').facts).toMatchObject({ mode: 'daemon', processGroup: 'diag', multithread: true, multiprocess: true, python: { prefix: '/usr' }, diagErrors: {} });
    expect(s.check('python.processes').facts).toEqual({
      pidFile: '/var/run/apache2/apache2.pid',
      running: true,
      parentUser: 'root',
      // mod_wsgi writes the display name over argv[0], /usr/sbin/apache2: titles up to 17 characters.
      titleLength: 17,
      daemons: [{ command: '(wsgi:diag)', group: 'diag', count: 2, users: ['www-data'], threads: [7], libpython: [LIBPYTHON], pythonLib: expect.any(Array) }],
      children: { users: ['www-data'], threads: expect.any(Array), libpython: [LIBPYTHON], pythonLib: expect.any(Array) },
      childCount: expect.any(Number),
      mapsUnknown: null,
    });
    expect(s.check('python.home').facts).toEqual({ homes: [] });
    for (const id of ['daemon-process-count-mismatch', 'daemon-thread-count-mismatch', 'libpython-mapped-differs', 'libpython-outside-prefix', 'daemon-group-unused', 'embedded-not-daemon', 'stdlib-incomplete', 'wsgi-multithread-unexpected', 'wsgi-multiprocess-unexpected', 'mod-python-loaded']) {
      expect(s.finding(id)).toBeUndefined();
    }

    await c.http().patch(`/api/v1/hosts/${NAME}`).send({ sudo: false }).expect(200);
    const plain = await scan();
    await c.http().patch(`/api/v1/hosts/${NAME}`).send({ sudo: true }).expect(200);
    expect(plain.check('python.processes').facts).toMatchObject({ daemons: [{ group: 'diag', count: 2, threads: [7], libpython: null }], mapsUnknown: expect.stringContaining('scan the host with sudo') });
  });

  it('(b) processes=3 threads=8 written but Apache not restarted: the running counts disagree, restart fixes it', async () => {
    await configure(site('processes=3 threads=8 display-name=%{GROUP}'), false);
    const s = await scan();
    expect(s.finding('daemon-process-count-mismatch')).toMatchObject({ severity: 'warning', message: expect.stringContaining('runs 2 processes ((wsgi:diag)) but WSGIDaemonProcess diag says processes=3') });
    expect(s.finding('daemon-process-count-mismatch')!.message).toContain('apache2ctl graceful');
    expect(s.finding('daemon-thread-count-mismatch')).toMatchObject({ severity: 'warning', message: expect.stringContaining('run 7 threads, but threads=8') });
    // The answer came from the old processes: threads=4, processes=2 still agree with multithread/multiprocess True.
    await host.restartApache();
    const after = await scan();
    expect(after.check('python.processes').facts.daemons).toMatchObject([{ group: 'diag', count: 3, threads: [11] }]);
    expect(after.finding('daemon-process-count-mismatch')).toBeUndefined();
    expect(after.finding('daemon-thread-count-mismatch')).toBeUndefined();
  });

  it('(c) WSGIDaemonProcess without WSGIProcessGroup: the group is unused and the app runs embedded', async () => {
    await configure(site('processes=2 threads=4 display-name=%{GROUP}', false));
    const s = await scan();
    expect(s.check('python.runtime').facts).toMatchObject({ mode: 'embedded', processGroup: '' });
    expect(s.finding('daemon-group-unused')).toMatchObject({ severity: 'warning', message: expect.stringContaining('Add "WSGIProcessGroup diag"') });
    expect(s.finding('embedded-not-daemon')).toMatchObject({ severity: 'warning', message: expect.stringContaining('WSGIProcessGroup NAME') });
    // Its processes still run, idle: the count agrees with processes=2.
    expect(s.check('python.processes').facts.daemons).toMatchObject([{ group: 'diag', count: 2 }]);
    expect(s.finding('daemon-process-count-mismatch')).toBeUndefined();
  });

  it('(d) python-home= a directory that does not exist', async () => {
    await configure(site('processes=2 threads=4 display-name=%{GROUP} python-home=/opt/nowhere'));
    const s = await scan();
    expect(s.check('python.home').facts.homes).toMatchObject([{ path: '/opt/nowhere', setBy: 'WSGIDaemonProcess diag', user: 'www-data', exists: false, directory: false }]);
    expect(s.finding('python-home-missing')).toMatchObject({ severity: 'critical', message: expect.stringContaining('python-home=/opt/nowhere of WSGIDaemonProcess diag does not exist') });
    expect(s.finding('python-home-missing')!.message).toContain('sys.prefix of the Python mod_wsgi was built for');
  });

  it('(e) python-home= a virtual environment Apache cannot read (chmod 700): the walk names where www-data is stopped', async () => {
    await host.sh('python3 -m venv --without-pip /opt/venv');
    await configure(site('processes=2 threads=4 display-name=%{GROUP} python-home=/opt/venv'));
    const ok = await scan();
    expect(ok.check('python.runtime').facts.python).toMatchObject({ prefix: '/opt/venv', basePrefix: '/usr' });
    expect(ok.check('python.home').facts.homes).toMatchObject([{ path: '/opt/venv', exists: true, directory: true, libVersions: ['3.11'], venv: { version: expect.stringMatching(/^3\.11\./), home: '/usr/bin' }, access: { readable: true } }]);
    expect(ok.ids.filter((id) => id.startsWith('python-home-'))).toEqual([]);

    await host.sh('chmod 700 /opt/venv');
    await host.restartApache();
    const s = await scan();
    expect(s.check('python.home').facts.homes[0].access).toEqual({ readable: false, deniedAt: { path: '/opt/venv', mode: 'drwx------', uid: 0, gid: 0, acl: false }, unknown: null });
    expect(s.finding('python-home-unreadable')).toMatchObject({ severity: 'critical', message: expect.stringContaining('cannot be read by www-data (uid 33, gids 33)') });
    expect(s.finding('python-home-unreadable')!.message).toContain('chmod o+rx /opt/venv');
    await host.sh('chmod 755 /opt/venv');
  });

  it('(f) a virtual environment whose pyvenv.cfg is of another Python version', async () => {
    // What python3.9 -m venv leaves: version 3.9 in pyvenv.cfg, its packages under lib/python3.9.
    await host.sh("sed -i 's/^version = .*/version = 3.9.18/' /opt/venv/pyvenv.cfg && mv /opt/venv/lib/python3.11 /opt/venv/lib/python3.9");
    await host.restartApache();
    const s = await scan();
    expect(s.check('python.home').facts.homes).toMatchObject([{ path: '/opt/venv', libVersions: ['3.9'], venv: { version: '3.9.18', home: '/usr/bin' } }]);
    expect(s.finding('python-home-version-mismatch')).toMatchObject({ severity: 'critical', message: expect.stringContaining('made with Python 3.9.18') });
    expect(s.finding('python-home-version-mismatch')!.message).toContain('python3.11 -m venv /opt/venv');
  });

  it('(g) a Python home whose standard library lacks json: the diagnostic app answers with sys alone', async () => {
    await host.sh('install -d /opt/pyhome/lib && cp -a /usr/lib/python3.11 /opt/pyhome/lib/ && rm -rf /opt/pyhome/lib/python3.11/json');
    await configure(site('processes=2 threads=4 display-name=%{GROUP} python-home=/opt/pyhome'));
    const s = await scan();
    expect(s.check('python.runtime').facts).toMatchObject({ mode: 'daemon', python: { prefix: '/opt/pyhome', version: '3.11.2' }, diagErrors: { json: expect.stringContaining('json') } });
    expect(s.finding('stdlib-incomplete')).toMatchObject({ severity: 'critical', message: expect.stringContaining('answered with sys alone: importing json failed') });
    expect(s.check('python.home').facts.homes).toMatchObject([{ path: '/opt/pyhome', libVersions: ['3.11'], stdlibMissing: ['json'], venv: null }]);
    expect(s.finding('python-home-stdlib-incomplete')).toMatchObject({ severity: 'critical', message: expect.stringContaining('without json') });
    // libpython of /usr runs with the standard library copied to /opt/pyhome: the guide's /usr vs /usr/local case.
    expect(s.finding('libpython-outside-prefix')).toMatchObject({ severity: 'warning', message: expect.stringContaining(`libpython is ${LIBPYTHON} (mapped in the processes serving it) but the application runs with sys.prefix /opt/pyhome`) });
  });

  it('(h) mod_python loaded beside mod_wsgi: the configuration test passes, Apache does not start', async () => {
    await configure(site('processes=2 threads=4 display-name=%{GROUP}'), false);
    await host.sh('a2enmod -q python >/dev/null');
    expect(await host.sh('. /etc/apache2/envvars; apache2ctl -t 2>&1')).toContain('Syntax OK');
    await expect(host.restartApache()).rejects.toThrow(/apache2ctl start/);
    expect(await host.sh('tail -n 5 /var/log/apache2/error.log')).toContain('The mod_python module can not be used in conjunction with mod_wsgi 4.0+');
    const s = await scan();
    expect(s.check('python.config').facts).toMatchObject({ modPython: '/usr/lib/apache2/modules/mod_python.so' });
    expect(s.finding('mod-python-loaded')).toMatchObject({ severity: 'critical', message: expect.stringContaining('a2dismod python') });
    expect(s.check('python.processes')).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('Apache is not running') });
    await host.sh('a2dismod -q python >/dev/null');
    await host.restartApache();
  });
});
