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
    expect(ready).toMatchObject({ status: 'ok', details: { database: { status: 'up' } } });
  });

  it('is not ready while a registered check is down, and names it', async () => {
    const unregister = c.app.get(ReadinessRegistry).register('scheduler', async () => ({ up: false, details: { message: 'scheduler not started' } }));
    try {
      const body = (await c.http().get('/health/ready').expect(503)).body;
      expect(body.details).toEqual({ database: expect.objectContaining({ status: 'up' }), scheduler: { status: 'down', message: 'scheduler not started' } });
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
