import { renderTextDiff } from '@driftwatch/drift';
import type { DiffView } from './history.service';
import type { SnapshotSummary } from './snapshot-view';

/** A diff view as a unified text diff, labelled with the host, snapshot ids and times. */
export function renderDiffViewText(diff: DiffView): string {
  const label = (s: SnapshotSummary | null) => (s ? `${diff.host} snapshot ${s.id} (${s.firstSeenAt})` : `${diff.host} (no earlier snapshot)`);
  return renderTextDiff({ label: label(diff.from) }, { label: label(diff.to) }, diff.changes, diff.headlines);
}
