import { DataSource } from 'typeorm';
import { DriftChangeRow, DriftEventsRepository, HostsRepository, StatesRepository, lockHostHistory } from '@driftwatch/persistence';
import { TestDatabase } from '../support/test-database';
import { testHost, useTestDataSource } from '../support/test-data-source';

/** Drift events on sqlite by default and on PostgreSQL under `npm run test:pg`. */
describe('drift events', () => {
  const database = useTestDataSource();
  let db: TestDatabase;
  let dataSource: DataSource;
  let hosts: HostsRepository;
  let states: StatesRepository;
  let events: DriftEventsRepository;

  const row = (path: string, severity = 'warning', category = 'apache'): DriftChangeRow => ({
    path,
    kind: 'changed',
    category,
    severity,
    summary: `${path}: a → b`,
    before: { v: 'a' },
    after: 'b',
  });
  /** A differ that reports one change per content, named after both sides. */
  const driftOf = (previous: string, next: string) => [row(`${JSON.parse(previous).v}->${JSON.parse(next).v}`)];
  const record = (hostId: number, v: number, at: string, options = { driftOf }) =>
    states.record(hostId, String(v).padStart(64, '0'), JSON.stringify({ v }), [], new Date(at), options);
  const count = async (hostId: number) => Number((await dataSource.query(`SELECT COUNT(*) AS n FROM drift_events WHERE host_id = ${hostId}`))[0].n);

  beforeAll(() => {
    dataSource = database.current();
    db = database.database();
    hosts = new HostsRepository(dataSource);
    states = new StatesRepository(dataSource);
    events = new DriftEventsRepository(dataSource);
  });

  it('writes a new state with its drift from the previous one; none for the first state or a rescan', async () => {
    const host = await hosts.create(testHost('d-1'));
    const first = await record(host.id, 1, '2026-01-01T00:00:00Z');
    expect(first.driftEvents).toEqual([]);
    expect((await record(host.id, 1, '2026-01-01T01:00:00Z')).driftEvents).toEqual([]);
    const second = await record(host.id, 2, '2026-01-02T00:00:00Z');
    expect(second.driftEvents).toEqual([
      expect.objectContaining({ id: expect.any(Number), hostId: host.id, fromStateId: first.state.id, toStateId: second.state.id, detectedAt: '2026-01-02T00:00:00.000Z', path: '1->2', before: '{"v":"a"}', after: '"b"' }),
    ]);
    expect(await count(host.id)).toBe(1);
  });

  it('writes neither the state nor its events when computing the drift fails', async () => {
    const host = await hosts.create(testHost('d-2'));
    await record(host.id, 1, '2026-01-01T00:00:00Z');
    const failing = () => {
      throw new Error('differ broke');
    };
    await expect(record(host.id, 2, '2026-01-02T00:00:00Z', { driftOf: failing })).rejects.toThrow('differ broke');
    expect((await states.page(host.id, 10, 0)).total).toBe(1);
    expect(await count(host.id)).toBe(0);
  });

  it('serves a timeline newest first, filtered by time, category and severity, paginated', async () => {
    const host = await hosts.create(testHost('d-3'));
    await record(host.id, 1, '2026-02-01T00:00:00Z');
    const mixed = (previous: string, next: string) => [row(`a${next}`, 'info', 'packages'), row(`b${next}`, 'critical', 'apache')];
    await record(host.id, 2, '2026-02-02T00:00:00Z', { driftOf: mixed });
    await record(host.id, 3, '2026-02-03T00:00:00Z', { driftOf: mixed });
    const all = await events.timeline(host.id, { limit: 10, offset: 0 });
    expect(all.total).toBe(4);
    expect(all.items.map((e) => e.path)).toEqual(['b{"v":3}', 'a{"v":3}', 'b{"v":2}', 'a{"v":2}']);
    const since = await events.timeline(host.id, { since: '2026-02-03T00:00:00.000Z', limit: 10, offset: 0 });
    expect(since.items.map((e) => e.detectedAt)).toEqual(['2026-02-03T00:00:00.000Z', '2026-02-03T00:00:00.000Z']);
    const critical = await events.timeline(host.id, { severities: ['critical'], category: 'apache', limit: 1, offset: 1 });
    expect(critical).toMatchObject({ total: 2, items: [expect.objectContaining({ path: 'b{"v":2}', severity: 'critical' })] });
  });

  it('lists every host\'s events after a given event, oldest first', async () => {
    const [a, b] = [await hosts.create(testHost('d-4a')), await hosts.create(testHost('d-4b'))];
    await record(a.id, 1, '2026-03-01T00:00:00Z');
    await record(b.id, 1, '2026-03-01T00:00:00Z');
    const [first] = (await record(a.id, 2, '2026-03-02T00:00:00Z')).driftEvents;
    const [second] = (await record(b.id, 2, '2026-03-02T00:00:00Z')).driftEvents;
    expect((await events.after(first.id - 1, 10)).map((e) => e.id)).toEqual([first.id, second.id]);
    expect((await events.after(first.id, 10)).map((e) => e.hostId)).toEqual([b.id]);
    expect(await events.after(second.id, 10)).toEqual([]);
  });

  it('finds the state a host was in at a given time', async () => {
    const host = await hosts.create(testHost('d-5'));
    const one = await record(host.id, 1, '2026-04-01T00:00:00Z');
    const two = await record(host.id, 2, '2026-04-03T00:00:00Z');
    expect(await states.at(host.id, '2026-03-31T23:59:59.999Z')).toBeNull();
    expect((await states.at(host.id, '2026-04-01T00:00:00.000Z'))?.id).toBe(one.state.id);
    expect((await states.at(host.id, '2026-04-02T12:00:00.000Z'))?.id).toBe(one.state.id);
    expect((await states.at(host.id, '2030-01-01T00:00:00.000Z'))?.id).toBe(two.state.id);
  });

  it('rewrites re-derived contents and their transitions\' events together; a host removal takes its events', async () => {
    const host = await hosts.create(testHost('d-6'));
    const one = await record(host.id, 1, '2026-05-01T00:00:00Z');
    const two = await record(host.id, 2, '2026-05-02T00:00:00Z');
    let seen: number[] = [];
    const { written } = await states.rewrite(host.id, (all) => {
      seen = all.map((s) => s.id);
      return {
        updates: [{ id: two.state.id, hash: 'f'.repeat(64), content: '{"v":9}' }],
        drift: [{ hostId: host.id, fromStateId: one.state.id, toStateId: two.state.id, detectedAt: two.state.firstSeenAt, changes: [row('1->9')] }],
      };
    });
    expect(seen).toEqual([one.state.id, two.state.id]);
    expect(written.map((e) => e.path)).toEqual(['1->9']);
    expect(await states.findById(two.state.id)).toMatchObject({ hash: 'f'.repeat(64), content: '{"v":9}' });
    expect((await events.forStates([two.state.id])).map((e) => e.path)).toEqual(['1->9']);

    await hosts.remove(host.id);
    expect(await count(host.id)).toBe(0);
  });

  it('leaves history as it was when a rewrite plan fails', async () => {
    const host = await hosts.create(testHost('d-7'));
    const one = await record(host.id, 1, '2026-06-01T00:00:00Z');
    const two = await record(host.id, 2, '2026-06-02T00:00:00Z');
    await expect(
      states.rewrite(host.id, () => ({
        updates: [{ id: two.state.id, hash: 'e'.repeat(64), content: '{"v":8}' }],
        drift: [{ hostId: host.id, fromStateId: one.state.id, toStateId: 999_999, detectedAt: two.state.firstSeenAt, changes: [row('x')] }],
      })),
    ).rejects.toThrow();
    expect(await states.findById(two.state.id)).toMatchObject({ hash: two.state.hash, content: '{"v":2}' });
    expect(await count(host.id)).toBe(1);
  });

  it('on PostgreSQL, recording a scan and rewriting history wait for the host\'s history lock; another host does not', async () => {
    const host = await hosts.create(testHost('d-8'));
    const other = await hosts.create(testHost('d-9'));
    await record(host.id, 1, '2026-07-01T00:00:00Z');
    if (db.kind !== 'postgres') return expect(dataSource.options.type).toBe('sqlite'); // the write queue serializes sqlite
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = dataSource.transaction(async (m) => {
      await lockHostHistory(m, host.id);
      locked();
      await held;
      order.push('lock released');
    });
    await isLocked;
    const recording = record(host.id, 2, '2026-07-02T00:00:00Z').then(() => order.push('recorded'));
    const rewriting = states.rewrite(host.id, () => ({ updates: [], drift: [] })).then(() => order.push('rewritten'));
    await record(other.id, 1, '2026-07-02T00:00:00Z').then(() => order.push('other host recorded'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    order.push('releasing');
    release();
    await Promise.all([holder, recording, rewriting]);
    expect(order.slice(0, 3)).toEqual(['other host recorded', 'releasing', 'lock released']);
    expect(order.slice(3).sort()).toEqual(['recorded', 'rewritten']);
    expect((await states.latest(host.id))?.content).toBe('{"v":2}');
  });
});
