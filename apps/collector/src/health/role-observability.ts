import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { SCAN_JOB_QUEUE, SCAN_JOB_WORKER, ScanJobQueue, ScanJobWorker, ScanScheduler } from '@driftwatch/scans';
import { MetricsService } from '../metrics/metrics.service';
import { ReadinessRegistry } from './readiness.registry';

/**
 * What this process's roles add to /health/ready and /metrics: the scheduler (roles `all`,
 * `scheduler`) and the queue worker (`all`, `worker` with REDIS_URL) report whether they run,
 * and with REDIS_URL the shared queue's waiting and active jobs become
 * driftwatch_queue_depth{queue="bullmq"}. Absent parts are simply not there.
 */
@Injectable()
export class RoleObservability implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: MetricsService,
    @Optional() private readonly scheduler?: ScanScheduler,
    @Optional() @Inject(SCAN_JOB_WORKER) private readonly worker?: ScanJobWorker,
    @Optional() @Inject(SCAN_JOB_QUEUE) private readonly queue?: ScanJobQueue,
  ) {}

  onModuleInit(): void {
    const { scheduler, worker, queue } = this;
    if (scheduler) {
      this.readiness.register('scheduler', async () => {
        const status = scheduler.status();
        return { up: status.ready, details: { schedules: status.schedules } };
      });
    }
    if (worker) this.readiness.register('worker', async () => ({ up: worker.status().ready }));
    if (queue) this.metrics.registerQueueDepth('bullmq', () => queue.depth());
  }
}
