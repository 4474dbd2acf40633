import { MigrationInterface, QueryRunner, Table, TableColumn, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const timestamp = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '24', isNullable });

/**
 * The golden host flag of fleet cohorts, webhooks with their deliveries, and the last
 * notified condition of each host (so a host that keeps failing notifies once).
 */
export class FleetWebhooks1763800100000 implements MigrationInterface {
  name = 'FleetWebhooks1763800100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('hosts', new TableColumn({ name: 'golden', type: 'boolean', default: false }));
    await queryRunner.createTable(
      new Table({
        name: 'webhooks',
        columns: [
          id,
          { name: 'url', type: 'varchar', length: '2048' },
          { name: 'events', type: 'text' },
          { name: 'min_severity', type: 'varchar', length: '16' },
          { name: 'secret', type: 'varchar', length: '128' },
          timestamp('created_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          id,
          { name: 'webhook_id', type: 'integer' },
          { name: 'event_id', type: 'varchar', length: '36' },
          { name: 'event', type: 'varchar', length: '32' },
          { name: 'host', type: 'varchar', length: '100', isNullable: true },
          { name: 'body', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'text' },
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        foreignKeys: [new TableForeignKey({ columnNames: ['webhook_id'], referencedTableName: 'webhooks', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
        indices: [
          new TableIndex({ name: 'idx_webhook_deliveries_webhook', columnNames: ['webhook_id', 'id'] }),
          new TableIndex({ name: 'idx_webhook_deliveries_status', columnNames: ['status'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'host_alert_states',
        columns: [
          id,
          { name: 'host_id', type: 'integer', isUnique: true },
          { name: 'failing', type: 'boolean', default: false },
          { name: 'mismatch_key', type: 'varchar', length: '100', isNullable: true },
          timestamp('updated_at'),
        ],
        foreignKeys: [new TableForeignKey({ columnNames: ['host_id'], referencedTableName: 'hosts', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('host_alert_states');
    await queryRunner.dropTable('webhook_deliveries');
    await queryRunner.dropTable('webhooks');
    await queryRunner.dropColumn('hosts', 'golden');
  }
}
