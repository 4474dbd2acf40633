import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { HostEntity, ScanRunEntity, ScansRepository } from '@driftwatch/persistence';
import { DomainError, DomainErrorCode, ScanDispatcher, ScanJobQueue, ScanOutcome, ScheduledTick } from '@driftwatch/scans';
import { runJobId, SCAN_JOB_OPTIONS, SCAN_QUEUE, ScanJobData, scanNowJobId, tickJobId, UNFINISHED_JOB_STATES } from './scan-jobs';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Scan jobs on the shared BullMQ queue (REDIS_URL). However many schedulers tick, one tick is
 * enqueued once: the first to take the tick's Redis key creates the run and its jobs, and the
 * job ids (schedule, occurrence, host) would collapse duplicates anyway. A host whose previous
 * job is still waiting or running is skipped.
 */
@Injectable()
export class QueueDispatcher extends ScanDispatcher implements ScanJobQueue, OnApplicationShutdown {
  private readonly logger = new Logger(QueueDispatcher.name);
  private readonly prefix: string;
  /** For the tick and host keys (the queue keeps its own connections). */
  private readonly redis: IORedis;
  /** Job completions, heard by processes that wait for a scan's outcome (opened on first use). */
  private events?: Promise<QueueEvents>;

  constructor(
    @InjectQueue(SCAN_QUEUE) private readonly queue: Queue<ScanJobData>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scans: ScansRepository,
  ) {
    super();
    this.prefix = config.queue!.prefix;
    this.redis = new IORedis(config.queue!.redisUrl, { lazyConnect: true });
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
    if (this.events) await (await this.events).close();
  }

  async dispatch(tick: ScheduledTick): Promise<{ dispatched: number; skipped: string[] }> {
    const at = tick.occurrence.getTime();
    const won = await this.redis.set(`${this.prefix}:tick:${tick.schedule}:${at}`, String(process.pid), 'PX', DAY_MS, 'NX');
    if (won !== 'OK') return { dispatched: 0, skipped: [] };

    const due: ScheduledTick['hosts'] = [];
    const skipped: string[] = [];
    for (const entry of tick.hosts) (await this.inProgress(entry.host.id)) ? skipped.push(entry.host.name) : due.push(entry);
    if (skipped.length) this.logger.warn(`schedule ${tick.schedule} at ${tick.occurrence.toISOString()}: skipped ${skipped.join(', ')}, whose previous scan has not finished`);
    if (due.length === 0) return { dispatched: 0, skipped };

    const run = await this.scans.createRun(tick.selection, due.length);
    await this.add(
      run,
      due.map(({ host, delayMs }) => ({ host, delayMs, jobId: tickJobId(tick.schedule, tick.occurrence, host.id) })),
    );
    return { dispatched: due.length, skipped };
  }

  /** Scan jobs waiting for a worker or being run now, across every process of the deployment. */
  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active');
    return (counts.waiting ?? 0) + (counts.active ?? 0);
  }

  /** An on-demand run (POST /scans): every host is a job, started as soon as a worker is free. */
  async enqueueRun(run: ScanRunEntity, hosts: HostEntity[]): Promise<void> {
    await this.add(
      run,
      hosts.map((host) => ({ host, delayMs: 0, jobId: runJobId(run.id, host.id) })),
    );
  }

  async scanNow(host: HostEntity, timeoutMs: number): Promise<ScanOutcome> {
    // Listening before the job exists, so that its completion cannot come first.
    const events = await this.queueEvents();
    const job = await this.queue.add('scan', { hostId: host.id, runId: null }, { ...SCAN_JOB_OPTIONS, jobId: scanNowJobId(host.id, randomUUID()) });
    try {
      return (await job.waitUntilFinished(events, timeoutMs)) as ScanOutcome;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!/timed out/i.test(message)) throw error;
      await job.remove().catch(() => undefined); // still waiting: nobody will read its outcome
      throw new DomainError(DomainErrorCode.NoWorker, `no worker finished the scan of ${host.name} within ${Math.round(timeoutMs / 1000)} s (are workers running?)`);
    }
  }

  private queueEvents(): Promise<QueueEvents> {
    this.events ??= (async () => {
      const queue = this.config.queue!;
      const events = new QueueEvents(SCAN_QUEUE, { connection: { url: queue.redisUrl }, prefix: queue.prefix });
      await events.waitUntilReady();
      return events;
    })();
    return this.events;
  }

  private async add(run: ScanRunEntity, jobs: Array<{ host: HostEntity; delayMs: number; jobId: string }>): Promise<void> {
    await this.queue.addBulk(
      jobs.map(({ host, delayMs, jobId }) => ({
        name: 'scan',
        data: { hostId: host.id, runId: run.id },
        opts: { ...SCAN_JOB_OPTIONS, jobId, ...(delayMs > 0 ? { delay: delayMs } : {}) },
      })),
    );
    const latest = this.redis.pipeline();
    for (const { host, jobId } of jobs) latest.set(this.hostKey(host.id), jobId, 'PX', DAY_MS);
    await latest.exec();
  }

  private async inProgress(hostId: number): Promise<boolean> {
    const jobId = await this.redis.get(this.hostKey(hostId));
    if (!jobId) return false;
    const job = await this.queue.getJob(jobId);
    return !!job && UNFINISHED_JOB_STATES.has(await job.getState());
  }

  private hostKey(hostId: number): string {
    return `${this.prefix}:host-job:${hostId}`;
  }
}
