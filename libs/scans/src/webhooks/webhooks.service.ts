import { randomBytes } from 'node:crypto';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { WebhooksRepository } from '@driftwatch/persistence';
import { DomainError, DomainErrorCode } from '../errors';
import { ScanEvent, ScanEvents } from '../events/scan-events';
import { KeyedMutex } from '../scanning/keyed-mutex';
import { SecretBox } from '../secrets/secret-box';
import { driftNews, scanNews } from './notifications';
import { WebhookAddressPolicy } from './webhook-address-policy';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { CreateWebhookInput } from './webhook-input';
import { sealWebhookSecret } from './webhook-secret';
import { CreatedWebhookView, DeliveryView, WebhookView, toDeliveryView, toWebhookView } from './webhook-view';

/** Webhook registry, and the listener that turns scan events into deliveries. */
@Injectable()
export class WebhooksService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebhooksService.name);
  /** One host's events are judged in order, so "started failing" is decided once. */
  private readonly perHost = new KeyedMutex<number>();
  private unsubscribe?: () => void;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: WebhookDeliveryService,
    private readonly events: ScanEvents,
    private readonly secrets: SecretBox,
    private readonly addresses: WebhookAddressPolicy,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) => this.perHost.run(event.hostId, () => this.onScanEvent(event)));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /**
   * Registers a webhook with a fresh signing secret, sealed at rest. Refused (400) without a
   * DRIFTWATCH_SECRET_KEY to seal it with, and for a URL on (or resolving only to) a private
   * address unless WEBHOOK_ALLOW_PRIVATE=true.
   */
  async create(input: CreateWebhookInput): Promise<CreatedWebhookView> {
    if (!this.secrets.canSeal) {
      throw new DomainError(
        DomainErrorCode.InvalidInput,
        'a webhook cannot be registered: the collector has no DRIFTWATCH_SECRET_KEY to encrypt its signing secret with (32 bytes, base64 or hex)',
      );
    }
    const refusal = await this.addresses.registrationRefusal(input.url);
    if (refusal) throw new DomainError(DomainErrorCode.InvalidInput, refusal);
    const secret = randomBytes(32).toString('hex');
    const sealed = sealWebhookSecret(this.secrets, secret);
    const webhook = await this.webhooks.create({ url: input.url, events: [...new Set(input.events)], minSeverity: input.minSeverity ?? 'info', secret: sealed });
    this.logger.log(`webhook ${webhook.id} registered for ${webhook.events.join(', ')}`);
    return { ...toWebhookView(webhook), secret };
  }

  async list(): Promise<WebhookView[]> {
    return (await this.webhooks.list()).map(toWebhookView);
  }

  async remove(id: number): Promise<void> {
    await this.get(id);
    await this.webhooks.remove(id);
  }

  async deliveriesOf(id: number, limit: number, offset: number): Promise<{ items: DeliveryView[]; total: number; limit: number; offset: number }> {
    await this.get(id);
    const page = await this.webhooks.deliveriesOf(id, limit, offset);
    return { items: page.items.map(toDeliveryView), total: page.total, limit, offset };
  }

  private async get(id: number) {
    const webhook = await this.webhooks.findById(id);
    if (!webhook) throw new DomainError(DomainErrorCode.WebhookNotFound, `no webhook ${id}`);
    return webhook;
  }

  private async onScanEvent(event: ScanEvent): Promise<void> {
    if (event.type === 'drift-recorded') {
      for (const notification of driftNews(event)) await this.deliveries.dispatch(notification);
      return;
    }
    // Without a webhook that wants to hear of failures, there is no condition to track.
    const watched = (await this.webhooks.list()).some((w) => w.events.includes('scan-failed') || w.events.includes('hostkey-mismatch'));
    if (!watched) return;
    const previous = await this.webhooks.alertState(event.hostId);
    const { notifications, next } = scanNews(event, previous);
    if (next.failing !== previous.failing || next.mismatchKey !== previous.mismatchKey) await this.webhooks.saveAlertState(event.hostId, next);
    for (const notification of notifications) await this.deliveries.dispatch(notification);
  }
}
