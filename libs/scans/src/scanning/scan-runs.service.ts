import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { HostEntity, ScanRunEntity, ScansRepository, retryWhileDatabaseUnavailable } from '@driftwatch/persistence';
import { DomainError, DomainErrorCode } from '../errors';
import { HostsService } from '../hosts/hosts.service';
import { withScanContext } from '../logging/scan-context';
import { forEachBounded } from './bounded-pool';
import { SCAN_JOB_QUEUE, ScanJobQueue } from './scan-job-queue';
import { ScanOutcome } from './scan-outcome';
import { ScanService } from './scan.service';
import { ScanSlots } from './scan-slots';

export interface ScanSelection {
  hosts?: string[];
  labels?: string[];
}

export interface ScanRunProgress {
  id: number;
  status: ScanRunEntity['status'];
  selection: ScanSelection;
  total: number;
  done: number;
  pending: number;
  /** Finished scans per status (ok, partial, unreachable, …). */
  counts: Record<string, number>;
  /** Scans that found their host changed. */
  changed: number;
  createdAt: string;
  finishedAt: string | null;
}

/** Scans of many hosts with bounded concurrency, tracked as a scan run. */
@Injectable()
export class ScanRunsService implements OnApplicationShutdown {
  private readonly logger = new Logger(ScanRunsService.name);
  private readonly active = new Set<Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hosts: HostsService,
    private readonly scanner: ScanService,
    private readonly scans: ScansRepository,
    private readonly slots: ScanSlots,
    /** Present with REDIS_URL: runs started here are scanned by the workers. */
    @Optional() @Inject(SCAN_JOB_QUEUE) private readonly queue?: ScanJobQueue,
  ) {}

  /** Starts a run in the background (on the shared queue with REDIS_URL) and returns it at once. */
  async start(selection: ScanSelection, onScan?: (outcome: ScanOutcome) => void): Promise<ScanRunEntity> {
    const { run, hosts } = await this.prepare(selection);
    if (this.queue && !onScan) {
      await this.queue.enqueueRun(run, hosts);
      return run;
    }
    const job = this.execute(run, hosts, onScan);
    this.active.add(job);
    void job.finally(() => this.active.delete(job));
    return run;
  }

  /**
   * One host now, answered when the scan is over (POST /hosts/:name/scan): by a worker through
   * the shared queue with REDIS_URL, else here. The wait covers every attempt the scan may make
   * plus a minute for a worker to take the job.
   */
  async scanOne(host: HostEntity): Promise<ScanOutcome> {
    if (!this.queue) return withScanContext({ runId: null, host: host.name }, () => this.scanner.scanHost(host));
    const { scan, retry } = this.config;
    const attemptMs = scan.connectTimeoutMs + scan.commandTimeoutMs;
    const timeoutMs = attemptMs * (retry.retries + 1) + retry.backoffMs * 2 ** retry.retries + 60_000;
    return this.queue.scanNow(host, timeoutMs);
  }

  /** Runs to the end and returns every outcome (the CLI's way). */
  /** `onStart` hears the run (with its host count) before the first scan begins. */
  async runToCompletion(
    selection: ScanSelection,
    onScan?: (outcome: ScanOutcome) => void,
    onStart?: (run: ScanRunEntity) => void,
  ): Promise<{ run: ScanRunEntity; outcomes: ScanOutcome[] }> {
    const { run, hosts } = await this.prepare(selection);
    onStart?.(run);
    const outcomes: ScanOutcome[] = [];
    await this.execute(run, hosts, (o) => {
      outcomes.push(o);
      onScan?.(o);
    });
    return { run, outcomes };
  }

  async progress(id: number): Promise<ScanRunProgress> {
    const run = await this.scans.findRun(id);
    if (!run) throw new DomainError(DomainErrorCode.ScanRunNotFound, `no scan run ${id}`);
    const { byStatus, changed } = await this.scans.runCounts(id);
    const done = Object.values(byStatus).reduce((a, b) => a + b, 0);
    return {
      id: run.id,
      status: run.status,
      selection: run.selection,
      total: run.total,
      done,
      pending: Math.max(0, run.total - done),
      counts: byStatus,
      changed,
      createdAt: run.createdAt,
      finishedAt: run.finishedAt,
    };
  }

  /** Waits for every background run (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.active.size) await Promise.allSettled([...this.active]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.idle();
  }

  private async prepare(selection: ScanSelection): Promise<{ run: ScanRunEntity; hosts: HostEntity[] }> {
    const hosts = await this.hosts.select(selection.hosts ?? [], selection.labels ?? []);
    if (hosts.length === 0) throw new DomainError(DomainErrorCode.NoHostsSelected, 'no hosts match the selection');
    const run = await this.scans.createRun(selection, hosts.length);
    return { run, hosts };
  }

  private async execute(run: ScanRunEntity, hosts: HostEntity[], onScan?: (outcome: ScanOutcome) => void): Promise<void> {
    await forEachBounded(hosts, this.config.scan.concurrency, (host) =>
      withScanContext({ runId: run.id, host: host.name }, async () => {
        try {
          // Not `onScan?.(await …)`: optional call skips evaluating its arguments when onScan is absent.
          const outcome = await this.slots.use(() => this.scanner.scanHost(host, run.id));
          this.logger.debug(`scanned: ${outcome.status}${outcome.changed ? ', changed' : ''} in ${outcome.durationMs} ms`);
          onScan?.(outcome);
        } catch (error) {
          this.logger.error(`scan of ${host.name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
    try {
      await retryWhileDatabaseUnavailable(() => this.scans.finishRun(run.id), this.config.retry.databaseWindowMs);
    } catch (error) {
      // The run stays `running` until the next start marks it interrupted; its scans are stored.
      this.logger.error(`scan run ${run.id}: could not be marked finished: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
