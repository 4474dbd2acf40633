import type * as Cli from './cli';
import type * as CliModules from './cli.module';
import type * as LocalScan from './local-scan.module';
import { OPENAPI_MODULES, QUEUE_MODULES, refuseModules } from '../../../test/support/refuse-modules';

// `driftwatch` loads neither BullMQ + ioredis (the collector's queue, @driftwatch/queue) nor Swagger
// (the collector's OpenAPI document); `serve` and `demo` require the collector when they run.
// A factory that throws stands in for each, so a static import of one from any CLI module fails here.
const loadAttempts = refuseModules([...QUEUE_MODULES, ...OPENAPI_MODULES]);

describe('the CLI without the optional dependencies', () => {
  it('loads every CLI module and command without bullmq, ioredis, @nestjs/bullmq or @nestjs/swagger', () => {
    const cli = require('./cli') as typeof Cli;
    const modules = require('./cli.module') as typeof CliModules;
    const local = require('./local-scan.module') as typeof LocalScan;
    expect(cli.runCli).toBeDefined();
    expect(modules.CliModule.forRoot).toBeDefined();
    expect(local.LocalScanCliModule).toBeDefined();
    expect(loadAttempts).toEqual([]);
  });
});
