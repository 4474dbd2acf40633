import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * Response shapes for the OpenAPI document. The services return plain objects typed by
 * interfaces; these classes describe the same shapes to Swagger and are never instantiated.
 */

const SCAN_STATUSES = ['ok', 'partial', 'unreachable', 'auth-failed', 'hostkey-mismatch', 'timeout', 'failed'];
const SEVERITIES = ['info', 'warning', 'critical'];

export class ErrorView {
  @ApiProperty({ example: 404 }) statusCode: number;
  @ApiProperty({ example: 'HOST_NOT_FOUND', description: 'a domain error code or the HTTP status name' }) error: string;
  @ApiProperty({ example: 'no host named "web-9"' }) message: string;
  @ApiPropertyOptional({ description: 'present on 500 answers; the log line carries it too' }) correlationId?: string;
}

/** Secrets are never shown: `has…` flags say whether one is stored. */
export class HostAuthView {
  @ApiProperty({ enum: ['key', 'agent', 'password'] }) type: 'key' | 'agent' | 'password';
  @ApiPropertyOptional({ description: 'where the private key file is (never the key itself)' }) privateKeyPath?: string;
  @ApiPropertyOptional({ description: 'type "key": an inline private key is stored (encrypted)' }) hasPrivateKey?: boolean;
  @ApiPropertyOptional({ description: 'type "key": a passphrase is stored (encrypted)' }) hasPassphrase?: boolean;
  @ApiPropertyOptional({ description: 'type "password": a password is stored (encrypted)' }) hasPassword?: boolean;
}

export class HostOverridesView {
  @ApiPropertyOptional() apachectl?: string;
  @ApiPropertyOptional() apxs?: string;
  @ApiPropertyOptional() modWsgiSo?: string;
  @ApiPropertyOptional() python?: string;
  @ApiPropertyOptional() diagnosticUrl?: string;
  @ApiPropertyOptional() errorLogBytes?: string;
}

export class HostView {
  @ApiProperty({ example: 'web-1' }) name: string;
  @ApiProperty({ example: '10.0.0.5' }) address: string;
  @ApiProperty({ example: 22 }) port: number;
  @ApiProperty({ example: 'deploy' }) username: string;
  @ApiProperty({ type: HostAuthView }) auth: HostAuthView;
  @ApiProperty({ type: String, nullable: true, example: 'SHA256:…', description: 'pinned host key; null until the first scan pins it' }) hostKey: string | null;
  @ApiProperty({ type: String, enum: ['pinned', 'known-hosts', 'accept-new'], nullable: true, description: "null: the collector's HOST_KEY_POLICY" }) hostKeyPolicy: string | null;
  @ApiProperty({ type: String, nullable: true }) knownHostsFile: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the registered host connections go through' }) jumpHost: string | null;
  @ApiProperty({ description: 'the probe runs as `sudo -n sh -s`' }) sudo: boolean;
  @ApiProperty({ type: [String] }) labels: string[];
  @ApiProperty({ type: HostOverridesView }) overrides: HostOverridesView;
  @ApiProperty({ description: 'the reference of its label cohorts' }) golden: boolean;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class FindingView {
  @ApiProperty({ example: 'embedded-mode' }) id: string;
  @ApiProperty({ enum: SEVERITIES }) severity: string;
  @ApiProperty({ example: 'python.runtime' }) checkId: string;
  @ApiProperty() message: string;
}

export class ScanOutcomeView {
  @ApiProperty() host: string;
  @ApiProperty({ enum: SCAN_STATUSES }) status: string;
  @ApiPropertyOptional({ description: 'the state the host is in now; absent when no snapshot was stored' }) snapshotId?: number;
  @ApiProperty({ description: 'this scan found the host different from its previous state' }) changed: boolean;
  @ApiPropertyOptional() error?: string;
  @ApiPropertyOptional({ type: [FindingView] }) findings?: FindingView[];
  @ApiProperty() durationMs: number;
}

export class ScanSelectionView {
  @ApiPropertyOptional({ type: [String] }) hosts?: string[];
  @ApiPropertyOptional({ type: [String] }) labels?: string[];
}

export class ScanRunProgressView {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ['running', 'finished', 'interrupted'] }) status: string;
  @ApiProperty({ type: ScanSelectionView }) selection: ScanSelectionView;
  @ApiProperty() total: number;
  @ApiProperty() done: number;
  @ApiProperty() pending: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { ok: 3, unreachable: 1 }, description: 'finished scans per status' }) counts: Record<string, number>;
  @ApiProperty({ description: 'scans that found their host changed' }) changed: number;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt: string | null;
}

