import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, RetentionPolicy } from '@driftwatch/config';
import { HistoryPruner, PruneReport, StorageFootprint, compactSqlite, releaseFreePages, storageFootprint } from '@driftwatch/persistence';
import { DataSource } from 'typeorm';

export interface PruneRequest {
  dryRun?: boolean;
  /** Rebuild a sqlite file afterwards (VACUUM), converting it to incremental auto_vacuum. */
  vacuum?: boolean;
  /** Days that replace the configured ones (0 keeps that kind of history). */
  days?: Partial<Record<'scanDays' | 'stateDays' | 'deliveryDays', number>>;
  now?: Date;
}

export interface PruneOutcome extends PruneReport {
  policy: RetentionPolicy;
  before: StorageFootprint;
  after: StorageFootprint;
}

/** Applies the retention policy: deletes old history, then gives the freed space back where the store can. */
@Injectable()
export class PruneService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pruner: HistoryPruner,
    private readonly dataSource: DataSource,
  ) {}

  policyFor(days: PruneRequest['days'] = {}): RetentionPolicy {
    const given = (value: number | undefined, configured: number | null) => (value === undefined ? configured : value || null);
    const { retention } = this.config;
    return {
      scanDays: given(days.scanDays, retention.scanDays),
      stateDays: given(days.stateDays, retention.stateDays),
      deliveryDays: given(days.deliveryDays, retention.deliveryDays),
      batchSize: retention.batchSize,
    };
  }

  async prune(request: PruneRequest = {}): Promise<PruneOutcome> {
    const policy = this.policyFor(request.days);
    const before = await storageFootprint(this.dataSource);
    const report = await this.pruner.prune(policy, { now: request.now, dryRun: request.dryRun });
    if (!request.dryRun) {
      if (request.vacuum) await compactSqlite(this.dataSource);
      else await releaseFreePages(this.dataSource);
    }
    return { ...report, policy, before, after: await storageFootprint(this.dataSource) };
  }
}
