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

export class HostAuthView {
  @ApiProperty({ enum: ['key', 'agent'] }) type: 'key' | 'agent';
  @ApiPropertyOptional({ description: 'where the private key file is (never the key itself)' }) privateKeyPath?: string;
}

export class HostOverridesView {
  @ApiPropertyOptional() apachectl?: string;
  @ApiPropertyOptional() apxs?: string;
  @ApiPropertyOptional() modWsgiSo?: string;
  @ApiPropertyOptional() python?: string;
  @ApiPropertyOptional() diagnosticUrl?: string;
}

export class HostView {
  @ApiProperty({ example: 'web-1' }) name: string;
  @ApiProperty({ example: '10.0.0.5' }) address: string;
  @ApiProperty({ example: 22 }) port: number;
  @ApiProperty({ example: 'deploy' }) username: string;
  @ApiProperty({ type: HostAuthView }) auth: HostAuthView;
  @ApiProperty({ type: String, nullable: true, example: 'SHA256:…', description: 'pinned host key; null until the first scan pins it' }) hostKey: string | null;
  @ApiProperty({ type: [String] }) labels: string[];
  @ApiProperty({ type: HostOverridesView }) overrides: HostOverridesView;
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
  @ApiProperty() startedAt: string;
  @ApiProperty() durationMs: number;
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

export class DiffView {
  @ApiProperty() host: string;
  @ApiProperty({ type: SnapshotSummaryView, nullable: true }) from: SnapshotSummaryView | null;
  @ApiProperty({ type: SnapshotSummaryView }) to: SnapshotSummaryView;
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