export class SnapshotSummaryView {
  @ApiProperty() id: number;
  @ApiProperty({ description: 'sha256 of the canonical JSON' }) hash: string;
  @ApiProperty() firstSeenAt: string;
  @ApiProperty() lastSeenAt: string;
  @ApiProperty() seenCount: number;
}

export class SnapshotPageView {
  @ApiProperty({ type: [SnapshotSummaryView] }) items: SnapshotSummaryView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class CheckResultView {
  @ApiProperty({ enum: ['ok', 'failed', 'unavailable', 'skipped'] }) status: string;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: "the check's typed facts" }) facts: Record<string, unknown> | null;
}

export class SnapshotView extends SnapshotSummaryView {
  @ApiProperty() host: string;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/CheckResultView' }, description: 'every check by id' })
  checks: Record<string, CheckResultView>;
  @ApiProperty({ type: [FindingView] }) findings: FindingView[];
}

export class RawSectionView {
  @ApiProperty({ example: 'apache.build' }) id: string;
  @ApiProperty({ type: Number, nullable: true }) exitCode: number | null;
  @ApiProperty() stdout: string;
  @ApiProperty() stderr: string;
  @ApiProperty({ type: Number, nullable: true }) durationMs: number | null;
  @ApiProperty() truncated: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) meta: Record<string, string>;
}

export class RawView {
  @ApiProperty() id: number;
  @ApiProperty() host: string;
  @ApiProperty({ type: [RawSectionView] }) sections: RawSectionView[];
}

export class FindingsView {
  @ApiProperty() host: string;
  @ApiProperty() snapshotId: number;
  @ApiProperty({ type: [FindingView] }) findings: FindingView[];
}

export class ScanView {
  @ApiProperty() id: number;
  @ApiProperty({ type: Number, nullable: true }) runId: number | null;
  @ApiProperty({ enum: SCAN_STATUSES }) status: string;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ type: Number, nullable: true }) snapshotId: number | null;
  @ApiProperty() changed: boolean;
  @ApiProperty({ type: String, nullable: true }) presentedHostKey: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'SSH key exchange negotiated, e.g. curve25519-sha256' }) kex: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'host key algorithm negotiated, e.g. ssh-ed25519' }) hostKeyAlgorithm: string | null;
  @ApiProperty() startedAt: string;
  @ApiProperty() durationMs: number;
  @ApiProperty() attempts: number;
}

