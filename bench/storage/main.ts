/**
 * npm run bench:storage -- [--hosts 1000] [--days 365] [--change-rate 0.01] [--outage-rate 0.0005] [--requests 300]
 *
 * One simulated year of hourly scans (generate-history.ts) written day by day into two fresh
 * sqlite databases through the real migrations: one keeps everything, the other runs the real
 * prune (HistoryPruner with the default policy, then the incremental vacuum) after every
 * simulated day, as the scheduled job would. Their sizes are taken every 30 days. Then the real
 * collector is started on each as its own process and asked over HTTP for host timelines, diffs
 * and the fleet summary; and the year-old store that kept everything gets retention switched on,
 * its first prune measured against scan writes made meanwhile. Writes
 * bench/results/<date>-<machine>-storage.md (+ .png/.svg chart, raw/<date>-<machine>/storage.json).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { NODE_FLAGS, RetentionPolicy } from '@driftwatch/config';
import { closedPort } from '@driftwatch/lab';
import { HistoryPruner, PruneReport, ScansRepository, compactSqlite, openDataSource, releaseFreePages, storageFootprint } from '@driftwatch/persistence';
import { lineChartSvg, svgToPng } from '../common/line-chart';
import { factsTable, machineFacts, MachineFacts } from '../common/machine-facts';
import { percentile } from '../common/process-meter';
import { resultSetName, resultsDir } from '../common/results';
import { HistoryCounts, HistoryShape, HistorySimulator } from './generate-history';
import { variantSnapshots } from './variant-snapshots';

const POLICY: RetentionPolicy = { scanDays: 90, stateDays: null, deliveryDays: 30, batchSize: 1000 };

interface RouteLatency {
  route: string;
  status: number;
  requests: number;
  p50: number;
  p95: number;
  max: number;
  bytesMedian: number;
}

interface SizePoint {
  day: number;
  fileBytes: number;
  usedBytes: number;
  scans: number;
  states: number;
}

interface LatencySummary {
  writes: number;
  p50: number;
  p95: number;
  max: number;
}

interface BacklogPrune {
  report: PruneReport;
  pruneMs: number;
  releaseMs: number;
  vacuumMs: number;
  bytes: { before: number; afterPrune: number; afterRelease: number; afterVacuum: number };
  idleWrites: LatencySummary;
  writesDuringPrune: LatencySummary;
}

interface StorageRecord {
  facts: MachineFacts;
  loadAverageAtEnd: number[];
  shape: HistoryShape;
  policy: RetentionPolicy;
  command: string;
  history: HistoryCounts;
  generationMs: number;
  sizes: { keepAll: SizePoint[]; retention: SizePoint[] };
  dailyPrune: { runs: number; p50Ms: number; maxMs: number; deleted: { scans: number; states: number; driftEvents: number; scanRuns: number } };
  routes: { keepAll: RouteLatency[]; retention: RouteLatency[] };
  backlog: BacklogPrune;
}

type Options = HistoryShape & { requests: number };

function parseOptions(argv: string[]): Options {
  const o: Options = { hosts: 1000, hours: 365 * 24, changeRate: 0.01, outageRate: 0.0005, outageHours: 3, seed: 20261207, requests: 300 };
  for (let i = 0; i < argv.length; i += 2) {
    const v = Number(argv[i + 1]);
    if (!Number.isFinite(v)) throw new Error(`${argv[i]} needs a number`);
    if (argv[i] === '--hosts') o.hosts = v;
    else if (argv[i] === '--days') o.hours = v * 24;
    else if (argv[i] === '--change-rate') o.changeRate = v;
    else if (argv[i] === '--outage-rate') o.outageRate = v;
    else if (argv[i] === '--requests') o.requests = v;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return o;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** A read-scope API token made with the CLI, as an operator would; every request carries it. */
