import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ScanRunStatus = 'running' | 'finished' | 'interrupted';

/** A requested scan of several hosts (POST /scans, the CLI, the scheduler). */
@Entity('scan_runs')
export class ScanRunEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 16 })
  status: ScanRunStatus;

  /** The selection as asked: {hosts?, labels?}. */
  @Column({ type: 'simple-json' })
  selection: { hosts?: string[]; labels?: string[] };

  @Column({ type: 'integer' })
  total: number;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt: string;

  @Column({ name: 'finished_at', type: 'varchar', length: 24, nullable: true })
  finishedAt: string | null;
}
