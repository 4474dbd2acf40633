import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Drift events: the semantic changes between consecutive states of a host, written with the
 * state that caused them. Indexed for a host's timeline (newest first, optionally since a
 * time) and for reparse, which replaces the events of the states it re-derived.
 */
export class DriftEvents1763800000000 implements MigrationInterface {
  name = 'DriftEvents1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'drift_events',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'host_id', type: 'integer' },
          { name: 'from_state_id', type: 'integer' },
          { name: 'to_state_id', type: 'integer' },
          { name: 'detected_at', type: 'varchar', length: '24' },
          { name: 'path', type: 'text' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'category', type: 'varchar', length: '16' },
          { name: 'severity', type: 'varchar', length: '16' },
          { name: 'summary', type: 'text' },
          { name: 'before', type: 'text' },
          { name: 'after', type: 'text' },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['host_id'], referencedTableName: 'hosts', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['from_state_id'], referencedTableName: 'host_states', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['to_state_id'], referencedTableName: 'host_states', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
        indices: [
          new TableIndex({ name: 'idx_drift_events_host', columnNames: ['host_id', 'id'] }),
          new TableIndex({ name: 'idx_drift_events_host_detected', columnNames: ['host_id', 'detected_at'] }),
          new TableIndex({ name: 'idx_drift_events_to_state', columnNames: ['to_state_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('drift_events');
  }
}
