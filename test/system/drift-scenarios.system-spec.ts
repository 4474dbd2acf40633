/**
 * Drift scenarios against the real fleet, end to end: each scenario changes a real host (its
 * Apache configuration, modules, MPM, envvars, sshd or host key) as an admin would, scans it
 * through the collector's REST API, and asserts the exact drift events and findings.
 *
 * The hosts' histories build on each other, so the tests run in this order (numbers are the
 * scenarios of the drift test plan):
 *   a (event, daemon):      1 first scan, 2 rescan, 6 python-path= added, 6b a second one then
 *                           swapped, 5 daemon → embedded, 4 event → prefork, 8 mod_wsgi disabled
 *   b (prefork, embedded):  1, 2, 3 a2enmod headers, 7 LD_LIBRARY_PATH in envvars
 *   c (event, no mod_wsgi): 1, 2, 9 host key regenerated, 10 sshd stopped
 * A failed scenario leaves its host where it stopped, so the later ones on that host fail too:
 * read the first failure.
 *
 * Changes are compared whole (path, kind, before, after, category, severity), without the
 * human summary. `findings.<id>` changes carry the severity of the finding and the category of
 * the check it is about.
 */
import { CollectorHarness, startCollector } from '../support/collector-harness';
import {
  ChangeView,
  CollectorClient,
  ScanOutcome,
  LatestView,
  comparable,
  finding,
  sorted,
} from './drift/collector-client';
import { ENVVARS, MOD_WSGI_SO, SITE_CONF, hostTruth, sh } from './drift/host-truth';
import { DIAG_PROCESS_GROUP, RealFleet, RealHost, startRealFleet } from './fleet/real-fleet';

/** Where scenario 6 points python-path= (first one directory, then two), and scenario 7 puts its copy of libpython. */
const EXTRA_PYTHON_PATH = '/var/www/driftwatch/lib';
const VENDOR_PYTHON_PATH = '/var/www/driftwatch/vendor';
const LIBPYTHON_COPY_DIR = '/var/lib/apache2/driftwatch-libpython';

