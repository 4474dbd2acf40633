import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, loadConfig } from '@driftwatch/config';
import { PersistenceModule } from '@driftwatch/persistence';
import { ScansModule } from '@driftwatch/scans';
import { LocalScanCommand } from './commands/local-scan.command';

/** True for `scan --local …`, which runs without SSH, and without a database unless --save. */
export function isLocalScan(args: readonly string[]): boolean {
  return args[0] === 'scan' && args.includes('--local');
}

/** `driftwatch scan --local`: only the database when --save asks for it. */
@Module({})
export class LocalScanCliModule {
  static forRoot(withDatabase: boolean): DynamicModule {
    if (!withDatabase) return { module: LocalScanCliModule, providers: [LocalScanCommand] };
    return {
      module: LocalScanCliModule,
      imports: [ConfigModule.forRoot(loadConfig()), PersistenceModule.forRoot(), ScansModule],
      providers: [LocalScanCommand],
    };
  }
}
