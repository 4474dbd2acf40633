import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * pending: attempts remain (or the first is under way); delivered: a 2xx answer; failed: a
 * non-retryable answer or every attempt used; interrupted: the collector stopped before the
 * delivery finished (the next start resumes it).
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'interrupted';

export interface DeliveryAttempt {
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** One notification to one webhook: the exact body that was signed and every attempt to send it. */
@Entity('webhook_deliveries')
@Index('idx_webhook_deliveries_webhook', ['webhookId', 'id'])
@Index('idx_webhook_deliveries_created', ['createdAt'])
@Index('idx_webhook_deliveries_host', ['host'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'webhook_id', type: 'integer' })
  webhookId: number;

  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  @Column({ type: 'varchar', length: 32 })
  event: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  host: string | null;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'varchar', length: 16 })
  status: DeliveryStatus;

  @Column({ type: 'simple-json' })
  attempts: DeliveryAttempt[];

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 24 })
  updatedAt: string;
}
