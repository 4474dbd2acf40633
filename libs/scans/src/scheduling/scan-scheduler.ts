import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@driftwatch/config';
import { HostEntity, ScansRepository } from '@driftwatch/persistence';
import { HostsService } from '../hosts/hosts.service';
import { ScanSelection } from '../scanning/scan-runs.service';
import { CronSchedules } from './cron-schedules';
import { ScanDispatcher } from './scan-dispatcher';
import { splayOffsetMs } from './splay';

export interface ScanSchedule {
  /** `all`, or `label:<label>`. */
  name: string;
  cron: string;
  selection: ScanSelection;
}

/** The schedules the configuration asks for: SCAN_SCHEDULE for all hosts, SCAN_SCHEDULE_LABELS per label. */
export function schedulesOf(config: AppConfig): ScanSchedule[] {
  return [
    ...(config.schedule.all ? [{ name: 'all', cron: config.schedule.all, selection: {} }] : []),
    ...config.schedule.labels.map(({ label, cron }) => ({ name: `label:${label}`, cron, selection: { labels: [label] } })),
  ];
}

/**
 * Scans hosts on their schedules. Each tick selects the hosts, spreads them over the splay
 * window (a fixed offset per host) and hands them to the dispatcher. At start, a host that
 * missed occurrences while no scheduler ran (its last scan, or its registration, is older than
 * an occurrence that has passed) is scanned once — not once per missed occurrence.
 */
@Injectable()
export class ScanScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScanScheduler.name);
  private readonly schedules: ScanSchedule[];
  private started = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cron: CronSchedules,
    private readonly hosts: HostsService,
    private readonly scans: ScansRepository,
    private readonly dispatcher: ScanDispatcher,
  ) {
    this.schedules = schedulesOf(config);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  /** Registers every schedule, then catches up on what was missed. */
  async start(now: Date = new Date()): Promise<void> {
    for (const schedule of this.schedules) {
      this.cron.add(`scan:${schedule.name}`, schedule.cron, (occurrence) => this.tick(schedule, occurrence));
    }
    if (this.schedules.length) this.logger.log(`scan schedules: ${this.schedules.map((s) => `${s.name} "${s.cron}"`).join(', ')}; splay ${this.config.schedule.splaySeconds} s`);
    await this.catchUp(now);
    this.started = true;
  }

  /**
   * For a readiness check (GET /health/ready, when the collector has one): this process's
   * schedules are registered and the start-up catch-up has been handed over.
   */
  status(): { ready: boolean; schedules: string[] } {
    return { ready: this.started, schedules: this.schedules.map((s) => `${s.name} ${s.cron}`) };
  }

  async tick(schedule: ScanSchedule, occurrence: Date): Promise<void> {
    const hosts = await this.select(schedule);
    await this.hand(schedule, occurrence, hosts);
  }

  private async catchUp(now: Date): Promise<void> {
    for (const schedule of this.schedules) {
      const missed: HostEntity[] = [];
      for (const host of await this.select(schedule)) {
        const since = (await this.scans.lastScan(host.id))?.startedAt ?? host.createdAt;
        if (this.cron.next(schedule.cron, new Date(since)) <= now) missed.push(host);
      }
      if (missed.length === 0) continue;
      this.logger.log(`schedule ${schedule.name}: ${missed.length} host(s) missed a scan while no scheduler ran; scanning them once now`);
      await this.hand(schedule, new Date(Math.floor(now.getTime() / 1000) * 1000), missed);
    }
  }

  private async hand(schedule: ScanSchedule, occurrence: Date, hosts: HostEntity[]): Promise<void> {
    if (hosts.length === 0) return;
    const splay = this.config.schedule.splaySeconds;
    await this.dispatcher.dispatch({
      schedule: schedule.name,
      occurrence,
      selection: schedule.selection,
      hosts: hosts.map((host) => ({ host, delayMs: splayOffsetMs(host.name, splay) })),
    });
  }

  private select(schedule: ScanSchedule): Promise<HostEntity[]> {
    return this.hosts.select(schedule.selection.hosts ?? [], schedule.selection.labels ?? []);
  }
}
