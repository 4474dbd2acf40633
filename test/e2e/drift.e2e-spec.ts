import { LabHost, ClientKey, debian12EventProfile, generateClientKey, withApacheVersion, withKernel, withModule, withMpm, withRebuild } from '@driftwatch/lab';
import { DriftEventView, DriftRecordedEvent, ScanEvent, ScanEvents } from '@driftwatch/scans';
import { CollectorHarness, startCollector } from '../support/collector-harness';

describe('drift events against simulated SSH hosts', () => {
  let c: CollectorHarness;
  let key: ClientKey;
  let lab: LabHost;
  let rebuilt: LabHost;
  const published: ScanEvent[] = [];

  const register = (name: string, port: number) =>
    c.http()
      .post('/api/v1/hosts')
      .send({ name, address: '127.0.0.1', port, username: 'ops', auth: { type: 'key', privateKeyPath: key.path }, overrides: { diagnosticUrl: 'http://127.0.0.1:8080/__diag' } })
      .expect(201);
  const scan = async (name: string) => (await c.http().post(`/api/v1/hosts/${name}/scan`).expect(200)).body;
  const timeline = async (name: string, query = '') => (await c.http().get(`/api/v1/hosts/${name}/drift${query}`).expect(200)).body;
  const feed = async (query = '') => (await c.http().get(`/api/v1/drift${query}`).expect(200)).body;
  const driftRecorded = () => published.filter((e): e is DriftRecordedEvent => e.type === 'drift-recorded');

  beforeAll(async () => {
    // The kernel moves on every scan of the rebuilt host too; this deployment ignores it.
    c = await startCollector({ DRIFT_IGNORE: 'host.platform.kernel' });
    c.app.get(ScanEvents).subscribe((e) => void published.push(e));
    key = generateClientKey();
    lab = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey });
    rebuilt = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey });
    await register('web-1', lab.port);
    await register('rebuilt', rebuilt.port);
  });

  afterAll(async () => {
    await lab?.stop();
    await rebuilt?.stop();
    key?.dispose();
    await c?.close();
  });

  it('a first state has no drift events', async () => {
    expect(await scan('web-1')).toMatchObject({ status: 'ok', changed: true });
    expect(await timeline('web-1')).toEqual({ host: 'web-1', items: [], total: 0, limit: 50, offset: 0 });
    expect(await feed()).toMatchObject({ items: [], hasMore: false, cursor: expect.any(String) });
    expect(driftRecorded()).toEqual([]);
  });

  it('a module added is one warning event on the timeline, the feed and the bus', async () => {
    const before = (await feed()).cursor;
    lab.setProfile(withModule(debian12EventProfile(), 'headers'));
    const result = await scan('web-1');
    const page = await timeline('web-1');
    expect(page.items).toEqual([
      expect.objectContaining({
        host: 'web-1',
        toSnapshotId: result.snapshotId,
        path: 'apache.modules.modules',
        kind: 'added',
        category: 'modules',
        severity: 'warning',
        summary: 'modules: + headers_module',
        before: null,
        after: { name: 'headers_module', origin: 'shared' },
      }),
    ]);
    const pulled = await feed(`?since=${before}`);
    expect(pulled.items).toEqual(page.items);
    expect(await feed(`?since=${pulled.cursor}`)).toEqual({ items: [], cursor: pulled.cursor, hasMore: false });

    await new Promise((r) => setImmediate(r));
    expect(driftRecorded()).toEqual([
      expect.objectContaining({ host: 'web-1', toStateId: result.snapshotId, changes: [expect.objectContaining({ id: page.items[0].id, path: 'apache.modules.modules', severity: 'warning' })] }),
    ]);
  });

  it('an MPM switch and a patch upgrade: newest first, filtered by severity, category and time', async () => {
    const cutoff = new Date().toISOString();
    lab.setProfile(withApacheVersion(withMpm(withModule(debian12EventProfile(), 'headers'), 'prefork'), '2.4.72'));
    await scan('web-1');
    const all = await timeline('web-1');
    expect(all.total).toBeGreaterThan(3);
    expect(all.items[all.items.length - 1].path).toBe('apache.modules.modules');
    expect(all.items.map((e: DriftEventView) => e.id)).toEqual([...all.items.map((e: DriftEventView) => e.id)].sort((a, b) => b - a));

    const critical = await timeline('web-1', '?severity=critical');
    expect(critical.items.map((e: DriftEventView) => e.summary)).toEqual(['mpm: event → prefork']);
    const warnings = await timeline('web-1', '?severity=warning&category=apache');
    expect(warnings.items.map((e: DriftEventView) => e.path).sort()).toEqual(['apache.build.mpm', 'apache.build.threaded', 'apache.build.version', 'apache.build.versionString']);
    const recent = await timeline('web-1', `?since=${cutoff}`);
    expect(recent.total).toBe(all.total - 1);
    const paged = await timeline('web-1', '?limit=1&offset=1');
    expect(paged).toMatchObject({ total: all.total, limit: 1, offset: 1, items: [all.items[1]] });
  });

  it('the diff renders as a unified text diff on request', async () => {
    const res = await c.http().get('/api/v1/hosts/web-1/diff?format=text').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    // The headlines first, as lines patch tools skip, then the unified diff.
    expect(res.text).toMatch(/^# Apache 2\.4\.\d+ → 2\.4\.\d+ \[warning\]\n# MPM event → prefork \[critical\]\n# modules \+mpm_prefork_module -mpm_event_module \[warning\]\n--- web-1 snapshot \d+ \(.+\)\n\+\+\+ web-1 snapshot \d+ \(.+\)\n/);
    expect(res.text).toContain('@@ apache @@\n-apache.build.mpm [critical]: event\n+apache.build.mpm [critical]: prefork\n');
    const json = await c.http().get('/api/v1/hosts/web-1/diff?format=json').expect(200);
    expect(json.body.changes.length).toBeGreaterThan(0);
    expect(json.body.headlines.map((h: { subject: string }) => h.subject)).toEqual(['apache', 'mpm', 'modules']);
  });

  it('answers the state a host was in at a moment', async () => {
    const states = (await c.http().get('/api/v1/hosts/web-1/snapshots').expect(200)).body.items;
    const oldest = states[states.length - 1];
    const at = (await c.http().get(`/api/v1/hosts/web-1/snapshots/at?time=${encodeURIComponent(oldest.firstSeenAt)}`).expect(200)).body;
    expect(at).toMatchObject({ id: oldest.id, host: 'web-1' });
    expect(at.checks['apache.build'].facts.mpm).toBe('event');
    const now = (await c.http().get(`/api/v1/hosts/web-1/snapshots/at?time=${new Date().toISOString()}`).expect(200)).body;
    expect(now.id).toBe(states[0].id);
    const none = await c.http().get('/api/v1/hosts/web-1/snapshots/at?time=2000-01-01T00:00:00Z').expect(404);
    expect(none.body.message).toBe('host "web-1" had no snapshot yet at 2000-01-01T00:00:00.000Z');
    await c.http().get('/api/v1/hosts/nobody/snapshots/at?time=2000-01-01T00:00:00Z').expect(404);
  });

  it('rejects bad values naming the field', async () => {
    const bad = async (url: string, field: string) => {
      const res = await c.http().get(url).expect(400);
      expect(res.body.message).toMatch(new RegExp(`^${field}\\b`));
    };
    await bad('/api/v1/hosts/web-1/drift?category=nope', 'category');
    await bad('/api/v1/hosts/web-1/drift?severity=loud', 'severity');
    await bad('/api/v1/hosts/web-1/drift?since=yesterday', 'since');
    await bad('/api/v1/hosts/web-1/drift?limit=0', 'limit');
    await bad('/api/v1/hosts/web-1/drift?offset=-1', 'offset');
    await bad('/api/v1/drift?since=not-a-cursor', 'since');
    await bad(`/api/v1/drift?since=${Buffer.from('dw1:x').toString('base64url')}`, 'since');
    await bad('/api/v1/drift?limit=abc', 'limit');
    await bad('/api/v1/hosts/web-1/snapshots/at', 'time');
    await bad('/api/v1/hosts/web-1/snapshots/at?time=noon', 'time');
    await bad('/api/v1/hosts/web-1/diff?format=html', 'format');
    await c.http().get('/api/v1/hosts/nobody/drift').expect(404);
  });

  it('volatile facts (build dates) and ignored paths (kernel, by DRIFT_IGNORE) never make drift', async () => {
    const cursor = (await feed()).cursor;
    const before = published.length;
    for (let i = 0; i < 4; i++) {
      rebuilt.setProfile(withKernel(withRebuild(debian12EventProfile(), new Date(Date.UTC(2027, 0, 1 + i, 3, 4, 5))), `6.1.0-${40 + i}-amd64`));
      expect(await scan('rebuilt')).toMatchObject({ status: 'ok', changed: true });
    }
    const states = (await c.http().get('/api/v1/hosts/rebuilt/snapshots').expect(200)).body;
    expect(states.total).toBe(4);
    const [newest, older] = states.items;
    const n = (await c.http().get(`/api/v1/snapshots/${newest.id}`).expect(200)).body.checks;
    const o = (await c.http().get(`/api/v1/snapshots/${older.id}`).expect(200)).body.checks;
    // The facts really moved on the host...
    expect(n['apache.build'].facts.built).not.toBe(o['apache.build'].facts.built);
    expect(n['python.runtime'].facts.python.versionString).not.toBe(o['python.runtime'].facts.python.versionString);
    expect(n['host.platform'].facts.kernel).not.toBe(o['host.platform'].facts.kernel);
    // ...and none of it is drift.
    expect(await timeline('rebuilt')).toMatchObject({ items: [], total: 0 });
    expect((await feed(`?since=${cursor}`)).items).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(published.slice(before).filter((e) => e.type === 'drift-recorded')).toEqual([]);
  });
});
