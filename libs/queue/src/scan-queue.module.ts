import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '@driftwatch/config';
import { SCAN_JOB_QUEUE, SCAN_JOB_WORKER, ScansModule } from '@driftwatch/scans';
import { QueueDispatcher } from './queue-dispatcher';
import { SCAN_QUEUE } from './scan-jobs';
import { ScanWorker } from './scan-worker';

/**
 * Scan jobs through BullMQ on Redis (REDIS_URL set). Every role can enqueue; roles `worker`
 * and `all` also take jobs. The rest of the application sees the queue and the worker only
 * through SCAN_JOB_QUEUE and SCAN_JOB_WORKER, so it can be imported lazily (see AppModule).
 */
@Global()
@Module({})
export class ScanQueueModule {
  static forRoot(config: AppConfig): DynamicModule {
    const queue = config.queue;
    if (!queue) throw new Error('ScanQueueModule needs REDIS_URL');
    const works = config.role === 'worker' || config.role === 'all';
    return {
      module: ScanQueueModule,
      imports: [
        BullModule.forRoot({ connection: { url: queue.redisUrl }, prefix: queue.prefix }),
        BullModule.registerQueue({ name: SCAN_QUEUE }),
        ScansModule,
      ],
      providers: [
        QueueDispatcher,
        { provide: SCAN_JOB_QUEUE, useExisting: QueueDispatcher },
        ...(works ? [ScanWorker, { provide: SCAN_JOB_WORKER, useExisting: ScanWorker }] : []),
      ],
      exports: [QueueDispatcher, SCAN_JOB_QUEUE, ...(works ? [ScanWorker, SCAN_JOB_WORKER] : [])],
    };
  }
}
