import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Bearer tokens for the REST API, stored as sha256 digests. */
export class ApiTokens1763800400000 implements MigrationInterface {
  name = 'ApiTokens1763800400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'scope', type: 'varchar', length: '8' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'varchar', length: '24' },
          { name: 'revoked_at', type: 'varchar', length: '24', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'idx_api_tokens_hash', columnNames: ['token_hash'], isUnique: true })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('api_tokens');
  }
}
