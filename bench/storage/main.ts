/**
 * npm run bench:storage -- [--hosts 1000] [--days 365] [--change-rate 0.01] [--requests 300] [--keep FILE]
 *
 * A simulated history of hourly scans (generate-history.ts) on a fresh sqlite database through
 * the real migrations, then the real collector started on it as its own process and asked over
 * HTTP, one request at a time, for host timelines and diffs. Writes
 * bench/results/<date>-storage.md (and raw/<date>-storage.json).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NODE_FLAGS } from '@driftwatch/config';
import { closedPort } from '@driftwatch/lab';
import { openDataSource, packRaw } from '@driftwatch/persistence';
import { factsTable, machineFacts, MachineFacts } from '../common/machine-facts';
import { percentile } from '../common/process-meter';
import { resultsDir, today } from '../common/results';
import { generateHistory, GeneratedHistory, HistoryShape } from './generate-history';
import { variantSnapshots } from './variant-snapshots';

interface RouteLatency {
  route: string;
  status: number;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  bytesMedian: number;
}

interface StorageRecord {
  facts: MachineFacts;
  loadAverageAtEnd: number[];
  shape: HistoryShape;
  command: string;
  history: Omit<GeneratedHistory, 'hostNames'>;
  snapshotBytes: { canonical: number; rawPacked: number };
  dbBytes: number;
  tableBytes: Record<string, number> | null;
  routes: RouteLatency[];
  missingRoutes: string[];
}

function parseOptions(argv: string[]): HistoryShape & { requests: number; keep?: string } {
  const o: HistoryShape & { requests: number; keep?: string } = { hosts: 1000, hours: 365 * 24, changeRate: 0.01, seed: 20261121, requests: 300 };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--keep') {
      o.keep = resolve(argv[i + 1]);
      continue;
    }
    const v = Number(argv[i + 1]);
    if (!Number.isFinite(v)) throw new Error(`${argv[i]} needs a number`);
    if (argv[i] === '--hosts') o.hosts = v;
    else if (argv[i] === '--days') o.hours = v * 24;
    else if (argv[i] === '--change-rate') o.changeRate = v;
    else if (argv[i] === '--requests') o.requests = v;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return o;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
let authorization: Record<string, string> = {};

/** A read-scope API token made with the CLI, as an operator would; every request carries it. */
function createReadToken(databaseFile: string): string {
  const cli = resolve(__dirname, '..', '..', 'apps', 'cli', 'src', 'main.js');
  const out = execFileSync(process.execPath, [...NODE_FLAGS, cli, 'tokens', 'create', '--scope', 'read', '--name', 'bench', '--json'], {
    env: { ...process.env, DATABASE_URL: `sqlite:${databaseFile}` },
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { token: string }).token;
}

function fetchTimed(url: string): Promise<{ status: number; ms: number; bytes: number }> {
  return new Promise((ok, fail) => {
    const t0 = performance.now();
    get(url, { agent, headers: authorization }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => ok({ status: res.statusCode ?? 0, ms: performance.now() - t0, bytes }));
    }).on('error', fail);
  });
}

