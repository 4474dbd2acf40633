import { Injectable, Logger } from '@nestjs/common';
import type { ScanStatus } from '@driftwatch/persistence';

/** One host's scan has been recorded (whatever its status). */
export interface ScanFinishedEvent {
  type: 'scan-finished';
  runId: number | null;
  hostId: number;
  host: string;
  status: ScanStatus;
  error?: string;
  /** The host's state after this scan, when the scan produced one. */
  stateId?: number;
  /** True when this scan started a new state. */
  changed: boolean;
  /** The key the host presented (for hostkey-mismatch, the unexpected one). */
  presentedHostKey?: string;
  durationMs: number;
  /** SSH attempts, present when transient failures were retried (more than 1). */
  attempts?: number;
  at: string;
}

/** A drift event is the unit people act on: one change between two consecutive states. */
export interface DriftRecordedEvent {
  type: 'drift-recorded';
  runId: number | null;
  hostId: number;
  host: string;
  fromStateId: number;
  toStateId: number;
  changes: Array<{ id: number; path: string; kind: string; category: string; severity: string; summary: string; before?: unknown; after?: unknown }>;
  at: string;
}

export type ScanEvent = ScanFinishedEvent | DriftRecordedEvent;
export type ScanEventListener = (event: ScanEvent) => void | Promise<void>;

/**
 * In-process publish/subscribe for what scans produce. Listeners (webhooks, metrics, live
 * progress streams) never slow a scan down or fail it: each runs detached and its errors are
 * logged.
 */
@Injectable()
export class ScanEvents {
  private readonly logger = new Logger(ScanEvents.name);
  private readonly listeners = new Set<ScanEventListener>();

  /** Returns the function that unsubscribes. */
  subscribe(listener: ScanEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ScanEvent): void {
    for (const listener of this.listeners) {
      Promise.resolve()
        .then(() => listener(event))
        .catch((error: unknown) => this.logger.error(`listener failed on ${event.type}: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
}
