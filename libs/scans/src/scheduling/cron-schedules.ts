import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob, CronTime } from 'cron';

/** The first occurrence of `time` strictly after `from`. */
export function nextOccurrence(time: CronTime, from: Date): Date {
  return time.getNextDateFrom(from).toJSDate();
}

/**
 * The small wrapper through which driftwatch schedules work (on @nestjs/schedule's registry):
 * cron expressions in UTC, each tick told the occurrence it stands for — the same instant in
 * every process, so it can name a tick across machines. Ticks missed while the process was
 * busy coalesce into one for the latest occurrence: work runs once, not once per missed tick.
 */
@Injectable()
export class CronSchedules implements OnApplicationShutdown {
  private readonly logger = new Logger(CronSchedules.name);
  private readonly names = new Set<string>();

  constructor(private readonly registry: SchedulerRegistry) {}

  add(name: string, expression: string, onTick: (occurrence: Date) => Promise<void> | void): void {
    const time = new CronTime(expression, 'UTC');
    let cursor = new Date();
    const job = CronJob.from({
      cronTime: expression,
      timeZone: 'UTC',
      start: false,
      onTick: async () => {
        const now = new Date();
        let occurrence = nextOccurrence(time, cursor);
        for (let next = nextOccurrence(time, occurrence); next <= now; next = nextOccurrence(time, next)) occurrence = next;
        cursor = occurrence;
        try {
          await onTick(occurrence);
        } catch (error) {
          this.logger.error(`schedule ${name} failed at ${occurrence.toISOString()}: ${error instanceof Error ? error.message : String(error)}`);
        }
      },
    });
    this.registry.addCronJob(name, job);
    this.names.add(name);
    job.start();
  }

  /** The occurrence of `expression` that follows `from`. */
  next(expression: string, from: Date): Date {
    return nextOccurrence(new CronTime(expression, 'UTC'), from);
  }

  stopAll(): void {
    for (const name of this.names) {
      void this.registry.getCronJob(name).stop();
      this.registry.deleteCronJob(name);
    }
    this.names.clear();
  }

  onApplicationShutdown(): void {
    this.stopAll();
  }
}
