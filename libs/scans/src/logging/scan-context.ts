import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line of scan work carries. */
export interface ScanContext {
  runId: number | null;
  host: string;
}

const storage = new AsyncLocalStorage<ScanContext>();

/** Runs `work` (and everything it awaits or schedules) as scan work for `context`. */
export function withScanContext<T>(context: ScanContext, work: () => T): T {
  return storage.run(context, work);
}

/** The scan being worked on, if any. */
export function currentScanContext(): ScanContext | undefined {
  return storage.getStore();
}
