import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { DeliveryAttempt, DeliveryStatus, NewDelivery, WebhookDeliveryEntity, WebhookEntity, WebhooksRepository } from '@driftwatch/persistence';
import { SecretBox } from '../secrets/secret-box';
import { Notification, deliveryBody, forWebhook, isRetryable, retryDelayMs, signBody } from './notifications';
import { PrivateAddressError, WebhookAddressPolicy, hostnameOf } from './webhook-address-policy';
import { postOnce } from './webhook-request';
import { openWebhookSecret } from './webhook-secret';

type Outgoing = Pick<WebhookDeliveryEntity, 'id' | 'eventId' | 'event' | 'body'>;

/** One attempt, and whether another may follow it. */
interface Tried {
  attempt: DeliveryAttempt;
  retryable: boolean;
}

/** Slack on top of the longest a live sender leaves its pending delivery untouched (database latency). */
const LIVE_SENDER_SLACK_MS = 60_000;

/**
 * Sends notifications to webhooks: one delivery row per webhook with the exact signed body,
 * then attempts with exponential backoff, each recorded. Runs detached from scans. At
 * shutdown, attempts under way are aborted and every unfinished delivery is recorded as
 * `interrupted`; at the next start those (and any left `pending` by a crash) are resumed with
 * the same body and event id, within what is left of their attempt budget.
 */
@Injectable()
export class WebhookDeliveryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly stopping = new AbortController();
  private readonly active = new Set<Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly webhooks: WebhooksRepository,
    private readonly secrets: SecretBox,
    private readonly addresses: WebhookAddressPolicy,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const plain = (await this.webhooks.list()).filter((w) => !SecretBox.isSealed(w.secret)).length;
    if (plain && this.secrets.canSeal) this.logger.warn(`${plain} webhook signing secret(s) are stored in plain text from before secrets were sealed: run \`driftwatch secrets rotate\``);
    await this.resumeUnfinished();
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
      const row: NewDelivery = { webhookId: webhook.id, eventId, event: tailored.event, host: tailored.host, body: deliveryBody(tailored, eventId, at) };
      this.detach(webhook, await this.webhooks.addDelivery(row), []);
    }
  }

  /**
   * Deliveries a previous run did not finish: every `interrupted` one, and the `pending` ones
   * its crash left. Without a queue this process is the only sender, so every pending row is
   * such; with one, other processes may be sending theirs, so only a pending row untouched for
   * longer than a live sender ever leaves one is taken. Each row is claimed (a compare-and-set
   * on its status and update time), so two processes starting together do not both resend it.
   */
  private async resumeUnfinished(): Promise<void> {
    const { maxAttempts, retryBaseMs, timeoutMs } = this.config.webhooks;
    const liveSenderQuietMs = timeoutMs + (maxAttempts > 1 ? retryDelayMs(maxAttempts - 1, retryBaseMs) : 0) + LIVE_SENDER_SLACK_MS;
    const pendingBefore = new Date(Date.now() - (this.config.queue ? liveSenderQuietMs : 0)).toISOString();
    const webhooks = new Map((await this.webhooks.list()).map((w) => [w.id, w]));
    let resumed = 0;
    for (const delivery of await this.webhooks.unfinishedDeliveries(pendingBefore)) {
      const webhook = webhooks.get(delivery.webhookId);
      if (!webhook || this.stopping.signal.aborted || !(await this.webhooks.claimDelivery(delivery))) continue;
      this.detach(webhook, delivery, delivery.attempts);
      resumed++;
    }
    if (resumed) this.logger.warn(`resuming ${resumed} webhook deliveries a previous run left unfinished`);
  }

  /** Sends in the background, tracked so that shutdown can wait for it. */
  private detach(webhook: WebhookEntity, delivery: Outgoing, attemptsSoFar: DeliveryAttempt[]): void {
    const run = this.send(webhook, delivery, [...attemptsSoFar]).catch((error: unknown) =>
      this.logger.error(`delivery ${delivery.id}: ${error instanceof Error ? error.message : String(error)}`),
    );
    this.active.add(run);
    void run.finally(() => this.active.delete(run));
  }

  /** Attempts until an answer is final or the budget (attempts before a restart included) is used. */
  private async send(webhook: WebhookEntity, delivery: Outgoing, attempts: DeliveryAttempt[]): Promise<void> {
    const { maxAttempts, retryBaseMs } = this.config.webhooks;
    let status: DeliveryStatus = attempts.length >= maxAttempts ? 'failed' : 'pending';
    if (status === 'failed') return this.webhooks.updateDelivery(delivery.id, status, attempts);
    while (status === 'pending') {
      const tried = await this.attempt(webhook, delivery);
      attempts.push(tried.attempt);
      const code = tried.attempt.statusCode;
      if (this.stopping.signal.aborted) status = 'interrupted';
      else if (code !== null && code >= 200 && code < 300) status = 'delivered';
      else if (!tried.retryable || attempts.length >= maxAttempts) status = 'failed';
      await this.webhooks.updateDelivery(delivery.id, status, attempts);
      if (status === 'pending' && !(await this.sleep(retryDelayMs(attempts.length, retryBaseMs)))) {
        status = 'interrupted';
        await this.webhooks.updateDelivery(delivery.id, status, attempts);
      }
    }
  }

  private async attempt(webhook: WebhookEntity, delivery: Outgoing): Promise<Tried> {
    const at = new Date();
    const t0 = performance.now();
    const done = (statusCode: number | null, error: string | null, retryable = isRetryable(statusCode)): Tried => ({
      attempt: { at: at.toISOString(), statusCode, error, durationMs: Math.round(performance.now() - t0) },
      retryable,
    });
    // Neither a missing key nor the address policy changes between attempts: both are final.
    let secret: string;
    try {
      secret = openWebhookSecret(this.secrets, webhook.secret);
    } catch (error) {
      return done(null, `not sent: ${(error as Error).message}`, false);
    }
    const host = hostnameOf(webhook.url);
    const literal = isIP(host) ? this.addresses.literalRefusal(host) : null;
    if (literal) return done(null, `not sent: the url ${literal}`, false);
    const timeout = AbortSignal.timeout(this.config.webhooks.timeoutMs);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'driftwatch-webhook',
      'x-driftwatch-event': delivery.event,
      'x-driftwatch-event-id': delivery.eventId,
      'x-driftwatch-timestamp': String(Math.floor(at.getTime() / 1000)),
      'x-driftwatch-signature': signBody(secret, delivery.body),
    };
    try {
      const status = await postOnce(webhook.url, headers, delivery.body, this.addresses.lookup, AbortSignal.any([this.stopping.signal, timeout]));
      if (status >= 200 && status < 300) return done(status, null);
      return done(status, status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}`);
    } catch (error) {
      if (this.stopping.signal.aborted) return done(null, 'aborted: the collector is shutting down');
      if (timeout.aborted) return done(null, `no answer within ${this.config.webhooks.timeoutMs} ms`);
      if (error instanceof PrivateAddressError) return done(null, `not sent: ${error.message}`, false);
      const { code, message } = error as NodeJS.ErrnoException;
      return done(null, code ?? message);
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
