import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * How each host is reached and trusted: host key policy and known_hosts file, jump host,
 * `sudo -n`, and the encrypted secrets (password, key passphrase, inline private key).
 * Secret columns hold AES-256-GCM envelopes, never plain text.
 */
export class HostAccess1763800200000 implements MigrationInterface {
  name = 'HostAccess1763800200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('hosts', [
      new TableColumn({ name: 'host_key_policy', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'known_hosts_file', type: 'varchar', length: '1024', isNullable: true }),
      new TableColumn({ name: 'jump_host', type: 'varchar', length: '100', isNullable: true }),
      new TableColumn({ name: 'sudo', type: 'boolean', default: false }),
      new TableColumn({ name: 'secret_password', type: 'text', isNullable: true }),
      new TableColumn({ name: 'secret_passphrase', type: 'text', isNullable: true }),
      new TableColumn({ name: 'secret_private_key', type: 'text', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['secret_private_key', 'secret_passphrase', 'secret_password', 'sudo', 'jump_host', 'known_hosts_file', 'host_key_policy']) {
      await queryRunner.dropColumn('hosts', column);
    }
  }
}
