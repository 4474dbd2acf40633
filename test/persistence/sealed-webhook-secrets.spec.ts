import { DataSource } from 'typeorm';
import { dataSourceOptions, openDataSource, WebhooksRepository } from '@driftwatch/persistence';
import { MIGRATIONS } from '../../migrations';
import { SealedWebhookSecrets1765000200000 } from '../../migrations/1765000200000-sealed-webhook-secrets';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** Runs on sqlite by default and on PostgreSQL under `npm run test:pg`. */
describe('migration SealedWebhookSecrets1765000200000', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it('widens webhooks.secret for a sealed secret, keeping the webhooks from before with their plain secret and deliveries', async () => {
    const before = new DataSource({ ...dataSourceOptions(db.url), migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(SealedWebhookSecrets1765000200000)) });
    await before.initialize();
    const old = new WebhooksRepository(before);
    const hook = await old.create({ url: 'https://hooks.example.test/a', events: ['drift'], minSeverity: 'info', secret: 'a'.repeat(64) });
    const delivery = await old.addDelivery({ webhookId: hook.id, eventId: 'e-before', event: 'drift', host: 'web-1', body: '{}' });
    await old.updateDelivery(delivery.id, 'interrupted', [{ at: new Date().toISOString(), statusCode: 503, error: 'HTTP 503', durationMs: 4 }]);
    if (db.kind === 'postgres') await expect(old.updateSecret(hook.id, 'v1:'.padEnd(142, 'x'))).rejects.toThrow(/too long/);
    await before.destroy();

    const after = await openDataSource(db.url);
    try {
      const webhooks = new WebhooksRepository(after);
      expect(await webhooks.findById(hook.id)).toMatchObject({ url: 'https://hooks.example.test/a', secret: 'a'.repeat(64) });
      // Rebuilding the table on sqlite must not cascade into the deliveries.
      expect((await webhooks.deliveriesOf(hook.id, 10, 0)).items).toEqual([expect.objectContaining({ eventId: 'e-before', status: 'interrupted' })]);
      const sealed = `v1:abcd1234:${'i'.repeat(16)}:${'t'.repeat(24)}:${'c'.repeat(88)}`;
      await webhooks.updateSecret(hook.id, sealed);
      expect((await webhooks.findById(hook.id))!.secret).toBe(sealed);
      await webhooks.remove(hook.id);
      expect((await webhooks.deliveriesOf(hook.id, 10, 0)).total).toBe(0);
    } finally {
      await after.destroy();
    }
  });
});
