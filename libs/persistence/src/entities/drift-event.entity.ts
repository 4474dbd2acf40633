import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One semantic change between two consecutive states of a host: the unit people act on. */
@Entity('drift_events')
@Index('idx_drift_events_host', ['hostId', 'id'])
@Index('idx_drift_events_host_detected', ['hostId', 'detectedAt'])
@Index('idx_drift_events_to_state', ['toStateId'])
@Index('idx_drift_events_from_state', ['fromStateId'])
export class DriftEventEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'host_id', type: 'integer' })
  hostId: number;

  @Column({ name: 'from_state_id', type: 'integer' })
  fromStateId: number;

  @Column({ name: 'to_state_id', type: 'integer' })
  toStateId: number;

  @Column({ name: 'detected_at', type: 'varchar', length: 24 })
  detectedAt: string;

  @Column({ type: 'text' })
  path: string;

  @Column({ type: 'varchar', length: 16 })
  kind: string;

  @Column({ type: 'varchar', length: 16 })
  category: string;

  @Column({ type: 'varchar', length: 16 })
  severity: string;

  @Column({ type: 'text' })
  summary: string;

  /** JSON text of the value before (null when added or not known). */
  @Column({ type: 'text' })
  before: string;

  @Column({ type: 'text' })
  after: string;
}
