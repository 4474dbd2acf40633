import { debian12EventProfile, debian12PreforkEmbeddedProfile, withMpm } from '@driftwatch/lab';
import { ScansRepository } from '@driftwatch/persistence';
import { ScanRunsService } from '@driftwatch/scans';
import { MetricsService } from '../../apps/collector/src/metrics/metrics.service';
import { CollectorHarness, startCollector } from '../support/collector-harness';
import { RegisteredLab, registerLabHosts } from '../support/lab-hosts';
import { Exposition, parseExposition } from '../support/prometheus-text';

describe('GET /metrics', () => {
  // Scans of lab hosts are quick, but the machine running the suite may be busy.
  jest.setTimeout(30_000);

  let c: CollectorHarness;
  let lab: RegisteredLab;

  const scrape = async (): Promise<Exposition> => {
    const response = await c.http().get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(response.text);
  };
  const scanAll = async () => {
    await c.http().post('/api/v1/scans').send({}).expect(202);
    await c.app.get(ScanRunsService).idle();
  };

  beforeAll(async () => {
    c = await startCollector();
    lab = await registerLabHosts(c, 3);
  }, 60_000);

  afterAll(async () => {
    await lab?.stop();
    await c?.close();
  });

  it('counts scans by status with their durations, and the hosts that drifted', async () => {
    await scanAll();
    let m = await scrape();
    expect(m.types.get('driftwatch_scans_total')).toBe('counter');
    expect(m.types.get('driftwatch_scan_duration_seconds')).toBe('histogram');
    expect(m.value('driftwatch_scans_total', { status: 'ok' })).toBe(3);
    expect(m.value('driftwatch_scans_total', { status: 'unreachable' })).toBe(1);
    expect(m.value('driftwatch_scan_duration_seconds_count', { status: 'ok' })).toBe(3);
    expect(m.value('driftwatch_scan_duration_seconds_bucket', { status: 'ok', le: '+Inf' })).toBe(3);
    expect(m.value('driftwatch_scan_duration_seconds_sum', { status: 'ok' })).toBeGreaterThan(0);
    // First scans create states but nothing drifted from an earlier one.
    expect(m.value('driftwatch_hosts_drifted')).toBe(0);

    lab.fleet.hosts[0].setProfile(withMpm(debian12EventProfile(), 'prefork'));
    await scanAll();
    m = await scrape();
    expect(m.value('driftwatch_scans_total', { status: 'ok' })).toBe(6);
    expect(m.value('driftwatch_scans_total', { status: 'unreachable' })).toBe(2);
    expect(m.value('driftwatch_hosts_drifted')).toBe(1);
  });

  it('reports per finding id the hosts whose current state has it, as the API does', async () => {
    lab.fleet.hosts[1].setProfile(debian12PreforkEmbeddedProfile());
    await c.http().patch('/api/v1/hosts/lab-2').send({ overrides: { diagnosticUrl: 'http://127.0.0.1:8080/__diag' } }).expect(200);
    await c.http().post('/api/v1/hosts/lab-2/scan').expect(200);
    const expected = new Map<string, number>();
    for (const name of lab.names.filter((n) => n.startsWith('lab-'))) {
      const { findings } = (await c.http().get(`/api/v1/hosts/${name}/findings`).expect(200)).body;
      for (const f of findings as { id: string; severity: string }[]) expected.set(`${f.id}/${f.severity}`, (expected.get(`${f.id}/${f.severity}`) ?? 0) + 1);
    }
    expect([...expected.keys()]).toContainEqual(expect.stringMatching(/^embedded-mode\//));
    const m = await scrape();
    expect(m.types.get('driftwatch_findings')).toBe('gauge');
    const reported = new Map(m.samples.filter((s) => s.name === 'driftwatch_findings').map((s) => [`${s.labels.id}/${s.labels.severity}`, s.value]));
    expect(reported).toEqual(expected);
  });

  it('shows scans still waiting in running scan runs as queue depth', async () => {
    expect((await scrape()).value('driftwatch_queue_depth', { queue: 'scan-runs' })).toBe(0);
    // A run recorded as running with seven hosts none of which has been scanned yet.
    await c.app.get(ScansRepository).createRun({ labels: ['elsewhere'] }, 7);
    expect((await scrape()).value('driftwatch_queue_depth', { queue: 'scan-runs' })).toBe(7);
  });

  it('answers a scrape without the depth of a queue that does not answer (Redis away), and with the others', async () => {
    c.app.get(MetricsService).registerQueueDepth('unanswered', () => new Promise<number>(() => undefined));
    // Were the scrape waiting for that queue, it would never come back: give up well before the test's own timeout.
    const m = parseExposition((await c.http().get('/metrics').timeout(10_000).expect(200)).text);
    expect(m.samples.filter((s) => s.name === 'driftwatch_queue_depth').map((s) => s.labels.queue)).toEqual(['scan-runs']);
  });

  it('counts the drift changes the scans recorded, by category and severity, as the drift feed lists them', async () => {
    const feed = (await c.http().get('/api/v1/drift?limit=1000').expect(200)).body as { items: { category: string; severity: string }[]; hasMore: boolean };
    expect(feed.hasMore).toBe(false);
    expect(feed.items.length).toBeGreaterThan(0);
    const expected = new Map<string, number>();
    for (const e of feed.items) expected.set(`${e.category}/${e.severity}`, (expected.get(`${e.category}/${e.severity}`) ?? 0) + 1);
    const m = await scrape();
    expect(m.types.get('driftwatch_drift_changes_total')).toBe('counter');
    const reported = new Map(m.samples.filter((s) => s.name === 'driftwatch_drift_changes_total').map((s) => [`${s.labels.category}/${s.labels.severity}`, s.value]));
    expect(reported).toEqual(expected);
    expect(expected.get('apache/critical') ?? expected.get('apache/warning')).toBeGreaterThan(0);
  });
});
