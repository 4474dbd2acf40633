import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DriftEventsRepository, ScansRepository, StatesRepository } from '@driftwatch/persistence';
import { ScanEvent, ScanEvents } from '@driftwatch/scans';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CurrentFindings } from './current-findings';

/** Reports how many scans wait in one queue (scan runs in this process, a job queue, …). */
export type QueueDepthSource = () => Promise<number>;

/**
 * How long a scrape waits for one queue's depth. While Redis is away, the job queue's client
 * holds commands until it is back, and a scrape must not hang with it.
 */
const QUEUE_DEPTH_WAIT_MS = 1_000;

/**
 * The collector's Prometheus metrics, in a registry of its own (never prom-client's global
 * one, so several collectors in one process, as in tests, do not collide). Counters come from
 * the ScanEvents bus; gauges are read from the database at scrape time.
 */
@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  private readonly queueDepths = new Map<string, QueueDepthSource>();
  private unsubscribe?: () => void;

  private readonly scansTotal = new Counter({
    name: 'driftwatch_scans_total',
    help: 'Scans finished, by status',
    labelNames: ['status'],
    registers: [this.registry],
  });

  private readonly scanDuration = new Histogram({
    name: 'driftwatch_scan_duration_seconds',
    help: 'Duration of one host scan (connect, probe, parse, store), by status',
    labelNames: ['status'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });

  private readonly driftChanges = new Counter({
    name: 'driftwatch_drift_changes_total',
    help: 'Drift changes recorded, by category and severity',
    labelNames: ['category', 'severity'],
    registers: [this.registry],
  });

  constructor(
    private readonly events: ScanEvents,
    private readonly scans: ScansRepository,
    states: StatesRepository,
    driftEvents: DriftEventsRepository,
  ) {
    const findings = new CurrentFindings(states);
    const queueDepths = this.queueDepths;
    new Gauge({
      name: 'driftwatch_hosts_drifted',
      help: 'Hosts whose current state differs from the one before by at least one drift change',
      registers: [this.registry],
      async collect() {
        this.set(await driftEvents.countHostsDriftedIntoCurrentState());
      },
    });
    new Gauge({
      name: 'driftwatch_findings',
      help: "Hosts whose current state has a finding, by finding id and severity",
      labelNames: ['id', 'severity'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const f of await findings.count()) this.set({ id: f.id, severity: f.severity }, f.hosts);
      },
    });
    new Gauge({
      name: 'driftwatch_queue_depth',
      help: 'Host scans waiting, by queue',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [queue, depth] of queueDepths) {
          // A queue that cannot be asked, or does not answer in time (Redis away), has no sample rather than a made-up 0.
          const value = await answerWithin(depth(), QUEUE_DEPTH_WAIT_MS);
          if (value !== null) this.set({ queue }, value);
        }
      },
    });
    this.registerQueueDepth('scan-runs', () => this.scans.pendingInRunningRuns());
    collectDefaultMetrics({ register: this.registry, prefix: 'driftwatch_' });
  }

  /** Adds a queue to driftwatch_queue_depth (e.g. a job queue's waiting count). */
  registerQueueDepth(queue: string, depth: QueueDepthSource): void {
    this.queueDepths.set(queue, depth);
  }

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) => this.observe(event));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  private observe(event: ScanEvent): void {
    if (event.type === 'scan-finished') {
      this.scansTotal.inc({ status: event.status });
      this.scanDuration.observe({ status: event.status }, event.durationMs / 1000);
    } else {
      for (const change of event.changes) this.driftChanges.inc({ category: change.category, severity: change.severity });
    }
  }
}

/** The promise's value, or null when it fails or has not settled within `ms`. */
function answerWithin<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  return Promise.race([promise.catch(() => null), late]).finally(() => clearTimeout(timer));
}
