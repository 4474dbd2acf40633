import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AppConfig, ConfigModule, loadConfig } from '@driftwatch/config';
import { PersistenceModule } from '@driftwatch/persistence';
import { ScansModule, SchedulingModule, WebhooksModule } from '@driftwatch/scans';
import { DriftController } from './drift/drift.controller';
import { FleetController } from './fleet/fleet.controller';
import { HealthModule } from './health/health.module';
import { RoleObservability } from './health/role-observability';
import { HostsController } from './hosts/hosts.controller';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { MetricsModule } from './metrics/metrics.module';
import { ReportController } from './report/report.controller';
import { ScanRunEventsStream } from './scans/scan-run-events';
import { ScansController } from './scans/scans.controller';
import { ApiAuthGuard } from './security/api-auth.guard';
import { SnapshotsController } from './snapshots/snapshots.controller';
import { WebhooksController } from './webhooks/webhooks.controller';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        PersistenceModule.forRoot(),
        ScansModule,
        WebhooksModule,
        HealthModule,
        MetricsModule,
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: config.api.rateLimitPerMinute }]),
        // Loaded only with REDIS_URL: BullMQ and ioredis cost ~21 MB in every process that requires them.
        ...(config.queue ? [import('@driftwatch/queue').then((m) => m.ScanQueueModule.forRoot(config))] : []),
        ...(config.role === 'all' || config.role === 'scheduler' ? [SchedulingModule.forRoot(config)] : []),
      ],
      controllers: [DriftController, HostsController, ScansController, SnapshotsController, ReportController, FleetController, WebhooksController],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        ...(config.api.rateLimitPerMinute > 0 ? [{ provide: APP_GUARD, useClass: ThrottlerGuard }] : []),
        { provide: APP_GUARD, useClass: ApiAuthGuard },
        ScanRunEventsStream,
        RoleObservability,
      ],
    };
  }
}
