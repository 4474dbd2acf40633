import { AppConfig, loadConfig } from '@driftwatch/config';
import type { DeliveryAttempt, DeliveryStatus, WebhookDeliveryEntity, WebhooksRepository } from '@driftwatch/persistence';
import { SecretBox } from '../secrets/secret-box';
import { WebhookAddressPolicy } from './webhook-address-policy';
import { WebhookDeliveryService } from './webhook-delivery.service';

const attempt = (statusCode: number): DeliveryAttempt => ({ at: '2026-11-21T00:00:00.000Z', statusCode, error: `HTTP ${statusCode}`, durationMs: 1 });

describe(WebhookDeliveryService.name, () => {
  let cutoffs: string[];
  let claimed: number[];
  let updates: [number, DeliveryStatus, number][];
  let unfinished: WebhookDeliveryEntity[];
  let refuseClaimsOf: number[];

  const row = (id: number, status: DeliveryStatus, attempts: DeliveryAttempt[]) =>
    ({ id, webhookId: 1, eventId: `e${id}`, event: 'drift', host: 'h', body: '{}', status, attempts, createdAt: 'c', updatedAt: 'u' }) as WebhookDeliveryEntity;

  const service = (config: AppConfig) => {
    const repo = {
      // Nothing to send to: the URL is a literal private address and private addresses are refused.
      list: async () => [{ id: 1, url: 'http://10.0.0.1/x', events: ['drift'], minSeverity: 'info', secret: 'plain', createdAt: 'c' }],
      unfinishedDeliveries: async (before: string) => (cutoffs.push(before), unfinished),
      claimDelivery: async (seen: WebhookDeliveryEntity) => (claimed.push(seen.id), !refuseClaimsOf.includes(seen.id)),
      updateDelivery: async (id: number, status: DeliveryStatus, attempts: DeliveryAttempt[]) => void updates.push([id, status, attempts.length]),
    } as unknown as WebhooksRepository;
    return new WebhookDeliveryService(config, repo, new SecretBox(null), new WebhookAddressPolicy(false));
  };

  beforeEach(() => {
    [cutoffs, claimed, updates, unfinished, refuseClaimsOf] = [[], [], [], [], []];
  });

  const settle = () => new Promise((r) => setTimeout(r, 20));

  it('takes every pending delivery as left by a crash when it is the only sender (no queue)', async () => {
    const before = Date.now();
    await service(loadConfig({})).onApplicationBootstrap();
    expect(Date.parse(cutoffs[0])).toBeGreaterThanOrEqual(before);
    expect(Date.parse(cutoffs[0])).toBeLessThanOrEqual(Date.now());
  });

  it('with a queue, leaves pending deliveries a live sender may still hold', async () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', WEBHOOK_TIMEOUT_MS: '10000', WEBHOOK_RETRY_BASE_MS: '2000', WEBHOOK_MAX_ATTEMPTS: '5' });
    const before = Date.now();
    await service(config).onApplicationBootstrap();
    const after = Date.now();
    // The longest a live sender is quiet: an attempt (10 s) and the wait before the 5th (2 s × 8), plus a minute.
    const quietMs = 10_000 + 16_000 + 60_000;
    const cutoff = Date.parse(cutoffs[0]);
    expect(before - cutoff).toBeLessThanOrEqual(quietMs);
    expect(after - cutoff).toBeGreaterThanOrEqual(quietMs);
  });

  it('resumes only the deliveries it claims, and fails one whose attempt budget is spent without sending it', async () => {
    unfinished = [row(1, 'interrupted', [attempt(503), attempt(503)]), row(2, 'pending', [attempt(503)]), row(3, 'interrupted', [])];
    refuseClaimsOf = [2]; // another process took it first
    const sut = service(loadConfig({ WEBHOOK_MAX_ATTEMPTS: '2' }));
    await sut.onApplicationBootstrap();
    await settle();
    expect(claimed).toEqual([1, 2, 3]);
    expect(updates).toEqual([
      [1, 'failed', 2],
      // Sent once more: the refused private address is final.
      [3, 'failed', 1],
    ]);
    await sut.beforeApplicationShutdown();
  });
});
