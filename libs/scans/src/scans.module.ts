import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { SshTransport } from '@driftwatch/ssh';
import { DriftRecorder } from './drift/drift-recorder';
import { DriftService } from './drift/drift.service';
import { ReparseService } from './drift/reparse.service';
import { ScanEvents } from './events/scan-events';
import { ApiTokensService } from './tokens/api-tokens.service';
import { FleetService } from './fleet/fleet.service';
import { HistoryService } from './history/history.service';
import { HostTargetsService } from './hosts/host-targets.service';
import { HostImportService } from './hosts/import/host-import.service';
import { HostsService } from './hosts/hosts.service';
import { LocalScanService } from './local/local-scan.service';
import { SecretBox } from './secrets/secret-box';
import { SecretRotationService } from './secrets/secret-rotation.service';
import { ProbeInstallService } from './probe-install/probe-install.service';
import { ReportService } from './report/report.service';
import { ScanRunsService } from './scanning/scan-runs.service';
import { ScanSlots } from './scanning/scan-slots';
import { ScanService } from './scanning/scan.service';
import { PruneService } from './retention/prune.service';

/**
 * The domain shared by the collector and the CLI. Needs ConfigModule and PersistenceModule
 * (both global) imported by the application.
 */
@Module({
  providers: [
    { provide: SshTransport, useFactory: () => new SshTransport() },
    { provide: SecretBox, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new SecretBox(config.access.secretKey, config.access.previousSecretKey) },
    HostTargetsService,
    HostImportService,
    HostsService,
    ScanService,
    ScanRunsService,
    ScanSlots,
    HistoryService,
    ProbeInstallService,
    ScanEvents,
    ApiTokensService,
    DriftRecorder,
    DriftService,
    ReparseService,
    ReportService,
    LocalScanService,
    FleetService,
    PruneService,
    SecretRotationService,
  ],
  exports: [
    ScanEvents,
    ApiTokensService,
    SecretBox,
    HostTargetsService,
    HostImportService,
    HostsService,
    ScanService,
    ScanRunsService,
    ScanSlots,
    HistoryService,
    ProbeInstallService,
    DriftService,
    ReparseService,
    ReportService,
    LocalScanService,
    FleetService,
    PruneService,
    SecretRotationService,
  ],
})
export class ScansModule {}
