import { loadConfig } from '@driftwatch/config';
import type * as App from './app.module';

// Without REDIS_URL the collector runs its scans in-process and must not load BullMQ + ioredis
// (~21 MB): @driftwatch/queue is imported lazily, only when REDIS_URL is set.
const mockLoaded: string[] = [];
function mockRefuse(name: string): never {
  mockLoaded.push(name);
  throw new Error(`${name} loaded`);
}
jest.mock('bullmq', () => mockRefuse('bullmq'));
jest.mock('ioredis', () => mockRefuse('ioredis'));
jest.mock('@nestjs/bullmq', () => mockRefuse('@nestjs/bullmq'));

describe('AppModule and the scan queue', () => {
  it('imports no queue code without REDIS_URL', () => {
    const { AppModule } = require('./app.module') as typeof App;
    const module = AppModule.forRoot(loadConfig({}));
    expect(module.imports?.some((m) => m instanceof Promise)).toBe(false);
    expect(mockLoaded).toEqual([]);
  });

  it('with REDIS_URL, imports @driftwatch/queue when Nest resolves its imports', async () => {
    const { AppModule } = require('./app.module') as typeof App;
    const module = AppModule.forRoot(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }));
    const queue = module.imports?.find((m) => m instanceof Promise);
    // Here the refusing stand-ins make the lazy import fail: proof that it reaches the queue library.
    await expect(queue).rejects.toThrow(/bullmq loaded/);
    expect(mockLoaded).toEqual(['@nestjs/bullmq']);
  });
});
