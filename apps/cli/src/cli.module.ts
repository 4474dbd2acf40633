import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, loadConfig } from '@driftwatch/config';
import { PersistenceModule } from '@driftwatch/persistence';
import { ScansModule } from '@driftwatch/scans';
import { DemoCommand } from './commands/demo.command';
import { DiffCommand } from './commands/diff.command';
import { DriftCommand } from './commands/drift.command';
import { HistoryCommand } from './commands/history.command';
import { HostsAddCommand } from './commands/hosts-add.command';
import { HostsImportCommand } from './commands/hosts-import.command';
import { HostsListCommand } from './commands/hosts-list.command';
import { HostsRemoveCommand } from './commands/hosts-remove.command';
import { HostsCommand } from './commands/hosts.command';
import { MigrateCommand } from './commands/migrate.command';
import { ParseCommand } from './commands/parse.command';
import { ProbeInstallCommand } from './commands/probe-install.command';
import { ProbeCommand } from './commands/probe.command';
import { PruneCommand } from './commands/prune.command';
import { BackupCommand, ExportCommand, ImportCommand } from './commands/transfer.command';
import { ReportCommand } from './commands/report.command';
import { ReparseCommand } from './commands/reparse.command';
import { ScanCommand } from './commands/scan.command';
import { SecretsCommand, SecretsRotateCommand } from './commands/secrets.command';
import { ServeCommand } from './commands/serve.command';
import { TokensCommand, TokensCreateCommand, TokensListCommand, TokensRevokeCommand } from './commands/tokens.command';

/** Commands that need no database of their own. */
export const STANDALONE_COMMANDS = [ParseCommand, ServeCommand, DemoCommand, MigrateCommand];

@Module({ providers: STANDALONE_COMMANDS })
export class StandaloneCliModule {}

/** Every command; opens the configured database (running migrations). */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(), ScansModule],
      providers: [
        ...STANDALONE_COMMANDS,
        HostsCommand,
        HostsAddCommand,
        HostsImportCommand,
        HostsListCommand,
        HostsRemoveCommand,
        SecretsCommand,
        SecretsRotateCommand,
        ScanCommand,
        HistoryCommand,
        DiffCommand,
        ProbeCommand,
        ProbeInstallCommand,
        ReportCommand,
        TokensCommand,
        TokensCreateCommand,
        TokensListCommand,
        TokensRevokeCommand,
        DriftCommand,
        ReparseCommand,
        PruneCommand,
        ExportCommand,
        ImportCommand,
        BackupCommand,
      ],
    };
  }
}
