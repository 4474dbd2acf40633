import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ClientKey, closedPort, LabFleet, debian12EventProfile, generateClientKey } from '@driftwatch/lab';
import { HostEntity, HostsRepository, ScanEntity, ScanRunEntity, openDataSource } from '@driftwatch/persistence';
import { HoldingProxy } from './holding-proxy';
import { CollectorProcess } from './processes';
import { freshSchema, REDIS_URL, removeRedisKeys, requireServices } from './services';

const TICK_MS = 5_000;
const HOSTS = 6;

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms: number, processes: CollectorProcess[] = []): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      const logs = processes.map((p) => `--- ${p.role} ${p.pid}\n${p.output.slice(-40).join('\n')}`).join('\n');
      throw new Error(`${what}: not within ${ms} ms\n${logs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Needs PostgreSQL (127.0.0.1:5432, database test) and Redis (127.0.0.1:6379) and the build.
 * Two schedulers, two workers and an API, each a real collector process; lab hosts over real
 * SSH; one worker killed with SIGKILL while it holds a job.
 */
describe('scale-out: schedulers, workers and an API sharing PostgreSQL and a Redis queue', () => {
  const prefix = `dw-scale-${randomBytes(4).toString('hex')}`;
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  let dataSource: DataSource;
  let key: ClientKey;
  let fleet: LabFleet;
  let proxy: HoldingProxy;
  let queue: Queue;
  let hosts: HostEntity[] = [];
  const workers: CollectorProcess[] = [];
  const schedulers: CollectorProcess[] = [];
  let api: CollectorProcess;
  let servicesChecked = false;
  let apiUrl: string;

  beforeAll(async () => {
    await requireServices();
    servicesChecked = true;
    schema = await freshSchema();
    dataSource = await openDataSource(schema.url);
    key = generateClientKey();
    fleet = await LabFleet.start({ count: HOSTS, profile: () => debian12EventProfile(), authorizedKey: key.publicKey });
    proxy = await HoldingProxy.start(fleet.hosts[0]);
    const repo = new HostsRepository(dataSource);
    for (const [i, lab] of fleet.hosts.entries()) {
      hosts.push(
        await repo.create({
          name: i === 0 ? 'slow-0' : `web-${i}`,
          address: i === 0 ? '127.0.0.1' : lab.address,
          port: i === 0 ? proxy.port : lab.port,
          username: 'ops',
          authType: 'key',
          privateKeyPath: key.path,
          hostKey: null, // trust on first use: whichever worker scans first pins it
          labels: ['fleet'],
          overrides: {},
        }),
      );
    }
    // Registered "tomorrow", so that no occurrence is missed at start and every run here is a
    // tick (catching up after downtime has its own unit test).
    await dataSource.getRepository(HostEntity).update(hosts.map((h) => h.id), { createdAt: new Date(Date.now() + 86_400_000).toISOString() });

    const env = {
      DATABASE_URL: schema.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      SCAN_SCHEDULE: `*/${TICK_MS / 1000} * * * * *`,
      SCAN_SPLAY_SECONDS: '1',
      QUEUE_LOCK_MS: '2000',
      QUEUE_STALLED_INTERVAL_MS: '1000',
      // Longer than the test: the held scan ends only because its worker is killed.
      SSH_CONNECT_TIMEOUT_MS: '120000',
      SCAN_RETRIES: '0',
    };
    workers.push(CollectorProcess.start('worker', env), CollectorProcess.start('worker', env));
    await Promise.all(workers.map((w) => w.ready()));
    schedulers.push(CollectorProcess.start('scheduler', env), CollectorProcess.start('scheduler', env));
    await Promise.all(schedulers.map((s) => s.ready()));
    const port = await closedPort();
    api = CollectorProcess.start('api', { ...env, PORT: String(port), HOST: '127.0.0.1' });
    await api.ready();
    apiUrl = `http://127.0.0.1:${port}/api/v1`;
    queue = new Queue('scans', { connection: { url: REDIS_URL }, prefix });
  });

  afterAll(async () => {
    await Promise.all([...schedulers, ...workers, ...(api ? [api] : [])].map((p) => p.stop()));
    await queue?.close();
    await proxy?.stop();
    await fleet?.stop();
    key?.dispose();
    await dataSource?.destroy();
    await schema?.cleanup();
    if (servicesChecked) await removeRedisKeys(prefix);
  });

  it('scans every host once per tick, and a job whose worker was killed is finished by the other', async () => {
    const all = [...schedulers, ...workers];
    const scans = dataSource.getRepository(ScanEntity);
    const runs = dataSource.getRepository(ScanRunEntity);
    const slow = hosts[0];

    // A worker is scanning slow-0, whose SSH server hangs: find it through the job it holds, kill it.
    await until('a worker connects to slow-0', async () => proxy.heldOpen, 30_000, all);
    const held = await until(
      'the job of slow-0 is active',
      async () => (await queue.getActive()).find((job) => job.data.hostId === slow.id),
      10_000,
      all,
    );
    const victim = workers.find((w) => held.processedBy?.endsWith(`:${w.pid}`));
    expect(victim).toBeDefined();
    const survivor = workers.find((w) => w !== victim)!;
    victim!.kill('SIGKILL');

    // Its lock expires, the survivor's stalled-job check puts the job back, the survivor scans.
    const rescanned = await until('slow-0 is scanned after the kill', () => scans.findOne({ where: { hostId: slow.id, runId: held.data.runId } }), 30_000, all);
    expect(rescanned).toMatchObject({ status: 'ok', attempts: 1 });
    // The scan row is written by the job, which BullMQ marks completed just after it returns.
    const job = await until(
      'the job of slow-0 is completed',
      async () => {
        const found = await queue.getJob(held.id!);
        return found && (await found.getState()) === 'completed' && found;
      },
      10_000,
      all,
    );
    expect(job.processedBy).toBe(held.processedBy!.replace(`:${victim!.pid}`, `:${survivor.pid}`));
    expect(job.returnvalue).toBe('ok');

    // Two more ticks with one worker left.
    const after = Date.now();
    await until(
      'two ticks finish after the kill',
      async () => (await runs.find()).filter((r) => r.status === 'finished' && Date.parse(r.createdAt) > after).length >= 2,
      4 * TICK_MS + 20_000,
      all,
    );

    const finished = (await runs.find({ order: { id: 'ASC' } })).filter((r) => r.status === 'finished');
    expect(finished.length).toBeGreaterThanOrEqual(3);
    for (const run of finished) {
      const rows = await scans.find({ where: { runId: run.id } });
      const perHost = rows.map((s) => s.hostId);
      // Each host of the tick exactly once, and every scan a good one.
      expect({ run: run.id, hosts: perHost.length, distinct: new Set(perHost).size }).toEqual({ run: run.id, hosts: run.total, distinct: run.total });
      expect(rows.every((s) => s.status === 'ok')).toBe(true);
      expect(run.selection).toEqual({});
    }
    // One run per tick however many schedulers: no two runs for the same occurrence.
    const ticks = finished.map((r) => Math.floor(Date.parse(r.createdAt) / TICK_MS));
    expect(new Set(ticks).size).toBe(ticks.length);
    // The first tick had every host; a later tick may have skipped slow-0 while its job was held.
    expect(finished[0].total).toBe(HOSTS);
    // Host keys were pinned on first use, each to its own host's key.
    const stored = await dataSource.getRepository(HostEntity).find({ order: { id: 'ASC' } });
    expect(stored.map((h) => h.hostKey)).toEqual(fleet.hosts.map((h) => h.hostKeyFingerprint));
    expect(survivor.running).toBe(true);
  });

  it('a scan asked of the API process is done by the workers', async () => {
    const response = await fetch(`${apiUrl}/scans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hosts: ['web-1', 'web-2'] }) });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: number };
    const progress = await until(
      'the on-demand run finishes',
      async () => {
        const body = (await (await fetch(`${apiUrl}/scans/${id}`)).json()) as { status: string };
        return body.status === 'finished' && body;
      },
      30_000,
      [api, ...workers],
    );
    expect(progress).toMatchObject({ total: 2, done: 2, counts: { ok: 2 }, selection: { hosts: ['web-1', 'web-2'] } });
  });

  it('a single host scan asked of the API process is scanned by a worker and answered with its outcome', async () => {
    const response = await fetch(`${apiUrl}/hosts/web-3/scan`, { method: 'POST' });
    expect(response.status).toBe(200);
    const outcome = (await response.json()) as { host: string; status: string; snapshotId: number };
    expect(outcome).toMatchObject({ host: 'web-3', status: 'ok', changed: false, snapshotId: expect.any(Number) });
    const job = (await queue.getCompleted()).find((j) => j.data.runId === null && j.data.hostId === hosts[3].id);
    expect(job?.returnvalue).toEqual(outcome);
    const pids = workers.filter((w) => w.running).map((w) => `:${w.pid}`);
    expect(pids.some((pid) => job!.processedBy!.endsWith(pid))).toBe(true);
    const [row] = await dataSource.getRepository(ScanEntity).find({ where: { hostId: hosts[3].id }, order: { id: 'DESC' }, take: 1 });
    expect(row).toMatchObject({ runId: null, status: 'ok', stateId: outcome.snapshotId });
  });

  it('the API process, which takes no jobs, reports the shared queue in /metrics and neither scheduler nor worker in /health/ready', async () => {
    const origin = apiUrl.replace(/\/api\/v1$/, '');
    const metrics = await (await fetch(`${origin}/metrics`)).text();
    // Schedulers keep ticking, so how many jobs wait right now varies; that the series is there does not.
    expect(metrics).toMatch(/^driftwatch_queue_depth\{queue="bullmq"\} \d+$/m);
    const ready = (await (await fetch(`${origin}/health/ready`)).json()) as { status: string; details: Record<string, unknown> };
    expect(ready.status).toBe('ok');
    expect(Object.keys(ready.details)).toEqual(['database']);
  });
});
