import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { DeliveryAttempt, DeliveryStatus, WebhookEntity, WebhooksRepository } from '@driftwatch/persistence';
import { Notification, deliveryBody, forWebhook, isRetryable, retryDelayMs, signBody } from './notifications';

/**
 * Sends notifications to webhooks: one delivery row per webhook with the exact signed body,
 * then attempts with exponential backoff, each recorded. Runs detached from scans. At
 * shutdown, attempts under way are aborted and every unfinished delivery is recorded as
 * `interrupted`; a delivery left `pending` by a crash is marked so at the next start. Neither
 * is resent automatically.
 */
@Injectable()
export class WebhookDeliveryService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly stopping = new AbortController();
  private readonly active = new Set<Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly webhooks: WebhooksRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    const stale = await this.webhooks.interruptPending();
    if (stale) this.logger.warn(`${stale} webhook deliveries left pending by a previous run are marked interrupted`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.active]);
  }

  /** Records and sends `notification` to every webhook that wants it; returns once the rows exist. */
  async dispatch(notification: Notification): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const eventId = randomUUID();
    const at = new Date().toISOString();
    for (const webhook of await this.webhooks.list()) {
      const tailored = forWebhook(notification, webhook);
      if (!tailored) continue;
      const body = deliveryBody(tailored, eventId, at);
      const delivery = await this.webhooks.addDelivery({ webhookId: webhook.id, eventId, event: tailored.event, host: tailored.host, body });
      const run = this.send(webhook, delivery.id, eventId, tailored.event, body).catch((error: unknown) =>
        this.logger.error(`delivery ${delivery.id}: ${error instanceof Error ? error.message : String(error)}`),
      );
      this.active.add(run);
      void run.finally(() => this.active.delete(run));
    }
  }

  private async send(webhook: WebhookEntity, deliveryId: number, eventId: string, event: string, body: string): Promise<void> {
    const { maxAttempts, retryBaseMs } = this.config.webhooks;
    const attempts: DeliveryAttempt[] = [];
    let status: DeliveryStatus = 'pending';
    while (status === 'pending') {
      const attempt = await this.attempt(webhook, eventId, event, body);
      attempts.push(attempt);
      if (this.stopping.signal.aborted) status = 'interrupted';
      else if (attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300) status = 'delivered';
      else if (!isRetryable(attempt.statusCode) || attempts.length >= maxAttempts) status = 'failed';
      await this.webhooks.updateDelivery(deliveryId, status, attempts);
      if (status === 'pending' && !(await this.sleep(retryDelayMs(attempts.length, retryBaseMs)))) {
        status = 'interrupted';
        await this.webhooks.updateDelivery(deliveryId, status, attempts);
      }
    }
  }

  private async attempt(webhook: WebhookEntity, eventId: string, event: string, body: string): Promise<DeliveryAttempt> {
    const at = new Date();
    const t0 = performance.now();
    const done = (statusCode: number | null, error: string | null): DeliveryAttempt => ({
      at: at.toISOString(),
      statusCode,
      error,
      durationMs: Math.round(performance.now() - t0),
    });
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'driftwatch-webhook',
          'x-driftwatch-event': event,
          'x-driftwatch-event-id': eventId,
          'x-driftwatch-timestamp': String(Math.floor(at.getTime() / 1000)),
          'x-driftwatch-signature': signBody(webhook.secret, body),
        },
        body,
        signal: AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.config.webhooks.timeoutMs)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      return done(response.status, response.ok ? null : `HTTP ${response.status}`);
    } catch (error) {
      if (this.stopping.signal.aborted) return done(null, 'aborted: the collector is shutting down');
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const name = (error as Error).name;
      return done(null, name === 'TimeoutError' ? `no answer within ${this.config.webhooks.timeoutMs} ms` : (cause?.code ?? cause?.message ?? (error as Error).message));
    }
  }

  /** Resolves true after `ms`, or false at once when the collector starts shutting down. */
  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.stopping.signal.aborted) return resolve(false);
      const stop = () => (clearTimeout(timer), resolve(false));
      const timer = setTimeout(() => (this.stopping.signal.removeEventListener('abort', stop), resolve(true)), ms);
      this.stopping.signal.addEventListener('abort', stop, { once: true });
    });
  }
}
