import type { HostEntity, ScanRunEntity } from '@driftwatch/persistence';
import type { ScheduledTick } from '../scheduling/scan-dispatcher';
import type { ScanOutcome } from './scan-outcome';

/**
 * The shared scan queue as the scan core sees it. The implementation (BullMQ on Redis) lives in
 * `@driftwatch/queue`, which provides these tokens when REDIS_URL is set; this library never
 * imports it, so processes without a queue (the CLI, in-process collectors) never load BullMQ.
 */
export const SCAN_JOB_QUEUE = 'SCAN_JOB_QUEUE';

export interface ScanJobQueue {
  /** An on-demand run: every host becomes a job, scanned by whichever worker is free. */
  enqueueRun(run: ScanRunEntity, hosts: HostEntity[]): Promise<void>;
  /** A scheduled tick (a ScanDispatcher): enqueued once however many schedulers tick. */
  dispatch(tick: ScheduledTick): Promise<{ dispatched: number; skipped: string[] }>;
  /**
   * One host scanned now by whichever worker is free, answered with its outcome; rejects with
   * a NoWorker DomainError when no worker has finished it within `timeoutMs`.
   */
  scanNow(host: HostEntity, timeoutMs: number): Promise<ScanOutcome>;
  /** Jobs waiting for a worker or running now, across every process of the deployment. */
  depth(): Promise<number>;
}

/** The queue worker of this process (roles `worker` and `all` with REDIS_URL). */
export const SCAN_JOB_WORKER = 'SCAN_JOB_WORKER';

export interface ScanJobWorker {
  /** For the readiness check: taking jobs. */
  status(): { ready: boolean };
}
