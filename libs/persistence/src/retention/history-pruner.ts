import type { RetentionPolicy } from '@driftwatch/config';
import { DataSource, EntityManager } from 'typeorm';
import { isoNow } from '../clock';
import { WriteQueue, writeQueueFor } from '../write-queue';

export interface PruneOptions {
  now?: Date;
  /** Count what would go without deleting anything. */
  dryRun?: boolean;
}

/** Rows removed (or, in a dry run, that would be), by table. */
export interface PruneCounts {
  scans: number;
  states: number;
  driftEvents: number;
  scanRuns: number;
  webhookDeliveries: number;
}

export interface PruneReport extends PruneCounts {
  dryRun: boolean;
  /** Rows older than these instants were considered; null where that history is kept. */
  cutoffs: { scans: string | null; states: string | null; webhookDeliveries: string | null };
  batches: number;
}

const DAY_MS = 86_400_000;

function cutoff(now: Date, days: number | null): string | null {
  return days === null ? null : isoNow(new Date(now.getTime() - days * DAY_MS));
}

interface ScanRow {
  id: number;
  started_at: string;
  status: string;
  changed: boolean | number;
  previous_status: string | null;
  next_id: number | null;
  /** 1 when the state this attempt observed goes too (it is then deleted with that state). */
  state_goes?: number | null;
}

/**
 * Deletes the history a retention policy no longer keeps, in bounded batches, each one short
 * write through the write queue (on sqlite a scan's write waits for at most one batch).
 *
 * - Scan attempts older than the scan cutoff, except a host's last one, one that created a
 *   state, and one whose status differs from the host's previous attempt (a failure starting
 *   or ending). Deleting an attempt whose status equals its predecessor's leaves every other
 *   attempt's predecessor status as it was, so one pass decides the same for every row and a
 *   dry run counts exactly what the real run deletes.
 * - With a state cutoff: states last seen before it that are not their host's current state,
 *   with the scans that observed them and the drift events into and out of them.
 * - Finished scan runs created before the scan cutoff (their kept scans keep no run id), and
 *   finished webhook deliveries (delivered or failed) created before theirs: pending and
 *   interrupted ones are still to be sent.
 */
export class HistoryPruner {
  private readonly writes: WriteQueue;

  constructor(private readonly dataSource: DataSource) {
    this.writes = writeQueueFor(dataSource);
  }

  async prune(policy: RetentionPolicy, options: PruneOptions = {}): Promise<PruneReport> {
    const now = options.now ?? new Date();
    const dryRun = options.dryRun ?? false;
    const cutoffs = { scans: cutoff(now, policy.scanDays), states: cutoff(now, policy.stateDays), webhookDeliveries: cutoff(now, policy.deliveryDays) };
    const counts: PruneCounts = { scans: 0, states: 0, driftEvents: 0, scanRuns: 0, webhookDeliveries: 0 };
    const batches = { count: 0 };
    const run = { dryRun, batchSize: policy.batchSize, batches };
    // Scans first, leaving alone those of states about to go: the status-change rule then
    // reads the same sequence of attempts in a dry run as in the real one.
    if (cutoffs.scans) counts.scans += await this.pruneScans(run, cutoffs.scans, cutoffs.states);
    if (cutoffs.states) {
      const removed = await this.pruneStates(run, cutoffs.states);
      counts.states = removed.states;
      counts.scans += removed.scans;
      counts.driftEvents = removed.driftEvents;
    }
    if (cutoffs.scans) counts.scanRuns = await this.pruneWhere(run, 'scan_runs', `created_at < ${this.param(0)} AND status <> 'running'`, [cutoffs.scans]);
    if (cutoffs.webhookDeliveries) {
      counts.webhookDeliveries = await this.pruneWhere(run, 'webhook_deliveries', `created_at < ${this.param(0)} AND status IN ('delivered', 'failed')`, [cutoffs.webhookDeliveries]);
    }
    return { ...counts, dryRun, cutoffs, batches: batches.count };
  }

  private async pruneScans(run: BatchRun, scanCutoff: string, stateCutoff: string | null): Promise<number> {
    const end = await this.firstScanIdFrom(scanCutoff);
    // Placeholders are numbered in the order they appear: sqlite's are positional.
    const stateGoes = stateCutoff ? `, (SELECT 1 FROM host_states d WHERE d.id = s.state_id AND ${this.doomedStatePredicate('d', this.param(0))}) AS state_goes` : '';
    const next = stateCutoff ? 1 : 0;
    const sql =
      `SELECT s.id, s.started_at, s.status, s.changed, ` +
      `(SELECT p.status FROM scans p WHERE p.host_id = s.host_id AND p.id < s.id ORDER BY p.id DESC LIMIT 1) AS previous_status, ` +
      `(SELECT n.id FROM scans n WHERE n.host_id = s.host_id AND n.id > s.id ORDER BY n.id LIMIT 1) AS next_id${stateGoes} ` +
      `FROM scans s WHERE s.id > ${this.param(next)} AND s.id < ${this.param(next + 1)} ORDER BY s.id LIMIT ${this.param(next + 2)}`;
    let deleted = 0;
    let after = 0;
    for (;;) {
      const rows = await this.batch(run, async (m) => {
        const found = (await m.query(sql, [...(stateCutoff ? [stateCutoff] : []), after, end, run.batchSize])) as ScanRow[];
        const doomed = found.filter((row) => row.started_at < scanCutoff && !row.state_goes && isRedundantAttempt(row)).map((row) => Number(row.id));
        if (!run.dryRun) await this.deleteIds(m, 'scans', doomed);
        deleted += doomed.length;
        return found;
      });
      if (rows.length < run.batchSize) return deleted;
      after = Number(rows[rows.length - 1].id);
    }
  }

