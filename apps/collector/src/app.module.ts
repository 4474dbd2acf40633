import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AppConfig, ConfigModule, loadConfig } from '@driftwatch/config';
import { PersistenceModule } from '@driftwatch/persistence';
import { ScansModule } from '@driftwatch/scans';
import { DriftController } from './drift/drift.controller';
import { HealthController } from './health/health.controller';
import { HostsController } from './hosts/hosts.controller';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { ScansController } from './scans/scans.controller';
import { ApiAuthGuard } from './security/api-auth.guard';
import { SnapshotsController } from './snapshots/snapshots.controller';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        PersistenceModule.forRoot(),
        ScansModule,
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: config.api.rateLimitPerMinute }]),
      ],
      controllers: [DriftController, HostsController, ScansController, SnapshotsController, HealthController],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        ...(config.api.rateLimitPerMinute > 0 ? [{ provide: APP_GUARD, useClass: ThrottlerGuard }] : []),
        { provide: APP_GUARD, useClass: ApiAuthGuard },
      ],
    };
  }
}
