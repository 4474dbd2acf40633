/**
 * Hosts of three Debian releases, each running its own release's sshd and Apache + mod_wsgi in
 * a root filesystem built by mmdebstrap (cached between runs): scanned through the collector
 * over real SSH, every fact checked against what the host's own root holds (its dpkg database,
 * its apache2ctl, its libpython), and what each connection negotiated recorded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientKey, generateClientKey } from '@driftwatch/lab';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { ReleaseHost } from './releases/release-host';
import { Release, releaseRoot } from './releases/release-roots';

jest.setTimeout(1_200_000);

interface Matrix {
  release: Release;
  address: string;
  /** /etc/os-release VERSION_ID (sid has none). */
  osVersion: string | null;
}

const MATRIX: Matrix[] = [
  { release: 'bookworm', address: '127.0.30.1', osVersion: '12' },
  { release: 'trixie', address: '127.0.30.2', osVersion: '13' },
  { release: 'sid', address: '127.0.30.3', osVersion: null },
];

/** Debian's version of a package without epoch and revision: 1:10.0p1-7 → 10.0p1, 2.4.71-1~deb13u1 → 2.4.71. */
function upstream(version: string): string {
  return version.replace(/^\d+:/, '').replace(/-[^-]+$/, '');
}

describe('hosts of several Debian releases', () => {
  let work: string;
  let key: ClientKey;
  let c: CollectorHarness;
  const hosts = new Map<Release, ReleaseHost>();

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'driftwatch-releases-'));
    key = generateClientKey();
    for (const { release, address } of MATRIX) {
      const root = await releaseRoot(release);
      process.stdout.write(`${release} root ${root.dir}: ${root.built ? `built in ${Math.round(root.buildMs / 1000)} s` : 'cached'}\n`);
      hosts.set(release, await ReleaseHost.start({ name: release, release, root: root.dir, address, user: 'ops', publicKey: key.publicKey, dir: join(work, release) }));
    }
    c = await startCollector();
    for (const host of hosts.values()) {
      await c
        .http()
        .post('/api/v1/hosts')
        .send({ name: host.name, address: host.address, port: host.sshPort, username: 'ops', auth: { type: 'key', privateKeyPath: key.path }, labels: ['releases'] })
        .expect(201);
    }
  });

  afterAll(async () => {
    await c?.close();
    for (const host of hosts.values()) await host.stop();
    key?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it.each(MATRIX)('$release: facts as its own root has them, and the SSH exchange it negotiated', async ({ release, osVersion }) => {
    const host = hosts.get(release)!;
    const outcome = (await c.http().post(`/api/v1/hosts/${release}/scan`).expect(200)).body;
    expect(outcome).toMatchObject({ host: release, status: 'ok', changed: true });
    expect((await c.http().get(`/api/v1/hosts/${release}`).expect(200)).body.hostKey).toBe(await host.hostKeyFingerprint());
    const latest = (await c.http().get(`/api/v1/hosts/${release}/snapshots/latest`).expect(200)).body;

    const packages = { apache: await host.dpkgVersion('apache2'), modWsgi: await host.dpkgVersion('libapache2-mod-wsgi-py3'), python: await host.dpkgVersion('python3') };
    expect(latest.checks['packages.os'].facts).toMatchObject(packages);
    expect(latest.checks['apache.build'].facts.version).toBe(upstream(packages.apache));
    expect(latest.checks['host.platform'].facts).toMatchObject({ os: 'debian', ...(osVersion ? { osVersion } : {}) });

    const modules = latest.checks['apache.modules'].facts;
    expect(modules.wsgiLoaded).toBe(true);
    const loaded = (await host.sh('apache2ctl -M 2>/dev/null')).match(/^\s*(\w+_module)/gm)!.map((m) => m.trim());
    expect(modules.modules.map((m: { name: string }) => m.name)).toEqual(loaded);

    const ldd = await host.sh('ldd /usr/lib/apache2/modules/mod_wsgi.so');
    const [, soname, resolved] = /^\s*(libpython\S+)\s+=>\s+(\S+)/m.exec(ldd)!;
    expect(latest.checks['modwsgi.linkage'].facts).toMatchObject({ linkage: 'shared', libpython: { name: soname, resolvedPath: resolved, found: true } });
    const pythonVersion = (await host.sh('python3 -c "import sys; print(\'%d.%d\' % sys.version_info[:2])"')).trim();
    expect(soname).toContain(`libpython${pythonVersion}`);

    const [scan] = (await c.http().get(`/api/v1/hosts/${release}/scans?limit=1`).expect(200)).body.items;
    const sshd = upstream(await host.dpkgVersion('openssh-server'));
    process.stdout.write(`${release}: apache ${packages.apache}, mod_wsgi ${packages.modWsgi}, python ${packages.python}, OpenSSH ${sshd}: kex ${scan.kex}, host key ${scan.hostKeyAlgorithm}\n`);
    // OpenSSH 9.x offers sntrup761x25519 first and 10.x mlkem768x25519: ssh2 has neither; its first choice both know is X25519 under its libssh name.
    expect(scan).toMatchObject({ status: 'ok', kex: 'curve25519-sha256@libssh.org', hostKeyAlgorithm: 'ssh-ed25519' });
  });
});