export class ScanPageView {
  @ApiProperty({ type: [ScanView] }) items: ScanView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class ChangeView {
  @ApiProperty({ example: 'apache.build.mpm' }) path: string;
  @ApiProperty({ enum: ['added', 'removed', 'changed', 'reordered', 'unknown'] }) kind: string;
  @ApiProperty({ description: 'any JSON value', nullable: true }) before: unknown;
  @ApiProperty({ description: 'any JSON value', nullable: true }) after: unknown;
  @ApiProperty({ enum: ['apache', 'modules', 'build', 'mutex', 'modwsgi', 'python', 'wsgi', 'packages', 'platform'] }) category: string;
  @ApiProperty({ enum: SEVERITIES }) severity: string;
  @ApiProperty({ example: 'mpm: event → prefork' }) summary: string;
}

export class DriftHeadlineView {
  @ApiProperty({ enum: ['apache', 'mpm', 'modwsgi', 'python', 'libpython', 'modules', 'os'] }) subject: string;
  @ApiProperty({ example: 'Apache 2.4.68 → 2.4.71' }) summary: string;
  @ApiProperty({ enum: SEVERITIES }) severity: string;
  @ApiProperty({ type: [String], description: 'the paths of the changes it stands for' }) paths: string[];
}

export class DiffView {
  @ApiProperty() host: string;
  @ApiProperty({ type: SnapshotSummaryView, nullable: true }) from: SnapshotSummaryView | null;
  @ApiProperty({ type: SnapshotSummaryView }) to: SnapshotSummaryView;
  @ApiProperty({ type: [DriftHeadlineView], description: 'one line per subject that changed, most important first' }) headlines: DriftHeadlineView[];
  @ApiProperty({ type: [ChangeView] }) changes: ChangeView[];
}

export class DriftEventView {
  @ApiProperty() id: number;
  @ApiProperty() host: string;
  @ApiProperty() fromSnapshotId: number;
  @ApiProperty() toSnapshotId: number;
  @ApiProperty() detectedAt: string;
  @ApiProperty({ example: 'apache.build.mpm' }) path: string;
  @ApiProperty({ enum: ['added', 'removed', 'changed', 'reordered', 'unknown'] }) kind: string;
  @ApiProperty() category: string;
  @ApiProperty({ enum: SEVERITIES }) severity: string;
  @ApiProperty() summary: string;
  @ApiProperty({ description: 'any JSON value', nullable: true }) before: unknown;
  @ApiProperty({ description: 'any JSON value', nullable: true }) after: unknown;
}

export class DriftTimelineView {
  @ApiProperty() host: string;
  @ApiProperty({ type: [DriftEventView] }) items: DriftEventView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class DriftFeedView {
  @ApiProperty({ type: [DriftEventView] }) items: DriftEventView[];
  @ApiProperty({ description: 'pass as `since` next time' }) cursor: string;
  @ApiProperty({ description: 'more events were waiting: ask again with `cursor` right away' }) hasMore: boolean;
}

export class LivenessView {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

export class SkippedImportView {
  @ApiProperty() name: string;
  @ApiProperty() reason: string;
}

export class ImportReportView {
  @ApiProperty({ type: [String] }) created: string[];
  @ApiProperty({ type: [String] }) updated: string[];
  @ApiProperty({ type: [String] }) unchanged: string[];
  @ApiProperty({ type: [SkippedImportView] }) skipped: SkippedImportView[];
  @ApiProperty({ type: [String] }) warnings: string[];
}

export class ReportSourceView {
  @ApiProperty() host: string;
  @ApiPropertyOptional() snapshotId?: number;
  @ApiProperty() hash: string;
  @ApiPropertyOptional() firstSeenAt?: string;
  @ApiPropertyOptional() lastSeenAt?: string;
  @ApiPropertyOptional() seenCount?: number;
  @ApiProperty({ enum: ['ssh', 'local'] }) via: string;
}

export class ReportCheckView {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['ok', 'failed', 'unavailable', 'skipped'] }) status: string;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty({ type: [String] }) commands: string[];
  @ApiProperty({ type: Number, nullable: true }) exitCode: number | null;
  @ApiProperty({ type: Number, nullable: true }) durationMs: number | null;
  @ApiProperty() stdout: string;
  @ApiProperty() stderr: string;
  @ApiProperty() truncated: boolean;
}

export class SummaryRowView {
  @ApiProperty({ example: 'Apache version' }) label: string;
  @ApiProperty({ description: 'the value, or why it is unknown' }) value: string;
  @ApiProperty() known: boolean;
}

export class ReportSummaryView {
  @ApiProperty({ type: [SummaryRowView] }) rows: SummaryRowView[];
}

/** The diagnostic report's model (`format=json`); the markdown rendering says the same. */
export class DiagnosticReportView {
  @ApiProperty({ enum: ['driftwatch-report/1'] }) format: string;
  @ApiProperty({ type: ReportSourceView }) source: ReportSourceView;
  @ApiProperty() redacted: boolean;
  @ApiProperty({ type: ReportSummaryView }) summary: ReportSummaryView;
  @ApiProperty({ type: [FindingView] }) findings: FindingView[];
  @ApiProperty({ type: [ReportCheckView] }) checks: ReportCheckView[];
}

export class BaselineFactView {
  @ApiProperty() path: string;
  @ApiProperty() category: string;
  @ApiProperty({ description: 'any JSON value', nullable: true }) value: unknown;
  @ApiPropertyOptional({ description: 'true: the fact is known not to exist (a module not loaded)' }) absent?: boolean;
  @ApiProperty({ enum: ['golden', 'majority'] }) source: string;
  @ApiProperty({ description: 'hosts whose value is the baseline' }) agreeing: number;
  @ApiProperty({ description: "hosts whose check was ok" }) known: number;
}

export class ContestedCandidateView {
  @ApiProperty({ description: 'any JSON value', nullable: true }) value: unknown;
  @ApiPropertyOptional() absent?: boolean;
  @ApiProperty({ type: [String] }) hosts: string[];
}

export class ContestedFactView {
  @ApiProperty() path: string;
  @ApiProperty() category: string;
  @ApiProperty({ enum: ['golden', 'majority'] }) source: string;
  @ApiProperty({ type: [ContestedCandidateView] }) candidates: ContestedCandidateView[];
}

export class DeviationView {
  @ApiProperty() path: string;
  @ApiProperty() category: string;
  @ApiProperty({ enum: SEVERITIES }) severity: string;
  @ApiProperty({ enum: ['added', 'removed', 'changed'] }) kind: string;
  @ApiProperty({ description: 'any JSON value', nullable: true }) baseline: unknown;
  @ApiProperty({ description: 'any JSON value', nullable: true }) value: unknown;
}

export class SeverityCountsView {
  @ApiProperty() info: number;
  @ApiProperty() warning: number;
  @ApiProperty() critical: number;
}

export class HostStandingView {
  @ApiProperty() host: string;
  @ApiProperty() golden: boolean;
  @ApiProperty({ description: 'false: no state yet, nothing about the host is known' }) scanned: boolean;
  @ApiProperty({ description: 'sum of the deviations\' weights (info 1, warning 3, critical 9)' }) score: number;
  @ApiProperty({ type: SeverityCountsView }) counts: SeverityCountsView;
  @ApiProperty({ type: [String], description: 'checks not ok here: their facts never count as deviation' }) unknownChecks: string[];
  @ApiProperty({ type: [DeviationView] }) deviations: DeviationView[];
}

export class CohortDriftView {
  @ApiProperty() label: string;
  @ApiProperty({ type: [String] }) golden: string[];
  @ApiProperty({ type: [BaselineFactView] }) baseline: BaselineFactView[];
  @ApiProperty({ type: [ContestedFactView] }) contested: ContestedFactView[];
  @ApiProperty({ type: [HostStandingView], description: 'most deviating first' }) hosts: HostStandingView[];
}

export class DistributionValueView {
  @ApiProperty() value: string;
  @ApiProperty() hosts: number;
}

export class DistributionView {
  @ApiProperty({ type: [DistributionValueView] }) values: DistributionValueView[];
  @ApiProperty({ description: 'hosts with no state or whose check was not ok' }) unknown: number;
}

export class FindingCountView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: SEVERITIES }) severity: string;
  @ApiProperty() hosts: number;
}

