import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig } from '@driftwatch/config';
import { QueueDispatcher } from '../queue/queue-dispatcher';
import { ScansModule } from '../scans.module';
import { CronSchedules } from './cron-schedules';
import { InProcessDispatcher } from './in-process-dispatcher';
import { ScanDispatcher } from './scan-dispatcher';
import { ScanScheduler } from './scan-scheduler';

/**
 * Scheduled scans (roles `scheduler` and `all`): in this process, or onto the shared queue
 * when REDIS_URL is set (ScanQueueModule must then be imported too).
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
        ...(config.queue ? [{ provide: ScanDispatcher, useExisting: QueueDispatcher }] : [InProcessDispatcher, { provide: ScanDispatcher, useExisting: InProcessDispatcher }]),
      ],
      exports: [ScanScheduler],
    };
  }
}