  /**
   * The first scan id at or after which attempts started at or after `cutoff`. Ids follow the
   * order scans were recorded, so their start times rise with them (a scan's length apart at
   * most): a binary search over ids finds the edge of the old history in a few dozen lookups
   * where a walk would read every recent row. Any row below it that is not old after all is
   * still checked and kept; an old one above it waits for the next prune.
   */
  private async firstScanIdFrom(cutoff: string): Promise<number> {
    const [bounds] = (await this.dataSource.query('SELECT MIN(id) AS lo, MAX(id) AS hi FROM scans')) as Array<{ lo: number | null; hi: number | null }>;
    if (bounds.lo === null || bounds.hi === null) return 0;
    let lo = Number(bounds.lo);
    let hi = Number(bounds.hi) + 1;
    const sql = `SELECT id, started_at FROM scans WHERE id >= ${this.param(0)} ORDER BY id LIMIT 1`;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const [row] = (await this.dataSource.query(sql, [mid])) as Array<{ id: number; started_at: string }>;
      if (row && row.started_at < cutoff) lo = Number(row.id) + 1;
      else hi = mid;
    }
    return lo;
  }

  private async pruneStates(run: BatchRun, stateCutoff: string): Promise<{ states: number; scans: number; driftEvents: number }> {
    const sql = `SELECT d.id FROM host_states d WHERE ${this.doomedStatePredicate('d', this.param(0))} AND d.id > ${this.param(1)} ORDER BY d.id LIMIT ${this.param(2)}`;
    const removed = { states: 0, scans: 0, driftEvents: 0 };
    let after = 0;
    for (;;) {
      const ids = await this.batch(run, async (m) => {
        const stateIds = ((await m.query(sql, [stateCutoff, after, run.batchSize])) as Array<{ id: number }>).map((r) => Number(r.id));
        if (stateIds.length === 0) return stateIds;
        const n = stateIds.length;
        // A state seen for months has thousands of scans: they go by state, not by id.
        const scans = { where: `state_id IN (${this.params(0, n)})`, params: stateIds };
        const events = { where: `from_state_id IN (${this.params(0, n)}) OR to_state_id IN (${this.params(n, n)})`, params: [...stateIds, ...stateIds] };
        removed.scans += await this.countWhere(m, 'scans', scans);
        removed.driftEvents += await this.countWhere(m, 'drift_events', events);
        removed.states += n;
        if (!run.dryRun) {
          await m.query(`DELETE FROM drift_events WHERE ${events.where}`, events.params);
          await m.query(`DELETE FROM scans WHERE ${scans.where}`, scans.params);
          await this.deleteIds(m, 'host_states', stateIds);
        }
        return stateIds;
      });
      if (ids.length < run.batchSize) return removed;
      after = ids[ids.length - 1];
    }
  }

  /** Deletes (or counts) the rows of `table` matching `where`, a batch at a time. */
  private async pruneWhere(run: BatchRun, table: string, where: string, params: unknown[]): Promise<number> {
    const select = `SELECT id FROM ${table} WHERE (${where}) AND id > ${this.param(params.length)} ORDER BY id LIMIT ${this.param(params.length + 1)}`;
    let total = 0;
    let after = 0;
    for (;;) {
      const ids = await this.batch(run, async (m) => {
        const found = ((await m.query(select, [...params, after, run.batchSize])) as Array<{ id: number }>).map((r) => Number(r.id));
        if (!run.dryRun) await this.deleteIds(m, table, found);
        return found;
      });
      total += ids.length;
      if (ids.length < run.batchSize) return total;
      after = ids[ids.length - 1];
    }
  }

  /** A state last seen before the cutoff (given as `cutoffParam`) that is not its host's newest. */
  private doomedStatePredicate(alias: string, cutoffParam: string): string {
    return `${alias}.last_seen_at < ${cutoffParam} AND EXISTS (SELECT 1 FROM host_states l WHERE l.host_id = ${alias}.host_id AND l.id > ${alias}.id)`;
  }

  /** A dry run only reads, so it needs no place in the write queue. */
  private batch<T>(run: BatchRun, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    run.batches.count += 1;
    return run.dryRun ? work(this.dataSource.manager) : this.writes.run(work);
  }

  private async countWhere(m: EntityManager, table: string, filter: { where: string; params: unknown[] }): Promise<number> {
    const [row] = (await m.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${filter.where}`, filter.params)) as Array<{ n: number | string }>;
    return Number(row.n);
  }

  private async deleteIds(m: EntityManager, table: string, ids: number[]): Promise<void> {
    if (ids.length) await m.query(`DELETE FROM ${table} WHERE id IN (${this.params(0, ids.length)})`, ids);
  }

  /** `count` placeholders numbered from `first`. */
  private params(first: number, count: number): string {
    return Array.from({ length: count }, (_, i) => this.param(first + i)).join(', ');
  }

  private param(index: number): string {
    return this.dataSource.driver.createParameter(`p${index}`, index);
  }
}

interface BatchRun {
  dryRun: boolean;
  batchSize: number;
  batches: { count: number };
}

/** An attempt that told nothing new: no new state, the same status as the one before, and not the host's last. */
function isRedundantAttempt(row: ScanRow): boolean {
  return !Number(row.changed) && row.previous_status !== null && row.previous_status === row.status && row.next_id !== null;
}
