import { hostname } from 'node:os';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { HostsRepository, ScansRepository } from '@driftwatch/persistence';
import { ScanJobWorker, ScanOutcome, ScanService, withScanContext } from '@driftwatch/scans';
import { SCAN_QUEUE, ScanJobData } from './scan-jobs';

/**
 * Takes scan jobs from the shared queue (roles `worker` and `all` with REDIS_URL), up to
 * SCAN_CONCURRENCY at once. A worker that dies mid-job stops renewing the job's lock; after
 * QUEUE_LOCK_MS another worker's stalled-job check (every QUEUE_STALLED_INTERVAL_MS) puts the
 * job back and it is scanned again. A job whose scan row already exists is not scanned twice.
 */
@Injectable()
export class ScanWorker implements ScanJobWorker, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ScanWorker.name);
  private worker?: Worker<ScanJobData>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scanner: ScanService,
    private readonly hosts: HostsRepository,
    private readonly scans: ScansRepository,
  ) {}

  onApplicationBootstrap(): void {
    const queue = this.config.queue!;
    this.worker = new Worker<ScanJobData>(SCAN_QUEUE, (job) => this.process(job), {
      connection: { url: queue.redisUrl, maxRetriesPerRequest: null },
      prefix: queue.prefix,
      concurrency: this.config.scan.concurrency,
      lockDuration: queue.lockMs,
      stalledInterval: queue.stalledIntervalMs,
      maxStalledCount: 3,
      name: `${hostname()}:${process.pid}`,
    });
    this.worker.on('failed', (job, error) => this.logger.error(`scan job ${job?.id ?? '?'} failed: ${error.message}`));
    this.worker.on('error', (error) => this.logger.error(`scan queue: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  /** For a readiness check (GET /health/ready, when the collector has one): taking jobs. */
  status(): { ready: boolean } {
    return { ready: this.worker?.isRunning() ?? false };
  }

  /** A run's job returns the scan's status; a scan asked for on its own, the whole outcome its asker answers with. */
  private async process(job: Job<ScanJobData>): Promise<string | ScanOutcome> {
    const { hostId, runId } = job.data;
    const host = await this.hosts.findById(hostId);
    if (runId === null) {
      if (!host) throw new Error(`host ${hostId} was removed before it was scanned`);
      return withScanContext({ runId: null, host: host.name }, () => this.scanner.scanHost(host));
    }
    let result: string;
    if (!host) result = 'host removed';
    else if (await this.scans.scanOfRun(runId, hostId)) result = 'already scanned';
    else result = (await this.scanner.scanHost(host, runId)).status;
    await this.scans.finishRunIfComplete(runId);
    return result;
  }
}
