/**
 * The measured driftwatch run, in its own process so that its CPU and peak RSS are its own:
 * a fresh sqlite database through the migrations, the target hosts registered with their host
 * keys pinned, then ScanRunsService.runToCompletion over every host — what `driftwatch scan`
 * does (probe, parse, hash, store, diff). With --rescan, a second, unchanged scan follows and
 * the database growth it caused is measured.
 *
 *   node dist/bench/fleet/driftwatch-scan.js TARGETS.json DB.sqlite [--rescan] [--synchronous-full]
 *
 * Prints one JSON line. SCAN_CONCURRENCY sets the concurrency as for the collector.
 */
import 'reflect-metadata';
import { readFileSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule, loadConfig } from '@driftwatch/config';
import { PersistenceModule, WriteQueue, writeQueueFor } from '@driftwatch/persistence';
import { ScanOutcome, ScanRunsService, ScansModule } from '@driftwatch/scans';
import { DataSource, EntityManager } from 'typeorm';
import { insertHosts } from '../common/insert-hosts';
import { peakRssMb } from '../common/process-meter';
import { TargetList } from './target';

export interface ScanFigures {
  wallMs: number;
  /** sqlite write transactions during the scan, and how long the one write queue was busy with them. */
  writes: { transactions: number; busyMs: number };
  cpuUserMs: number;
  cpuSysMs: number;
  statuses: Record<string, number>;
  changed: number;
}

export interface DriftwatchRun {
  hosts: number;
  concurrency: number;
  bootMs: number;
  first: ScanFigures;
  rescan?: ScanFigures & { dbBytesBefore: number; dbBytesAfter: number };
  peakRssMb: number;
  rssBeforeScanMb: number;
  /** process.memoryUsage() right after the first scan, MB: where the resident memory is. */
  memoryAfterScanMb: Record<string, number>;
}

async function dbBytes(dataSource: DataSource, file: string): Promise<number> {
  await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
  return statSync(file).size;
}

/**
 * Counts the write queue's transactions and the time it was busy: the queue is serial, so each
 * transaction's service time runs from when it could start (its call, or the previous one's end)
 * to its end. Observation only; the work is passed through unchanged.
 */
function watchWrites(queue: WriteQueue): { transactions: number; busyMs: number } {
  const stats = { transactions: 0, busyMs: 0 };
  let lastEnd = 0;
  const run = queue.run.bind(queue);
  queue.run = <T>(work: (manager: EntityManager) => Promise<T>): Promise<T> => {
    const called = performance.now();
    const done = run(work);
    const account = () => {
      const end = performance.now();
      stats.transactions++;
      stats.busyMs += end - Math.max(called, lastEnd);
      lastEnd = end;
    };
    done.then(account, account);
    return done;
  };
  return stats;
}

async function measuredScan(runs: ScanRunsService, queue: WriteQueue): Promise<ScanFigures> {
  const writes = watchWrites(queue);
  const run = queue.run;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { outcomes } = await runs.runToCompletion({}).finally(() => {
    queue.run = run;
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const statuses: Record<string, number> = {};
  for (const o of outcomes as ScanOutcome[]) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
  return { wallMs, writes: { transactions: writes.transactions, busyMs: Math.round(writes.busyMs) }, cpuUserMs: cpu.user / 1000, cpuSysMs: cpu.system / 1000, statuses, changed: outcomes.filter((o) => o.changed).length };
}

async function main(): Promise<void> {
  const [targetsFile, dbFile, ...flags] = process.argv.slice(2);
  const targets = JSON.parse(readFileSync(targetsFile, 'utf8')) as TargetList;
  const config = loadConfig({ ...process.env, DATABASE_URL: `sqlite:${dbFile}` });
  const t0 = performance.now();

  @Module({ imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(), ScansModule] })
  class BenchScanModule {}
  const app = await NestFactory.createApplicationContext(BenchScanModule, { logger: ['error'] });
  try {
    const dataSource = app.get(DataSource);
    // --synchronous-full: sqlite as it was opened before WAL commits stopped being fsync'd one
    // by one, to measure that change side by side.
    if (flags.includes('--synchronous-full')) await dataSource.query('PRAGMA synchronous = FULL');
    const rows = targets.hosts.map((h) => ({
      name: h.name,
      address: h.address,
      port: h.port,
      username: targets.username,
      authType: 'key' as const,
      privateKeyPath: targets.privateKeyPath,
      hostKey: h.hostKey,
      labels: ['bench'],
      overrides: {},
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    }));
    await insertHosts(dataSource, rows);
    const bootMs = performance.now() - t0;
    const runs = app.get(ScanRunsService);
    const rssBeforeScanMb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;
    const queue = writeQueueFor(dataSource);
    const first = await measuredScan(runs, queue);
    const memoryAfterScanMb = Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 2 ** 20)]));
    const result: DriftwatchRun = { hosts: targets.hosts.length, concurrency: config.scan.concurrency, bootMs, first, peakRssMb: 0, rssBeforeScanMb, memoryAfterScanMb };
    if (flags.includes('--rescan')) {
      const dbBytesBefore = await dbBytes(dataSource, dbFile);
      const again = await measuredScan(runs, queue);
      result.rescan = { ...again, dbBytesBefore, dbBytesAfter: await dbBytes(dataSource, dbFile) };
    }
    result.peakRssMb = peakRssMb();
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
