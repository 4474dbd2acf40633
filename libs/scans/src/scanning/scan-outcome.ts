import type { Finding } from '@driftwatch/checks';
import type { ScanStatus } from '@driftwatch/persistence';

/** What one scan of one host came to; the body of POST /hosts/:name/scan. */
export interface ScanOutcome {
  host: string;
  status: ScanStatus;
  /** The state the host is in now; absent when the scan produced no snapshot. */
  snapshotId?: number;
  /** True when this scan found the host different from its previous state. */
  changed: boolean;
  error?: string;
  /** The guide's advice that applies to the state found (present when a snapshot was stored). */
  findings?: Finding[];
  durationMs: number;
  /** SSH attempts, present when transient failures were retried (more than 1). */
  attempts?: number;
}
