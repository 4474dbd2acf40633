import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * What pruning history reads and what its deletes cascade through: states by when they were
 * last seen (with the host, so the index answers alone instead of reading each state's evidence
 * pages), deliveries by age and by host (removed with it), and the scans and drift events that point at a deleted state
 * (each cascade would otherwise read the whole table once per state).
 */
export class RetentionIndexes1765000100000 implements MigrationInterface {
  name = 'RetentionIndexes1765000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('host_states', new TableIndex({ name: 'idx_host_states_last_seen', columnNames: ['last_seen_at', 'host_id'] }));
    await queryRunner.createIndex('webhook_deliveries', new TableIndex({ name: 'idx_webhook_deliveries_created', columnNames: ['created_at'] }));
    await queryRunner.createIndex('webhook_deliveries', new TableIndex({ name: 'idx_webhook_deliveries_host', columnNames: ['host'] }));
    await queryRunner.createIndex('scans', new TableIndex({ name: 'idx_scans_state', columnNames: ['state_id'] }));
    await queryRunner.createIndex('drift_events', new TableIndex({ name: 'idx_drift_events_from_state', columnNames: ['from_state_id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('drift_events', 'idx_drift_events_from_state');
    await queryRunner.dropIndex('scans', 'idx_scans_state');
    await queryRunner.dropIndex('webhook_deliveries', 'idx_webhook_deliveries_host');
    await queryRunner.dropIndex('webhook_deliveries', 'idx_webhook_deliveries_created');
    await queryRunner.dropIndex('host_states', 'idx_host_states_last_seen');
  }
}
