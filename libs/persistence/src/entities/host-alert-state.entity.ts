import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The condition last notified for a host, so a lasting failure notifies once, not every scan. */
@Entity('host_alert_states')
export class HostAlertStateEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'host_id', type: 'integer', unique: true })
  hostId: number;

  /** The host's last scan failed (unreachable, auth-failed, timeout, failed). */
  @Column({ type: 'boolean', default: false })
  failing: boolean;

  /** The unexpected host key already notified; cleared by a successful scan. */
  @Column({ name: 'mismatch_key', type: 'varchar', length: 100, nullable: true })
  mismatchKey: string | null;

  @Column({ name: 'updated_at', type: 'varchar', length: 24 })
  updatedAt: string;
}
