import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Finding } from '@driftwatch/checks';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { HostEntity, ScanStatus, ScansRepository } from '@driftwatch/persistence';
import { SshTransport } from '@driftwatch/ssh';
import { DriftRecorder } from '../drift/drift-recorder';
import { ScanEvents } from '../events/scan-events';
import { HostsService } from '../hosts/hosts.service';
import { sshTargetOf } from '../hosts/ssh-target-of';
import { LOCAL_SCAN_ONLY, isLocalHost } from '../local/local-host';
import { KeyedMutex } from './keyed-mutex';
import { ProbeExecutor, refusingProbeExecutor, sshProbeExecutor } from './probe-executor';
import { ProbeRun, readProbe, runProbe } from './probe-run';
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

  /** `executor`: where the probe runs; by default over SSH (a host recorded by local scans refuses). */
  scanHost(host: HostEntity, runId: number | null = null, executor: ProbeExecutor = this.executorFor(host)): Promise<ScanOutcome> {
    return this.perHost.run(host.id, () => this.scanNow(host, runId, executor));
  }

  private executorFor(host: HostEntity): ProbeExecutor {
    if (isLocalHost(host)) return refusingProbeExecutor(LOCAL_SCAN_ONLY);
    return sshProbeExecutor(this.transport, sshTargetOf(host), this.config.scan);
  }

  private async scanNow(host: HostEntity, runId: number | null, executor: ProbeExecutor): Promise<ScanOutcome> {
    const startedAt = new Date();
    const t0 = performance.now();
    const probeRun = await runProbe(executor, host.overrides);
    const { result } = probeRun;

    let observation: Observation;
    if (result.outcome !== 'ok') {
      observation = { status: result.outcome, error: result.error, changed: false };
    } else if (!host.hostKey && result.hostKey && (await this.hosts.pinHostKey(host, result.hostKey)) !== result.hostKey) {
      observation = { status: 'hostkey-mismatch', error: 'another scan pinned a different host key first', changed: false };
    } else {
      observation = await this.observe(host, runId, probeRun, startedAt);
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

  private async observe(host: HostEntity, runId: number | null, probeRun: ProbeRun, seenAt: Date): Promise<Observation> {
    const reading = readProbe(probeRun);
    if (!reading.usable) return { status: 'failed', error: reading.error, changed: false };
    const { snapshot, parsed, evaluation } = reading;
    const recorded = await this.drift.record(host, runId, snapshot, parsed.sections, seenAt);
    return {
      status: reading.complete ? 'ok' : 'partial',
      error: reading.problem,
      stateId: recorded.state.id,
      changed: recorded.changed,
      findings: evaluation.findings,
    };
  }
}
