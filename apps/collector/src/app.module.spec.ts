import { loadConfig } from '@driftwatch/config';
import type * as App from './app.module';
import { QUEUE_MODULES, refuseModules } from '../../../test/support/refuse-modules';

// Without REDIS_URL the collector runs its scans in-process and must not load BullMQ + ioredis
// (~21 MB): @driftwatch/queue is imported lazily, only when REDIS_URL is set.
const loadAttempts = refuseModules(QUEUE_MODULES);

describe('AppModule and the scan queue', () => {
  it('imports no queue code without REDIS_URL', () => {
    const { AppModule } = require('./app.module') as typeof App;
    const module = AppModule.forRoot(loadConfig({}));
    expect(module.imports?.some((m) => m instanceof Promise)).toBe(false);
    expect(loadAttempts).toEqual([]);
  });

  it('with REDIS_URL, imports @driftwatch/queue when Nest resolves its imports', async () => {
    const { AppModule } = require('./app.module') as typeof App;
    const module = AppModule.forRoot(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }));
    const queue = module.imports?.find((m) => m instanceof Promise);
    // Here the refusing stand-ins make the lazy import fail: proof that it reaches the queue library.
    await expect(queue).rejects.toThrow(/bullmq loaded/);
    expect(loadAttempts).toEqual(['@nestjs/bullmq']);
  });
});
