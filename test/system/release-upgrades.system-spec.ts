/**
 * Real upgrades between two scans: a bookworm host's Apache upgraded with apt-get inside it
 * (bookworm main's 2.4.68 to bookworm-security's), and a host moved from its bookworm root to a
 * trixie root keeping its name, address and host key, as a dist-upgrade would. The drift of
 * each must be exactly what changed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientKey, generateClientKey } from '@driftwatch/lab';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { ReleaseHost, ReleaseHostOptions } from './releases/release-host';
import { releaseRoot } from './releases/release-roots';

jest.setTimeout(1_200_000);

interface Change {
  path: string;
  kind: string;
  category: string;
  severity: string;
  before: unknown;
  after: unknown;
}

describe('real upgrades between two scans', () => {
  let work: string;
  let key: ClientKey;
  let c: CollectorHarness;
  const started: ReleaseHost[] = [];

  const start = async (options: Omit<ReleaseHostOptions, 'user' | 'publicKey' | 'dir' | 'root'> & { dir: string }): Promise<ReleaseHost> => {
    const root = await releaseRoot(options.release);
    const host = await ReleaseHost.start({ ...options, root: root.dir, user: 'ops', publicKey: key.publicKey, dir: join(work, options.dir) });
    started.push(host);
    return host;
  };
  const register = (name: string, address: string) =>
    c.http().post('/api/v1/hosts').send({ name, address, port: 2222, username: 'ops', auth: { type: 'key', privateKeyPath: key.path } }).expect(201);
  const scan = async (name: string) => (await c.http().post(`/api/v1/hosts/${name}/scan`).expect(200)).body;
  const drift = async (name: string): Promise<Change[]> => (await c.http().get(`/api/v1/hosts/${name}/diff`).expect(200)).body.changes;
  const summary = (changes: Change[]) => changes.map((ch) => `${ch.severity} ${ch.path}: ${JSON.stringify(ch.before)} → ${JSON.stringify(ch.after)}`).join('\n');

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'driftwatch-upgrades-'));
    key = generateClientKey();
    c = await startCollector();
  });

  afterAll(async () => {
    await c?.close();
    for (const host of started) await host.stop();
    key?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('apt-get upgrade of Apache inside a bookworm host: the version change, and nothing that did not change', async () => {
    const host = await start({ name: 'upgrade-1', release: 'bookworm', address: '127.0.30.11', dir: 'upgrade-1' });
    await register('upgrade-1', host.address);
    expect(await scan('upgrade-1')).toMatchObject({ status: 'ok', changed: true });
    const before = await host.dpkgVersion('apache2');

    await host.sh(
      [
        "echo 'deb http://deb.debian.org/debian-security bookworm-security main' > /etc/apt/sources.list.d/security.list",
        'apt-get -qq -o Acquire::Check-Valid-Until=false update',
        'DEBIAN_FRONTEND=noninteractive apt-get -qq -y -o Dpkg::Options::=--force-confold install --only-upgrade apache2 apache2-bin apache2-data apache2-utils >/dev/null',
      ].join(' && '),
      600_000,
    );
    await host.restartApache();
    const after = await host.dpkgVersion('apache2');
    expect(after).not.toBe(before);

    expect(await scan('upgrade-1')).toMatchObject({ status: 'ok', changed: true });
    const changes = await drift('upgrade-1');
    process.stdout.write(`apache2 ${before} → ${after}:\n${summary(changes)}\n`);
    const upstream = (v: string) => v.replace(/-[^-]+$/, '');
    // Exactly what the upgrade changed: Apache's version (a warning), its build date, and the packages.
    expect(changes.map((ch) => [ch.severity, ch.path])).toEqual([
      ['info', 'apache.build.built'],
      ['warning', 'apache.build.version'],
      ['warning', 'apache.build.versionString'],
      ['info', 'packages.os.apache'],
      ['info', 'packages.os.packages.apache2'],
      ['info', 'packages.os.packages.apache2-bin'],
    ]);
    expect(changes.find((ch) => ch.path === 'apache.build.version')).toMatchObject({ kind: 'changed', before: upstream(before), after: upstream(after) });
    expect(changes.find((ch) => ch.path === 'packages.os.packages.apache2-bin')).toMatchObject({ before, after });
  });

  it('a dist-upgrade from bookworm to trixie, same name, address and host key: Apache, mod_wsgi, Python, libpython and the OS', async () => {
    const old = await start({ name: 'dist-1', release: 'bookworm', address: '127.0.30.12', dir: 'dist-1-bookworm' });
    await register('dist-1', old.address);
    const first = await scan('dist-1');
    expect(first).toMatchObject({ status: 'ok', changed: true });
    const hostKey = await old.hostKeyFiles();
    const fingerprint = await old.hostKeyFingerprint();
    await old.stop();
    started.splice(started.indexOf(old), 1);

    const upgraded = await start({ name: 'dist-1', release: 'trixie', address: '127.0.30.12', dir: 'dist-1-trixie', hostKey });
    expect(await upgraded.hostKeyFingerprint()).toBe(fingerprint);
    expect(await scan('dist-1')).toMatchObject({ status: 'ok', changed: true });
    const changes = await drift('dist-1');
    process.stdout.write(`bookworm → trixie:\n${summary(changes)}\n`);
    // Everything that differs between the two releases' Apache, mod_wsgi, Python and OS, and
    // nothing else: the module list, MPM, configuration and paths that stayed are not drift.
    expect(changes.map((ch) => [ch.severity, ch.path])).toEqual([
      ['info', 'apache.build.apr.compiled'],
      ['info', 'apache.build.apr.loaded'],
      ['info', 'apache.build.built'],
      ['info', 'apache.build.pcre.compiled'],
      ['info', 'apache.build.pcre.loaded'],
      ['warning', 'apache.build.version'],
      ['warning', 'apache.build.versionString'],
      ['info', 'host.platform.osVersion'],
      ['info', 'host.platform.prettyName'],
      ['critical', 'modwsgi.linkage.libpython.name'],
      ['critical', 'modwsgi.linkage.libpython.resolvedPath'],
      ['critical', 'modwsgi.linkage.libpython.version'],
      ['warning', 'modwsgi.linkage.resolutions.apacheEnvironment'],
      ['warning', 'modwsgi.linkage.resolutions.caller'],
      ['warning', 'modwsgi.linkage.resolutions.withoutLdLibraryPath'],
      ['info', 'packages.os.apache'],
      ['info', 'packages.os.modWsgi'],
      ['info', 'packages.os.packages.apache2'],
      ['info', 'packages.os.packages.apache2-bin'],
      ['info', 'packages.os.packages.libapache2-mod-wsgi-py3'],
      ['info', 'packages.os.packages.python3'],
      ['info', 'packages.os.packages.python3.11'],
      ['info', 'packages.os.packages.python3.13'],
      ['info', 'packages.os.python'],
    ]);
    const versions = { modWsgi: await upgraded.dpkgVersion('libapache2-mod-wsgi-py3'), python: await upgraded.dpkgVersion('python3') };
    expect(changes.find((ch) => ch.path === 'packages.os.modWsgi')).toMatchObject({ before: expect.stringMatching(/^4\.9\.4-/), after: versions.modWsgi });
    expect(changes.find((ch) => ch.path === 'modwsgi.linkage.libpython.version')).toMatchObject({ before: '3.11', after: '3.13' });
    expect(changes.find((ch) => ch.path === 'host.platform.osVersion')).toMatchObject({ before: '12', after: '13' });
    expect(versions.python).toMatch(/^3\.13\./);

    // The diagnostic report of each side reads as that side's host.
    const second = (await c.http().get('/api/v1/hosts/dist-1/snapshots/latest').expect(200)).body.id;
    const summaryOf = async (snapshot: number) => {
      const report = (await c.http().get(`/api/v1/hosts/dist-1/report?format=json&snapshot=${snapshot}`).expect(200)).body;
      return Object.fromEntries(report.summary.rows.map((r: { label: string; value: string }) => [r.label, r.value]));
    };
    const [before, after] = [await summaryOf(first.snapshotId), await summaryOf(second)];
    process.stdout.write(`report summary before: ${JSON.stringify(before)}\nafter: ${JSON.stringify(after)}\n`);
    const soname = (release: string) => `libpython${release}.so.1.0 => /lib/x86_64-linux-gnu/libpython${release}.so.1.0`;
    expect(before).toMatchObject({
      Apache: '2.4.68, event MPM',
      mod_wsgi: expect.stringMatching(/^4\.9\.4-\S+ \(OS package\)$/),
      'libpython linkage': `shared, ${soname('3.11')}, mod_wsgi.so /usr/lib/apache2/modules/mod_wsgi.so`,
      'Operating system': expect.stringMatching(/^Debian GNU\/Linux 12 \(bookworm\), Linux /),
    });
    expect(after).toMatchObject({
      Apache: '2.4.71, event MPM',
      mod_wsgi: `${versions.modWsgi} (OS package)`,
      'libpython linkage': `shared, ${soname('3.13')}, mod_wsgi.so /usr/lib/apache2/modules/mod_wsgi.so`,
      'Operating system': expect.stringMatching(/^Debian GNU\/Linux 13 \(trixie\), Linux /),
    });
    // These hosts serve no diagnostic app: the runtime Python is unknown, with the reason, on both sides.
    for (const side of [before, after]) expect(side.Python).toBe('unknown (python.runtime: unavailable, no diagnostic URL is configured for this host)');

    // The drift explained in order of importance, each headline with its loudest change.
    const diff = (await c.http().get('/api/v1/hosts/dist-1/diff').expect(200)).body;
    expect(diff.headlines.map((h: { subject: string; summary: string; severity: string }) => [h.subject, h.summary, h.severity])).toEqual([
      ['apache', 'Apache 2.4.68 → 2.4.71', 'warning'],
      ['modwsgi', expect.stringMatching(new RegExp(`^mod_wsgi 4\\.9\\.4-\\S+ → ${versions.modWsgi.replace(/[.+]/g, '\\$&')}$`)), 'info'],
      ['python', expect.stringMatching(new RegExp(`^Python 3\\.11\\.\\S+ → ${versions.python.replace(/[.+]/g, '\\$&')}$`)), 'info'],
      ['libpython', 'libpython libpython3.11.so.1.0 → libpython3.13.so.1.0', 'critical'],
      ['os', 'OS Debian GNU/Linux 12 (bookworm) → Debian GNU/Linux 13 (trixie)', 'info'],
    ]);
  });
});
