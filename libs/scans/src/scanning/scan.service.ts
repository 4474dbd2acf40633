import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Finding } from '@driftwatch/checks';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { HostEntity, NewScan, ScanStatus, ScansRepository, retryWhileDatabaseUnavailable } from '@driftwatch/persistence';
import { ExecResult, SshTransport } from '@driftwatch/ssh';
import { DriftRecorder } from '../drift/drift-recorder';
import { ScanEvents } from '../events/scan-events';
import { HostsService } from '../hosts/hosts.service';
import { HostTargetsService, ResolvedTarget } from '../hosts/host-targets.service';
import { LOCAL_SCAN_ONLY, isLocalHost } from '../local/local-host';
import { withScanContext } from '../logging/scan-context';
import { KeyedMutex } from './keyed-mutex';
import { ProbeExecutor, refusingProbeExecutor, sshProbeExecutor } from './probe-executor';
import { ProbeReading, ProbeRun, readProbe, runProbe } from './probe-run';
import { ScanOutcome } from './scan-outcome';
import { sudoRefusal } from './sudo-refusal';
import { backoffDelay, isTransient } from './transient-failure';

type Resolved = Extract<ResolvedTarget, { ok: true }>;

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

  /**
   * `executor`: where the probe runs; by default over SSH to the host as registered (key policy,
   * secrets, jump host, sudo), and a host recorded by local scans refuses.
   */
  scanHost(host: HostEntity, runId: number | null = null, executor?: ProbeExecutor): Promise<ScanOutcome> {
    // Whoever asked (a run, a scheduled tick, a queue job, a local scan): its log lines say which scan.
    return withScanContext({ runId, host: host.name }, () => this.perHost.run(host.id, () => this.scanNow(host, runId, executor)));
  }

  private async executorFor(host: HostEntity): Promise<{ executor: ProbeExecutor; resolved?: Resolved }> {
    if (isLocalHost(host)) return { executor: refusingProbeExecutor(LOCAL_SCAN_ONLY) };
    const resolved = await this.targets.resolve(host);
    if (!resolved.ok) return { executor: refusingProbeExecutor(resolved.error) };
    const command = host.sudo ? 'sudo -n sh -s' : 'sh -s';
    return { executor: sshProbeExecutor(this.transport, resolved.target, this.config.scan, command), resolved };
  }

  private async scanNow(host: HostEntity, runId: number | null, given?: ProbeExecutor): Promise<ScanOutcome> {
    const startedAt = new Date();
    const t0 = performance.now();
    const { executor, resolved } = given ? { executor: given, resolved: undefined } : await this.executorFor(host);
    const { probeRun, attempts } = await this.probeWithRetries(host, executor);
    const { result } = probeRun;
    const probeStarted = Object.keys(probeRun.markerTimes).length > 0 || result.stdout.length > 0;
    const refusal = host.sudo && resolved ? sudoRefusal(result.stderr.toString('utf8'), result.exitCode, probeStarted) : null;

    let observation: Observation;
    let reading: Extract<ProbeReading, { usable: true }> | undefined;
    if (result.outcome !== 'ok') {
      observation = { status: result.outcome, error: result.error, changed: false };
    } else if (!(await retryWhileDatabaseUnavailable(() => this.pinOnFirstUse(host, resolved, result), this.config.retry.databaseWindowMs))) {
      observation = { status: 'hostkey-mismatch', error: 'another scan pinned a different host key first', changed: false };
    } else if (refusal) {
      observation = { status: 'failed', error: refusal, changed: false };
    } else {
      const read = readProbe(probeRun);
      if (!read.usable) observation = { status: 'failed', error: read.error, changed: false };
      else {
        reading = read;
        observation = { status: read.complete ? 'ok' : 'partial', error: read.problem, changed: false, findings: read.evaluation.findings };
      }
    }

    const durationMs = Math.round(performance.now() - t0);
    const scan: NewScan = {
      runId,
      hostId: host.id,
      status: observation.status,
      error: observation.error ?? null,
      stateId: null,
      changed: false,
      presentedHostKey: result.hostKey ?? null,
      kex: result.negotiated?.kex ?? null,
      hostKeyAlgorithm: result.negotiated?.hostKeyAlgorithm ?? null,
      startedAt: startedAt.toISOString(),
      durationMs,
      attempts,
    };
    try {
      observation = await retryWhileDatabaseUnavailable(
        () => this.store(host, runId, scan, observation, reading, startedAt),
        this.config.retry.databaseWindowMs,
        (error, wait) => this.logger.warn(`scan of ${host.name}: database unavailable (${error.message}); storing again in ${wait} ms`),
      );
    } catch (error) {
      // Nothing could be stored: say so loudly, with the whole result, rather than lose it quietly.
      const why = error instanceof Error ? error.message : String(error);
      this.logger.error(`scan of ${host.name}: result NOT stored (${why}): ${JSON.stringify({ ...scan, error: observation.error ?? null })}`);
      observation = { status: 'failed', error: `the result could not be stored: ${why}`, changed: false };
    }
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
      ...(attempts > 1 ? { attempts } : {}),
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
      ...(attempts > 1 ? { attempts } : {}),
    };
  }

  /**
   * Trust on first use, for the host and its jump host, under `accept-new` only. False when a
   * concurrent scan pinned another key for the host first.
   */
  private async pinOnFirstUse(host: HostEntity, resolved: Resolved | undefined, result: ExecResult): Promise<boolean> {
    const jump = resolved?.jumpHost;
    if (jump && !jump.hostKey && result.jumpHostKey && resolved?.target.jumpHost?.hostKeyPolicy === 'accept-new') {
      await this.hosts.pinHostKey(jump, result.jumpHostKey);
    }
    if (host.hostKey || !result.hostKey || (resolved && resolved.target.hostKeyPolicy !== 'accept-new')) return true;
    return (await this.hosts.pinHostKey(host, result.hostKey)) === result.hostKey;
  }

  /** Writes the scan row, and the new state with its drift when the probe was usable. */
  private async store(
    host: HostEntity,
    runId: number | null,
    scan: NewScan,
    observation: Observation,
    reading: Extract<ProbeReading, { usable: true }> | undefined,
    startedAt: Date,
  ): Promise<Observation> {
    if (!reading) {
      await this.scans.recordScan(scan);
      return observation;
    }
    // The state, its drift and the scan that saw it are written together, or none of them.
    const recorded = await this.drift.record(host, runId, reading.snapshot, reading.parsed.sections, startedAt, (manager, r) =>
      this.scans.recordScanIn(manager, { ...scan, stateId: r.state.id, changed: r.changed }),
    );
    return { ...observation, stateId: recorded.state.id, changed: recorded.changed };
  }

  /**
   * Runs the probe, again after a transient failure (timeout, dropped connection) up to
   * SCAN_RETRIES more times with a doubling backoff. Each attempt has the full timeouts, its
   * own connection and its own nonce; a refused login or a wrong host key is final at once.
   */
  private async probeWithRetries(host: HostEntity, executor: ProbeExecutor): Promise<{ probeRun: ProbeRun; attempts: number }> {
    const { retries, backoffMs } = this.config.retry;
    for (let attempt = 1; ; attempt++) {
      const probeRun = await runProbe(executor, host.overrides);
      const { result } = probeRun;
      if (result.outcome === 'ok' || attempt > retries || !isTransient(result)) return { probeRun, attempts: attempt };
      const wait = backoffDelay(backoffMs, attempt);
      this.logger.warn(`scan of ${host.name}: attempt ${attempt} ${result.outcome} (${result.error}); retrying in ${wait} ms`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
