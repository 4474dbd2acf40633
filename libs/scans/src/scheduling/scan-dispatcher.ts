import type { HostEntity } from '@driftwatch/persistence';
import type { ScanSelection } from '../scanning/scan-runs.service';

/** One tick of one schedule: the hosts it selected, each with its splay delay. */
export interface ScheduledTick {
  schedule: string;
  /** The cron occurrence this tick stands for (identical in every process). */
  occurrence: Date;
  selection: ScanSelection;
  hosts: Array<{ host: HostEntity; delayMs: number }>;
}

/**
 * Starts the scans of a tick: in this process, or as jobs on the shared queue. A host whose
 * previous scheduled scan has not finished is skipped (and logged), never queued up behind it.
 */
export abstract class ScanDispatcher {
  /** Resolves once the tick's scans are handed over (not when they finish); returns how many. */
  abstract dispatch(tick: ScheduledTick): Promise<{ dispatched: number; skipped: string[] }>;
}
