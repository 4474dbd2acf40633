import { DataSource, EntityManager, Repository } from 'typeorm';
import { isoNow } from '../clock';
import { insertRow, newestRowPerHost } from '../plain-statements';
import { ScanRunEntity } from '../entities/scan-run.entity';
import { ScanEntity } from '../entities/scan.entity';
import { WriteQueue, writeQueueFor } from '../write-queue';

export type NewScan = Omit<ScanEntity, 'id' | 'attempts' | 'kex' | 'hostKeyAlgorithm'> & Partial<Pick<ScanEntity, 'attempts' | 'kex' | 'hostKeyAlgorithm'>>;

export class ScansRepository {
  private readonly scans: Repository<ScanEntity>;
  private readonly runs: Repository<ScanRunEntity>;
  private readonly writes: WriteQueue;

  constructor(dataSource: DataSource) {
    this.scans = dataSource.getRepository(ScanEntity);
    this.runs = dataSource.getRepository(ScanRunEntity);
    this.writes = writeQueueFor(dataSource);
  }

  recordScan(scan: NewScan): Promise<ScanEntity> {
    return this.writes.run((m) => this.recordScanIn(m, scan));
  }

  /** Writes the scan row inside a transaction the caller already holds (with its state, say). */
  async recordScanIn(manager: EntityManager, scan: NewScan): Promise<ScanEntity> {
    const row = this.scans.create({ attempts: 1, kex: null, hostKeyAlgorithm: null, ...scan });
    row.id = await insertRow(manager, ScanEntity, row);
    return row;
  }

  lastScan(hostId: number): Promise<ScanEntity | null> {
    return this.scans.findOne({ where: { hostId }, order: { id: 'DESC' } });
  }

  /** The last scan of each of the given hosts that was ever scanned. */
  lastScansOf(hostIds: number[]): Promise<ScanEntity[]> {
    if (hostIds.length === 0) return Promise.resolve([]);
    return this.scans.createQueryBuilder('s').where(newestRowPerHost('scans', 's'), { hostIds }).getMany();
  }

  /** A host's scans, newest first. */
  async pageForHost(hostId: number, limit: number, offset: number): Promise<{ items: ScanEntity[]; total: number }> {
    const [items, total] = await this.scans.findAndCount({ where: { hostId }, order: { id: 'DESC' }, take: limit, skip: offset });
    return { items, total };
  }

  createRun(selection: ScanRunEntity['selection'], total: number): Promise<ScanRunEntity> {
    const createdAt = isoNow();
    return this.writes.run((m) => m.getRepository(ScanRunEntity).save(this.runs.create({ status: 'running', selection, total, createdAt, finishedAt: null })));
  }

  findRun(id: number): Promise<ScanRunEntity | null> {
    return this.runs.findOne({ where: { id } });
  }

  async finishRun(id: number): Promise<void> {
    await this.writes.run((m) => m.getRepository(ScanRunEntity).update({ id }, { status: 'finished', finishedAt: isoNow() }));
  }

  /** The scan of `hostId` recorded for run `runId`, if there is one. */
  scanOfRun(runId: number, hostId: number): Promise<ScanEntity | null> {
    return this.scans.findOne({ where: { runId, hostId } });
  }

  /** Marks the run finished once it has a scan for every host (runs whose scans are spread over processes). */
  async finishRunIfComplete(id: number): Promise<boolean> {
    const run = await this.findRun(id);
    if (!run || run.status !== 'running') return false;
    const { byStatus } = await this.runCounts(id);
    if (Object.values(byStatus).reduce((a, b) => a + b, 0) < run.total) return false;
    await this.writes.run((m) => m.getRepository(ScanRunEntity).update({ id, status: 'running' }, { status: 'finished', finishedAt: isoNow() }));
    return true;
  }

  /** Runs left `running` by a collector that stopped mid-run. */
  async markInterrupted(): Promise<number> {
    const result = await this.writes.run((m) =>
      m.getRepository(ScanRunEntity).update({ status: 'running' }, { status: 'interrupted', finishedAt: isoNow() }),
    );
    return result.affected ?? 0;
  }

  /** Scan count per status for one run, plus how many of them created a new state. */
  async runCounts(runId: number): Promise<{ byStatus: Record<string, number>; changed: number }> {
    const rows: { status: string; n: string | number; changed: string | number | null }[] = await this.scans
      .createQueryBuilder('s')
      .select('s.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(CASE WHEN s.changed THEN 1 ELSE 0 END)', 'changed')
      .where('s.run_id = :runId', { runId })
      .groupBy('s.status')
      .getRawMany();
    const byStatus: Record<string, number> = {};
    let changed = 0;
    for (const row of rows) {
      byStatus[row.status] = Number(row.n);
      changed += Number(row.changed ?? 0);
    }
    return { byStatus, changed };
  }

  scansOfRun(runId: number): Promise<ScanEntity[]> {
    return this.scans.find({ where: { runId }, order: { id: 'ASC' } });
  }

  /** Hosts not yet scanned in runs that are still running. */
  async pendingInRunningRuns(): Promise<number> {
    const planned: { n: string | number | null } | undefined = await this.runs
      .createQueryBuilder('r')
      .select('SUM(r.total)', 'n')
      .where('r.status = :status', { status: 'running' })
      .getRawOne();
    const done: { n: string | number } | undefined = await this.scans
      .createQueryBuilder('s')
      .innerJoin(ScanRunEntity, 'r', 'r.id = s.run_id')
      .select('COUNT(*)', 'n')
      .where('r.status = :status', { status: 'running' })
      .getRawOne();
    return Math.max(0, Number(planned?.n ?? 0) - Number(done?.n ?? 0));
  }
}
