import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { HostEntity, ScansRepository } from '@driftwatch/persistence';
import { ScanService } from '../scanning/scan.service';
import { ScanSlots } from '../scanning/scan-slots';
import { ScanDispatcher, ScheduledTick } from './scan-dispatcher';

/**
 * Scheduled scans in this process (no REDIS_URL): each tick is a scan run; each host starts
 * after its splay delay, taking one of the process's SCAN_CONCURRENCY slots (shared with runs).
 */
@Injectable()
export class InProcessDispatcher extends ScanDispatcher implements OnApplicationShutdown {
  private readonly logger = new Logger(InProcessDispatcher.name);
  /** Hosts whose scheduled scan is waiting for its splay, waiting for a slot, or running. */
  private readonly busy = new Set<number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  constructor(
    private readonly scanner: ScanService,
    private readonly scans: ScansRepository,
    private readonly slots: ScanSlots,
  ) {
    super();
  }

  async dispatch(tick: ScheduledTick): Promise<{ dispatched: number; skipped: string[] }> {
    const skipped = tick.hosts.filter(({ host }) => this.busy.has(host.id)).map(({ host }) => host.name);
    const due = tick.hosts.filter(({ host }) => !this.busy.has(host.id));
    if (skipped.length) this.logger.warn(`schedule ${tick.schedule} at ${tick.occurrence.toISOString()}: skipped ${skipped.join(', ')}, whose previous scan has not finished`);
    if (due.length === 0) return { dispatched: 0, skipped };
    for (const { host } of due) this.busy.add(host.id);
    const run = await this.scans.createRun(tick.selection, due.length);
    let left = due.length;
    const finishOne = async () => {
      if (--left === 0) await this.scans.finishRun(run.id);
    };
    for (const { host, delayMs } of due) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const scan = this.scanOne(host, run.id).then(finishOne);
        this.running.add(scan);
        void scan.finally(() => this.running.delete(scan));
      }, delayMs);
      this.timers.add(timer);
    }
    return { dispatched: due.length, skipped };
  }

  private async scanOne(host: HostEntity, runId: number): Promise<void> {
    try {
      await this.slots.use(() => this.scanner.scanHost(host, runId));
    } catch (error) {
      this.logger.error(`scheduled scan of ${host.name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.busy.delete(host.id);
    }
  }

  /** Scans not started yet are dropped (their runs stay `running` and are marked interrupted at next start); running ones finish. */
  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    while (this.running.size) await Promise.allSettled([...this.running]);
  }
}
