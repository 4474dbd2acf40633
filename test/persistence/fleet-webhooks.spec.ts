import { HostsRepository, ScansRepository, StatesRepository, WebhooksRepository } from '@driftwatch/persistence';
import { testHost, useTestDataSource } from '../support/test-data-source';

/** Runs on sqlite by default and on PostgreSQL under `npm run test:pg`. */
describe('fleet and webhook persistence', () => {
  const database = useTestDataSource();
  let hosts: HostsRepository;
  let states: StatesRepository;
  let scans: ScansRepository;
  let webhooks: WebhooksRepository;

  const newHost = (name: string) => testHost(name, { authType: 'agent', privateKeyPath: null });
  const scan = (hostId: number, status: 'ok' | 'timeout') =>
    scans.recordScan({ runId: null, hostId, status, error: null, stateId: null, changed: false, presentedHostKey: null, startedAt: new Date().toISOString(), durationMs: 1 });

  beforeAll(() => {
    const dataSource = database.current();
    [hosts, states, scans, webhooks] = [new HostsRepository(dataSource), new StatesRepository(dataSource), new ScansRepository(dataSource), new WebhooksRepository(dataSource)];
  });

  it('creates hosts not golden, and keeps the flag once set', async () => {
    const host = await hosts.create(newHost('g-1'));
    expect(host.golden).toBe(false);
    await hosts.update(host.id, { golden: true });
    expect((await hosts.findById(host.id))!.golden).toBe(true);
  });

  it('reads the current state and the last scan of many hosts at once', async () => {
    const a = await hosts.create(newHost('many-a'));
    const b = await hosts.create(newHost('many-b'));
    const never = await hosts.create(newHost('many-never'));
    await states.record(a.id, 'h1', '{"n":1}', []);
    const a2 = (await states.record(a.id, 'h2', '{"n":2}', [])).state;
    const b1 = (await states.record(b.id, 'h3', '{"n":3}', [])).state;
    await scan(a.id, 'ok');
    const lastA = await scan(a.id, 'timeout');
    const latest = await states.latestOf([a.id, b.id, never.id]);
    expect(latest.map((s) => [s.hostId, s.id]).sort()).toEqual([
      [a.id, a2.id],
      [b.id, b1.id],
    ].sort());
    expect((await scans.lastScansOf([a.id, b.id, never.id])).map((s) => [s.hostId, s.id, s.status])).toEqual([[a.id, lastA.id, 'timeout']]);
    expect(await states.latestOf([])).toEqual([]);
  });

  it('keeps deliveries with their attempts, finds the unfinished ones, and lets one caller claim each', async () => {
    const hook = await webhooks.create({ url: 'http://127.0.0.1/x', events: ['drift'], minSeverity: 'warning', secret: 's' });
    const add = (eventId: string) => webhooks.addDelivery({ webhookId: hook.id, eventId, event: 'drift', host: 'h', body: '{}' });
    const done = await add('e1');
    const stopped = await add('e2');
    const open = await add('e3');
    const attempt = { at: new Date().toISOString(), statusCode: 200, error: null, durationMs: 3 };
    await webhooks.updateDelivery(done.id, 'delivered', [attempt]);
    await webhooks.updateDelivery(stopped.id, 'interrupted', [{ ...attempt, statusCode: 503, error: 'HTTP 503' }]);
    const page = await webhooks.deliveriesOf(hook.id, 10, 0);
    expect(page.items.map((d) => [d.id, d.status, d.attempts.map((a) => a.statusCode)])).toEqual([
      [open.id, 'pending', []],
      [stopped.id, 'interrupted', [503]],
      [done.id, 'delivered', [200]],
    ]);

    // A pending delivery updated after the cutoff may be another process's: not offered.
    expect((await webhooks.unfinishedDeliveries('2000-01-01T00:00:00.000Z')).map((d) => d.id)).toEqual([stopped.id]);
    await new Promise((r) => setTimeout(r, 5)); // a claim's update time then differs from any row's
    const unfinished = await webhooks.unfinishedDeliveries(new Date().toISOString());
    expect(unfinished.map((d) => [d.id, d.status, d.eventId])).toEqual([
      [stopped.id, 'interrupted', 'e2'],
      [open.id, 'pending', 'e3'],
    ]);
    for (const seen of unfinished) {
      expect(await webhooks.claimDelivery(seen)).toBe(true);
      expect(await webhooks.claimDelivery(seen)).toBe(false); // as read, it is gone: a second process gets nothing
    }
    expect((await webhooks.deliveriesOf(hook.id, 10, 0)).items.map((d) => d.status)).toEqual(['pending', 'pending', 'delivered']);

    await webhooks.remove(hook.id);
    expect(await webhooks.findById(hook.id)).toBeNull();
    expect((await webhooks.deliveriesOf(hook.id, 10, 0)).total).toBe(0);
  });

  it('remembers the alert state of a host until the host is removed', async () => {
    const host = await hosts.create(newHost('alert-1'));
    expect(await webhooks.alertState(host.id)).toEqual({ failing: false, mismatchKey: null });
    await webhooks.saveAlertState(host.id, { failing: true, mismatchKey: 'SHA256:x' });
    await webhooks.saveAlertState(host.id, { failing: true, mismatchKey: 'SHA256:y' });
    expect(await webhooks.alertState(host.id)).toEqual({ failing: true, mismatchKey: 'SHA256:y' });
    await hosts.remove(host.id);
    await webhooks.saveAlertState(host.id, { failing: true, mismatchKey: null });
    expect(await webhooks.alertState(host.id)).toEqual({ failing: false, mismatchKey: null });
  });
});
