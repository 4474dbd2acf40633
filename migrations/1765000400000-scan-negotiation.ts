import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** The key exchange and host key algorithm each scan's SSH connection negotiated; null before, or when no handshake finished. */
export class ScanNegotiation1765000400000 implements MigrationInterface {
  name = 'ScanNegotiation1765000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('scans', new TableColumn({ name: 'kex', type: 'varchar', length: '64', isNullable: true }));
    await queryRunner.addColumn('scans', new TableColumn({ name: 'host_key_algorithm', type: 'varchar', length: '64', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('scans', 'host_key_algorithm');
    await queryRunner.dropColumn('scans', 'kex');
  }
}
