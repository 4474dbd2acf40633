import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AuthType = 'key' | 'agent' | 'password';
export type HostKeyPolicyName = 'pinned' | 'known-hosts' | 'accept-new';

/** Per-host values the probe uses instead of discovering them. */
export interface HostOverrides {
  apachectl?: string;
  apxs?: string;
  modWsgiSo?: string;
  python?: string;
  diagnosticUrl?: string;
  errorLogBytes?: string;
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

  /** null: the collector's default (HOST_KEY_POLICY). */
  @Column({ name: 'host_key_policy', type: 'varchar', length: 16, nullable: true })
  hostKeyPolicy: HostKeyPolicyName | null;

  /** known_hosts file for this host; null: the collector's KNOWN_HOSTS_FILE. */
  @Column({ name: 'known_hosts_file', type: 'varchar', length: 1024, nullable: true })
  knownHostsFile: string | null;

  /** Name of the registered host connections to this one go through. */
  @Column({ name: 'jump_host', type: 'varchar', length: 100, nullable: true })
  jumpHost: string | null;

  /** Run the probe as `sudo -n sh -s`. */
  @Column({ type: 'boolean', default: false })
  sudo: boolean;

  /** Encrypted secrets (AES-256-GCM envelopes); never leave the service decrypted except to SSH. */
  @Column({ name: 'secret_password', type: 'text', nullable: true })
  secretPassword: string | null;

  @Column({ name: 'secret_passphrase', type: 'text', nullable: true })
  secretPassphrase: string | null;

  @Column({ name: 'secret_private_key', type: 'text', nullable: true })
  secretPrivateKey: string | null;

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
