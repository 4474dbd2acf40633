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
import { HostTargetsService, ResolvedTarget } from '../hosts/host-targets.service';
import { KeyedMutex } from './keyed-mutex';
import { ScanOutcome } from './scan-outcome';
import { sudoRefusal } from './sudo-refusal';

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
    private readonly targets: HostTargetsService,
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
    const resolved = await this.targets.resolve(host);
    const result = resolved.ok
      ? await this.transport.exec(resolved.target, host.sudo ? 'sudo -n sh -s' : 'sh -s', probe.text, this.config.scan, {
          onStdout: (chunk) => clock.observe(chunk),
        })
      : null;

    const probeStarted = !!result && (Object.keys(clock.times).length > 0 || result.stdout.length > 0);
    const refusal = result && host.sudo ? sudoRefusal(result.stderr.toString('utf8'), result.exitCode, probeStarted) : null;
    let observation: Observation;
    if (!resolved.ok || !result) {
      observation = { status: 'failed', error: resolved.ok ? 'no result' : resolved.error, changed: false };
    } else if (result.outcome !== 'ok') {
      observation = { status: result.outcome, error: result.error, changed: false };
    } else if (!(await this.pinOnFirstUse(host, resolved, result))) {
      observation = { status: 'hostkey-mismatch', error: 'another scan pinned a different host key first', changed: false };
    } else if (refusal) {
      observation = { status: 'failed', error: refusal, changed: false };
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
      presentedHostKey: result?.hostKey ?? null,
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
      ...(result?.hostKey ? { presentedHostKey: result.hostKey } : {}),
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

  /**
   * Trust on first use, for the host and its jump host, under `accept-new` only. False when a
   * concurrent scan pinned another key for the host first.
   */
  private async pinOnFirstUse(host: HostEntity, resolved: Extract<ResolvedTarget, { ok: true }>, result: ExecResult): Promise<boolean> {
    const jump = resolved.jumpHost;
    if (jump && !jump.hostKey && result.jumpHostKey && resolved.target.jumpHost?.hostKeyPolicy === 'accept-new') {
      await this.hosts.pinHostKey(jump, result.jumpHostKey);
    }
    const { target } = resolved;
    if (target.hostKey || !result.hostKey || target.hostKeyPolicy !== 'accept-new') return true;
    return (await this.hosts.pinHostKey(host, result.hostKey)) === result.hostKey;
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
