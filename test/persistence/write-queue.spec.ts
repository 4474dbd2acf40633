import { DataSource } from 'typeorm';
import { HostsRepository, NewScan, ScanEntity, ScansRepository, StatesRepository, writeQueueFor } from '@driftwatch/persistence';
import { TestDatabase } from '../support/test-database';
import { testHost, useTestDataSource } from '../support/test-data-source';

/** Batched writes: sqlite by default, PostgreSQL under `npm run test:pg` (no batching there). */
describe('batched writes', () => {
  const database = useTestDataSource();
  let db: TestDatabase;
  let dataSource: DataSource;
  let hosts: HostsRepository;
  let states: StatesRepository;
  let scans: ScansRepository;
  let hostId: number;

  const scan = (error: string): NewScan => ({
    runId: null,
    hostId,
    status: 'failed',
    error,
    stateId: null,
    changed: false,
    presentedHostKey: null,
    startedAt: new Date().toISOString(),
    durationMs: 1,
  });
  // PostgreSQL runs writes concurrently, so the order of rows is not the order of calls.
  const errorsStored = async () => (await dataSource.getRepository(ScanEntity).find({ where: { hostId } })).map((s) => s.error).sort();

  beforeAll(() => {
    dataSource = database.current();
    db = database.database();
    hosts = new HostsRepository(dataSource);
    states = new StatesRepository(dataSource);
    scans = new ScansRepository(dataSource);
  });

  beforeEach(async () => {
    hostId = (await hosts.create(testHost(`h-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`))).id;
  });

  it('stores every one of many concurrent writes, in far fewer transactions on sqlite', async () => {
    const queue = writeQueueFor(dataSource);
    const before = queue.transactionCount;
    const written = await Promise.all(Array.from({ length: 300 }, (_, i) => scans.recordScan(scan(`scan ${i}`))));
    expect(new Set(written.map((s) => s.id)).size).toBe(300);
    expect(await errorsStored()).toEqual(Array.from({ length: 300 }, (_, i) => `scan ${i}`).sort());
    if (db.kind === 'sqlite') {
      // 300 writes, at most 256 per transaction: two transactions, not 300.
      expect(queue.transactionCount - before).toBe(2);
    }
  });

  it('a failing write is rolled back alone; the others of its batch are kept', async () => {
    const queue = writeQueueFor(dataSource);
    const results = await Promise.allSettled([
      scans.recordScan(scan('first')),
      queue.run(async (manager) => {
        await scans.recordScanIn(manager, scan('half-done'));
        throw new Error('the write broke after its first row');
      }),
      scans.recordScan(scan('last')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('the write broke after its first row');
    expect(await errorsStored()).toEqual(['first', 'last']);
  });

  it('runs a batch without failures as one transaction without savepoints, and one with a failure again with them', async () => {
    if (db.kind !== 'sqlite') return; // PostgreSQL runs each write in its own transaction
    const statements: string[] = [];
    const logQuery = jest.spyOn(dataSource.logger, 'logQuery').mockImplementation((query) => void statements.push(query));
    try {
      await Promise.all([scans.recordScan(scan('a')), scans.recordScan(scan('b'))]);
      expect(statements.filter((q) => /SAVEPOINT/.test(q))).toEqual([]);
      expect(statements.filter((q) => /^(BEGIN|COMMIT)/.test(q))).toHaveLength(2);

      statements.length = 0;
      const results = await Promise.allSettled([
        scans.recordScan(scan('c')),
        writeQueueFor(dataSource).run(() => Promise.reject(new Error('broken'))),
        scans.recordScan(scan('d')),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(statements.filter((q) => /^SAVEPOINT/.test(q))).toHaveLength(3);
      expect(await errorsStored()).toEqual(['a', 'b', 'c', 'd']);
    } finally {
      logQuery.mockRestore();
    }
  });

  it('a state and the scan that saw it are stored together or not at all', async () => {
    const failing = states.record(hostId, 'c'.repeat(64), '{}', [], new Date(), {
      alongside: async () => {
        throw new Error('no scan row');
      },
    });
    const kept = states.record(hostId, 'd'.repeat(64), '{"v":1}', [], new Date(), {
      alongside: (manager, recorded) => scans.recordScanIn(manager, { ...scan('ok'), status: 'ok', error: null, stateId: recorded.state.id, changed: recorded.changed }),
    });
    await expect(failing).rejects.toThrow('no scan row');
    const recorded = await kept;
    expect((await states.page(hostId, 10, 0)).items.map((s) => s.hash[0])).toEqual(['d']);
    const [row] = await dataSource.getRepository(ScanEntity).find({ where: { hostId } });
    expect(row).toMatchObject({ stateId: recorded.state.id, changed: true, attempts: 1 });
  });
});