async function startCollector(databaseFile: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await closedPort();
  const main = resolve(__dirname, '..', '..', 'apps', 'collector', 'src', 'main.js');
  const child = spawn(process.execPath, [...NODE_FLAGS, main], {
    env: { ...process.env, DATABASE_URL: `sqlite:${databaseFile}`, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`collector exited with ${child.exitCode}`);
    try {
      if ((await fetchTimed(`${base}/health`)).status === 200) return { child, base };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('collector did not become healthy in 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) return ok();
    child.once('exit', () => ok());
    child.kill('SIGTERM');
  });
}

async function measureRoutes(base: string, hosts: string[], requests: number): Promise<{ routes: RouteLatency[]; missing: string[] }> {
  const routes: Record<string, (host: string) => string> = {
    'GET /api/v1/hosts/:name/snapshots': (h) => `/api/v1/hosts/${h}/snapshots`,
    'GET /api/v1/hosts/:name/diff': (h) => `/api/v1/hosts/${h}/diff`,
    'GET /api/v1/hosts/:name/drift': (h) => `/api/v1/hosts/${h}/drift`,
    'GET /api/v1/hosts/:name/scans': (h) => `/api/v1/hosts/${h}/scans`,
  };
  const out: RouteLatency[] = [];
  const missing: string[] = [];
  let k = 0;
  const pick = () => hosts[(k++ * 7919) % hosts.length];
  for (const [route, path] of Object.entries(routes)) {
    const probe = await fetchTimed(`${base}${path(hosts[0])}`);
    if (probe.status === 404) {
      missing.push(route);
      continue;
    }
    for (let w = 0; w < 10; w++) await fetchTimed(`${base}${path(pick())}`); // warm-up
    const ms: number[] = [];
    const bytes: number[] = [];
    let status = 200;
    for (let r = 0; r < requests; r++) {
      const res = await fetchTimed(`${base}${path(pick())}`);
      if (res.status !== 200) status = res.status;
      ms.push(res.ms);
      bytes.push(res.bytes);
    }
    const round = (x: number) => Math.round(x * 10) / 10;
    out.push({ route, status, requests, p50: round(percentile(ms, 0.5)), p95: round(percentile(ms, 0.95)), p99: round(percentile(ms, 0.99)), max: round(Math.max(...ms)), bytesMedian: percentile(bytes, 0.5) });
  }
  return { routes: out, missing };
}

function report(r: StorageRecord): string {
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const rows = (r.history.scans + r.history.states + r.history.driftEvents) / ((r.history.ms.scans + r.history.ms.states + r.history.ms.driftEvents) / 1000);
  return [
    `# Storage benchmark, ${r.facts.takenAt.slice(0, 10)}`,
    '',
    'Method: see [../README.md](../README.md).',
    '',
    '## Machine',
    '',
    factsTable(r.facts),
    '',
    `Load average at end: ${r.loadAverageAtEnd.join(' / ')}.`,
    '',
    `## History: ${r.shape.hosts} hosts × ${r.shape.hours} hourly scans, ${r.shape.changeRate * 100}% of scans change the host`,
    '',
    `\`${r.command}\``,
    '',
    '| what | value |',
    '|---|---|',
    `| scans rows (one per scan, as the store keeps them) | ${r.history.scans.toLocaleString('en')} |`,
    `| host_states rows (distinct states) | ${r.history.states.toLocaleString('en')} |`,
    `| drift_events rows (semantic changes written with each new state) | ${r.history.driftEvents.toLocaleString('en')} |`,
    `| scan_runs rows | ${r.history.scanRuns.toLocaleString('en')} |`,
    `| one state's canonical JSON / packed raw evidence | ${(r.snapshotBytes.canonical / 1024).toFixed(1)} KiB / ${(r.snapshotBytes.rawPacked / 1024).toFixed(1)} KiB |`,
    `| database file (after a WAL checkpoint) | ${mb(r.dbBytes)} MiB |`,
    ...(r.tableBytes ? Object.entries(r.tableBytes).sort((a, b) => b[1] - a[1]).map(([t, b]) => `| &nbsp;&nbsp;${t} | ${mb(b)} MiB |`) : []),
    `| generation: hosts / states / drift events / scans | ${s(r.history.ms.hosts)} s / ${s(r.history.ms.states)} s / ${s(r.history.ms.driftEvents)} s / ${s(r.history.ms.scans)} s (${Math.round(rows).toLocaleString('en')} rows/s overall) |`,
    '',
    '## REST latency, real HTTP to the collector (own process), one request at a time, random hosts, read-scope bearer token',
    '',
    '| route | status | requests | p50 ms | p95 ms | p99 ms | max ms | median body bytes | target p95 < 50 ms |',
    '|---|---|---|---|---|---|---|---|---|',
    ...r.routes.map((x) => `| \`${x.route}\` | ${x.status} | ${x.requests} | ${x.p50} | ${x.p95} | ${x.p99} | ${x.max} | ${x.bytesMedian} | ${x.p95 < 50 ? 'met' : '**missed**'} |`),
    '',
    r.missingRoutes.length ? `Not measured (route not in this build): ${r.missingRoutes.map((m) => `\`${m}\``).join(', ')}.` : '',
    '',
  ].join('\n');
}

interface GeneratedDatabase {
  shape: HistoryShape;
  history: GeneratedHistory;
  snapshotBytes: { canonical: number; rawPacked: number };
  dbBytes: number;
  tableBytes: Record<string, number> | null;
}

async function generateDatabase(file: string, shape: HistoryShape, log: (line: string) => void): Promise<GeneratedDatabase> {
  const variants = variantSnapshots();
  const dataSource = await openDataSource(`sqlite:${file}`);
  try {
    const history = await generateHistory(dataSource, shape, variants, log);
    await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
    let tableBytes: Record<string, number> | null = null;
    try {
      const rows: { name: string; bytes: number }[] = await dataSource.query('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name');
      tableBytes = Object.fromEntries(rows.map((x) => [x.name, Number(x.bytes)]));
    } catch {
      // this sqlite build has no dbstat table
    }
    return {
      shape,
      history,
      snapshotBytes: { canonical: variants[0].canonical.length, rawPacked: packRaw(variants[0].sections).length },
      dbBytes: statSync(file).size,
      tableBytes,
    };
  } finally {
    await dataSource.destroy();
  }
}

async function main(): Promise<void> {
  const { keep, ...options } = parseOptions(process.argv.slice(2));
  const facts = machineFacts();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`load ${facts.loadAverage.join(' ')}`);
  const dir = keep ? null : mkdtempSync(join(tmpdir(), 'driftwatch-bench-storage-'));
  const file = keep ?? join(dir!, 'history.sqlite');
  let collector: ChildProcess | undefined;
  try {
    // --keep FILE: generate once into FILE (its figures in FILE.json), later runs reuse it.
    let db: GeneratedDatabase;
    if (keep && existsSync(file) && existsSync(`${file}.json`)) {
      db = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as GeneratedDatabase;
      log(`reusing ${file}`);
    } else {
      db = await generateDatabase(file, options, log);
      if (keep) writeFileSync(`${file}.json`, JSON.stringify(db));
    }
    log(`database ${(db.dbBytes / 2 ** 20).toFixed(1)} MiB`);
    authorization = { authorization: `Bearer ${createReadToken(file)}` };
    const started = await startCollector(file);
    collector = started.child;
    const { routes, missing } = await measureRoutes(started.base, db.history.hostNames, options.requests);
    const { hostNames: _names, ...counts } = db.history;
    const record: StorageRecord = {
      facts,
      loadAverageAtEnd: machineFacts().loadAverage,
      shape: db.shape,
      command: `npm run bench:storage -- --hosts ${db.shape.hosts} --days ${db.shape.hours / 24} --change-rate ${db.shape.changeRate} --requests ${options.requests}`,
      history: counts,
      snapshotBytes: db.snapshotBytes,
      dbBytes: db.dbBytes,
      tableBytes: db.tableBytes,
      routes,
      missingRoutes: missing,
    };
    mkdirSync(join(resultsDir(), 'raw'), { recursive: true });
    writeFileSync(join(resultsDir(), 'raw', `${today()}-storage.json`), `${JSON.stringify(record, null, 1)}\n`);
    const path = join(resultsDir(), `${today()}-storage.md`);
    writeFileSync(path, report(record));
    log(`report: ${path}`);
    for (const r of routes) log(`${r.route}: p50 ${r.p50} ms, p95 ${r.p95} ms`);
  } finally {
    if (collector) await stopProcess(collector);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