export class FleetSummaryView {
  @ApiProperty({ type: String, nullable: true }) label: string | null;
  @ApiProperty() hosts: number;
  @ApiProperty({ type: DistributionView }) apacheVersions: DistributionView;
  @ApiProperty({ type: DistributionView }) mpms: DistributionView;
  @ApiProperty({ type: DistributionView }) pythonVersions: DistributionView;
  @ApiProperty({ type: DistributionView }) modWsgiVersions: DistributionView;
  @ApiProperty({ type: DistributionView }) modes: DistributionView;
  @ApiProperty({ type: [FindingCountView] }) findings: FindingCountView[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'hosts by the status of their last scan; `never` for hosts not scanned yet' })
  lastScanStatus: Record<string, number>;
}

const WEBHOOK_EVENTS = ['drift', 'finding', 'scan-failed', 'hostkey-mismatch'];

export class WebhookView {
  @ApiProperty() id: number;
  @ApiProperty() url: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true }) events: string[];
  @ApiProperty({ enum: SEVERITIES }) minSeverity: string;
  @ApiProperty() createdAt: string;
}

export class CreatedWebhookView extends WebhookView {
  @ApiProperty({ description: 'the signing secret; shown this once' }) secret: string;
}

export class DeliveryAttemptView {
  @ApiProperty() at: string;
  @ApiProperty({ type: Number, nullable: true }) statusCode: number | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty() durationMs: number;
}

export class DeliveryView {
  @ApiProperty() id: number;
  @ApiProperty() eventId: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS }) event: string;
  @ApiProperty({ type: String, nullable: true }) host: string | null;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed', 'interrupted'] }) status: string;
  @ApiProperty({ type: [DeliveryAttemptView] }) attempts: DeliveryAttemptView[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the body as sent (and signed)' }) payload: unknown;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class DeliveryPageView {
  @ApiProperty({ type: [DeliveryView] }) items: DeliveryView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}
