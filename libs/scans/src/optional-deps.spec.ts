import type * as Scans from '@driftwatch/scans';

// The scan core is required by every process (CLI, scan workers, the benchmark's scan process).
// BullMQ + ioredis (~21 MB) belong to @driftwatch/queue, Swagger (~10 MB) to the collector: a
// factory that throws stands in for each, so a static import of one anywhere under
// @driftwatch/scans fails this spec.
const mockLoaded: string[] = [];
function mockRefuse(name: string): never {
  mockLoaded.push(name);
  throw new Error(`${name} loaded`);
}
jest.mock('bullmq', () => mockRefuse('bullmq'));
jest.mock('ioredis', () => mockRefuse('ioredis'));
jest.mock('@nestjs/bullmq', () => mockRefuse('@nestjs/bullmq'));
jest.mock('@nestjs/swagger', () => mockRefuse('@nestjs/swagger'));

describe('@driftwatch/scans without the optional dependencies', () => {
  it('loads without bullmq, ioredis, @nestjs/bullmq or @nestjs/swagger', () => {
    const scans = require('@driftwatch/scans') as typeof Scans;
    expect(scans.ScansModule).toBeDefined();
    expect(scans.SCAN_JOB_QUEUE).toBe('SCAN_JOB_QUEUE');
    // A caught require would hide a load: the factories record every attempt.
    expect(mockLoaded).toEqual([]);
  });
});
