import { ClientKey, LabHost, LabProfile, debian12EventProfile, generateClientKey, withMpm, withoutModule } from '@driftwatch/lab';
import { CollectorHarness, startCollector } from '../support/collector-harness';

// Each test scans lab hosts over real SSH; a loaded machine can take seconds per scan.
jest.setTimeout(60_000);

describe('fleet cohorts and summary', () => {
  let c: CollectorHarness;
  let key: ClientKey;
  const labs: LabHost[] = [];

  const register = async (name: string, profile: LabProfile, labels: string[]) => {
    const lab = await LabHost.start({ profile, authorizedKey: key.publicKey });
    labs.push(lab);
    await c
      .http()
      .post('/api/v1/hosts')
      .send({ name, address: '127.0.0.1', port: lab.port, username: 'ops', auth: { type: 'key', privateKeyPath: key.path }, labels })
      .expect(201);
  };

  beforeAll(async () => {
    c = await startCollector();
    key = generateClientKey();
    await register('web-1', debian12EventProfile(), ['web']);
    await register('web-2', debian12EventProfile(), ['web']);
    await register('web-3', withoutModule(debian12EventProfile(), 'deflate'), ['web']);
    await register('web-4', withMpm(debian12EventProfile(), 'prefork'), ['web', 'canary']);
    await register('db-1', withMpm(debian12EventProfile(), 'worker'), ['db']);
    await register('web-new', debian12EventProfile(), ['web']);
    const scans = await Promise.all(['web-1', 'web-2', 'web-3', 'web-4', 'db-1'].map((name) => c.http().post(`/api/v1/hosts/${name}/scan`).expect(200)));
    expect(scans.map((s) => s.body.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });

  afterAll(async () => {
    await Promise.all(labs.map((l) => l.stop()));
    key?.dispose();
    await c?.close();
  });

  it('ranks the host on another MPM first, then the one missing a module, against the majority', async () => {
    const body = (await c.http().get('/api/v1/fleet/drift?label=web').expect(200)).body;
    expect(body).toMatchObject({ label: 'web', golden: [] });
    expect(body.hosts.map((h: { host: string }) => h.host)).toEqual(['web-4', 'web-3', 'web-1', 'web-2', 'web-new']);
    const [prefork, noDeflate, web1, , unscanned] = body.hosts;
    expect(prefork.deviations).toContainEqual({ path: 'apache.build.mpm', category: 'apache', severity: 'critical', kind: 'changed', baseline: 'event', value: 'prefork' });
    expect(prefork.counts.critical).toBeGreaterThan(0);
    expect(noDeflate.deviations).toContainEqual(expect.objectContaining({ path: 'apache.modules.modules[deflate_module]', kind: 'removed', value: null }));
    expect(noDeflate.deviations.map((d: { path: string }) => d.path)).not.toContain('apache.build.mpm');
    expect(prefork.score).toBeGreaterThan(noDeflate.score);
    expect(web1).toMatchObject({ score: 0, deviations: [], scanned: true });
    expect(unscanned).toMatchObject({ host: 'web-new', scanned: false, score: 0 });
    expect(body.baseline).toContainEqual({ path: 'apache.build.mpm', category: 'apache', value: 'event', source: 'majority', agreeing: 3, known: 4 });
    expect(body.hosts.map((h: { host: string }) => h.host)).not.toContain('db-1');
  });

  it('lets a golden host override the majority, and shows the flag on the host', async () => {
    const patched = (await c.http().patch('/api/v1/hosts/web-4').send({ golden: true }).expect(200)).body;
    expect(patched).toMatchObject({ name: 'web-4', golden: true });
    expect((await c.http().get('/api/v1/hosts/web-1').expect(200)).body.golden).toBe(false);

    const body = (await c.http().get('/api/v1/fleet/drift?label=web').expect(200)).body;
    expect(body.golden).toEqual(['web-4']);
    expect(body.baseline).toContainEqual(expect.objectContaining({ path: 'apache.build.mpm', value: 'prefork', source: 'golden' }));
    const web4 = body.hosts.find((h: { host: string }) => h.host === 'web-4');
    expect(web4).toMatchObject({ golden: true, score: 0 });
    expect(body.hosts[body.hosts.length - 2].host).toBe('web-4');
    for (const name of ['web-1', 'web-2', 'web-3']) {
      const h = body.hosts.find((x: { host: string }) => x.host === name);
      expect(h.deviations).toContainEqual(expect.objectContaining({ path: 'apache.build.mpm', baseline: 'prefork', value: 'event', severity: 'critical' }));
    }

    await c.http().patch('/api/v1/hosts/web-4').send({ golden: false }).expect(200);
    expect((await c.http().get('/api/v1/fleet/drift?label=web').expect(200)).body.hosts[0].host).toBe('web-4');
  });

  it('rejects a golden flag that is not a boolean, naming the field', async () => {
    const res = await c.http().patch('/api/v1/hosts/web-1').send({ golden: 'yes' }).expect(400);
    expect(res.body.message).toMatch(/^golden must be true or false/);
  });

  it('requires a label, and answers 404 for a label no host has', async () => {
    expect((await c.http().get('/api/v1/fleet/drift').expect(400)).body.message).toMatch(/^label /);
    expect((await c.http().get('/api/v1/fleet/drift?label=b%20d').expect(400)).body.message).toMatch(/^label /);
    expect((await c.http().get('/api/v1/fleet/drift?label=nobody').expect(404)).body).toMatchObject({ error: 'HOST_NOT_FOUND', message: 'no host has the label "nobody"' });
  });

  it('summarizes versions, MPMs and last scan statuses across the fleet and per label', async () => {
    const all = (await c.http().get('/api/v1/fleet/summary').expect(200)).body;
    expect(all).toMatchObject({ label: null, hosts: 6, lastScanStatus: { ok: 5, never: 1 } });
    expect(all.mpms).toEqual({
      values: [
        { value: 'event', hosts: 3 },
        { value: 'prefork', hosts: 1 },
        { value: 'worker', hosts: 1 },
      ],
      unknown: 1,
    });
    expect(all.apacheVersions).toEqual({ values: [{ value: '2.4.71', hosts: 5 }], unknown: 1 });
    expect(all).toHaveProperty('pythonVersions.unknown');
    expect(all).toHaveProperty('modWsgiVersions.values');
    expect(all).toHaveProperty('modes.values');
    expect(Array.isArray(all.findings)).toBe(true);

    const canary = (await c.http().get('/api/v1/fleet/summary?label=canary').expect(200)).body;
    expect(canary).toMatchObject({ label: 'canary', hosts: 1, mpms: { values: [{ value: 'prefork', hosts: 1 }], unknown: 0 } });
    expect((await c.http().get('/api/v1/fleet/summary?label=%24x').expect(400)).body.message).toMatch(/^label /);
  });
});
