import { DataSource } from 'typeorm';
import { diffSnapshots } from '@driftwatch/drift';
import { HostEntity, packRaw, writeQueueFor } from '@driftwatch/persistence';
import type { SnapshotContent } from '@driftwatch/snapshots';
import { insertHosts } from '../common/insert-hosts';
import { VariantSnapshot } from './variant-snapshots';

export interface HistoryShape {
  hosts: number;
  hours: number;
  /** Probability that a scan finds its host changed. */
  changeRate: number;
  /** Probability per host and hour that an outage starts (the host then fails its scans). */
  outageRate: number;
  /** Mean length of an outage, in hourly scans. */
  outageHours: number;
  seed: number;
}

export interface HistoryCounts {
  states: number;
  driftEvents: number;
  scans: number;
  failedScans: number;
  scanRuns: number;
}

/** Deterministic PRNG (mulberry32), so a rerun (and the other database of a run) stores the same history. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SCAN_COLUMNS = ['id', 'run_id', 'host_id', 'status', 'error', 'state_id', 'changed', 'presented_host_key', 'started_at', 'duration_ms'];
const STATE_COLUMNS = ['id', 'host_id', 'hash', 'content', 'raw', 'first_seen_at', 'last_seen_at', 'seen_count'];
const DRIFT_COLUMNS = ['host_id', 'from_state_id', 'to_state_id', 'detected_at', 'path', 'kind', 'category', 'severity', 'summary', 'before', 'after'];
const RUN_COLUMNS = ['id', 'status', 'selection', 'total', 'created_at', 'finished_at'];
const ROWS_PER_STATEMENT = 500;
const FAILURES = [
  { status: 'unreachable', error: 'connect ECONNREFUSED' },
  { status: 'unreachable', error: 'connect EHOSTUNREACH' },
  { status: 'timeout', error: 'SSH handshake did not finish in 10000 ms' },
] as const;

function insertSql(table: string, columns: string[], rows: number): string {
  const one = `(${columns.map(() => '?').join(',')})`;
  return `INSERT INTO ${table} (${columns.join(',')}) VALUES ${Array.from({ length: rows }, () => one).join(',')}`;
}

interface HostTrack {
  id: number;
  fingerprint: string;
  /** The host's current state (0 before its first successful scan) and the variant it shows. */
  stateId: number;
  variant: number;
  seenCount: number;
  lastSeenAt: string | null;
  /** Scans left in the current outage, and its failure. */
  outageLeft: number;
  failure: (typeof FAILURES)[number];
}

/**
 * A fleet's history written day by day, in the order and shape the store writes it: every
 * hour a `scan_runs` row and one `scans` row per host — `ok` with the host's state, or a failed
 * status with no state while the host is in an outage; a `host_states` row (real canonical JSON
 * and gzip'd raw evidence of one of the variants) when a scan finds the host changed, with its
 * `drift_events` from the previous state; the current states' last seen time and count brought
 * up to date. One day is one transaction through the write queue, with explicit ids, so a
 * prune can run between days exactly as it would between real scans.
 */
