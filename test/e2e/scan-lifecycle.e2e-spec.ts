import { createServer, Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ClientKey, LabHost, debian12EventProfile, generateClientKey, withApacheVersion, withModule, withMpm } from '@driftwatch/lab';
import { CollectorHarness, startCollector } from '../support/collector-harness';

interface Change {
  path: string;
  kind: string;
  before: unknown;
  after: unknown;
  category: string;
}

describe('scan lifecycle against simulated SSH hosts', () => {
  let c: CollectorHarness;
  let key: ClientKey;
  let otherKey: ClientKey;
  let lab: LabHost;

  const register = (name: string, port: number, extra: Record<string, unknown> = {}) =>
    c.http()
      .post('/api/v1/hosts')
      .send({ name, address: '127.0.0.1', port, username: 'ops', auth: { type: 'key', privateKeyPath: key.path }, labels: ['lab'], ...extra })
      .expect(201);
  const scan = async (name: string) => (await c.http().post(`/api/v1/hosts/${name}/scan`).expect(200)).body;
  const states = async (name: string) => (await c.http().get(`/api/v1/hosts/${name}/snapshots`).expect(200)).body;
  const diff = async (name: string, query = '') => (await c.http().get(`/api/v1/hosts/${name}/diff${query}`).expect(200)).body;

  beforeAll(async () => {
    c = await startCollector();
    key = generateClientKey();
    otherKey = generateClientKey();
    lab = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey });
    await register('web-1', lab.port);
  });

  afterAll(async () => {
    await lab?.stop();
    key?.dispose();
    otherKey?.dispose();
    await c?.close();
  });

  it('first scan stores a snapshot and pins the host key on first use', async () => {
    const result = await scan('web-1');
    expect(result).toMatchObject({ host: 'web-1', status: 'ok', changed: true });
    expect(result.snapshotId).toEqual(expect.any(Number));

    const host = (await c.http().get('/api/v1/hosts/web-1').expect(200)).body;
    expect(host.hostKey).toBe(lab.hostKeyFingerprint);
    // What the handshake negotiated is recorded with the scan.
    const [recorded] = (await c.http().get('/api/v1/hosts/web-1/scans?limit=1').expect(200)).body.items;
    expect(recorded).toMatchObject({ status: 'ok', kex: 'curve25519-sha256@libssh.org', hostKeyAlgorithm: 'ssh-ed25519', attempts: 1 });

    const latest = (await c.http().get('/api/v1/hosts/web-1/snapshots/latest').expect(200)).body;
    expect(latest.id).toBe(result.snapshotId);
    expect(latest.checks['apache.build']).toMatchObject({ status: 'ok', facts: { version: '2.4.71', mpm: 'event', threaded: true } });
    expect(latest.checks['apache.modules'].facts.wsgiLoaded).toBe(true);
    expect(latest.checks['apache.modules'].facts.modules).toContainEqual({ name: 'wsgi_module', origin: 'shared' });

    const one = (await c.http().get(`/api/v1/snapshots/${result.snapshotId}`).expect(200)).body;
    expect(one).toMatchObject({ id: result.snapshotId, host: 'web-1', hash: latest.hash });
    const raw = (await c.http().get(`/api/v1/snapshots/${result.snapshotId}/raw`).expect(200)).body;
    const build = raw.sections.find((s: { id: string }) => s.id === 'apache.build');
    expect(build).toMatchObject({ exitCode: 0, truncated: false });
    expect(build.stdout).toContain('Server MPM:     event');
    expect(build.meta.cmd).toMatch(/apache2ctl -V$/);
  });

  it('an unchanged rescan adds no state; it extends the current one', async () => {
    const before = await states('web-1');
    const result = await scan('web-1');
    expect(result).toMatchObject({ status: 'ok', changed: false, snapshotId: before.items[0].id });
    const after = await states('web-1');
    expect(after.total).toBe(1);
    expect(after.items[0]).toMatchObject({ id: before.items[0].id, seenCount: 2 });
    expect(after.items[0].lastSeenAt >= before.items[0].lastSeenAt).toBe(true);
    expect((await diff('web-1')).changes).toEqual([]);
  });

  it('a module loaded on the host comes out as a module added', async () => {
    lab.setProfile(withModule(debian12EventProfile(), 'headers'));
    const result = await scan('web-1');
    expect(result).toMatchObject({ status: 'ok', changed: true });
    const page = await states('web-1');
    expect(page.total).toBe(2);
    expect(page.items[0].id).toBe(result.snapshotId);

    const { changes, from, to } = await diff('web-1');
    expect(from.id).toBe(page.items[1].id);
    expect(to.id).toBe(page.items[0].id);
    // Exactly the module: nothing else the host shows (paths included) may look changed.
    expect(changes).toEqual([
      expect.objectContaining({ path: 'apache.modules.modules', kind: 'added', after: { name: 'headers_module', origin: 'shared' }, category: 'modules' }),
    ]);
  });

  it('an MPM switch and an Apache upgrade come out as such, not as a text diff', async () => {
    lab.setProfile(withApacheVersion(withMpm(withModule(debian12EventProfile(), 'headers'), 'prefork'), '2.4.72'));
    await scan('web-1');
    const { changes } = await diff('web-1');
    const byPath = (path: string) => changes.filter((ch: Change) => ch.path === path);
    expect(byPath('apache.build.mpm')).toEqual([expect.objectContaining({ kind: 'changed', before: 'event', after: 'prefork', category: 'apache' })]);
    expect(byPath('apache.build.version')).toEqual([expect.objectContaining({ kind: 'changed', before: '2.4.71', after: '2.4.72' })]);
    expect(byPath('apache.build.threaded')).toEqual([expect.objectContaining({ before: true, after: false })]);
    const modules = byPath('apache.modules.modules');
    expect(modules).toContainEqual(expect.objectContaining({ kind: 'removed', before: { name: 'mpm_event_module', origin: 'shared' } }));
    expect(modules).toContainEqual(expect.objectContaining({ kind: 'added', after: { name: 'mpm_prefork_module', origin: 'shared' } }));
  });

  it('diffs any two states on request', async () => {
    const page = await states('web-1');
    const oldest = page.items[page.items.length - 1].id;
    const { changes } = await diff('web-1', `?from=${oldest}&to=${page.items[0].id}`);
    expect(changes.map((ch: Change) => ch.path)).toEqual(expect.arrayContaining(['apache.build.mpm', 'apache.modules.modules']));
    await c.http().get(`/api/v1/hosts/web-1/diff?from=999999`).expect(404);
  });

  it('refuses a changed host key: no command runs, no snapshot, the event is recorded', async () => {
    const before = await states('web-1');
    const pinned = lab.hostKeyFingerprint;
    lab.regenerateHostKey();
    const result = await scan('web-1');
    expect(result).toMatchObject({ status: 'hostkey-mismatch', changed: false });
    expect(result.snapshotId).toBeUndefined();
    expect((await states('web-1')).items[0]).toEqual(before.items[0]);
    expect((await c.http().get('/api/v1/hosts/web-1').expect(200)).body.hostKey).toBe(pinned);
    const recorded = (await c.http().get('/api/v1/hosts/web-1/scans?limit=1').expect(200)).body;
    expect(recorded.items).toEqual([
      // Refused during the key exchange: no handshake finished, so nothing negotiated is recorded.
      expect.objectContaining({ status: 'hostkey-mismatch', snapshotId: null, changed: false, presentedHostKey: lab.hostKeyFingerprint, kex: null, hostKeyAlgorithm: null }),
    ]);
    expect(recorded.total).toBeGreaterThan(1);

    // The operator checks the new key out of band and pins it; scanning works again.
    await c.http().patch('/api/v1/hosts/web-1').send({ hostKey: lab.hostKeyFingerprint }).expect(200);
    expect(await scan('web-1')).toMatchObject({ status: 'ok', changed: false });
  });

  it('an unreachable port is recorded as unreachable without a snapshot', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s: Server = createServer();
      s.listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    await register('gone', closed);
    const result = await scan('gone');
    expect(result).toMatchObject({ status: 'unreachable', changed: false });
    expect(result.snapshotId).toBeUndefined();
    expect((await states('gone')).total).toBe(0);
  });

  it('a rejected login is auth-failed', async () => {
    await register('wrong-key', lab.port, { auth: { type: 'key', privateKeyPath: otherKey.path } });
    expect(await scan('wrong-key')).toMatchObject({ status: 'auth-failed', changed: false });
  });

  it('scans a selection in the background and reports progress per status', async () => {
    const started = await c.http().post('/api/v1/scans').send({ labels: ['lab'] }).expect(202);
    expect(started.body).toMatchObject({ total: 3, selection: { labels: ['lab'] } });
    let progress = started.body;
    for (let i = 0; i < 200 && progress.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      progress = (await c.http().get(`/api/v1/scans/${started.body.id}`).expect(200)).body;
    }
    expect(progress).toMatchObject({ status: 'finished', total: 3, done: 3, pending: 0, counts: { ok: 1, unreachable: 1, 'auth-failed': 1 }, changed: 0 });
  });
});
