import type { JobsOptions } from 'bullmq';

export const SCAN_QUEUE = 'scans';

/** One host to scan, as part of a scan run or (runId null) asked for on its own, its asker waiting for the outcome. */
export interface ScanJobData {
  hostId: number;
  runId: number | null;
}

/** States in which a host's previous job still counts as its scan in progress. */
export const UNFINISHED_JOB_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

export const SCAN_JOB_OPTIONS: JobsOptions = {
  // A failed job is a bug or a lost database, not a host problem (those are scan outcomes).
  attempts: 1,
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Job ids may not contain ':'; the same tick and host give the same id in every process. */
export function tickJobId(schedule: string, occurrence: Date, hostId: number): string {
  return `tick-${schedule.replace(/[^A-Za-z0-9_.=-]/g, '=')}-${occurrence.getTime()}-${hostId}`;
}

export function runJobId(runId: number, hostId: number): string {
  return `run-${runId}-${hostId}`;
}

export function scanNowJobId(hostId: number, requestId: string): string {
  return `now-${hostId}-${requestId}`;
}
