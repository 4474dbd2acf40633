import { Module } from '@nestjs/common';
import { SshTransport } from '@driftwatch/ssh';
import { DriftRecorder } from './drift/drift-recorder';
import { DriftService } from './drift/drift.service';
import { ReparseService } from './drift/reparse.service';
import { ScanEvents } from './events/scan-events';
import { ApiTokensService } from './tokens/api-tokens.service';
import { HistoryService } from './history/history.service';
import { HostsService } from './hosts/hosts.service';
import { ProbeInstallService } from './probe-install/probe-install.service';
import { ScanRunsService } from './scanning/scan-runs.service';
import { ScanService } from './scanning/scan.service';

/**
 * The domain shared by the collector and the CLI. Needs ConfigModule and PersistenceModule
 * (both global) imported by the application.
 */
@Module({
  providers: [
    { provide: SshTransport, useFactory: () => new SshTransport() },
    HostsService,
    ScanService,
    ScanRunsService,
    HistoryService,
    ProbeInstallService,
    ScanEvents,
    ApiTokensService,
    DriftRecorder,
    DriftService,
    ReparseService,
  ],
  exports: [ScanEvents, ApiTokensService, HostsService, ScanService, ScanRunsService, HistoryService, ProbeInstallService, DriftService, ReparseService],
})
export class ScansModule {}
