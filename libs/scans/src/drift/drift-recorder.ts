import { Inject, Injectable } from '@nestjs/common';
import type { RawSection } from '@driftwatch/checks';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { diffSnapshots } from '@driftwatch/drift';
import { DriftChangeRow, HostEntity, RecordedState, RecordOptions, StatesRepository } from '@driftwatch/persistence';
import { type Snapshot, type SnapshotContent } from '@driftwatch/snapshots';
import { ScanEvents } from '../events/scan-events';

/**
 * Stores an observed snapshot and, when it starts a new state, the drift from the previous
 * state in the same transaction; then tells listeners (webhooks, metrics) what drifted.
 */
@Injectable()
export class DriftRecorder {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly states: StatesRepository,
    private readonly events: ScanEvents,
  ) {}

  /** The drift between two stored contents, under this deployment's DRIFT_IGNORE. */
  readonly driftOf = (previousContent: string, content: string): DriftChangeRow[] =>
    diffSnapshots(JSON.parse(previousContent) as SnapshotContent, JSON.parse(content) as SnapshotContent, { ignore: this.config.drift.ignore });

  /** `alongside` writes in the same transaction (the scan row that observed the state). */
  async record(host: HostEntity, runId: number | null, snapshot: Snapshot, sections: RawSection[], seenAt: Date, alongside?: RecordOptions['alongside']): Promise<RecordedState> {
    const recorded = await this.states.record(host.id, snapshot.hash, snapshot.canonical, sections, seenAt, {
      driftOf: this.driftOf,
      alongside,
      hasObservedFacts: snapshot.hasObservedFacts,
    });
    if (recorded.previous && recorded.driftEvents.length) {
      this.events.emit({
        type: 'drift-recorded',
        runId,
        hostId: host.id,
        host: host.name,
        fromStateId: recorded.previous.id,
        toStateId: recorded.state.id,
        changes: recorded.driftEvents.map((e) => ({
          id: e.id,
          path: e.path,
          kind: e.kind,
          category: e.category,
          severity: e.severity,
          summary: e.summary,
          before: JSON.parse(e.before) as unknown,
          after: JSON.parse(e.after) as unknown,
        })),
        at: new Date().toISOString(),
      });
    }
    return recorded;
  }
}
