import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { CronSchedules } from '../scheduling/cron-schedules';
import { PruneOutcome, PruneService } from './prune.service';

/** One line an operator can read: what went, and the store's size before and after. */
export function describePrune(outcome: PruneOutcome): string {
  const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;
  const verb = outcome.dryRun ? 'would delete' : 'deleted';
  return (
    `${verb} ${outcome.scans} scans, ${outcome.states} states, ${outcome.driftEvents} drift events, ` +
    `${outcome.scanRuns} scan runs, ${outcome.webhookDeliveries} webhook deliveries; ` +
    `database ${mib(outcome.before.bytes)} → ${mib(outcome.after.bytes)}`
  );
}

/** Prunes history on PRUNE_SCHEDULE (roles `scheduler` and `all`). */
@Injectable()
export class PruneScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(PruneScheduler.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cron: CronSchedules,
    private readonly pruner: PruneService,
  ) {}

  onApplicationBootstrap(): void {
    const schedule = this.config.pruneSchedule;
    if (!schedule) return;
    this.cron.add('prune', schedule, async () => void (await this.tick()));
    this.logger.log(`history prune "${schedule}"`);
  }

  async tick(): Promise<PruneOutcome> {
    const outcome = await this.pruner.prune();
    this.logger.log(describePrune(outcome));
    return outcome;
  }
}
