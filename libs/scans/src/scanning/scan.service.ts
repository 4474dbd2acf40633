import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CHECKS, Finding, MarkerClock, buildProbeScript, evaluate, parseProbeOutput } from '@driftwatch/checks';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { HostEntity, ScanStatus, ScansRepository } from '@driftwatch/persistence';
import { snapshotFromEvaluation } from '@driftwatch/snapshots';
import { ExecResult, SshTransport } from '@driftwatch/ssh';
import { DriftRecorder } from '../drift/drift-recorder';
import { ScanEvents } from '../events/scan-events';
import { HostsService } from '../hosts/hosts.service';
import { sshTargetOf } from '../hosts/ssh-target-of';
import { KeyedMutex } from './keyed-mutex';
import { ScanOutcome } from './scan-outcome';

interface Observation {
  status: ScanStatus;
  error?: string;
  stateId?: number;
  changed: boolean;
  findings?: Finding[];
}

/**
 * One scan of one host: connect (host key verified), run the probe as one `sh -s`, parse,
 * snapshot, store. Whatever happens, a scan row records the outcome; a snapshot is stored only
 * when the probe produced trustworthy results.
 */
@Injectable()
export class ScanService {
  private readonly logger = new Logger(ScanService.name);
  private readonly perHost = new KeyedMutex<number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hosts: HostsService,
    private readonly scans: ScansRepository,
    private readonly transport: SshTransport,
    private readonly events: ScanEvents,
    private readonly drift: DriftRecorder,
  ) {}

  scanHost(host: HostEntity, runId: number | null = null): Promise<ScanOutcome> {
    return this.perHost.run(host.id, () => this.scanNow(host, runId));
  }

  private async scanNow(host: HostEntity, runId: number | null): Promise<ScanOutcome> {
    const startedAt = new Date();
    const t0 = performance.now();
    const nonce = randomBytes(16).toString('hex');
    const probe = buildProbeScript(CHECKS, nonce, host.overrides);
    const clock = new MarkerClock(nonce);
    const result = await this.transport.exec(sshTargetOf(host), 'sh -s', probe.text, this.config.scan, {
      onStdout: (chunk) => clock.observe(chunk),
    });

    let observation: Observation;
    if (result.outcome !== 'ok') {
      observation = { status: result.outcome, error: result.error, changed: false };
    } else if (!host.hostKey && result.hostKey && (await this.hosts.pinHostKey(host, result.hostKey)) !== result.hostKey) {
      observation = { status: 'hostkey-mismatch', error: 'another scan pinned a different host key first', changed: false };
    } else {
      observation = await this.observe(host, runId, result, nonce, probe.checkIds, clock.times, startedAt);
    }

    const durationMs = Math.round(performance.now() - t0);
    await this.scans.recordScan({
      runId,
      hostId: host.id,
      status: observation.status,
      error: observation.error ?? null,
      stateId: observation.stateId ?? null,
      changed: observation.changed,
      presentedHostKey: result.hostKey ?? null,
      startedAt: startedAt.toISOString(),
      durationMs,
    });
    this.events.emit({
      type: 'scan-finished',
      runId,
      hostId: host.id,
      host: host.name,
      status: observation.status,
      ...(observation.error ? { error: observation.error } : {}),
      ...(observation.stateId !== undefined ? { stateId: observation.stateId } : {}),
      changed: observation.changed,
      ...(result.hostKey ? { presentedHostKey: result.hostKey } : {}),
      durationMs,
      at: new Date().toISOString(),
    });
    if (observation.status !== 'ok') this.logger.warn(`scan of ${host.name}: ${observation.status}${observation.error ? ` (${observation.error})` : ''}`);
    return {
      host: host.name,
      status: observation.status,
      ...(observation.stateId !== undefined ? { snapshotId: observation.stateId } : {}),
      changed: observation.changed,
      ...(observation.error ? { error: observation.error } : {}),
      ...(observation.findings ? { findings: observation.findings } : {}),
      durationMs,
    };
  }

  private async observe(
    host: HostEntity,
    runId: number | null,
    result: ExecResult,
    nonce: string,
    checkIds: string[],
    markerTimes: Record<string, number>,
    seenAt: Date,
  ): Promise<Observation> {
    const parsed = parseProbeOutput(
      {
        stdout: result.stdout.toString('utf8'),
        stderr: result.stderr.toString('utf8'),
        stdoutTruncated: result.stdoutTruncated,
        stderrTruncated: result.stderrTruncated,
        markerTimes,
      },
      nonce,
      checkIds,
    );
    const evaluation = evaluate(parsed.sections);
    const results = Object.entries(evaluation.results);
    if (!results.some(([, r]) => r.status === 'ok' || r.status === 'unavailable')) {
      const why = parsed.problem ?? results.find(([, r]) => r.reason)?.[1].reason ?? 'no check produced a result';
      return { status: 'failed', error: `probe failed (exit ${result.exitCode ?? 'none'}): ${why}`, changed: false };
    }
    const failed = results.filter(([, r]) => r.status === 'failed').map(([id]) => id);
    const snapshot = snapshotFromEvaluation(evaluation);
    const recorded = await this.drift.record(host, runId, snapshot, parsed.sections, seenAt);
    const complete = parsed.complete && failed.length === 0;
    return {
      status: complete ? 'ok' : 'partial',
      error: complete ? undefined : [parsed.problem, failed.length ? `failed checks: ${failed.join(', ')}` : undefined].filter(Boolean).join('; '),
      stateId: recorded.state.id,
      changed: recorded.changed,
      findings: evaluation.findings,
    };
  }
}
