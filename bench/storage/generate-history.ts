import { DataSource } from 'typeorm';
import { diffSnapshots } from '@driftwatch/drift';
import { HostEntity, packRaw, writeQueueFor } from '@driftwatch/persistence';
import { insertHosts } from '../common/insert-hosts';
import type { SnapshotContent } from '@driftwatch/snapshots';
import { VariantSnapshot } from './variant-snapshots';

export interface HistoryShape {
  hosts: number;
  hours: number;
  /** Probability that a scan finds its host changed. */
  changeRate: number;
  seed: number;
}

export interface GeneratedHistory {
  hostNames: string[];
  states: number;
  driftEvents: number;
  scans: number;
  scanRuns: number;
  ms: { hosts: number; states: number; driftEvents: number; scans: number };
}

/** Deterministic PRNG (mulberry32), so a rerun stores the same history. */
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
const ROWS_PER_STATEMENT = 1000;
const ROWS_PER_TRANSACTION = 250_000;

function insertSql(table: string, columns: string[], rows: number): string {
  const one = `(${columns.map(() => '?').join(',')})`;
  return `INSERT INTO ${table} (${columns.join(',')}) VALUES ${Array.from({ length: rows }, () => one).join(',')}`;
}

/**
 * A history as the real store keeps it — one `scans` row per scan, one `host_states` row per
 * distinct state (full canonical content and gzip'd raw evidence, seenCount and first/last
 * seen), its `drift_events` from the previous state, one `scan_runs` row per hourly run — written straight into the migrated schema in
 * large transactions through the write queue (multi-row INSERTs with explicit ids).
 */
