import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** How many SSH attempts a scan took (transient failures are retried); earlier rows made one. */
export class ScanAttempts1763800300000 implements MigrationInterface {
  name = 'ScanAttempts1763800300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('scans', new TableColumn({ name: 'attempts', type: 'integer', default: 1 }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('scans', 'attempts');
  }
}