describe('drift scenarios on the real fleet, through the collector REST API', () => {
  let fleet: RealFleet;
  let collector: CollectorHarness;
  let api: CollectorClient;
  let a: RealHost;
  let b: RealHost;
  let c: RealHost;

  beforeAll(async () => {
    fleet = await startRealFleet();
    collector = await startCollector();
    api = new CollectorClient(collector);
    [a, b, c] = [fleet.host('a'), fleet.host('b'), fleet.host('c')];
    // The hosts share one network stack: each diagnostic URL is the host's own address.
    await api.register(fleet, a, { diagnosticUrl: a.diagUrl });
    await api.register(fleet, b, { diagnosticUrl: b.diagUrl });
    // c has no mod_wsgi, so no WSGI application and no diagnostic URL to configure.
    await api.register(fleet, c);
  });

  afterAll(async () => {
    const errors: unknown[] = [];
    await collector?.close().catch((err: unknown) => errors.push(err));
    await fleet?.stop().catch((err: unknown) => errors.push(err));
    if (errors.length > 0) throw new AggregateError(errors, 'drift scenarios: teardown incomplete');
  });

  /** Scans a host that changed: a new state, and the diff previous → current. */
  async function scanChanged(host: RealHost, status: 'ok' | 'partial' = 'ok'): Promise<{ diff: ChangeView[]; latest: LatestView; outcome: ScanOutcome }> {
    const before = await api.states(host.name);
    const outcome = await api.scan(host.name);
    expect(outcome).toMatchObject({ status, changed: true, snapshotId: expect.any(Number) });
    const after = await api.states(host.name);
    expect(after.total).toBe(before.total + 1);
    expect(after.items[0]!.id).toBe(outcome.snapshotId);
    const diff = await api.diff(host.name);
    expect(diff.from?.id).toBe(before.items[0]!.id);
    expect(diff.to.id).toBe(outcome.snapshotId);
    // What the scan stored as drift events is exactly the diff.
    expect(comparable(await api.driftInto(host.name, outcome.snapshotId!))).toEqual(comparable(diff.changes));
    return { diff: diff.changes, latest: await api.latest(host.name), outcome };
  }

  /** Sets the daemon process group's python-path= option (a's site) and restarts Apache gracefully. */
  async function setDaemonPythonPath(value: string): Promise<void> {
    await sh(a, `mkdir -p ${EXTRA_PYTHON_PATH} ${VENDOR_PYTHON_PATH}`);
    await sh(a, `sed -i -e 's| python-path=[^ ]*||' -e 's|^\\( *WSGIDaemonProcess .*\\)$|\\1 python-path=${value}|' ${SITE_CONF}`);
    expect(await sh(a, `grep -c '^ *WSGIDaemonProcess .* python-path=${value}$' ${SITE_CONF}`)).toBe('1\n');
    await a.restartApache();
  }

  const statuses = (latest: LatestView) => Object.fromEntries(Object.entries(latest.checks).map(([id, check]) => [id, check.status]));
  const findingIds = (latest: LatestView) => latest.findings.map((f) => f.id);

  it('1. first scan of every host: checks ok or justly unavailable, facts as the host has them, host key pinned on first use', async () => {
    for (const host of [a, b, c]) {
      const outcome = await api.scan(host.name);
      expect(outcome).toMatchObject({ host: host.name, status: 'ok', changed: true, snapshotId: expect.any(Number) });
      expect((await api.host(host.name)).hostKey).toBe(await host.hostKeyFingerprint());

      const latest = await api.latest(host.name);
      const truth = await hostTruth(host);
      const wsgi = host.spec.wsgi !== 'none';
      expect(statuses(latest)).toEqual({
        'apache.build': 'ok',
        'apache.configure': 'unavailable',
        'apache.compiled': 'ok',
        'apache.errorlog': 'unavailable',
        // Each host runs one Apache server: no other instance, which is known, not unknown.
        'apache.instances': 'ok',
        'apache.modules': 'ok',
        'apache.mutex': 'ok',
        'modwsgi.linkage': 'ok',
        'python.runtime': wsgi ? 'ok' : 'unavailable',
        'python.config': 'ok',
        'python.home': 'ok',
        'python.processes': 'ok',
        'packages.os': 'ok',
        'host.platform': 'ok',
      });
      // Debian's apache2-dev ships no config.nice; c has no WSGI application to ask.
      expect(latest.checks['apache.configure']!.reason).toBe("no config.nice in /usr/share/apache2/build (distribution builds such as Debian's ship none)");
      if (!wsgi) expect(latest.checks['python.runtime']!.reason).toBe('no diagnostic URL is configured for this host');
      // The fleet's user is not in group adm, so Apache's error log (root:adm 0640) is closed to it.
      expect(latest.checks['apache.errorlog']!.reason).toMatch(/^cannot read the ErrorLog \/\S+ as \S+ .*add the user to the log's group or register the host with sudo$/);

      const build = latest.checks['apache.build']!.facts;
      // The running Apache was found from /proc (its command line: the login user may not read root's exe).
      expect(build.discovery).toMatchObject({
        discoveredBy: 'running',
        control: '/usr/sbin/apache2ctl',
        running: { binary: '/usr/sbin/apache2', via: 'cmdline', replacedOnDisk: false, serverRoot: null, configFile: null },
        apxs: { path: '/usr/bin/apxs', sbindir: '/usr/sbin', matches: true },
      });
      expect(build.mpm).toBe(truth.mpm);
      expect(build.mpm).toBe(host.spec.mpm);
      expect(build.threaded).toBe(truth.threaded);
      expect(build.version).toBe(truth.apacheVersion);

      const modules = latest.checks['apache.modules']!.facts;
      expect(modules.modules.map((m: { name: string }) => m.name)).toEqual(truth.modules);
      expect(modules.wsgiLoaded).toBe(wsgi);
      expect(truth.modules.includes('wsgi_module')).toBe(wsgi);

      // mod_wsgi.so is installed on every host (c only does not load it): ldd says the same.
      const libpython = truth.libpython.path;
      expect(latest.checks['modwsgi.linkage']!.facts).toEqual({
        path: MOD_WSGI_SO,
        tool: 'ldd',
        libpython: { name: truth.libpython.name, version: /libpython(\d+\.\d+)/.exec(truth.libpython.name)![1], resolvedPath: libpython, found: true },
        linkage: 'shared',
        resolutions: { caller: libpython, withoutLdLibraryPath: libpython, apacheEnvironment: libpython },
        ldLibraryPathSensitive: false,
        needed: [truth.libpython.name, 'libc.so.6'],
        neededFrom: 'readelf',
        runpath: null,
        apacheEnvironment: [],
        resolvedBy: null,
      });

      const config = latest.checks['python.config']!.facts;
      if (host.spec.wsgi === 'daemon') {
        expect(config.daemonProcesses).toEqual([
          { name: DIAG_PROCESS_GROUP, processes: 2, threads: 4, options: { processes: '2', threads: '4', 'display-name': '%{GROUP}' } },
        ]);
        expect(config.processGroup).toBe(DIAG_PROCESS_GROUP);
      } else {
        expect(config.daemonProcesses).toEqual([]);
        expect(config.processGroup).toBeNull();
      }
      expect(config.loadModule).toBe(wsgi ? MOD_WSGI_SO : null);

      if (wsgi) {
        const diag = truth.diag!;
        const runtime = latest.checks['python.runtime']!.facts;
        expect(runtime.mode).toBe(diag['mod_wsgi.process_group'] === '' ? 'embedded' : 'daemon');
        expect(runtime.mode).toBe(host.spec.wsgi);
        expect(runtime.processGroup).toBe(diag['mod_wsgi.process_group']);
        expect(runtime.multithread).toBe(diag['wsgi.multithread']);
        expect(runtime.multithread).toBe({ a: true, b: false }[host.name]); // threads=4 daemon; prefork embedded
        expect(runtime.python.versionString).toBe(diag['sys.version']);
        expect(runtime.python.prefix).toBe(diag['sys.prefix']);
        expect(runtime.python.path).toEqual(diag['sys.path']);
      } else {
        expect(truth.diag).toBeNull(); // nothing would answer there
      }

      expect(latest.checks['packages.os']!.facts.apache).toBe(truth.apachePackage);
      expect(latest.checks['host.platform']!.facts).toMatchObject({ os: 'debian', osVersion: '12' });
      expect(findingIds(latest)).toEqual({ a: ['multithreaded-app'], b: ['embedded-mode'], c: ['wsgi-not-loaded'] }[host.name]);
    }
  });

  it('2. a rescan without changes adds no state: the state is seen again, the diff is empty', async () => {
    for (const host of [a, b, c]) {
      const before = await api.states(host.name);
      expect(before.total).toBe(1);
      const outcome = await api.scan(host.name);
      expect(outcome).toMatchObject({ status: 'ok', changed: false, snapshotId: before.items[0]!.id });
      const after = await api.states(host.name);
      expect(after.total).toBe(1);
      const { lastSeenAt, ...same } = before.items[0]!;
      expect(after.items[0]).toEqual({ ...same, seenCount: 2, lastSeenAt: expect.any(String) });
      expect(after.items[0]!.lastSeenAt >= lastSeenAt).toBe(true);
      expect((await api.diff(host.name)).changes).toEqual([]);
    }
  });

  it('3. a2enmod headers + graceful restart (b) → apache.modules.modules added headers_module', async () => {
    expect((await hostTruth(b)).modules).not.toContain('headers_module');
    await sh(b, 'a2enmod headers');
    await b.restartApache();

    const { diff, latest } = await scanChanged(b);
    expect(comparable(diff)).toEqual([
      { path: 'apache.modules.modules', kind: 'added', before: null, after: { name: 'headers_module', origin: 'shared' }, category: 'modules', severity: 'warning' },
    ]);
    expect(latest.checks['apache.modules']!.facts.modules.map((m: { name: string }) => m.name)).toEqual((await hostTruth(b)).modules);
  });

  it('6. python-path= added to WSGIDaemonProcess (a) → python.runtime python.path gains the entry, in order', async () => {
    const before = (await api.latest(a.name)).checks['python.runtime']!.facts.python.path as string[];
    expect(before).not.toContain(EXTRA_PYTHON_PATH);
    await setDaemonPythonPath(EXTRA_PYTHON_PATH);

    const { diff, latest } = await scanChanged(a);
    expect(comparable(diff)).toEqual(
      sorted([
        {
          path: `python.config.daemonProcesses[${DIAG_PROCESS_GROUP}].options.python-path`,
          kind: 'added',
          before: null,
          after: EXTRA_PYTHON_PATH,
          category: 'wsgi',
          severity: 'warning',
        },
        // A member added to an ordered list: one `added`; the others kept their relative order, so no `reordered`.
        { path: 'python.runtime.python.path', kind: 'added', before: null, after: EXTRA_PYTHON_PATH, category: 'python', severity: 'warning' },
      ]),
    );
    const path = latest.checks['python.runtime']!.facts.python.path as string[];
    expect(path).toEqual((await hostTruth(a)).diag!['sys.path']);
    // mod_wsgi puts python-path= directories in front of the interpreter's own entries (they take
    // precedence); the entries that were there keep their order, which is why the diff has one
    // `added` and no `reordered`.
    expect(path).toEqual([EXTRA_PYTHON_PATH, ...before]);
  });

  it('6b. a second python-path= directory, then the two swapped (a) → added in place, then python.path reordered', async () => {
    const base = ((await api.latest(a.name)).checks['python.runtime']!.facts.python.path as string[]).filter((p) => p !== EXTRA_PYTHON_PATH);

    await setDaemonPythonPath(`${EXTRA_PYTHON_PATH}:${VENDOR_PYTHON_PATH}`);
    const added = await scanChanged(a);
    expect(comparable(added.diff)).toEqual(
      sorted([
        {
          path: `python.config.daemonProcesses[${DIAG_PROCESS_GROUP}].options.python-path`,
          kind: 'changed',
          before: EXTRA_PYTHON_PATH,
          after: `${EXTRA_PYTHON_PATH}:${VENDOR_PYTHON_PATH}`,
          category: 'wsgi',
          severity: 'warning',
        },
        // python.config.pythonPath is WSGIPythonPath (embedded mode), not this option: it stays null.
        { path: 'python.runtime.python.path', kind: 'added', before: null, after: VENDOR_PYTHON_PATH, category: 'python', severity: 'warning' },
      ]),
    );
    // The directories go in front in the order python-path= lists them.
    expect(added.latest.checks['python.runtime']!.facts.python.path).toEqual([EXTRA_PYTHON_PATH, VENDOR_PYTHON_PATH, ...base]);

    await setDaemonPythonPath(`${VENDOR_PYTHON_PATH}:${EXTRA_PYTHON_PATH}`);
    const swapped = await scanChanged(a);
    expect(comparable(swapped.diff)).toEqual(
      sorted([
        {
          path: `python.config.daemonProcesses[${DIAG_PROCESS_GROUP}].options.python-path`,
          kind: 'changed',
          before: `${EXTRA_PYTHON_PATH}:${VENDOR_PYTHON_PATH}`,
          after: `${VENDOR_PYTHON_PATH}:${EXTRA_PYTHON_PATH}`,
          category: 'wsgi',
          severity: 'warning',
        },
        // Same members, another order: sys.path order is precedence, so one `reordered` with both orders.
        {
          path: 'python.runtime.python.path',
          kind: 'reordered',
          before: [EXTRA_PYTHON_PATH, VENDOR_PYTHON_PATH, ...base],
          after: [VENDOR_PYTHON_PATH, EXTRA_PYTHON_PATH, ...base],
          category: 'python',
          severity: 'warning',
        },
      ]),
    );
    expect(swapped.latest.checks['python.runtime']!.facts.python.path).toEqual((await hostTruth(a)).diag!['sys.path']);
  });

  it('7. LD_LIBRARY_PATH in envvars pointing at another libpython copy (b) → ldLibraryPathSensitive, finding', async () => {
    const system = (await hostTruth(b)).libpython;
    const copy = `${LIBPYTHON_COPY_DIR}/${system.name}`;
    await sh(b, `mkdir -p ${LIBPYTHON_COPY_DIR} && cp -L ${system.path} ${copy}`);
    await sh(b, `printf '%s\\n' 'export LD_LIBRARY_PATH=${LIBPYTHON_COPY_DIR}' >> ${ENVVARS}`);
    // Apache reads envvars when it starts: stop and start so it runs with it, as an admin would.
    await b.stopApache();
    await b.startApache();
    expect(await sh(b, `. ${ENVVARS}; ldd ${MOD_WSGI_SO}`)).toContain(`${system.name} => ${copy}`);

    const { diff, latest } = await scanChanged(b);
    expect(comparable(diff)).toEqual(
      sorted([
        { path: 'modwsgi.linkage.ldLibraryPathSensitive', kind: 'changed', before: false, after: true, category: 'modwsgi', severity: 'warning' },
        { path: 'modwsgi.linkage.libpython.resolvedPath', kind: 'changed', before: system.path, after: copy, category: 'modwsgi', severity: 'critical' },
        { path: 'modwsgi.linkage.resolutions.apacheEnvironment', kind: 'changed', before: system.path, after: copy, category: 'modwsgi', severity: 'warning' },
        // Where Apache's LD_LIBRARY_PATH comes from, so the operator knows what to undo.
        {
          path: 'modwsgi.linkage.apacheEnvironment',
          kind: 'added',
          before: null,
          after: { ldLibraryPath: LIBPYTHON_COPY_DIR, source: 'envvars', where: ENVVARS },
          category: 'modwsgi',
          severity: 'warning',
        },
        {
          path: 'findings.libpython-ld-library-path-sensitive',
          kind: 'added',
          before: null,
          after: finding('libpython-ld-library-path-sensitive', 'warning', 'modwsgi.linkage'),
          category: 'modwsgi',
          severity: 'warning',
        },
        // The guide's /usr vs /usr/local case: this libpython is not the one of the prefix the app runs with.
        {
          path: 'findings.libpython-outside-prefix',
          kind: 'added',
          before: null,
          after: finding('libpython-outside-prefix', 'warning', 'python.runtime'),
          category: 'wsgi',
          severity: 'warning',
        },
      ]),
    );
    expect(latest.checks['modwsgi.linkage']!.facts.resolutions).toEqual({ caller: system.path, withoutLdLibraryPath: system.path, apacheEnvironment: copy });
    expect(findingIds(latest)).toEqual(['embedded-mode', 'libpython-ld-library-path-sensitive', 'libpython-outside-prefix']);
  });

  it('5. daemon → embedded mode (a: WSGIDaemonProcess and WSGIProcessGroup removed) → mode changed, finding embedded-mode', async () => {
    await sh(a, `sed -i '/WSGIDaemonProcess\\|WSGIProcessGroup/d' ${SITE_CONF}`);
    await a.restartApache();

    const { diff, latest } = await scanChanged(a);
    expect(comparable(diff)).toEqual(
      sorted([
        {
          path: 'python.config.daemonProcesses',
          kind: 'removed',
          before: {
            name: DIAG_PROCESS_GROUP,
            processes: 2,
            threads: 4,
            options: { processes: '2', threads: '4', 'display-name': '%{GROUP}', 'python-path': `${VENDOR_PYTHON_PATH}:${EXTRA_PYTHON_PATH}` },
          },
          after: null,
          category: 'wsgi',
          severity: 'warning',
        },
        { path: 'python.config.processGroup', kind: 'changed', before: DIAG_PROCESS_GROUP, after: null, category: 'wsgi', severity: 'warning' },
        { path: 'python.config.processGroups', kind: 'removed', before: DIAG_PROCESS_GROUP, after: null, category: 'wsgi', severity: 'warning' },
        // Its processes are gone (mod_wsgi cut their title to the 17 characters of /usr/sbin/apache2).
        {
          path: 'python.processes.daemons',
          kind: 'removed',
          before: { command: '(wsgi:driftwatch-', group: null, count: 2, users: ['www-data'], libpython: null, pythonLib: null },
          after: null,
          category: 'wsgi',
          severity: 'warning',
        },
        { path: 'python.runtime.mode', kind: 'changed', before: 'daemon', after: 'embedded', category: 'wsgi', severity: 'warning' },
        { path: 'python.runtime.processGroup', kind: 'changed', before: DIAG_PROCESS_GROUP, after: '', category: 'wsgi', severity: 'warning' },
        // python-path= belonged to the daemon process group; the embedded interpreter has no such entry.
        { path: 'python.runtime.python.path', kind: 'removed', before: VENDOR_PYTHON_PATH, after: null, category: 'python', severity: 'warning' },
        { path: 'python.runtime.python.path', kind: 'removed', before: EXTRA_PYTHON_PATH, after: null, category: 'python', severity: 'warning' },
        { path: 'findings.embedded-mode', kind: 'added', before: null, after: finding('embedded-mode', 'info', 'python.runtime'), category: 'wsgi', severity: 'info' },
      ]),
    );
    // Embedded in the event MPM: still multithreaded, so that finding stays.
    expect(latest.checks['python.runtime']!.facts).toMatchObject({ mode: 'embedded', processGroup: '', multithread: true });
    expect(findingIds(latest)).toEqual(['embedded-mode', 'multithreaded-app']);
  });

  it('4. event → prefork (a, embedded: a2dismod mpm_event, a2enmod mpm_prefork) → mpm, threaded, module swap, wsgi.multithread', async () => {
    await sh(a, 'a2dismod mpm_event && a2enmod mpm_prefork');
    // A different MPM needs Apache stopped and started, not a restart signal.
    await a.stopApache();
    await a.startApache();
    expect((await hostTruth(a)).mpm).toBe('prefork');
    // prefork serializes accept() with the mpm-accept mutex, which event does not have.
    expect(await sh(a, 'apache2ctl -t -D DUMP_RUN_CFG 2>&1')).toMatch(/^Mutex mpm-accept: using_defaults$/m);

    const { diff, latest } = await scanChanged(a);
    expect(comparable(diff)).toEqual(
      sorted([
        { path: 'apache.build.mpm', kind: 'changed', before: 'event', after: 'prefork', category: 'apache', severity: 'critical' },
        { path: 'apache.build.threaded', kind: 'changed', before: true, after: false, category: 'apache', severity: 'warning' },
        { path: 'apache.modules.modules', kind: 'removed', before: { name: 'mpm_event_module', origin: 'shared' }, after: null, category: 'modules', severity: 'warning' },
        { path: 'apache.modules.modules', kind: 'added', before: null, after: { name: 'mpm_prefork_module', origin: 'shared' }, category: 'modules', severity: 'warning' },
        {
          path: 'apache.mutex.mutexes',
          kind: 'added',
          before: null,
          after: { name: 'mpm-accept', mechanism: null, dir: null, usingDefaults: true },
          category: 'mutex',
          severity: 'warning',
        },
        // Apache's children now serialise accept(), with APR's default mechanism.
        { path: 'apache.mutex.apacheAccept.from', kind: 'changed', before: 'MPM', after: 'APR default', category: 'mutex', severity: 'warning' },
        { path: 'apache.mutex.apacheAccept.mechanism', kind: 'changed', before: 'none', after: 'pthread', category: 'mutex', severity: 'warning' },
        {
          path: 'apache.mutex.apacheAccept.reason',
          kind: 'removed',
          before: 'this MPM registers no mpm-accept mutex (only prefork and worker serialise accept; event does not)',
          after: null,
          category: 'mutex',
          severity: 'warning',
        },
        { path: 'python.runtime.multithread', kind: 'changed', before: true, after: false, category: 'wsgi', severity: 'warning' },
        {
          path: 'findings.multithreaded-app',
          kind: 'removed',
          before: finding('multithreaded-app', 'info', 'python.runtime'),
          after: null,
          category: 'wsgi',
          severity: 'info',
        },
      ]),
    );
    expect(latest.checks['python.runtime']!.facts).toMatchObject({ mode: 'embedded', multithread: false });
    expect(findingIds(latest)).toEqual(['embedded-mode']);
  });

  it('8. mod_wsgi disabled (a: a2dismod wsgi) → wsgiLoaded false, finding wsgi-not-loaded, Python facts unknown (not gone)', async () => {
    await sh(a, 'a2dismod wsgi');
    await a.restartApache();
    expect((await hostTruth(a)).modules).not.toContain('wsgi_module');

    // The diagnostic URL is configured but nothing serves it any more: python.runtime fails.
    const { diff, latest, outcome } = await scanChanged(a, 'partial');
    expect(outcome.error).toBe('failed checks: python.runtime');
    expect(comparable(diff)).toEqual(
      sorted([
        { path: 'apache.modules.modules', kind: 'removed', before: { name: 'wsgi_module', origin: 'shared' }, after: null, category: 'modules', severity: 'critical' },
        { path: 'apache.modules.wsgiLoaded', kind: 'changed', before: true, after: false, category: 'modules', severity: 'critical' },
        { path: 'python.config.loadModule', kind: 'changed', before: MOD_WSGI_SO, after: null, category: 'wsgi', severity: 'warning' },
        // Without mod_wsgi loaded, Apache no longer knows WSGIAcceptMutex: no mechanisms to list.
        {
          path: 'apache.mutex.listed[WSGIAcceptMutex].mechanisms',
          kind: 'changed',
          before: ['default', 'flock', 'fcntl', 'sysvsem', 'posixsem', 'pthread'],
          after: null,
          category: 'mutex',
          severity: 'warning',
        },
        {
          path: 'apache.mutex.listed[WSGIAcceptMutex].note',
          kind: 'changed',
          before: null,
          after: 'this Apache does not know WSGIAcceptMutex (mod_wsgi is not loaded)',
          category: 'mutex',
          severity: 'warning',
        },
        {
          path: 'python.runtime',
          kind: 'unknown',
          before: 'ok',
          after: expect.stringMatching(/^failed: .*404/) as unknown as string,
          category: 'wsgi',
          severity: 'warning',
        },
        { path: 'findings.wsgi-not-loaded', kind: 'added', before: null, after: finding('wsgi-not-loaded', 'critical', 'apache.modules'), category: 'modules', severity: 'critical' },
      ]),
    );
    expect(diff.filter((change) => change.path.startsWith('python.runtime.'))).toEqual([]);
    expect(latest.checks['python.runtime']).toMatchObject({ status: 'failed', facts: null });
    expect(findingIds(latest)).toEqual(['wsgi-not-loaded']);
  });

  it('9. host key regenerated (c) → hostkey-mismatch, recorded, no snapshot; re-pinned through PATCH → scanning resumes unchanged', async () => {
    const pinned = await c.hostKeyFingerprint();
    const states = await api.states(c.name);
    const diff = await api.diff(c.name);
    await c.regenerateHostKey();
    const presented = await c.hostKeyFingerprint();
    expect(presented).not.toBe(pinned);

    const refused = await api.scan(c.name);
    expect(refused).toEqual({ host: c.name, status: 'hostkey-mismatch', changed: false, error: expect.any(String), durationMs: expect.any(Number) });
    expect(await api.states(c.name)).toEqual(states);
    expect(await api.diff(c.name)).toEqual(diff);
    expect((await api.host(c.name)).hostKey).toBe(pinned); // never silently accepted

    const recorded = (await collector.http().get(`/api/v1/hosts/${c.name}/scans?limit=1`).expect(200)).body.items[0];
    expect(recorded).toMatchObject({ status: 'hostkey-mismatch', snapshotId: null, changed: false, presentedHostKey: presented });
    // The same through a scan run, whose progress counts the recorded scans by status.
    expect(await api.runScan([c.name])).toMatchObject({ status: 'finished', total: 1, done: 1, counts: { 'hostkey-mismatch': 1 }, changed: 0 });
    expect(await api.states(c.name)).toEqual(states);

    expect((await api.patch(c.name, { hostKey: presented })).hostKey).toBe(presented);
    const resumed = await api.scan(c.name);
    expect(resumed).toMatchObject({ status: 'ok', changed: false, snapshotId: states.items[0]!.id });
    // OpenSSH 9.2 offers sntrup761x25519-sha512@openssh.com first, which ssh2 lacks: both agree on curve25519.
    const negotiated = (await collector.http().get(`/api/v1/hosts/${c.name}/scans?limit=1`).expect(200)).body.items[0];
    expect(negotiated).toMatchObject({ status: 'ok', kex: 'curve25519-sha256@libssh.org', hostKeyAlgorithm: 'ssh-ed25519' });
    const after = await api.states(c.name);
    expect(after.total).toBe(states.total);
    expect(after.items[0]!.seenCount).toBe(states.items[0]!.seenCount + 1);
  });

  it('10. sshd stopped (c) → unreachable, no snapshot, no drift; started again → the next scan is unchanged', async () => {
    const states = await api.states(c.name);
    const diff = await api.diff(c.name);
    await c.stopSshd();
    try {
      const outcome = await api.scan(c.name);
      expect(outcome).toEqual({ host: c.name, status: 'unreachable', changed: false, error: expect.any(String), durationMs: expect.any(Number) });
      expect(await api.states(c.name)).toEqual(states);
      expect(await api.diff(c.name)).toEqual(diff);
    } finally {
      await c.startSshd();
    }
    const outcome = await api.scan(c.name);
    expect(outcome).toMatchObject({ status: 'ok', changed: false, snapshotId: states.items[0]!.id });
    const after = await api.states(c.name);
    expect(after.total).toBe(states.total);
    expect(after.items[0]).toMatchObject({ id: states.items[0]!.id, hash: states.items[0]!.hash, seenCount: states.items[0]!.seenCount + 1 });
    const rediff = await api.diff(c.name);
    expect({ from: rediff.from?.id, to: rediff.to.id, changes: rediff.changes }).toEqual({ from: diff.from?.id, to: diff.to.id, changes: diff.changes });
  });
});