function createReadToken(databaseFile: string): string {
  const cli = resolve(__dirname, '..', '..', 'apps', 'cli', 'src', 'main.js');
  const out = execFileSync(process.execPath, [...NODE_FLAGS, cli, 'tokens', 'create', '--scope', 'read', '--name', 'bench', '--json'], {
    env: { ...process.env, DATABASE_URL: `sqlite:${databaseFile}` },
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { token: string }).token;
}

function fetchTimed(url: string, headers: Record<string, string> = {}): Promise<{ status: number; ms: number; bytes: number }> {
  return new Promise((ok, fail) => {
    const t0 = performance.now();
    get(url, { agent, headers }, (res) => {
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
    env: { ...process.env, DATABASE_URL: `sqlite:${databaseFile}`, PORT: String(port), HOST: '127.0.0.1', SCAN_SCHEDULE: 'off', PRUNE_SCHEDULE: 'off' },
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

const round = (x: number) => Math.round(x * 10) / 10;

/** The collector on `file`, asked `requests` times per route for random hosts, one request at a time. */
async function measureRoutes(file: string, hosts: string[], requests: number): Promise<RouteLatency[]> {
  const headers = { authorization: `Bearer ${createReadToken(file)}` };
  const { child, base } = await startCollector(file);
  try {
    const routes: Record<string, (host: string) => string> = {
      'GET /api/v1/hosts/:name/snapshots': (h) => `/api/v1/hosts/${h}/snapshots`,
      'GET /api/v1/hosts/:name/diff': (h) => `/api/v1/hosts/${h}/diff`,
      'GET /api/v1/hosts/:name/drift': (h) => `/api/v1/hosts/${h}/drift`,
      'GET /api/v1/hosts/:name/scans': (h) => `/api/v1/hosts/${h}/scans`,
      'GET /api/v1/fleet/summary': () => '/api/v1/fleet/summary',
    };
    const out: RouteLatency[] = [];
    let k = 0;
    const pick = () => hosts[(k++ * 7919) % hosts.length];
    for (const [route, path] of Object.entries(routes)) {
      for (let w = 0; w < 10; w++) await fetchTimed(`${base}${path(pick())}`, headers); // warm-up
      const ms: number[] = [];
      const bytes: number[] = [];
      let status = 200;
      for (let r = 0; r < requests; r++) {
        const res = await fetchTimed(`${base}${path(pick())}`, headers);
        if (res.status !== 200) status = res.status;
        ms.push(res.ms);
        bytes.push(res.bytes);
      }
      out.push({ route, status, requests, p50: round(percentile(ms, 0.5)), p95: round(percentile(ms, 0.95)), max: round(Math.max(...ms)), bytesMedian: percentile(bytes, 0.5) });
    }
    return out;
  } finally {
    await stopProcess(child);
  }
}

async function countRows(dataSource: DataSource, table: string): Promise<number> {
  const [row] = (await dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`)) as Array<{ n: number }>;
  return Number(row.n);
}

async function sizePoint(dataSource: DataSource, file: string, day: number): Promise<SizePoint> {
  await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
  const footprint = await storageFootprint(dataSource);
  return { day, fileBytes: statSync(file).size, usedBytes: footprint.bytes - (footprint.freeBytes ?? 0), scans: await countRows(dataSource, 'scans'), states: await countRows(dataSource, 'host_states') };
}

/**
 * Scan rows recorded through the store's own repository every 10 ms while `during` runs (or
 * for `idleMs` when it is null): how long each write waited for its commit.
 */
async function writeLatencies(dataSource: DataSource, during: Promise<unknown> | null, idleMs = 5000): Promise<LatencySummary> {
  const scans = new ScansRepository(dataSource);
  const [{ id: hostId }] = (await dataSource.query('SELECT id FROM hosts ORDER BY id LIMIT 1')) as Array<{ id: number }>;
  const ms: number[] = [];
  let finished = false;
  const until = during ? during.finally(() => (finished = true)) : new Promise((r) => setTimeout(r, idleMs)).then(() => (finished = true));
  const pending: Promise<void>[] = [];
  while (!finished) {
    const t0 = performance.now();
    pending.push(
      scans
        .recordScan({ runId: null, hostId: Number(hostId), status: 'ok', error: null, stateId: null, changed: false, presentedHostKey: null, startedAt: new Date().toISOString(), durationMs: 1 })
        .then(() => void ms.push(performance.now() - t0)),
    );
    await new Promise((r) => setTimeout(r, 10));
  }
  await until;
  await Promise.all(pending);
  return { writes: ms.length, p50: round(percentile(ms, 0.5)), p95: round(percentile(ms, 0.95)), max: round(Math.max(...ms)) };
}

/** The first prune of a store that kept a year of everything, with scans being written meanwhile. */
async function pruneBacklog(file: string, now: Date, log: (line: string) => void): Promise<BacklogPrune> {
  const dataSource = await openDataSource(`sqlite:${file}`);
  try {
    const pruner = new HistoryPruner(dataSource);
    const bytes = async () => (await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)'), statSync(file).size);
    const before = await bytes();
    const idleWrites = await writeLatencies(dataSource, null);
    let t = performance.now();
    const pruning = pruner.prune(POLICY, { now });
    const writesDuringPrune = await writeLatencies(dataSource, pruning);
    const report = await pruning;
    const pruneMs = performance.now() - t;
    log(`backlog prune: ${report.scans} scans in ${(pruneMs / 1000).toFixed(1)} s`);
    const afterPrune = await bytes();
    t = performance.now();
    await releaseFreePages(dataSource);
    const releaseMs = performance.now() - t;
    const afterRelease = await bytes();
    t = performance.now();
    await compactSqlite(dataSource);
    const vacuumMs = performance.now() - t;
    return { report, pruneMs, releaseMs, vacuumMs, bytes: { before, afterPrune, afterRelease, afterVacuum: await bytes() }, idleWrites, writesDuringPrune };
  } finally {
    await dataSource.destroy();
  }
}

const mib = (b: number) => (b / 2 ** 20).toFixed(1);

function routesTable(keepAll: RouteLatency[], retention: RouteLatency[]): string[] {
  return [
    '| route | keep everything p50 / p95 ms | with retention p50 / p95 ms | p95 ratio (retention / keep) | status | median body bytes (keep / retention) |',
    '|---|---|---|---|---|---|',
    ...keepAll.map((a, i) => {
      const b = retention[i];
      return `| \`${a.route}\` | ${a.p50} / ${a.p95} | ${b.p50} / ${b.p95} | ${(b.p95 / a.p95).toFixed(2)} | ${a.status} / ${b.status} | ${a.bytesMedian} / ${b.bytesMedian} |`;
    }),
  ];
}

function report(r: StorageRecord, chartFile: string | null): string {
  const last = (points: SizePoint[]) => points[points.length - 1];
  const b = r.backlog;
  return [
    `# Storage over a simulated year, ${r.facts.takenAt.slice(0, 10)}`,
    '',
    'Method: see [../README.md](../README.md#storage-storage).',
    '',
    '## Machine',
    '',
    factsTable(r.facts),
    '',
    `Load average at end: ${r.loadAverageAtEnd.join(' / ')}.`,
    '',
    `## History: ${r.shape.hosts} hosts × ${r.shape.hours / 24} days of hourly scans`,
    '',
    `\`${r.command}\``,
    '',
    `${(r.shape.changeRate * 100).toFixed(1)}% of scans find the host changed; an outage starts with probability ${r.shape.outageRate} per host-hour and lasts ${r.shape.outageHours} scans on average (the host's scans fail as \`unreachable\` or \`timeout\`). ` +
      `Written: ${r.history.scans.toLocaleString('en')} scans (${r.history.failedScans.toLocaleString('en')} failed), ${r.history.states.toLocaleString('en')} states, ${r.history.driftEvents.toLocaleString('en')} drift events, ${r.history.scanRuns.toLocaleString('en')} scan runs, into each database, in ${(r.generationMs / 1000).toFixed(0)} s for both.`,
    '',
    `Retention: the defaults (scans ${r.policy.scanDays} days, every state kept, batches of ${r.policy.batchSize}), pruned after every simulated day, then free pages released (incremental auto_vacuum).`,
    '',
    '## Database size',
    '',
    ...(chartFile ? [`![database size over the year](${chartFile})`, ''] : []),
    '| day | keep everything: file MiB | scans rows | with retention: file MiB | used MiB | scans rows | states rows | size ratio |',
    '|---|---|---|---|---|---|---|---|',
    ...r.sizes.keepAll.map((a, i) => {
      const p = r.sizes.retention[i];
      return `| ${a.day} | ${mib(a.fileBytes)} | ${a.scans.toLocaleString('en')} | ${mib(p.fileBytes)} | ${mib(p.usedBytes)} | ${p.scans.toLocaleString('en')} | ${p.states.toLocaleString('en')} | ${(p.fileBytes / a.fileBytes).toFixed(2)} |`;
    }),
    '',
    `At the end: ${mib(last(r.sizes.keepAll).fileBytes)} MiB keeping everything, ${mib(last(r.sizes.retention).fileBytes)} MiB with retention (${(last(r.sizes.retention).fileBytes / last(r.sizes.keepAll).fileBytes).toFixed(2)}×).`,
    '',
    `Daily prunes: ${r.dailyPrune.runs}, p50 ${r.dailyPrune.p50Ms} ms, max ${r.dailyPrune.maxMs} ms (prune and page release). Deleted over the year: ${r.dailyPrune.deleted.scans.toLocaleString('en')} scans, ${r.dailyPrune.deleted.states} states, ${r.dailyPrune.deleted.driftEvents} drift events, ${r.dailyPrune.deleted.scanRuns.toLocaleString('en')} scan runs.`,
    '',
    '## REST latency at the end of the year',
    '',
    'Real HTTP to the collector (own process) on each database, one request at a time, random hosts, read-scope bearer token, after 10 warm-up requests.',
    '',
    ...routesTable(r.routes.keepAll, r.routes.retention),
    '',
    '## Switching retention on for a year-old store',
    '',
    'A copy of the database that kept everything, pruned once with the default policy, while the store\'s own repository records a scan row every 10 ms (the same write queue as scans), then its free pages released, then `prune --vacuum`\'s rebuild.',
    '',
    '| what | value |',
    '|---|---|',
    `| deleted | ${b.report.scans.toLocaleString('en')} scans, ${b.report.scanRuns.toLocaleString('en')} scan runs in ${b.report.batches.toLocaleString('en')} batches |`,
    `| prune | ${(b.pruneMs / 1000).toFixed(1)} s |`,
    `| scan write latency, idle (5 s) | p50 ${b.idleWrites.p50} ms, p95 ${b.idleWrites.p95} ms, max ${b.idleWrites.max} ms (${b.idleWrites.writes} writes) |`,
    `| scan write latency during the prune | p50 ${b.writesDuringPrune.p50} ms, p95 ${b.writesDuringPrune.p95} ms, max ${b.writesDuringPrune.max} ms (${b.writesDuringPrune.writes} writes) |`,
    `| file before / after prune | ${mib(b.bytes.before)} / ${mib(b.bytes.afterPrune)} MiB (a file created before incremental auto_vacuum would stay at this size) |`,
    `| after releasing free pages (incremental vacuum) | ${mib(b.bytes.afterRelease)} MiB in ${(b.releaseMs / 1000).toFixed(1)} s |`,
    `| after a full VACUUM (\`prune --vacuum\`) | ${mib(b.bytes.afterVacuum)} MiB in ${(b.vacuumMs / 1000).toFixed(1)} s |`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const { requests, ...shape } = options;
  const facts = machineFacts();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-bench-storage-'));
  try {
    const files = { keepAll: join(dir, 'keep-all.sqlite'), retention: join(dir, 'retention.sqlite') };
    const variants = variantSnapshots();
    const keepAll = await openDataSource(`sqlite:${files.keepAll}`);
    const retention = await openDataSource(`sqlite:${files.retention}`);
    const sims = { keepAll: new HistorySimulator(keepAll, shape, variants), retention: new HistorySimulator(retention, shape, variants) };
    const pruner = new HistoryPruner(retention);
    const sizes: StorageRecord['sizes'] = { keepAll: [], retention: [] };
    const pruneMs: number[] = [];
    const deleted = { scans: 0, states: 0, driftEvents: 0, scanRuns: 0 };
    await sims.keepAll.registerHosts();
    await sims.retention.registerHosts();
    const started = performance.now();
    let generationMs = 0;
    for (let day = 1; !sims.keepAll.done; day++) {
      const t0 = performance.now();
      await sims.keepAll.advance();
      await sims.retention.advance();
      generationMs += performance.now() - t0;
      const t1 = performance.now();
      const pruned = await pruner.prune(POLICY, { now: sims.retention.now });
      await releaseFreePages(retention);
      pruneMs.push(performance.now() - t1);
      for (const key of Object.keys(deleted) as Array<keyof typeof deleted>) deleted[key] += pruned[key];
      if (day % 30 === 0 || sims.keepAll.done) {
        sizes.keepAll.push(await sizePoint(keepAll, files.keepAll, day));
        sizes.retention.push(await sizePoint(retention, files.retention, day));
        log(`day ${day}: ${mib(sizes.keepAll.at(-1)!.fileBytes)} MiB / ${mib(sizes.retention.at(-1)!.fileBytes)} MiB, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    }
    const history = sims.keepAll.counts;
    const now = sims.keepAll.now;
    const hostNames = sims.keepAll.hostNames;
    await keepAll.destroy();
    await retention.destroy();

    const routes = { keepAll: await measureRoutes(files.keepAll, hostNames, requests), retention: await measureRoutes(files.retention, hostNames, requests) };
    const backlogFile = join(dir, 'backlog.sqlite');
    copyFileSync(files.keepAll, backlogFile);
    rmSync(files.keepAll);
    const backlog = await pruneBacklog(backlogFile, now, log);

    const record: StorageRecord = {
      facts,
      loadAverageAtEnd: machineFacts().loadAverage,
      shape,
      policy: POLICY,
      command: `npm run bench:storage -- --hosts ${shape.hosts} --days ${shape.hours / 24} --change-rate ${shape.changeRate} --outage-rate ${shape.outageRate} --requests ${requests}`,
      history,
      generationMs,
      sizes,
      dailyPrune: { runs: pruneMs.length, p50Ms: round(percentile(pruneMs, 0.5)), maxMs: round(Math.max(...pruneMs)), deleted },
      routes,
      backlog,
    };
    const name = resultSetName(facts);
    mkdirSync(join(resultsDir(), 'raw', name), { recursive: true });
    writeFileSync(join(resultsDir(), 'raw', name, 'storage.json'), `${JSON.stringify(record, null, 1)}\n`);
    const chart = lineChartSvg({
      title: `Database size, ${shape.hosts} hosts scanned hourly`,
      xLabel: 'simulated day',
      yLabel: 'sqlite file, MiB',
      series: [
        { name: 'keep everything', color: '#c0392b', points: sizes.keepAll.map((p) => [p.day, p.fileBytes / 2 ** 20]) },
        { name: `retention: scans ${POLICY.scanDays} days, states kept`, color: '#2471a3', points: sizes.retention.map((p) => [p.day, p.fileBytes / 2 ** 20]) },
      ],
    });
    const svg = join(resultsDir(), `${name}-storage.svg`);
    writeFileSync(svg, chart);
    const png = join(resultsDir(), `${name}-storage.png`);
    const rendered = svgToPng(svg, png, 900, 500);
    const path = join(resultsDir(), `${name}-storage.md`);
    writeFileSync(path, report(record, rendered ? `${name}-storage.png` : `${name}-storage.svg`));
    log(`report: ${path}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
