import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Webhook signing secrets are sealed under DRIFTWATCH_SECRET_KEY (`v1:<key id>:<iv>:<tag>:<ciphertext>`,
 * about 142 characters for a 64-character secret), longer than the 128 the plain secret needed.
 * Existing rows keep their plain secret until `driftwatch secrets rotate` seals them.
 *
 * Not `changeColumn` with the new length: on PostgreSQL TypeORM drops and re-adds a column whose
 * length changes, losing every secret. The values are copied into a wider column instead.
 */
export class SealedWebhookSecrets1765000200000 implements MigrationInterface {
  name = 'SealedWebhookSecrets1765000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await resize(queryRunner, '512');
  }

  /** Fails on PostgreSQL while a sealed secret is stored: run it only before any is sealed. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await resize(queryRunner, '128');
  }
}

async function resize(queryRunner: QueryRunner, length: string): Promise<void> {
  const column = (name: string, isNullable: boolean) => new TableColumn({ name, type: 'varchar', length, isNullable });
  await queryRunner.addColumn('webhooks', column('secret_resized', true));
  await queryRunner.query('UPDATE webhooks SET secret_resized = secret');
  await queryRunner.dropColumn('webhooks', 'secret');
  await queryRunner.renameColumn('webhooks', 'secret_resized', 'secret');
  await queryRunner.changeColumn('webhooks', 'secret', column('secret', false));
}
