import type * as Scans from '@driftwatch/scans';
import { OPENAPI_MODULES, QUEUE_MODULES, refuseModules } from '../../../test/support/refuse-modules';

// The scan core is required by every process (CLI, scan workers, the benchmark's scan process).
// BullMQ + ioredis (~21 MB) belong to @driftwatch/queue, Swagger (~10 MB) to the collector: a
// factory that throws stands in for each, so a static import of one anywhere under
// @driftwatch/scans fails this spec.
const loadAttempts = refuseModules([...QUEUE_MODULES, ...OPENAPI_MODULES]);

describe('@driftwatch/scans without the optional dependencies', () => {
  it('loads without bullmq, ioredis, @nestjs/bullmq or @nestjs/swagger', () => {
    const scans = require('@driftwatch/scans') as typeof Scans;
    expect(scans.ScansModule).toBeDefined();
    expect(scans.SCAN_JOB_QUEUE).toBe('SCAN_JOB_QUEUE');
    expect(loadAttempts).toEqual([]);
  });
});
