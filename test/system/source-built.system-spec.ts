/**
 * A source-built Apache like the official httpd image's: the release's own httpd tarball
 * configured with --prefix=/usr/local/apache2 and installed there, mod_wsgi built with its apxs,
 * in a bookworm root that also has the distribution's apache2 installed. Scanned with the
 * host's paths given (overrides), its checks read the build's own config.nice, static modules
 * and bin/envvars; scanned without them, the probe finds the same Apache because it runs, from
 * /proc and, as on hosts without /proc (macOS, FreeBSD), from the host's real `ps` table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientKey, generateClientKey } from '@driftwatch/lab';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { ReleaseHost } from './releases/release-host';
import { SOURCE_BUILT, releaseRoot } from './releases/release-roots';

jest.setTimeout(2_400_000);

const PREFIX = '/usr/local/apache2';

describe('a source-built Apache beside the distribution one', () => {
  let work: string;
  let key: ClientKey;
  let c: CollectorHarness;
  let host: ReleaseHost;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'driftwatch-source-built-'));
    key = generateClientKey();
    const root = await releaseRoot('bookworm', SOURCE_BUILT);
    process.stdout.write(`source-built root ${root.dir}: ${root.built ? `built in ${Math.round(root.buildMs / 1000)} s` : 'cached'}\n`);
    host = await ReleaseHost.start({ name: 'built-1', release: 'bookworm', root: root.dir, address: '127.0.30.21', user: 'ops', publicKey: key.publicKey, dir: join(work, 'built-1'), apache: 'source-built' });
    c = await startCollector();
    await c
      .http()
      .post('/api/v1/hosts')
      .send({
        name: 'built-1',
        address: host.address,
        port: host.sshPort,
        username: 'ops',
        auth: { type: 'key', privateKeyPath: key.path },
        overrides: { apachectl: `${PREFIX}/bin/apachectl`, apxs: `${PREFIX}/bin/apxs`, modWsgiSo: `${PREFIX}/modules/mod_wsgi.so` },
      })
      .expect(201);
  });

  afterAll(async () => {
    await c?.close();
    await host?.stop();
    key?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('reads the build: config.nice, static modules, its version and its mod_wsgi linkage', async () => {
    const outcome = (await c.http().post('/api/v1/hosts/built-1/scan').expect(200)).body;
    expect(outcome).toMatchObject({ status: 'ok', changed: true });
    const latest = (await c.http().get('/api/v1/hosts/built-1/snapshots/latest').expect(200)).body;
    const status = (id: string) => latest.checks[id].status;

    // What the host's own build says, read directly.
    const version = /Apache\/(\S+)/.exec(await host.sh(`${PREFIX}/bin/httpd -v`))![1];
    const staticModules = (await host.sh(`${PREFIX}/bin/httpd -l`)).match(/^\s+(\S+\.c)$/gm)!.map((m) => m.trim());
    const configNice = await host.sh(`cat ${PREFIX}/build/config.nice`);
    expect(await host.sh(`test -f ${PREFIX}/bin/envvars && echo yes`)).toBe('yes\n');
    expect(await host.dpkgVersion('apache2')).toMatch(/^2\.4\./); // the distribution's is installed too

    expect(status('apache.build')).toBe('ok');
    expect(latest.checks['apache.build'].facts.version).toBe(version);
    expect(status('apache.configure')).toBe('ok');
    const configure = JSON.stringify(latest.checks['apache.configure'].facts);
    expect(configNice).toContain(`"--prefix=${PREFIX}"`);
    expect(configure).toContain(`--prefix=${PREFIX}`);
    expect(configure).toContain('--enable-mpms-shared=all');
    expect(status('apache.compiled')).toBe('ok');
    expect(JSON.stringify(latest.checks['apache.compiled'].facts)).toContain('mod_so.c');
    expect(staticModules).toEqual(expect.arrayContaining(['core.c', 'mod_so.c', 'http_core.c']));
    expect(latest.checks['apache.modules'].facts.wsgiLoaded).toBe(true);
    const ldd = await host.sh(`ldd ${PREFIX}/modules/mod_wsgi.so`);
    const [, soname, resolved] = /^\s*(libpython\S+)\s+=>\s+(\S+)/m.exec(ldd)!;
    expect(latest.checks['modwsgi.linkage'].facts).toMatchObject({ path: `${PREFIX}/modules/mod_wsgi.so`, linkage: 'shared', libpython: { name: soname, resolvedPath: resolved, found: true } });
    process.stdout.write(`source-built Apache ${version}; static: ${staticModules.join(' ')}; facts: ${JSON.stringify(latest.checks['apache.compiled'].facts).slice(0, 300)}\n`);
  });

  it('without overrides, finds the running Apache (not the distribution one the name search meets first) and pairs its apxs', async () => {
    await c
      .http()
      .post('/api/v1/hosts')
      .send({ name: 'built-found', address: host.address, port: host.sshPort, username: 'ops', auth: { type: 'key', privateKeyPath: key.path } })
      .expect(201);
    expect((await c.http().post('/api/v1/hosts/built-found/scan').expect(200)).body).toMatchObject({ status: 'ok', changed: true });
    const found = (await c.http().get('/api/v1/hosts/built-found/snapshots/latest').expect(200)).body;
    const given = (await c.http().get('/api/v1/hosts/built-1/snapshots/latest').expect(200)).body;

    // The parent process the host really runs, read from its own /proc.
    const parent = (await host.sh(`cat ${PREFIX}/logs/httpd.pid`)).trim();
    const argv0 = (await host.sh(`tr '\\0' '\\n' < /proc/${parent}/cmdline | head -n 1`)).trim();
    expect(argv0).toBe(`${PREFIX}/bin/httpd`);
    const { discovery, ...build } = found.checks['apache.build'].facts;
    expect(discovery).toEqual({
      discoveredBy: 'running',
      control: `${PREFIX}/bin/apachectl`,
      // The login user may not read root's /proc/PID/exe: the command line names the binary.
      running: { binary: argv0, via: 'cmdline', replacedOnDisk: false, serverRoot: null, configFile: null },
      onPath: '/usr/sbin/apache2ctl',
      apxs: { path: `${PREFIX}/bin/apxs`, sbindir: `${PREFIX}/bin`, matches: true },
    });
    const { discovery: _overridden, ...givenBuild } = given.checks['apache.build'].facts;
    expect(_overridden.discoveredBy).toBe('override');
    expect(build).toEqual(givenBuild);
    for (const id of ['apache.configure', 'apache.compiled', 'apache.modules', 'modwsgi.linkage']) {
      expect({ id, status: found.checks[id].status, facts: found.checks[id].facts }).toEqual({ id, status: given.checks[id].status, facts: given.checks[id].facts });
    }
    expect(found.findings).toContainEqual(expect.objectContaining({ id: 'running-apache-not-on-path', severity: 'warning' }));
  });

  it("an apxs of the other Apache, and a running binary replaced on disk, are findings with the fix; gone once mended", async () => {
    const findingIds = async () => {
      expect((await c.http().post('/api/v1/hosts/built-found/scan').expect(200)).body.status).toBe('ok');
      const latest = (await c.http().get('/api/v1/hosts/built-found/snapshots/latest').expect(200)).body;
      return { latest, ids: (latest.findings as { id: string }[]).map((f) => f.id) };
    };
    // The build's runtime without its apxs, beside Debian's development files: the apxs found is
    // Debian's, built for /usr/sbin, not for the Apache that runs.
    expect(await host.sh('test -x /usr/bin/apxs && echo yes')).toBe('yes\n');
    await host.sh(`mv ${PREFIX}/bin/apxs ${PREFIX}/bin/apxs.off`);
    let { latest, ids } = await findingIds();
    expect(latest.checks['apache.build'].facts.discovery.apxs).toEqual({ path: '/usr/bin/apxs', sbindir: '/usr/sbin', matches: false });
    expect(ids).toContain('apxs-other-apache');
    const other = latest.findings.find((f: { id: string }) => f.id === 'apxs-other-apache');
    expect(other.message).toContain('/usr/bin/apxs');
    await host.sh(`mv ${PREFIX}/bin/apxs.off ${PREFIX}/bin/apxs`);
    ({ ids } = await findingIds());
    expect(ids).not.toContain('apxs-other-apache');

    // Upgraded in place without a restart: the running server's binary is no longer the file on
    // disk. Only root may read /proc/PID/exe of root's Apache, so the host is scanned with sudo.
    await host.sh("printf 'ops ALL=(root) NOPASSWD: /bin/sh, /usr/bin/sh\\n' > /etc/sudoers.d/ops && chmod 0440 /etc/sudoers.d/ops");
    await c.http().patch('/api/v1/hosts/built-found').send({ sudo: true }).expect(200);
    ({ latest, ids } = await findingIds());
    expect(latest.checks['apache.build'].facts.discovery.running).toMatchObject({ binary: `${PREFIX}/bin/httpd`, via: 'exe', replacedOnDisk: false });
    expect(ids).not.toContain('apache-binary-replaced');
    await host.sh(`cp -p ${PREFIX}/bin/httpd ${PREFIX}/bin/httpd.new && mv ${PREFIX}/bin/httpd.new ${PREFIX}/bin/httpd`);
    ({ latest, ids } = await findingIds());
    expect(latest.checks['apache.build'].facts.discovery.running).toMatchObject({ binary: `${PREFIX}/bin/httpd`, via: 'exe', replacedOnDisk: true });
    expect(ids).toContain('apache-binary-replaced');
    await host.restartApache();
    ({ latest, ids } = await findingIds());
    expect(latest.checks['apache.build'].facts.discovery.running.replacedOnDisk).toBe(false);
    expect(ids).not.toContain('apache-binary-replaced');
  });

  it("reads the process table with ps where there is no /proc (macOS, FreeBSD): the same running Apache, found in this host's real ps", async () => {
    // Linux's ps needs /proc, so this host keeps it; sshd tells the probe to read ps's table instead.
    await host.setSessionEnvironment({ DRIFTWATCH_PROBE_PROC: 'ps' });
    try {
      await c
        .http()
        .post('/api/v1/hosts')
        .send({ name: 'built-ps', address: host.address, port: host.sshPort, username: 'ops', auth: { type: 'key', privateKeyPath: key.path } })
        .expect(201);
      expect((await c.http().post('/api/v1/hosts/built-ps/scan').expect(200)).body.status).toBe('ok');
      const latest = (await c.http().get('/api/v1/hosts/built-ps/snapshots/latest').expect(200)).body;
      const parent = (await host.sh(`cat ${PREFIX}/logs/httpd.pid`)).trim();
      expect(await host.sh(`ps -ww -o args= -p ${parent}`)).toBe(`${PREFIX}/bin/httpd -k start\n`);
      expect(latest.checks['apache.build'].facts.discovery).toEqual({
        discoveredBy: 'running',
        control: `${PREFIX}/bin/apachectl`,
        running: { binary: `${PREFIX}/bin/httpd`, via: 'cmdline', replacedOnDisk: false, serverRoot: null, configFile: null },
        onPath: '/usr/sbin/apache2ctl',
        apxs: { path: `${PREFIX}/bin/apxs`, sbindir: `${PREFIX}/bin`, matches: true },
      });
      expect(latest.checks['apache.instances']).toMatchObject({ status: 'ok', facts: { instances: [] } });
      expect(latest.findings).toContainEqual(expect.objectContaining({ id: 'running-apache-not-on-path' }));
    } finally {
      await host.setSessionEnvironment({});
    }
  });
});
