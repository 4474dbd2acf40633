import type { Finding, RawSection } from '@driftwatch/checks';
import type { HostStateEntity } from '@driftwatch/persistence';
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

export function contentOf(state: HostStateEntity): SnapshotContent {
  return JSON.parse(state.content) as SnapshotContent;
}

export function toSnapshotView(state: HostStateEntity, host: string): SnapshotView {
  const content = contentOf(state);
  return { ...toSummary(state), host, checks: content.checks, findings: content.findings };
}