export async function generateHistory(
  dataSource: DataSource,
  shape: HistoryShape,
  variants: VariantSnapshot[],
  progress: (line: string) => void,
): Promise<GeneratedHistory> {
  const writes = writeQueueFor(dataSource);
  // Generation only: a page cache large enough for the indexes and the foreign-key lookups into
  // host_states, which otherwise miss the default 2 MiB cache on nearly every row.
  await dataSource.query('PRAGMA cache_size = -524288');
  const random = prng(shape.seed);
  const start = Date.UTC(2025, 10, 21);
  const iso = (ms: number) => new Date(ms).toISOString();
  const hourAt = (h: number) => start + h * 3_600_000;
  const hostNames = Array.from({ length: shape.hosts }, (_, i) => `web-${String(i + 1).padStart(4, '0')}`);
  const fingerprints = hostNames.map((_, i) => `SHA256:${Buffer.from(`driftwatch-bench-host-key-${i}`.padEnd(32, '.')).toString('base64').replace(/=+$/, '').slice(0, 43)}`);

  let t = performance.now();
  await insertHosts(
    dataSource,
    hostNames.map((name, i) => ({
      name,
      address: `10.${Math.floor(i / 250)}.${i % 250}.10`,
      port: 22,
      username: 'deploy',
      authType: 'key' as const,
      privateKeyPath: '/etc/driftwatch/id_ed25519',
      hostKey: fingerprints[i],
      labels: ['web'],
      overrides: {},
      createdAt: iso(start),
      updatedAt: iso(start),
    })),
  );
  const hostIds = (await dataSource.getRepository(HostEntity).find({ order: { id: 'ASC' } })).map((h) => h.id);
  const hostsMs = performance.now() - t;

  // Each host's states: the hours at which a scan found it changed, and the variant it shows.
  interface Segment { host: number; from: number; to: number; variant: number; id: number }
  const segments: Segment[] = [];
  const perHost: Segment[][] = hostNames.map(() => []);
  for (let i = 0; i < shape.hosts; i++) {
    let current: Segment = { host: i, from: 0, to: shape.hours, variant: Math.floor(random() * variants.length), id: 0 };
    for (let h = 1; h < shape.hours; h++) {
      if (random() >= shape.changeRate) continue;
      current.to = h;
      perHost[i].push(current);
      const next = (current.variant + 1 + Math.floor(random() * (variants.length - 1))) % variants.length;
      current = { host: i, from: h, to: shape.hours, variant: next, id: 0 };
    }
    perHost[i].push(current);
    segments.push(...perHost[i]);
  }
  // Ids in the order the store would have created the states: by time, then host.
  segments.sort((a, b) => a.from - b.from || a.host - b.host);
  segments.forEach((s, k) => (s.id = k + 1));

  t = performance.now();
  const packed = variants.map((v) => packRaw(v.sections));
  const STATES_PER_STATEMENT = 100;
  for (let k = 0; k < segments.length; k += ROWS_PER_TRANSACTION / 50) {
    const chunk = segments.slice(k, k + ROWS_PER_TRANSACTION / 50);
    await writes.run(async (m) => {
      for (let j = 0; j < chunk.length; j += STATES_PER_STATEMENT) {
        const rows = chunk.slice(j, j + STATES_PER_STATEMENT);
        const params: unknown[] = [];
        for (const s of rows) {
          const v = variants[s.variant];
          const scanMs = (h: number) => hourAt(h) + s.host * 1000;
          params.push(s.id, hostIds[s.host], v.hash, v.canonical, packed[s.variant], iso(scanMs(s.from)), iso(scanMs(s.to - 1)), s.to - s.from);
        }
        await m.query(insertSql('host_states', STATE_COLUMNS, rows.length), params);
      }
    });
  }
  const statesMs = performance.now() - t;
  progress(`states: ${segments.length} in ${(statesMs / 1000).toFixed(1)} s`);

  // Drift events, as the store writes them with each new state: the semantic diff from the
  // host's previous state (computed once per pair of variants), in state order.
  t = performance.now();
  const contents = variants.map((v) => JSON.parse(v.canonical) as SnapshotContent);
  const pairDiffs = new Map<string, ReturnType<typeof diffSnapshots>>();
  const diffOf = (a: number, b: number) => {
    const key = `${a}>${b}`;
    if (!pairDiffs.has(key)) pairDiffs.set(key, diffSnapshots(contents[a], contents[b], { ignore: [] }));
    return pairDiffs.get(key)!;
  };
  const previousOf = new Map<Segment, Segment>();
  for (const list of perHost) for (let k = 1; k < list.length; k++) previousOf.set(list[k], list[k - 1]);
  let driftEvents = 0;
  let rows: unknown[][] = [];
  const flush = async () => {
    const batch = rows;
    rows = [];
    await writes.run(async (m) => {
      for (let j = 0; j < batch.length; j += 500) {
        const part = batch.slice(j, j + 500);
        await m.query(insertSql('drift_events', DRIFT_COLUMNS, part.length), part.flat());
      }
    });
  };
  for (const s of segments) {
    const previous = previousOf.get(s);
    if (!previous) continue;
    const at = iso(hourAt(s.from) + s.host * 1000);
    for (const c of diffOf(previous.variant, s.variant)) {
      rows.push([hostIds[s.host], previous.id, s.id, at, c.path, c.kind, c.category, c.severity, c.summary, JSON.stringify(c.before ?? null), JSON.stringify(c.after ?? null)]);
      driftEvents++;
    }
    if (rows.length >= 50_000) await flush();
  }
  if (rows.length) await flush();
  const driftMs = performance.now() - t;
  progress(`drift events: ${driftEvents} in ${(driftMs / 1000).toFixed(1)} s`);

  t = performance.now();
  const runParams: unknown[] = [];
  await writes.run(async (m) => {
    for (let h = 0; h < shape.hours; h += 500) {
      const n = Math.min(500, shape.hours - h);
      runParams.length = 0;
      for (let r = h; r < h + n; r++) runParams.push(r + 1, 'finished', '{}', shape.hosts, iso(hourAt(r)), iso(hourAt(r) + 600_000));
      await m.query(insertSql('scan_runs', ['id', 'status', 'selection', 'total', 'created_at', 'finished_at'], n), runParams);
    }
  });
  const pointer = new Array<number>(shape.hosts).fill(0);
  const total = shape.hosts * shape.hours;
  let id = 0;
  let h = 0;
  let i = 0;
  const statement = insertSql('scans', SCAN_COLUMNS, ROWS_PER_STATEMENT);
  while (id < total) {
    await writes.run(async (m) => {
      const end = Math.min(total, id + ROWS_PER_TRANSACTION);
      while (id < end) {
        const n = Math.min(ROWS_PER_STATEMENT, end - id);
        const params: unknown[] = new Array(n * SCAN_COLUMNS.length);
        let p = 0;
        for (let r = 0; r < n; r++) {
          let seg = perHost[i][pointer[i]];
          if (h >= seg.to) seg = perHost[i][++pointer[i]];
          params[p++] = ++id;
          params[p++] = h + 1;
          params[p++] = hostIds[i];
          params[p++] = 'ok';
          params[p++] = null;
          params[p++] = seg.id;
          params[p++] = h === seg.from ? 1 : 0;
          params[p++] = fingerprints[i];
          params[p++] = iso(hourAt(h) + i * 1000);
          params[p++] = 400 + Math.floor(random() * 600);
          if (++i === shape.hosts) {
            i = 0;
            h++;
          }
        }
        await m.query(n === ROWS_PER_STATEMENT ? statement : insertSql('scans', SCAN_COLUMNS, n), params);
      }
    });
    const elapsed = (performance.now() - t) / 1000;
    progress(`scans: ${id}/${total} (${Math.round(id / elapsed)} rows/s)`);
  }
  const scansMs = performance.now() - t;
  return { hostNames, states: segments.length, driftEvents, scans: total, scanRuns: shape.hours, ms: { hosts: hostsMs, states: statesMs, driftEvents: driftMs, scans: scansMs } };
}
