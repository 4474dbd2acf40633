import type { Finding, RawSection } from '@driftwatch/checks';
import type { HostStateEntity, ScanEntity } from '@driftwatch/persistence';
import type { SnapshotContent } from '@driftwatch/snapshots';

/** A state in a host's timeline, without its content. */
export interface SnapshotSummary {
  id: number;
  hash: string;
  firstSeenAt: string;
  lastSeenAt: string;
  seenCount: number;
}

export interface SnapshotView extends SnapshotSummary {
  host: string;
  checks: SnapshotContent['checks'];
  findings: Finding[];
}

export interface RawView {
  id: number;
  host: string;
  sections: RawSection[];
}

export function toSummary(state: HostStateEntity): SnapshotSummary {
  return { id: state.id, hash: state.hash, firstSeenAt: state.firstSeenAt, lastSeenAt: state.lastSeenAt, seenCount: state.seenCount };
}

export function contentOf(state: Pick<HostStateEntity, 'content'>): SnapshotContent {
  return JSON.parse(state.content) as SnapshotContent;
}

export function toSnapshotView(state: HostStateEntity, host: string): SnapshotView {
  const content = contentOf(state);
  return { ...toSummary(state), host, checks: content.checks, findings: content.findings };
}

/** One recorded scan attempt: what happened, whatever it was (refused, unreachable, ok…). */
export interface ScanView {
  id: number;
  runId: number | null;
  status: ScanEntity['status'];
  error: string | null;
  snapshotId: number | null;
  changed: boolean;
  presentedHostKey: string | null;
  /** The SSH key exchange and host key algorithm negotiated; null when no handshake finished. */
  kex: string | null;
  hostKeyAlgorithm: string | null;
  startedAt: string;
  durationMs: number;
  /** SSH attempts made: more than 1 when timeouts or dropped connections were retried. */
  attempts: number;
}

export function toScanView(scan: ScanEntity): ScanView {
  return {
    id: scan.id,
    runId: scan.runId,
    status: scan.status,
    error: scan.error,
    snapshotId: scan.stateId,
    changed: scan.changed,
    presentedHostKey: scan.presentedHostKey,
    kex: scan.kex,
    hostKeyAlgorithm: scan.hostKeyAlgorithm,
    startedAt: scan.startedAt,
    durationMs: scan.durationMs,
    attempts: scan.attempts,
  };
}
