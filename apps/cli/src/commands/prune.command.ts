import { DomainError, DomainErrorCode, PruneOutcome, PruneService, describePrune } from '@driftwatch/scans';
import { Command, Option } from 'nest-commander';
import { Printer } from '../output/printer';
import { OutputCommand, OutputOptions } from './common-options';

interface PruneOptions extends OutputOptions {
  dryRun?: boolean;
  vacuum?: boolean;
  scanDays?: number;
  stateDays?: number;
  deliveryDays?: number;
}

function days(flag: string, value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 36_500) throw new DomainError(DomainErrorCode.InvalidInput, `${flag} must be a whole number of days from 0 (keep all) to 36500, not "${value}"`);
  return Number(value);
}

function describe(outcome: PruneOutcome): string {
  const kept = (value: number | null) => (value === null ? 'kept' : `${value} days`);
  const { policy } = outcome;
  return `retention: scans ${kept(policy.scanDays)}, states ${kept(policy.stateDays)}, webhook deliveries ${kept(policy.deliveryDays)}\n${describePrune(outcome)}`;
}

@Command({
  name: 'prune',
  description:
    'delete history the retention policy no longer keeps (SCAN_RETENTION_DAYS, STATE_RETENTION_DAYS, WEBHOOK_DELIVERY_RETENTION_DAYS; the flags override them for this run)',
})
export class PruneCommand extends OutputCommand {
  constructor(private readonly pruner: PruneService) {
    super();
  }

  async run(_args: string[], options: PruneOptions): Promise<void> {
    if (options.dryRun && options.vacuum) throw new DomainError(DomainErrorCode.InvalidInput, '--vacuum rewrites the database: it cannot be part of a --dry-run');
    const outcome = await this.pruner.prune({
      dryRun: options.dryRun,
      vacuum: options.vacuum,
      days: { scanDays: options.scanDays, stateDays: options.stateDays, deliveryDays: options.deliveryDays },
    });
    new Printer(!!options.json).result(outcome, describe);
  }

  @Option({ flags: '--dry-run', description: 'count what would be deleted, delete nothing' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({
    flags: '--vacuum',
    description: 'then rebuild a sqlite file without its free space (needs room for a copy; writes of other processes wait meanwhile)',
  })
  parseVacuum(): boolean {
    return true;
  }

  @Option({ flags: '--scan-days <n>', description: 'keep scan attempts this many days (0: all)' })
  parseScanDays(value: string): number {
    return days('--scan-days', value);
  }

  @Option({ flags: '--state-days <n>', description: 'keep states no longer current this many days after last seen (0: all)' })
  parseStateDays(value: string): number {
    return days('--state-days', value);
  }

  @Option({ flags: '--delivery-days <n>', description: 'keep finished webhook deliveries this many days (0: all)' })
  parseDeliveryDays(value: string): number {
    return days('--delivery-days', value);
  }
}
