import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { HostsRepository, ScansRepository, StatesRepository, openDataSource, unpackRaw } from '@driftwatch/persistence';
import { TestDatabase } from '../support/test-database';
import { testHost, useTestDataSource } from '../support/test-data-source';

/** Runs on sqlite by default and on PostgreSQL under `npm run test:pg`. */
describe('persistence', () => {
  const database = useTestDataSource();
  const webHost = (name: string) => testHost(name, { labels: ['web'] });
  let db: TestDatabase;
  let dataSource: DataSource;
  let hosts: HostsRepository;
  let states: StatesRepository;
  let scans: ScansRepository;

  beforeAll(() => {
    dataSource = database.current();
    db = database.database();
    hosts = new HostsRepository(dataSource);
    states = new StatesRepository(dataSource);
    scans = new ScansRepository(dataSource);
  });

  it('stores host access settings and sealed secrets, with defaults for hosts that give none', async () => {
    const plain = await hosts.create(webHost('access-defaults'));
    expect(await hosts.findById(plain.id)).toMatchObject({ hostKeyPolicy: null, knownHostsFile: null, jumpHost: null, sudo: false, secretPassword: null });
    const full = await hosts.create({
      ...webHost('access-full'),
      authType: 'password',
      hostKeyPolicy: 'known-hosts',
      knownHostsFile: '/etc/ssh/ssh_known_hosts',
      jumpHost: 'access-defaults',
      sudo: true,
      secretPassword: 'v1:abcd1234:iv:tag:' + 'x'.repeat(5000),
    });
    expect(await hosts.findById(full.id)).toMatchObject({ authType: 'password', hostKeyPolicy: 'known-hosts', jumpHost: 'access-defaults', sudo: true, secretPassword: expect.stringMatching(/^v1:abcd1234:/) });
    expect((await hosts.findByJumpHost('access-defaults')).map((h) => h.name)).toEqual(['access-full']);
    await hosts.remove(full.id);
    await hosts.remove(plain.id);
  });

  it('runs every migration once and again as a no-op', async () => {
    const applied = await dataSource.query('SELECT name FROM migrations');
    // TypeORM applies migrations by timestamp, which need not be the order they were appended in.
    const all = MIGRATIONS.map((Migration) => new Migration().name);
    const timestampOf = (name: string) => Number(/\d{13}$/.exec(name)?.[0]);
    expect(all.map(timestampOf)).toEqual(all.map(timestampOf).sort((a, b) => a - b));
    expect(applied.map((r: { name: string }) => r.name)).toEqual(all);
    const second = await openDataSource(db.url);
    expect(await second.query('SELECT name FROM migrations')).toHaveLength(all.length);
    await second.destroy();
  });

  it('opens a sqlite file in WAL mode without an fsync per commit', async () => {
    if (db.kind !== 'sqlite') return expect(dataSource.options.type).toBe('postgres');
    expect((await dataSource.query('PRAGMA journal_mode'))[0].journal_mode).toBe('wal');
    // 1 = NORMAL: the WAL is synced at checkpoints; 2 (FULL, the default) syncs every commit.
    expect((await dataSource.query('PRAGMA synchronous'))[0].synchronous).toBe(1);
  });

  it('stores hosts with labels and overrides as JSON', async () => {
    const created = await hosts.create({ ...webHost('web-1'), overrides: { apachectl: '/opt/apache/bin/apachectl' } });
    const found = await hosts.findByName('web-1');
    expect(found).toMatchObject({ id: created.id, labels: ['web'], overrides: { apachectl: '/opt/apache/bin/apachectl' } });
    await expect(hosts.create(webHost('web-1'))).rejects.toThrow();
  });

  it('an unchanged state takes the newest observed-only facts and raw evidence, only when told it has them', async () => {
    const host = await hosts.create(webHost('web-observed'));
    const hash = 'b'.repeat(64);
    const first = await states.record(host.id, hash, '{"lastAt":"01:00"}', [{ id: 'x', stdout: 'first' }], new Date('2026-01-01T00:00:00Z'), { hasObservedFacts: true });
    // Without the flag the stored content stays as first seen (the common case: nothing observed-only).
    await states.record(host.id, hash, '{"lastAt":"02:00"}', [{ id: 'x', stdout: 'second' }], new Date('2026-01-01T01:00:00Z'));
    expect((await states.findById(first.state.id))!.content).toBe('{"lastAt":"01:00"}');
    const again = await states.record(host.id, hash, '{"lastAt":"03:00"}', [{ id: 'x', stdout: 'third' }], new Date('2026-01-01T02:00:00Z'), { hasObservedFacts: true });
    expect(again).toMatchObject({ changed: false, state: { id: first.state.id, seenCount: 3 } });
    const stored = (await states.findById(first.state.id))!;
    expect(stored.content).toBe('{"lastAt":"03:00"}');
    expect(unpackRaw(stored.raw)).toEqual([{ id: 'x', stdout: 'third' }]);
    expect(stored).toMatchObject({ firstSeenAt: '2026-01-01T00:00:00.000Z', lastSeenAt: '2026-01-01T02:00:00.000Z' });
  });

  it('grows with change, not with scans', async () => {
    const host = await hosts.create(webHost('web-2'));
    const first = await states.record(host.id, 'a'.repeat(64), '{"v":1}', [{ id: 'x' }], new Date('2026-01-01T00:00:00Z'));
    const again = await states.record(host.id, 'a'.repeat(64), '{"v":1}', [{ id: 'x' }], new Date('2026-01-01T01:00:00Z'));
    expect(first.changed).toBe(true);
    expect(again.changed).toBe(false);
    expect(again.state.id).toBe(first.state.id);

    const stored = await states.findById(first.state.id);
    expect(stored).toMatchObject({ seenCount: 2, firstSeenAt: '2026-01-01T00:00:00.000Z', lastSeenAt: '2026-01-01T01:00:00.000Z' });
    expect(unpackRaw(stored!.raw)).toEqual([{ id: 'x' }]);

    const changed = await states.record(host.id, 'b'.repeat(64), '{"v":2}', [], new Date('2026-01-01T02:00:00Z'));
    expect(changed.changed).toBe(true);
    expect(changed.previous?.id).toBe(first.state.id);
    // Returning to an earlier state is a new distinct state in the timeline.
    const back = await states.record(host.id, 'a'.repeat(64), '{"v":1}', [], new Date('2026-01-01T03:00:00Z'));
    expect(back.changed).toBe(true);

    const page = await states.page(host.id, 2, 0);
    expect(page.total).toBe(3);
    expect(page.items.map((s) => s.hash[0])).toEqual(['a', 'b']);
    expect(await states.previous(host.id, back.state.id)).toMatchObject({ id: changed.state.id });
  });

  it('counts scans of a run by status and removes a host with its history', async () => {
    const host = await hosts.create(webHost('web-3'));
    const run = await scans.createRun({ labels: ['web'] }, 2);
    const recorded = await states.record(host.id, 'c'.repeat(64), '{}', []);
    const base = { hostId: host.id, runId: run.id, error: null, presentedHostKey: null, startedAt: new Date().toISOString(), durationMs: 5 };
    await scans.recordScan({ ...base, status: 'ok', stateId: recorded.state.id, changed: true });
    await scans.recordScan({ ...base, status: 'unreachable', stateId: null, changed: false, error: 'connect ECONNREFUSED' });
    expect(await scans.runCounts(run.id)).toEqual({ byStatus: { ok: 1, unreachable: 1 }, changed: 1 });

    await hosts.remove(host.id);
    expect(await states.latest(host.id)).toBeNull();
    expect(await scans.lastScan(host.id)).toBeNull();
  });

  it('keeps every write when many scans store results at once', async () => {
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => hosts.create(webHost(`burst-${i}`))));
    const run = await scans.createRun({ labels: ['burst'] }, many.length);
    await Promise.all(
      many.map(async (host, i) => {
        const recorded = await states.record(host.id, String(i).padStart(64, '0'), '{}', []);
        await scans.recordScan({
          hostId: host.id,
          runId: run.id,
          status: 'ok',
          error: null,
          stateId: recorded.state.id,
          changed: recorded.changed,
          presentedHostKey: null,
          startedAt: new Date().toISOString(),
          durationMs: 1,
        });
      }),
    );
    // A second connection sees only what was committed.
    const reader = await openDataSource(db.url);
    const [{ n }] = await reader.query(`SELECT COUNT(*) AS n FROM scans WHERE run_id = ${run.id}`);
    await reader.destroy();
    expect(Number(n)).toBe(20);
    expect(await scans.runCounts(run.id)).toEqual({ byStatus: { ok: 20 }, changed: 20 });
  });

  it('marks runs left running as interrupted', async () => {
    const run = await scans.createRun({}, 1);
    expect(await scans.markInterrupted()).toBeGreaterThanOrEqual(1);
    expect(await scans.findRun(run.id)).toMatchObject({ status: 'interrupted' });
  });
});
