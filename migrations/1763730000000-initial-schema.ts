import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const timestamp = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '24', isNullable });

/** Hosts, their distinct states, scan runs and scans. Portable types only: sqlite and PostgreSQL. */
export class InitialSchema1763730000000 implements MigrationInterface {
  name = 'InitialSchema1763730000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'hosts',
        columns: [
          id,
          { name: 'name', type: 'varchar', length: '100', isUnique: true },
          { name: 'address', type: 'varchar', length: '255' },
          { name: 'port', type: 'integer' },
          { name: 'username', type: 'varchar', length: '64' },
          { name: 'auth_type', type: 'varchar', length: '16' },
          { name: 'private_key_path', type: 'varchar', length: '1024', isNullable: true },
          { name: 'host_key', type: 'varchar', length: '100', isNullable: true },
          { name: 'labels', type: 'text' },
          { name: 'overrides', type: 'text' },
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'host_states',
        columns: [
          id,
          { name: 'host_id', type: 'integer' },
          { name: 'hash', type: 'varchar', length: '64' },
          { name: 'content', type: 'text' },
          { name: 'raw', type: 'text' },
          timestamp('first_seen_at'),
          timestamp('last_seen_at'),
          { name: 'seen_count', type: 'integer' },
        ],
        foreignKeys: [new TableForeignKey({ columnNames: ['host_id'], referencedTableName: 'hosts', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
        indices: [new TableIndex({ name: 'idx_host_states_host', columnNames: ['host_id', 'id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'scan_runs',
        columns: [
          id,
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'selection', type: 'text' },
          { name: 'total', type: 'integer' },
          timestamp('created_at'),
          timestamp('finished_at', true),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'scans',
        columns: [
          id,
          { name: 'run_id', type: 'integer', isNullable: true },
          { name: 'host_id', type: 'integer' },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'error', type: 'text', isNullable: true },
          { name: 'state_id', type: 'integer', isNullable: true },
          { name: 'changed', type: 'boolean' },
          { name: 'presented_host_key', type: 'varchar', length: '100', isNullable: true },
          timestamp('started_at'),
          { name: 'duration_ms', type: 'integer' },
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['host_id'], referencedTableName: 'hosts', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['run_id'], referencedTableName: 'scan_runs', referencedColumnNames: ['id'], onDelete: 'SET NULL' }),
          new TableForeignKey({ columnNames: ['state_id'], referencedTableName: 'host_states', referencedColumnNames: ['id'], onDelete: 'SET NULL' }),
        ],
        indices: [
          new TableIndex({ name: 'idx_scans_host', columnNames: ['host_id', 'id'] }),
          new TableIndex({ name: 'idx_scans_run', columnNames: ['run_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('scans');
    await queryRunner.dropTable('scan_runs');
    await queryRunner.dropTable('host_states');
    await queryRunner.dropTable('hosts');
  }
}
