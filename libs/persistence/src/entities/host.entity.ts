import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AuthType = 'key' | 'agent';

/** Per-host values the probe uses instead of discovering them. */
export interface HostOverrides {
  apachectl?: string;
  apxs?: string;
  modWsgiSo?: string;
  python?: string;
  diagnosticUrl?: string;
}

@Entity('hosts')
export class HostEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100, unique: true })
  name: string;

  @Column({ type: 'varchar', length: 255 })
  address: string;

  @Column({ type: 'integer' })
  port: number;

  @Column({ type: 'varchar', length: 64 })
  username: string;

  @Column({ name: 'auth_type', type: 'varchar', length: 16 })
  authType: AuthType;

  @Column({ name: 'private_key_path', type: 'varchar', length: 1024, nullable: true })
  privateKeyPath: string | null;

  /** Pinned host key fingerprint ("SHA256:…"); null until the first scan pins it. */
  @Column({ name: 'host_key', type: 'varchar', length: 100, nullable: true })
  hostKey: string | null;

  @Column({ type: 'simple-json' })
  labels: string[];

  @Column({ type: 'simple-json' })
  overrides: HostOverrides;

  /** The reference of its label cohorts: its facts are the baseline instead of the majority's. */
  @Column({ type: 'boolean', default: false })
  golden: boolean;

  /** ISO-8601 UTC; text so one schema serves sqlite and PostgreSQL alike. */
  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 24 })
  updatedAt: string;
}
