/**
 * Several Apache servers on one real host: a bookworm host (express root flavour: Debian's
 * apache2 + libapache2-mod-wsgi-py3 as the main server, and a real mod_wsgi-express 5.0.2 built
 * from mod_wsgi's source tree and pip-installed into /opt/express-venv) scanned as its login user
 * through the collector's REST API, while
 * (a) the login user runs `mod_wsgi-express setup-server` and its generated apachectl start: the
 *     express server is found as an instance (server root /tmp/mod_wsgi-ADDRESS:PORT:UID), checked
 *     with its own -f, -D MOD_WSGI_* defines and environment: its MPM, modules, the pip-installed
 *     module from its LoadModule, that module's libpython and its Python home (the venv);
 * (b) root runs a second plain `apache2 -f /etc/apache2/other.conf`: an instance too;
 * and the main Apache's checks do not change because of either;
 * (c) the express module's libpython is replaced by a missing soname (patchelf on disk, the
 *     running server untouched): the instance's finding, the main server's none;
 * (d) the express server stops (its owner kills it by its pid file): its instance is `removed` drift.
 * Loopback addresses 127.0.46.1-127.0.46.9 only.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from '@driftwatch/checks';
import { ScannedHost, startScannedHost } from './releases/scanned-host';
import { EXPRESS } from './releases/release-roots';

jest.setTimeout(1_200_000);

const ADDRESS = '127.0.46.1';
const EXPRESS_PORT = 8046;
const OTHER_PORT = 8047;
const VENV = '/opt/express-venv';
const MODULE = `${VENV}/lib/python3.11/site-packages/mod_wsgi/server/mod_wsgi-py311.cpython-311-x86_64-linux-gnu.so`;
const OTHER_CONF = '/etc/apache2/other.conf';
const MAIN_CHECKS = ['apache.build', 'apache.compiled', 'apache.modules', 'modwsgi.linkage', 'python.config', 'python.home'];

interface Change {
  path: string;
  kind: string;
  severity: string;
  before: any;
  after: any;
}

describe('every running Apache server of a real host is an instance: mod_wsgi-express and a second apache2 -f', () => {
  let h: ScannedHost;
  let serverRoot: string;
  const asOps = (script: string) => h.host.sh(`runuser -u ops -- /bin/sh -c ${shellQuote(script)}`, 120_000);
  const drift = async (): Promise<Change[]> => (await h.collector.http().get(`/api/v1/hosts/${h.name}/diff`).expect(200)).body.changes;
  const instance = (latest: Awaited<ReturnType<ScannedHost['latest']>>, id: string) => latest.checks['apache.instances'].facts.instances.find((i: { id: string }) => i.id === id);
  const mainFacts = (latest: Awaited<ReturnType<ScannedHost['latest']>>) => Object.fromEntries(MAIN_CHECKS.map((id) => [id, latest.checks[id]]));
  let baseline: Record<string, unknown>;
  /** With DRIFTWATCH_CAPTURE_DIR set, the scan's raw apache.instances section is written there (how the fixtures in test/fixtures/express were taken). */
  const capture = async (name: string, snapshotId: number) => {
    const dir = process.env.DRIFTWATCH_CAPTURE_DIR;
    if (!dir) return;
    const raw = (await h.collector.http().get(`/api/v1/snapshots/${snapshotId}/raw`).expect(200)).body as { sections: { id: string }[] };
    writeFileSync(join(dir, `apache.instances.${name}.section.json`), `${JSON.stringify(raw.sections.find((section) => section.id === 'apache.instances'), null, 2)}\n`);
  };

  beforeAll(async () => {
    h = await startScannedHost({ name: 'express-1', release: 'bookworm', address: ADDRESS, flavour: EXPRESS });
    const uid = (await h.host.sh('id -u ops')).trim();
    serverRoot = `/tmp/mod_wsgi-${ADDRESS}:${EXPRESS_PORT}:${uid}`;
    const first = await h.scan();
    expect(first.status).toMatch(/^(ok|partial)$/);
    const latest = await h.latest();
    expect(latest.checks['apache.instances']).toEqual({ status: 'ok', facts: { instances: [] } });
    baseline = mainFacts(latest);
  });

  afterAll(async () => {
    // The servers started here, by pid (their pid files), before the host itself.
    await h?.host.sh(`for f in ${shellQuote(`${serverRoot}/httpd.pid`)} /run/apache2-other/httpd.pid; do [ -f "$f" ] && kill "$(cat "$f")"; done; sleep 1; true`).catch(() => undefined);
    await h?.stop();
  });

  it('(a, b) finds the express server and the second apache2 as instances, each checked with its own configuration, and the main server is unchanged', async () => {
    await h.host.sh(
      [
        `printf '%s\\n' 'def application(environ, start_response):' '    start_response("200 OK", [("Content-Type", "text/plain")])' '    return [b"express\\n"]' > /home/ops/app.wsgi`,
        'chown ops:ops /home/ops/app.wsgi',
      ].join(' && '),
    );
    await asOps(`cd /home/ops && ${VENV}/bin/mod_wsgi-express setup-server app.wsgi --host ${ADDRESS} --port ${EXPRESS_PORT} >/dev/null && ${shellQuote(`${serverRoot}/apachectl`)} start`);
    await h.host.sh(
      [
        'install -d /run/apache2-other',
        `printf '%s\\n' ${[
          'ServerRoot /etc/apache2',
          'IncludeOptional mods-enabled/*.load',
          `Listen ${ADDRESS}:${OTHER_PORT}`,
          `ServerName ${ADDRESS}`,
          'DefaultRuntimeDir /run/apache2-other',
          'PidFile /run/apache2-other/httpd.pid',
          'ErrorLog /var/log/apache2/other-error.log',
          'TypesConfig /etc/mime.types',
          'User www-data',
          'Group www-data',
        ]
          .map(shellQuote)
          .join(' ')} > ${OTHER_CONF}`,
        `{ /usr/sbin/apache2 -f ${OTHER_CONF} -k start || { cat /var/log/apache2/other-error.log >&2; exit 1; }; }`,
      ].join(' && '),
    );
    expect(await h.host.sh(`curl -fsS http://${ADDRESS}:${EXPRESS_PORT}/`)).toBe('express\n');

    const outcome = await h.scan();
    await capture('running', outcome.snapshotId!);
    expect(outcome.changed).toBe(true);
    const latest = await h.latest();
    const ids = latest.checks['apache.instances'].facts.instances.map((i: { id: string }) => i.id);
    expect(ids).toEqual([OTHER_CONF, `${serverRoot}/httpd.conf`].sort());

    expect(instance(latest, `${serverRoot}/httpd.conf`)).toMatchObject({
      kind: 'mod_wsgi-express',
      binary: '/usr/sbin/apache2',
      // The login user scans its own server: /proc/PID/exe is readable.
      via: 'exe',
      expressRoot: serverRoot,
      configFile: `${serverRoot}/httpd.conf`,
      options: expect.arrayContaining([{ option: '-D', value: 'MOD_WSGI_MPM_ENABLE_EVENT_MODULE' }, { option: '-D', value: 'MOD_WSGI_KEEP_ALIVE' }]),
      skipped: null,
      build: { status: 'ok', facts: { mpm: 'event', defines: expect.objectContaining({ HTTPD_ROOT: '/etc/apache2' }) } },
      modules: { status: 'ok', facts: { wsgiLoaded: true } },
      linkage: { status: 'ok', facts: { path: MODULE, linkage: 'shared', libpython: { name: 'libpython3.11.so.1.0', version: '3.11', found: true, resolvedPath: expect.stringMatching(/\/libpython3\.11\.so\.1\.0$/) } } },
      pythonHome: { status: 'ok', facts: { homes: [expect.objectContaining({ path: VENV, setBy: 'WSGIPythonHome', exists: true, directory: true, venv: expect.objectContaining({ version: expect.stringMatching(/^3\.11\./) }) })] } },
    });
    // The express httpd.conf loads only what it needs: fewer modules than the main server.
    expect(instance(latest, `${serverRoot}/httpd.conf`).modules.facts.modules.length).toBeLessThan(latest.checks['apache.modules'].facts.modules.length);
    // Root's second server, seen by the login user: no exe, its command line.
    expect(instance(latest, OTHER_CONF)).toMatchObject({
      kind: 'apache',
      binary: '/usr/sbin/apache2',
      via: 'cmdline',
      configFile: OTHER_CONF,
      options: [],
      build: { status: 'ok', facts: { mpm: 'event' } },
      modules: { status: 'ok', facts: { wsgiLoaded: true } },
      linkage: { status: 'ok', facts: { path: '/usr/lib/apache2/modules/mod_wsgi.so' } },
    });
    expect(latest.findings.filter((f) => f.id.startsWith('instance-'))).toEqual([]);

    // The main Apache's checks are those of the scan before the other servers ran.
    expect(mainFacts(latest)).toEqual(baseline);
    expect(latest.checks['apache.build'].facts.discovery).toMatchObject({ discoveredBy: 'running', running: { binary: '/usr/sbin/apache2', configFile: null } });
    const changes = await drift();
    expect(changes.map((c) => `${c.kind} ${c.path} ${c.after?.id ?? ''}`).sort()).toEqual([`added apache.instances.instances ${OTHER_CONF}`, `added apache.instances.instances ${serverRoot}/httpd.conf`].sort());
    // No pid, no count of processes, nothing of one run: a rescan is the same state.
    expect(JSON.stringify(latest.checks['apache.instances'])).not.toMatch(/"(pid|ppid|processes)"/);
    expect((await h.scan()).changed).toBe(false);
  });

  it("(c) the express module's libpython replaced by a missing soname is the instance's finding, not the main server's", async () => {
    await h.host.sh(`patchelf --replace-needed libpython3.11.so.1.0 libpython3.11-driftwatch-missing.so.1.0 ${shellQuote(MODULE)}`);
    const outcome = await h.scan();
    await capture('libpython-missing', outcome.snapshotId!);
    expect(outcome.changed).toBe(true);
    const latest = await h.latest();
    expect(instance(latest, `${serverRoot}/httpd.conf`).linkage).toMatchObject({
      status: 'ok',
      facts: { path: MODULE, linkage: 'missing', needed: expect.arrayContaining(['libpython3.11-driftwatch-missing.so.1.0']), libpython: { name: 'libpython3.11-driftwatch-missing.so.1.0', found: false } },
    });
    const finding = latest.findings.find((f) => f.id === 'instance-libpython-not-found');
    expect(finding).toMatchObject({ severity: 'critical', checkId: 'apache.instances', message: expect.stringContaining(`mod_wsgi-express server ${serverRoot}`) });
    expect(latest.findings.map((f) => f.id)).not.toContain('libpython-not-found');
    expect(mainFacts(latest)).toEqual(baseline);
    const changes = await drift();
    expect(changes).toContainEqual(expect.objectContaining({ path: 'findings.instance-libpython-not-found', kind: 'added', severity: 'critical' }));
    expect(changes).toContainEqual(expect.objectContaining({ path: `apache.instances.instances[${serverRoot}/httpd.conf].linkage.facts.linkage`, kind: 'changed', before: 'shared', after: 'missing', severity: 'critical' }));
    expect(changes.filter((c) => !c.path.startsWith('apache.instances') && !c.path.startsWith('findings.instance-'))).toEqual([]);
  });

  it('(d) the express server stopped: its instance is removed, the other stays', async () => {
    // Its apachectl stop would parse the configuration first, and fail to load the broken module
    // (as it would for its owner): the owner ends it by its pid file.
    const pidFile = shellQuote(`${serverRoot}/httpd.pid`);
    await asOps(`kill "$(cat ${pidFile})"; i=0; while [ -e ${pidFile} ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done`);
    // Its daemon process may outlive the parent's pid file by its shutdown-timeout.
    for (let waited = 0; waited < 15_000; waited += 250) {
      const left = await h.host.sh(`ps -eo args | awk -v f=${shellQuote(`-f ${serverRoot}/httpd.conf`)} 'index($0, f) && !/awk/ { n++ } END { print n + 0 }'`);
      if (left.trim() === '0') break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const outcome = await h.scan();
    expect(outcome.changed).toBe(true);
    const latest = await h.latest();
    expect(latest.checks['apache.instances'].facts.instances.map((i: { id: string }) => i.id)).toEqual([OTHER_CONF]);
    const changes = await drift();
    expect(changes).toContainEqual(expect.objectContaining({ path: 'apache.instances.instances', kind: 'removed', before: expect.objectContaining({ id: `${serverRoot}/httpd.conf`, kind: 'mod_wsgi-express' }) }));
    // Its finding went with it.
    expect(changes).toContainEqual(expect.objectContaining({ path: 'findings.instance-libpython-not-found', kind: 'removed' }));
    expect(mainFacts(latest)).toEqual(baseline);
  });
});