export class HistorySimulator {
  readonly counts: HistoryCounts = { states: 0, driftEvents: 0, scans: 0, failedScans: 0, scanRuns: 0 };
  readonly hostNames: string[];
  private readonly random: () => number;
  private readonly start = Date.UTC(2025, 11, 1);
  private readonly packed: string[];
  private readonly contents: SnapshotContent[];
  private readonly pairDiffs = new Map<string, ReturnType<typeof diffSnapshots>>();
  private hosts: HostTrack[] = [];
  private hour = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly shape: HistoryShape,
    private readonly variants: VariantSnapshot[],
  ) {
    this.random = prng(shape.seed);
    this.hostNames = Array.from({ length: shape.hosts }, (_, i) => `web-${String(i + 1).padStart(4, '0')}`);
    this.packed = variants.map((v) => packRaw(v.sections));
    this.contents = variants.map((v) => JSON.parse(v.canonical) as SnapshotContent);
  }

  /** The simulated time: the start of the next hour to write. */
  get now(): Date {
    return new Date(this.hourAt(this.hour));
  }

  get done(): boolean {
    return this.hour >= this.shape.hours;
  }

  async registerHosts(): Promise<void> {
    const fingerprints = this.hostNames.map((_, i) => `SHA256:${Buffer.from(`driftwatch-bench-host-key-${i}`.padEnd(32, '.')).toString('base64').replace(/=+$/, '').slice(0, 43)}`);
    const at = new Date(this.start).toISOString();
    await insertHosts(
      this.dataSource,
      this.hostNames.map((name, i) => ({
        name,
        address: `10.${Math.floor(i / 250)}.${i % 250}.10`,
        port: 22,
        username: 'deploy',
        authType: 'key' as const,
        privateKeyPath: '/etc/driftwatch/id_ed25519',
        hostKey: fingerprints[i],
        labels: ['web'],
        overrides: {},
        createdAt: at,
        updatedAt: at,
      })),
    );
    const ids = (await this.dataSource.getRepository(HostEntity).find({ order: { id: 'ASC' } })).map((h) => h.id);
    this.hosts = ids.map((id, i) => ({ id, fingerprint: fingerprints[i], stateId: 0, variant: Math.floor(this.random() * this.variants.length), seenCount: 0, lastSeenAt: null, outageLeft: 0, failure: FAILURES[0] }));
  }

  /** Writes the next `hours` hours (a day by default) as one transaction. */
  async advance(hours = 24): Promise<void> {
    const end = Math.min(this.shape.hours, this.hour + hours);
    const states: unknown[][] = [];
    const drift: unknown[][] = [];
    const runs: unknown[][] = [];
    const scans: unknown[][] = [];
    for (; this.hour < end; this.hour++) {
      const runId = ++this.counts.scanRuns;
      const runAt = this.hourAt(this.hour);
      runs.push([runId, 'finished', '{}', this.hosts.length, iso(runAt), iso(runAt + 600_000)]);
      for (const [i, host] of this.hosts.entries()) scans.push(this.scan(host, runId, runAt + i * 500, states, drift));
    }
    const touched = this.hosts.filter((h) => h.stateId && h.lastSeenAt);
    await writeQueueFor(this.dataSource).run(async (m) => {
      for (const [table, columns, rows] of [
        ['host_states', STATE_COLUMNS, states],
        ['drift_events', DRIFT_COLUMNS, drift],
        ['scan_runs', RUN_COLUMNS, runs],
        ['scans', SCAN_COLUMNS, scans],
      ] as const) {
        for (let j = 0; j < rows.length; j += ROWS_PER_STATEMENT) {
          const part = rows.slice(j, j + ROWS_PER_STATEMENT);
          await m.query(insertSql(table, [...columns], part.length), part.flat());
        }
      }
      for (const h of touched) await m.query('UPDATE host_states SET last_seen_at = ?, seen_count = ? WHERE id = ?', [h.lastSeenAt, h.seenCount, h.stateId]);
    });
  }

  private scan(host: HostTrack, runId: number, at: number, states: unknown[][], drift: unknown[][]): unknown[] {
    const id = ++this.counts.scans;
    const duration = 400 + Math.floor(this.random() * 600);
    if (host.outageLeft === 0 && this.random() < this.shape.outageRate) {
      host.outageLeft = 1 + Math.floor(-Math.log(1 - this.random()) * this.shape.outageHours);
      host.failure = FAILURES[Math.floor(this.random() * FAILURES.length)];
    }
    if (host.outageLeft > 0) {
      host.outageLeft -= 1;
      this.counts.failedScans += 1;
      return [id, runId, host.id, host.failure.status, host.failure.error, null, 0, null, iso(at), duration];
    }
    const changed = host.stateId === 0 || this.random() < this.shape.changeRate;
    if (changed) {
      const previous = host.stateId ? { id: host.stateId, variant: host.variant } : null;
      if (previous) host.variant = (host.variant + 1 + Math.floor(this.random() * (this.variants.length - 1))) % this.variants.length;
      host.stateId = ++this.counts.states;
      host.seenCount = 0;
      const v = this.variants[host.variant];
      states.push([host.stateId, host.id, v.hash, v.canonical, this.packed[host.variant], iso(at), iso(at), 1]);
      if (previous) {
        for (const c of this.diffOf(previous.variant, host.variant)) {
          drift.push([host.id, previous.id, host.stateId, iso(at), c.path, c.kind, c.category, c.severity, c.summary, JSON.stringify(c.before ?? null), JSON.stringify(c.after ?? null)]);
          this.counts.driftEvents += 1;
        }
      }
    }
    host.seenCount += 1;
    host.lastSeenAt = iso(at);
    return [id, runId, host.id, 'ok', null, host.stateId, changed ? 1 : 0, host.fingerprint, iso(at), duration];
  }

  private diffOf(a: number, b: number): ReturnType<typeof diffSnapshots> {
    const key = `${a}>${b}`;
    if (!this.pairDiffs.has(key)) this.pairDiffs.set(key, diffSnapshots(this.contents[a], this.contents[b], { ignore: [] }));
    return this.pairDiffs.get(key)!;
  }

  private hourAt(hour: number): number {
    return this.start + hour * 3_600_000;
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
