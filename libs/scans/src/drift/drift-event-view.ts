import type { DriftEventEntity } from '@driftwatch/persistence';

/** One drift event as the API and CLI show it. */
export interface DriftEventView {
  id: number;
  host: string;
  fromSnapshotId: number;
  toSnapshotId: number;
  detectedAt: string;
  path: string;
  kind: string;
  category: string;
  severity: string;
  summary: string;
  before: unknown;
  after: unknown;
}

export function toDriftEventView(event: DriftEventEntity, host: string): DriftEventView {
  return {
    id: event.id,
    host,
    fromSnapshotId: event.fromStateId,
    toSnapshotId: event.toStateId,
    detectedAt: event.detectedAt,
    path: event.path,
    kind: event.kind,
    category: event.category,
    severity: event.severity,
    summary: event.summary,
    before: JSON.parse(event.before) as unknown,
    after: JSON.parse(event.after) as unknown,
  };
}
