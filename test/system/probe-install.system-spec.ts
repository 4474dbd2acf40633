/**
 * `driftwatch probe install` on a real host: the diagnostic script goes over real SFTP, nothing
 * else changes without --apply, --apply fails cleanly when sudo would ask for a password, and
 * with passwordless sudo it mounts the endpoint so that the next scan reads the runtime Python.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StatesRepository, openDataSource } from '@driftwatch/persistence';
import { cli } from '../support/run-cli';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { DEFAULT_FLEET_HOSTS, RealFleet, RealHost, startRealFleet } from './fleet/real-fleet';

const ASSET = join(__dirname, '../../apps/collector/assets/driftwatch_diag.py');


describe('driftwatch probe install on a real host', () => {
  let fleet: RealFleet;
  let host: RealHost;
  let db: TestDatabase;
  const remotePath = `/tmp/driftwatch-probe-${randomBytes(4).toString('hex')}.py`;
  const urlPath = '/__driftwatch/installed';
  const sudoers = '/etc/sudoers.d/driftwatch-probe-install-test';
  const savedUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    fleet = await startRealFleet({ hosts: [DEFAULT_FLEET_HOSTS[0]] });
    host = fleet.hosts[0];
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
    const added = await cli('hosts', 'add', 'a', '--address', host.address, '--port', String(host.sshPort), '--user', fleet.user, '--key', fleet.privateKeyPath);
    expect(added.code).toBe(0);
  }, 60_000);

  afterAll(async () => {
    rmSync(sudoers, { force: true });
    rmSync(remotePath, { force: true });
    process.env.DATABASE_URL = savedUrl;
    await fleet?.stop();
    await db?.cleanup();
  }, 60_000);

  const apacheConfig = async () => (await host.exec('ls -l /etc/apache2/conf-enabled /etc/apache2/conf-available; apache2ctl -t -D DUMP_INCLUDES 2>&1')).stdout;

  it('uploads the script over SFTP and prints the snippet, changing nothing else', async () => {
    const before = await apacheConfig();
    const result = await cli('probe', 'install', 'a', '--path', remotePath, '--url-path', urlPath, '--json');
    expect(result.code).toBe(0);
    const body = JSON.parse(result.out);
    expect(body).toMatchObject({ host: 'a', path: remotePath, applied: false });
    expect(body.snippet).toContain(`WSGIScriptAlias ${urlPath} ${remotePath}`);
    expect(body.snippet).toContain('Require local');
    expect((await host.exec(`cat ${remotePath}`)).stdout).toBe(readFileSync(ASSET, 'utf8'));
    expect(await apacheConfig()).toBe(before);
    // The first contact pinned the host key, as a scan would.
    const hosts = JSON.parse((await cli('hosts', 'list', '--json')).out);
    expect(hosts[0].hostKey).toBe(await host.hostKeyFingerprint());
  });

  it('with --apply but no passwordless sudo, fails with the reason and leaves Apache alone', async () => {
    const before = await apacheConfig();
    const result = await cli('probe', 'install', 'a', '--path', remotePath, '--url-path', urlPath, '--apply');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/needs root: sudo requires a password/);
    expect(await apacheConfig()).toBe(before);
  });

  it('with --apply and passwordless sudo, mounts the endpoint and the next scan reads it', async () => {
    writeFileSync(sudoers, `${fleet.user} ALL=(root) NOPASSWD: ALL\n`, { mode: 0o440 });
    const url = `http://${host.address}:${host.httpPort}${urlPath}`;
    const result = await cli('probe', 'install', 'a', '--path', remotePath, '--url-path', urlPath, '--apply', '--url', url, '--json');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ applied: true, diagnosticUrl: url });
    expect((await host.exec('ls /etc/apache2/conf-enabled')).stdout).toContain('driftwatch-diag.conf');

    const scan = JSON.parse((await cli('scan', 'a', '--json')).out).scans[0];
    expect(scan.status).toBe('ok');
    const dataSource = await openDataSource(db.url);
    const state = await new StatesRepository(dataSource).findById(scan.snapshotId);
    await dataSource.destroy();
    const runtime = JSON.parse(state!.content).checks['python.runtime'];
    expect(runtime).toMatchObject({ status: 'ok', facts: { python: { version: expect.stringMatching(/^3\./) } } });
  });
});
