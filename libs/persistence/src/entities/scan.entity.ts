import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type ScanStatus = 'ok' | 'partial' | 'unreachable' | 'auth-failed' | 'hostkey-mismatch' | 'timeout' | 'failed';

/** One attempt to scan one host; small, written for every scan whatever its outcome. */
@Entity('scans')
@Index('idx_scans_host', ['hostId', 'id'])
@Index('idx_scans_run', ['runId'])
@Index('idx_scans_state', ['stateId'])
export class ScanEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'run_id', type: 'integer', nullable: true })
  runId: number | null;

  @Column({ name: 'host_id', type: 'integer' })
  hostId: number;

  @Column({ type: 'varchar', length: 20 })
  status: ScanStatus;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** The state this scan observed; null when the scan produced no snapshot. */
  @Column({ name: 'state_id', type: 'integer', nullable: true })
  stateId: number | null;

  /** True when the scan created a new state (the host differs from its previous state). */
  @Column({ type: 'boolean' })
  changed: boolean;

  /** The host key fingerprint the server presented, recorded for mismatches and pinning. */
  @Column({ name: 'presented_host_key', type: 'varchar', length: 100, nullable: true })
  presentedHostKey: string | null;

  @Column({ name: 'started_at', type: 'varchar', length: 24 })
  startedAt: string;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  /** The key exchange the SSH connection negotiated (ssh2 offers no post-quantum one); null when no handshake finished. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  kex: string | null;

  /** The host key algorithm negotiated, e.g. ssh-ed25519 or rsa-sha2-512. */
  @Column({ name: 'host_key_algorithm', type: 'varchar', length: 64, nullable: true })
  hostKeyAlgorithm: string | null;

  /** SSH attempts this scan made: 1, or more when transient failures were retried. */
  @Column({ type: 'integer', default: 1 })
  attempts: number;
}
