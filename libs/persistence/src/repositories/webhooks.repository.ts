import { DataSource, LessThan, Repository } from 'typeorm';
import { isoNow } from '../clock';
import { HostAlertStateEntity } from '../entities/host-alert-state.entity';
import { DeliveryAttempt, DeliveryStatus, WebhookDeliveryEntity } from '../entities/webhook-delivery.entity';
import { WebhookEntity } from '../entities/webhook.entity';
import { WriteQueue, writeQueueFor } from '../write-queue';

export type NewWebhook = Omit<WebhookEntity, 'id' | 'createdAt'>;
export type NewDelivery = Pick<WebhookDeliveryEntity, 'webhookId' | 'eventId' | 'event' | 'host' | 'body'>;
export type AlertState = Pick<HostAlertStateEntity, 'failing' | 'mismatchKey'>;

/** Webhooks, their deliveries, and the per-host condition last notified. */
export class WebhooksRepository {
  private readonly webhooks: Repository<WebhookEntity>;
  private readonly deliveries: Repository<WebhookDeliveryEntity>;
  private readonly alerts: Repository<HostAlertStateEntity>;
  private readonly writes: WriteQueue;

  constructor(dataSource: DataSource) {
    this.webhooks = dataSource.getRepository(WebhookEntity);
    this.deliveries = dataSource.getRepository(WebhookDeliveryEntity);
    this.alerts = dataSource.getRepository(HostAlertStateEntity);
    this.writes = writeQueueFor(dataSource);
  }

  create(webhook: NewWebhook): Promise<WebhookEntity> {
    return this.writes.run((m) => m.getRepository(WebhookEntity).save(this.webhooks.create({ ...webhook, createdAt: isoNow() })));
  }

  list(): Promise<WebhookEntity[]> {
    return this.webhooks.find({ order: { id: 'ASC' } });
  }

  findById(id: number): Promise<WebhookEntity | null> {
    return this.webhooks.findOne({ where: { id } });
  }

  async remove(id: number): Promise<void> {
    await this.writes.run(async (m) => {
      await m.getRepository(WebhookDeliveryEntity).delete({ webhookId: id });
      await m.getRepository(WebhookEntity).delete({ id });
    });
  }

  addDelivery(delivery: NewDelivery): Promise<WebhookDeliveryEntity> {
    const now = isoNow();
    return this.writes.run((m) =>
      m.getRepository(WebhookDeliveryEntity).save(this.deliveries.create({ ...delivery, status: 'pending', attempts: [], createdAt: now, updatedAt: now })),
    );
  }

  async updateDelivery(id: number, status: DeliveryStatus, attempts: DeliveryAttempt[]): Promise<void> {
    await this.writes.run((m) => m.getRepository(WebhookDeliveryEntity).update({ id }, { status, attempts, updatedAt: isoNow() }));
  }

  /** A webhook's deliveries, newest first. */
  async deliveriesOf(webhookId: number, limit: number, offset: number): Promise<{ items: WebhookDeliveryEntity[]; total: number }> {
    const [items, total] = await this.deliveries.findAndCount({ where: { webhookId }, order: { id: 'DESC' }, take: limit, skip: offset });
    return { items, total };
  }

  /**
   * Deliveries a previous run left unfinished, oldest first: every `interrupted` one, and the
   * `pending` ones last updated before `pendingBefore` (newer ones may be in another process's hands).
   */
  unfinishedDeliveries(pendingBefore: string): Promise<WebhookDeliveryEntity[]> {
    return this.deliveries.find({
      where: [{ status: 'interrupted' }, { status: 'pending', updatedAt: LessThan(pendingBefore) }],
      order: { id: 'ASC' },
    });
  }

  /**
   * Takes over an unfinished delivery as it was read: marks it `pending` again, unless another
   * process changed it since (its status or update time differ). True when this caller has it.
   */
  async claimDelivery(seen: Pick<WebhookDeliveryEntity, 'id' | 'status' | 'updatedAt'>): Promise<boolean> {
    const result = await this.writes.run((m) =>
      m.getRepository(WebhookDeliveryEntity).update({ id: seen.id, status: seen.status, updatedAt: seen.updatedAt }, { status: 'pending', updatedAt: isoNow() }),
    );
    return result.affected === 1;
  }

  /** Seals (or reseals) a webhook's signing secret. */
  async updateSecret(id: number, secret: string): Promise<void> {
    await this.writes.run((m) => m.getRepository(WebhookEntity).update({ id }, { secret }));
  }

  async alertState(hostId: number): Promise<AlertState> {
    const row = await this.alerts.findOne({ where: { hostId } });
    return { failing: row?.failing ?? false, mismatchKey: row?.mismatchKey ?? null };
  }

  async saveAlertState(hostId: number, state: AlertState): Promise<void> {
    await this.writes.run(async (m) => {
      const repo = m.getRepository(HostAlertStateEntity);
      const values = { failing: state.failing, mismatchKey: state.mismatchKey, updatedAt: isoNow() };
      if ((await repo.update({ hostId }, values)).affected) return;
      // The host may have been removed meanwhile; its alert state goes with it.
      if (await m.getRepository('hosts').exist({ where: { id: hostId } })) await repo.insert({ hostId, ...values });
    });
  }
}
