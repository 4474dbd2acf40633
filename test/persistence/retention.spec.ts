import { DataSource } from 'typeorm';
import type { RetentionPolicy } from '@driftwatch/config';
import { HistoryPruner, HostsRepository, ScanStatus, ScansRepository, StatesRepository, WebhooksRepository, releaseFreePages, storageFootprint } from '@driftwatch/persistence';
import { testHost, useTestDataSource } from '../support/test-data-source';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const policy = (fields: Partial<RetentionPolicy>): RetentionPolicy => ({ scanDays: 90, stateDays: null, deliveryDays: 30, batchSize: 2, ...fields });

/** Runs on sqlite by default and on PostgreSQL under `npm run test:pg`. */
describe('history retention', () => {
  const database = useTestDataSource();
  let dataSource: DataSource;
  let hosts: HostsRepository;
  let states: StatesRepository;
  let scans: ScansRepository;
  let webhooks: WebhooksRepository;
  let pruner: HistoryPruner;

  beforeAll(() => {
    dataSource = database.current();
    hosts = new HostsRepository(dataSource);
    states = new StatesRepository(dataSource);
    scans = new ScansRepository(dataSource);
    webhooks = new WebhooksRepository(dataSource);
    pruner = new HistoryPruner(dataSource);
  });

  /** Records one attempt `days` ago: with a state (its hash) when it reached the host, else the failure status. */
  async function scan(hostId: number, days: number, outcome: string | Exclude<ScanStatus, 'ok'>): Promise<number> {
    const at = daysAgo(days);
    const failure = ['unreachable', 'auth-failed', 'timeout', 'failed'].includes(outcome);
    const recorded = failure ? null : await states.record(hostId, outcome, JSON.stringify({ hash: outcome }), [], at, { driftOf: () => [change(outcome)] });
    const row = await scans.recordScan({
      runId: null,
      hostId,
      status: failure ? (outcome as ScanStatus) : 'ok',
      error: null,
      stateId: recorded?.state.id ?? null,
      changed: recorded?.changed ?? false,
      presentedHostKey: null,
      startedAt: at.toISOString(),
      durationMs: 100,
    });
    return row.id;
  }

  const change = (to: string) => ({ path: 'apache.version', kind: 'changed', category: 'apache', severity: 'major', summary: `to ${to}`, before: null, after: to });

  async function scanDaysOf(hostId: number): Promise<number[]> {
    const rows = (await dataSource.query(`SELECT started_at FROM scans WHERE host_id = ${hostId} ORDER BY id`)) as Array<{ started_at: string }>;
    return rows.map((r) => Math.round((NOW.getTime() - Date.parse(r.started_at)) / 86_400_000));
  }

  async function count(table: string, where = '1 = 1'): Promise<number> {
    const [row] = (await dataSource.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)) as Array<{ n: string | number }>;
    return Number(row.n);
  }

  let web: number;
  let idle: number;

  beforeAll(async () => {
    web = (await hosts.create(testHost('retention-web'))).id;
    idle = (await hosts.create(testHost('retention-idle'))).id;
    // web: state s1 with repeats, an outage, s2, s3 (current); idle: one state, scanned twice
    // long ago. Recorded oldest first, as the store records them.
    const attempts: Array<[number, number, string]> = [
      ...([[200, 's1'], [199, 's1'], [198, 's1'], [197, 'unreachable'], [196, 'unreachable'], [195, 's1'], [150, 's2'], [149, 's2'], [100, 's3'], [99, 's3'], [50, 's3'], [1, 's3']] as const).map(
        ([days, outcome]): [number, number, string] => [web, days, outcome],
      ),
      [idle, 300, 'i1'],
      [idle, 299, 'i1'],
    ];
    for (const [host, days, outcome] of attempts.sort((a, b) => b[1] - a[1])) await scan(host, days, outcome);
  });

  it('keeps the attempts that saw a new state, a status change or a host last, and counts in a dry run what it then deletes', async () => {
    const retention = policy({ deliveryDays: null });
    const dry = await pruner.prune({ ...retention, batchSize: 3 }, { now: NOW, dryRun: true });
    expect(await count('scans')).toBe(14);
    const real = await pruner.prune(retention, { now: NOW });
    expect(dry).toMatchObject({ dryRun: true, scans: 5, states: 0, driftEvents: 0 });
    expect({ ...real, dryRun: true, batches: 0 }).toEqual({ ...dry, batches: 0 });
    expect(real.cutoffs).toEqual({ scans: daysAgo(90).toISOString(), states: null, webhookDeliveries: null });
    expect(await scanDaysOf(web)).toEqual([200, 197, 195, 150, 100, 50, 1]);
    expect(await scanDaysOf(idle)).toEqual([300, 299]);
    // Every state and drift event is history, kept while STATE_RETENTION_DAYS is unset.
    expect(await count('host_states')).toBe(4);
    expect(await count('drift_events')).toBe(2);
    expect(await pruner.prune(retention, { now: NOW })).toMatchObject({ scans: 0 });
  });

  it('with a state retention, deletes states last seen before it (never a host current one) with their scans and drift events', async () => {
    const retention = policy({ stateDays: 30, deliveryDays: null });
    const dry = await pruner.prune(retention, { now: NOW, dryRun: true });
    expect(dry).toMatchObject({ states: 2, scans: 3, driftEvents: 2 });
    const real = await pruner.prune(retention, { now: NOW });
    expect({ ...real, dryRun: true, batches: 0 }).toEqual({ ...dry, batches: 0 });
    expect(((await dataSource.query(`SELECT hash FROM host_states ORDER BY id`)) as Array<{ hash: string }>).map((r) => r.hash)).toEqual(['i1', 's3']);
    expect(await scanDaysOf(web)).toEqual([197, 100, 50, 1]);
    expect(await count('drift_events')).toBe(0);
    expect((await states.latest(web))?.hash).toBe('s3');
  });

  it('deletes finished runs and deliveries past their cutoffs, never a running run or a delivery still to send', async () => {
    const oldRun = await scans.createRun({}, 1);
    const stillRunning = await scans.createRun({}, 1);
    const recentRun = await scans.createRun({}, 1);
    await scans.finishRun(oldRun.id);
    await scans.finishRun(recentRun.id);
    await dataSource.query(`UPDATE scan_runs SET created_at = '${daysAgo(100).toISOString()}' WHERE id IN (${oldRun.id}, ${stillRunning.id})`);
    const hook = await webhooks.create({ url: 'https://hooks.example.test/a', events: ['drift'], minSeverity: 'info', secret: 's' });
    const delivery = (status: 'pending' | 'delivered' | 'failed' | 'interrupted', days: number) =>
      webhooks.addDelivery({ webhookId: hook.id, eventId: `${status}-${days}`, event: 'drift', host: 'retention-web', body: '{}' }).then(async (d) => {
        await webhooks.updateDelivery(d.id, status, []);
        await dataSource.query(`UPDATE webhook_deliveries SET created_at = '${daysAgo(days).toISOString()}' WHERE id = ${d.id}`);
      });
    for (const [status, days] of [['delivered', 40], ['failed', 31], ['interrupted', 45], ['pending', 60], ['delivered', 2]] as const) await delivery(status, days);

    const report = await pruner.prune(policy({}), { now: NOW });
    expect(report).toMatchObject({ scanRuns: 1, webhookDeliveries: 2 });
    expect(((await dataSource.query('SELECT id FROM scan_runs ORDER BY id')) as Array<{ id: number }>).map((r) => Number(r.id))).toEqual([stillRunning.id, recentRun.id]);
    expect(((await dataSource.query('SELECT event_id FROM webhook_deliveries ORDER BY id')) as Array<{ event_id: string }>).map((r) => r.event_id)).toEqual(['interrupted-45', 'pending-60', 'delivered-2']);
  });

  it('keeps everything of a kind whose retention is off', async () => {
    const before = { scans: await count('scans'), runs: await count('scan_runs'), deliveries: await count('webhook_deliveries') };
    const report = await pruner.prune({ scanDays: null, stateDays: null, deliveryDays: null, batchSize: 10 }, { now: new Date('2030-01-01T00:00:00Z') });
    expect(report).toMatchObject({ scans: 0, states: 0, driftEvents: 0, scanRuns: 0, webhookDeliveries: 0, batches: 0 });
    expect({ scans: await count('scans'), runs: await count('scan_runs'), deliveries: await count('webhook_deliveries') }).toEqual(before);
  });

  it('removes every row of a deleted host, and its finished deliveries, keeping pending ones to send', async () => {
    const host = await hosts.create(testHost('retention-gone'));
    await scan(host.id, 3, 'g1');
    await scan(host.id, 2, 'g2');
    await scan(host.id, 1, 'unreachable');
    await webhooks.saveAlertState(host.id, { failing: true, mismatchKey: null });
    const hook = await webhooks.create({ url: 'https://hooks.example.test/b', events: ['drift'], minSeverity: 'info', secret: 's' });
    const sent = await webhooks.addDelivery({ webhookId: hook.id, eventId: 'gone-sent', event: 'drift', host: 'retention-gone', body: '{}' });
    await webhooks.updateDelivery(sent.id, 'delivered', []);
    await webhooks.addDelivery({ webhookId: hook.id, eventId: 'gone-pending', event: 'drift', host: 'retention-gone', body: '{}' });
    const rowsOf = async () => ({
      states: await count('host_states', `host_id = ${host.id}`),
      scans: await count('scans', `host_id = ${host.id}`),
      driftEvents: await count('drift_events', `host_id = ${host.id}`),
      alertStates: await count('host_alert_states', `host_id = ${host.id}`),
      deliveries: await count('webhook_deliveries', `host = 'retention-gone'`),
    });
    expect(await rowsOf()).toEqual({ states: 2, scans: 3, driftEvents: 1, alertStates: 1, deliveries: 2 });
    await hosts.remove(host.id);
    expect(await rowsOf()).toEqual({ states: 0, scans: 0, driftEvents: 0, alertStates: 0, deliveries: 1 });
    expect(await count('webhook_deliveries', `event_id = 'gone-pending'`)).toBe(1);
  });

  it('lets scans record between its batches: a scan written during a long prune is stored before the prune ends', async () => {
    const host = await hosts.create(testHost('retention-busy'));
    const at = (i: number) => new Date(daysAgo(400).getTime() + i * 60_000).toISOString();
    const rows = Array.from({ length: 2000 }, (_, i) => `(${host.id}, 'timeout', false, '${at(i)}', 1, 1)`);
    for (let i = 0; i < rows.length; i += 500) {
      await dataSource.query(`INSERT INTO scans (host_id, status, changed, started_at, duration_ms, attempts) VALUES ${rows.slice(i, i + 500).join(', ')}`);
    }
    const order: string[] = [];
    const pruning = pruner.prune(policy({ batchSize: 25, deliveryDays: null }), { now: NOW }).then((report) => (order.push('prune done'), report));
    await new Promise((resolve) => setImmediate(resolve)); // the prune's first batch is under way
    await scans.recordScan({ runId: null, hostId: host.id, status: 'ok', error: null, stateId: null, changed: false, presentedHostKey: null, startedAt: NOW.toISOString(), durationMs: 1 });
    order.push('scan stored');
    const report = await pruning;
    expect(order).toEqual(['scan stored', 'prune done']);
    expect(report.scans).toBeGreaterThanOrEqual(1997);
    expect(report.batches).toBeGreaterThan(40);
  });

  it('gives the freed pages of a new sqlite file back to the file system', async () => {
    if (database.database().kind !== 'sqlite') return expect((await storageFootprint(dataSource)).type).toBe('postgres');
    expect((await storageFootprint(dataSource)).autoVacuum).toBe('incremental');
    const host = await hosts.create(testHost('retention-bulk'));
    await states.record(host.id, 'big', JSON.stringify({ pad: 'x'.repeat(4_000_000) }), [], daysAgo(10));
    await states.record(host.id, 'small', '{}', [], daysAgo(9));
    await pruner.prune(policy({ stateDays: 5 }), { now: NOW });
    const freed = await storageFootprint(dataSource);
    expect(freed.freeBytes).toBeGreaterThan(3_000_000);
    expect(await releaseFreePages(dataSource)).toBeGreaterThan(0);
    const after = await storageFootprint(dataSource);
    expect(after.freeBytes).toBe(0);
    expect(freed.bytes - after.bytes).toBeGreaterThan(3_000_000);
  });
});
