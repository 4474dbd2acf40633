import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { ReadinessRegistry } from '../../apps/collector/src/health/readiness.registry';
import { CollectorHarness, startCollector } from '../support/collector-harness';

describe('health', () => {
  // Scans of lab hosts are quick, but the machine running the suite may be busy.
  jest.setTimeout(30_000);

  let c: CollectorHarness;

  beforeAll(async () => {
    c = await startCollector();
  }, 60_000);

  afterAll(async () => {
    await c?.close();
  });

  it('is live and ready with the database up', async () => {
    expect((await c.http().get('/health').expect(200)).body).toEqual({ status: 'ok' });
    const ready = (await c.http().get('/health/ready').expect(200)).body;
    // Role `all` (the default) runs the scheduler, here with no schedule.
    expect(ready).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, scheduler: { status: 'up', schedules: [] } } });
  });

  it('is not ready while a registered check is down, and names it', async () => {
    const unregister = c.app.get(ReadinessRegistry).register('mailer', async () => ({ up: false, details: { message: 'mailer not started' } }));
    try {
      const body = (await c.http().get('/health/ready').expect(503)).body;
      expect(body.details).toEqual({
        database: expect.objectContaining({ status: 'up' }),
        scheduler: expect.objectContaining({ status: 'up' }),
        mailer: { status: 'down', message: 'mailer not started' },
      });
    } finally {
      unregister();
    }
    await c.http().get('/health/ready').expect(200);
  });

  it('answers 503 with details once the database is closed, while staying live', async () => {
    await c.app.get(DataSource).destroy();
    const body = (await c.http().get('/health/ready').expect(503)).body;
    expect(body).toMatchObject({ statusCode: 503, details: { database: { status: 'down', message: 'database connection closed' } } });
    await c.http().get('/health').expect(200);
  });
});

describe('readiness and queue depth by role', () => {
  jest.setTimeout(30_000);
  const REDIS_URL = 'redis://127.0.0.1:6379';
  const prefixes: string[] = [];
  const started: CollectorHarness[] = [];

  async function collector(env: Record<string, string>): Promise<CollectorHarness> {
    const c = await startCollector(env);
    started.push(c);
    return c;
  }

  function queuePrefix(): string {
    const prefix = `dw-health-${randomBytes(4).toString('hex')}`;
    prefixes.push(prefix);
    return prefix;
  }

  function bullmqDepth(metrics: string): number | undefined {
    const line = metrics.split('\n').find((l) => l.startsWith('driftwatch_queue_depth{queue="bullmq"}'));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  }

  afterAll(async () => {
    for (const c of started) await c.close();
    const redis = new IORedis(REDIS_URL);
    try {
      for (const prefix of prefixes) {
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length) await redis.del(...keys);
      }
    } finally {
      redis.disconnect();
    }
  });

  it('reports the scheduler with its schedules when the process schedules scans', async () => {
    const c = await collector({ SCAN_SCHEDULE: '0 3 * * *', SCAN_SCHEDULE_LABELS: 'web=*/15 * * * *' });
    const ready = (await c.http().get('/health/ready').expect(200)).body;
    expect(ready.details.scheduler).toEqual({ status: 'up', schedules: ['all 0 3 * * *', 'label:web */15 * * * *'] });
    expect(ready.details.worker).toBeUndefined();
  });

  it('an API-only process has neither scheduler nor worker; its /metrics counts the scan jobs waiting on the shared queue', async () => {
    const c = await collector({ DRIFTWATCH_ROLE: 'api', REDIS_URL, QUEUE_PREFIX: queuePrefix() });
    expect(Object.keys((await c.http().get('/health/ready').expect(200)).body.details)).toEqual(['database']);
    expect(bullmqDepth((await c.http().get('/metrics').expect(200)).text)).toBe(0);

    for (const name of ['q-1', 'q-2', 'q-3']) {
      await c.http().post('/api/v1/hosts').send({ name, address: '127.0.0.1', port: 1, username: 'ops', auth: { type: 'agent' } }).expect(201);
    }
    await c.http().post('/api/v1/scans').send({}).expect(202);
    // No process here takes jobs: all three wait.
    expect(bullmqDepth((await c.http().get('/metrics').expect(200)).text)).toBe(3);
  });

  it('a process with the worker role reports the worker taking jobs', async () => {
    const c = await collector({ REDIS_URL, QUEUE_PREFIX: queuePrefix() });
    let details: Record<string, { status: string }> = {};
    // The worker connects to Redis in the background after start.
    for (let i = 0; i < 100 && details.worker?.status !== 'up'; i++) {
      const response = await c.http().get('/health/ready');
      details = response.body.details;
      if (details.worker?.status !== 'up') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(details).toMatchObject({ database: { status: 'up' }, scheduler: { status: 'up' }, worker: { status: 'up' } });
    expect(bullmqDepth((await c.http().get('/metrics').expect(200)).text)).toBe(0);
  });
});
