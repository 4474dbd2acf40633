import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One distinct state of a host: consecutive scans with the same content hash extend it
 * (lastSeenAt, seenCount) instead of adding rows, so storage grows with change, not scans.
 * Exposed through the API as a "snapshot".
 */
@Entity('host_states')
@Index('idx_host_states_host', ['hostId', 'id'])
@Index('idx_host_states_last_seen', ['lastSeenAt', 'hostId'])
export class HostStateEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'host_id', type: 'integer' })
  hostId: number;

  @Column({ type: 'varchar', length: 64 })
  hash: string;

  /** Canonical JSON of the snapshot content (checks, facts, findings). */
  @Column({ type: 'text' })
  content: string;

  /** gzip + base64 of the raw probe sections, kept so facts can be re-derived later. */
  @Column({ type: 'text' })
  raw: string;

  @Column({ name: 'first_seen_at', type: 'varchar', length: 24 })
  firstSeenAt: string;

  @Column({ name: 'last_seen_at', type: 'varchar', length: 24 })
  lastSeenAt: string;

  @Column({ name: 'seen_count', type: 'integer' })
  seenCount: number;
}
