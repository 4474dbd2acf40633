import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type WebhookEventType = 'drift' | 'finding' | 'scan-failed' | 'hostkey-mismatch';
export type WebhookSeverity = 'info' | 'warning' | 'critical';

/** Where to POST notifications, for which events, and the secret their signatures use. */
@Entity('webhooks')
export class WebhookEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  @Column({ type: 'simple-json' })
  events: WebhookEventType[];

  @Column({ name: 'min_severity', type: 'varchar', length: 16 })
  minSeverity: WebhookSeverity;

  /**
   * HMAC-SHA256 key, sealed under DRIFTWATCH_SECRET_KEY (`v1:…`); shown once at creation, never
   * again. Rows from before sealing hold it in plain text until `driftwatch secrets rotate`.
   */
  @Column({ type: 'varchar', length: 512 })
  secret: string;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt: string;
}
