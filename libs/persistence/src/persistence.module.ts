import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { DataSource } from 'typeorm';
import { openDataSource } from './data-source';
import { ApiTokensRepository } from './repositories/api-tokens.repository';
import { DriftEventsRepository } from './repositories/drift-events.repository';
import { HostsRepository } from './repositories/hosts.repository';
import { ScansRepository } from './repositories/scans.repository';
import { StatesRepository } from './repositories/states.repository';
import { WebhooksRepository } from './repositories/webhooks.repository';
import { HistoryPruner } from './retention/history-pruner';

const repositories = [HostsRepository, StatesRepository, ScansRepository, ApiTokensRepository, DriftEventsRepository, WebhooksRepository, HistoryPruner].map((Repo) => ({
  provide: Repo,
  useFactory: (dataSource: DataSource) => new Repo(dataSource),
  inject: [DataSource],
}));

/** Opens the configured database (running migrations) and provides the repositories. */
@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        { provide: DataSource, useFactory: (config: AppConfig) => openDataSource(config.databaseUrl), inject: [APP_CONFIG] },
        ...repositories,
      ],
      exports: [DataSource, ...repositories.map((r) => r.provide)],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
