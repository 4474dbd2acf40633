import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig } from '@driftwatch/config';
import { SCAN_JOB_QUEUE } from '../scanning/scan-job-queue';
import { ScansModule } from '../scans.module';
import { CronSchedules } from './cron-schedules';
import { InProcessDispatcher } from './in-process-dispatcher';
import { ScanDispatcher } from './scan-dispatcher';
import { ScanScheduler } from './scan-scheduler';
import { PruneScheduler } from '../retention/prune-scheduler';

/**
 * Scheduled scans and history pruning (roles `scheduler` and `all`): in this process, or onto the shared queue
 * when REDIS_URL is set (ScanQueueModule of @driftwatch/queue must then be imported too: it
 * provides SCAN_JOB_QUEUE).
 */
@Module({})
export class SchedulingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SchedulingModule,
      imports: [ScheduleModule.forRoot(), ScansModule],
      providers: [
        CronSchedules,
        ScanScheduler,
        PruneScheduler,
        ...(config.queue ? [{ provide: ScanDispatcher, useExisting: SCAN_JOB_QUEUE }] : [InProcessDispatcher, { provide: ScanDispatcher, useExisting: InProcessDispatcher }]),
      ],
      exports: [ScanScheduler, PruneScheduler],
    };
  }
}
