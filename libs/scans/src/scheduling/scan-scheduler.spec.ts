import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { loadConfig } from '@driftwatch/config';
import type { HostEntity, ScanEntity, ScanRunEntity, ScansRepository } from '@driftwatch/persistence';
import type { HostsService } from '../hosts/hosts.service';
import type { ScanOutcome } from '../scanning/scan-outcome';
import type { ScanService } from '../scanning/scan.service';
import { ScanSlots } from '../scanning/scan-slots';
import { CronSchedules } from './cron-schedules';
import { InProcessDispatcher } from './in-process-dispatcher';
import { ScanDispatcher, ScheduledTick } from './scan-dispatcher';
import { ScanScheduler } from './scan-scheduler';
import { splayOffsetMs } from './splay';

const host = (id: number, name: string, labels: string[], createdAt = '2026-01-01T00:00:00.000Z') =>
  ({ id, name, labels, createdAt }) as HostEntity;
const FLEET = [host(1, 'db-1', ['db']), host(2, 'web-1', ['web']), host(3, 'web-2', ['web'])];

function hostsService(fleet: HostEntity[]): HostsService {
  return {
    select: async (_names: string[] = [], labels: string[] = []) => (labels.length ? fleet.filter((h) => h.labels.some((l) => labels.includes(l))) : fleet),
  } as unknown as HostsService;
}

function scansRepository(lastScanAt: Record<number, string> = {}) {
  const runs: Array<{ id: number; total: number; finished: boolean }> = [];
  const repo = {
    lastScan: async (hostId: number) => (lastScanAt[hostId] ? ({ startedAt: lastScanAt[hostId] } as ScanEntity) : null),
    createRun: async (_selection: unknown, total: number) => {
      runs.push({ id: runs.length + 1, total, finished: false });
      return { id: runs.length } as ScanRunEntity;
    },
    finishRun: async (id: number) => {
      runs[id - 1].finished = true;
    },
  };
  return { repo: repo as unknown as ScansRepository, runs };
}

class RecordingDispatcher extends ScanDispatcher {
  readonly ticks: ScheduledTick[] = [];
  async dispatch(tick: ScheduledTick) {
    this.ticks.push(tick);
    return { dispatched: tick.hosts.length, skipped: [] };
  }
}

const summary = (tick: ScheduledTick) => ({ schedule: tick.schedule, at: tick.occurrence.toISOString(), hosts: tick.hosts.map((h) => h.host.name) });

beforeAll(() => Logger.overrideLogger(false));
afterAll(() => Logger.overrideLogger(['error', 'warn', 'log']));

describe(ScanScheduler.name, () => {
  let cron: CronSchedules;

  const scheduler = (env: Record<string, string>, lastScanAt: Record<number, string> = {}, dispatcher: ScanDispatcher = new RecordingDispatcher()) => {
    cron = new CronSchedules(new SchedulerRegistry());
    return new ScanScheduler(loadConfig(env), cron, hostsService(FLEET), scansRepository(lastScanAt).repo, dispatcher);
  };

  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-03-01T09:59:58.000Z') }));
  afterEach(() => {
    cron?.stopAll();
    jest.useRealTimers();
  });

  it('ticks at each occurrence, naming it, with every host at its own splay offset', async () => {
    const dispatcher = new RecordingDispatcher();
    const recent = { 1: '2026-03-01T09:50:00.000Z', 2: '2026-03-01T09:50:00.000Z', 3: '2026-03-01T09:50:00.000Z' };
    await scheduler({ SCAN_SCHEDULE: '0 * * * *', SCAN_SCHEDULE_LABELS: 'web=*/15 * * * *', SCAN_SPLAY_SECONDS: '120' }, recent, dispatcher).start(new Date());
    expect(dispatcher.ticks).toEqual([]);

    await jest.advanceTimersByTimeAsync(3_000);
    expect(dispatcher.ticks.map(summary)).toEqual([
      { schedule: 'all', at: '2026-03-01T10:00:00.000Z', hosts: ['db-1', 'web-1', 'web-2'] },
      { schedule: 'label:web', at: '2026-03-01T10:00:00.000Z', hosts: ['web-1', 'web-2'] },
    ]);
    expect(dispatcher.ticks[0].hosts.map((h) => h.delayMs)).toEqual(['db-1', 'web-1', 'web-2'].map((n) => splayOffsetMs(n, 120)));
    expect(dispatcher.ticks[0].selection).toEqual({});
    expect(dispatcher.ticks[1].selection).toEqual({ labels: ['web'] });

    await jest.advanceTimersByTimeAsync(15 * 60_000);
    expect(dispatcher.ticks.map(summary).slice(2)).toEqual([{ schedule: 'label:web', at: '2026-03-01T10:15:00.000Z', hosts: ['web-1', 'web-2'] }]);
  });

  it('after downtime scans the hosts that missed occurrences once, not once per occurrence', async () => {
    const dispatcher = new RecordingDispatcher();
    // db-1 and web-1 were last scanned four hours ago; web-2 ten minutes ago.
    const last = { 1: '2026-03-01T06:00:00.000Z', 2: '2026-03-01T06:00:00.000Z', 3: '2026-03-01T09:50:00.000Z' };
    await scheduler({ SCAN_SCHEDULE: '0 * * * *' }, last, dispatcher).start(new Date());
    expect(dispatcher.ticks.map(summary)).toEqual([{ schedule: 'all', at: '2026-03-01T09:59:58.000Z', hosts: ['db-1', 'web-1'] }]);
  });

  it('a host never scanned counts from its registration', async () => {
    const dispatcher = new RecordingDispatcher();
    cron = new CronSchedules(new SchedulerRegistry());
    const fleet = [host(1, 'old', [], '2026-03-01T08:00:00.000Z'), host(2, 'new', [], '2026-03-01T09:30:00.000Z')];
    await new ScanScheduler(loadConfig({}), cron, hostsService(fleet), scansRepository().repo, dispatcher).start(new Date());
    expect(dispatcher.ticks.map(summary)).toEqual([{ schedule: 'all', at: '2026-03-01T09:59:58.000Z', hosts: ['old'] }]);
  });

  it('SCAN_SCHEDULE=off without label schedules schedules nothing', async () => {
    const dispatcher = new RecordingDispatcher();
    await scheduler({ SCAN_SCHEDULE: 'off' }, {}, dispatcher).start(new Date());
    await jest.advanceTimersByTimeAsync(3 * 3600_000);
    expect(dispatcher.ticks).toEqual([]);
  });

  it('a process too busy to tick for a while runs the latest occurrence once', async () => {
    const dispatcher = new RecordingDispatcher();
    const recent = { 1: '2026-03-01T09:59:58.000Z', 2: '2026-03-01T09:59:58.000Z', 3: '2026-03-01T09:59:58.000Z' };
    await scheduler({ SCAN_SCHEDULE: '* * * * * *' }, recent, dispatcher).start(new Date());
    // The clock jumps 10 s without the timers running (a blocked event loop, a suspended VM).
    jest.setSystemTime(new Date('2026-03-01T10:00:08.500Z'));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(dispatcher.ticks.map(summary)[0]).toEqual({ schedule: 'all', at: '2026-03-01T10:00:09.000Z', hosts: ['db-1', 'web-1', 'web-2'] });
    expect(dispatcher.ticks.length).toBeLessThanOrEqual(2);
  });
});

describe(InProcessDispatcher.name, () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-03-01T10:00:00.000Z') }));
  afterEach(() => jest.useRealTimers());

  it('starts each host after its splay delay, skips a host whose scan still runs, and finishes the run', async () => {
    const started: string[] = [];
    const release = new Map<string, () => void>();
    const scanner = {
      scanHost: (h: HostEntity) => {
        started.push(h.name);
        return new Promise<ScanOutcome>((resolve) => release.set(h.name, () => resolve({ host: h.name, status: 'ok', changed: false, durationMs: 1 })));
      },
    } as unknown as ScanService;
    const { repo, runs } = scansRepository();
    const sut = new InProcessDispatcher(scanner, repo, new ScanSlots(loadConfig({ SCAN_CONCURRENCY: '4' })));
    const [a, b] = [host(1, 'a', []), host(2, 'b', [])];
    const tick = (at: string, delays: [number, number]): ScheduledTick => ({
      schedule: 'all',
      occurrence: new Date(at),
      selection: {},
      hosts: [
        { host: a, delayMs: delays[0] },
        { host: b, delayMs: delays[1] },
      ],
    });

    expect(await sut.dispatch(tick('2026-03-01T10:00:00.000Z', [5_000, 0]))).toEqual({ dispatched: 2, skipped: [] });
    await jest.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['b']);
    await jest.advanceTimersByTimeAsync(4_999);
    expect(started).toEqual(['b']);
    await jest.advanceTimersByTimeAsync(1);
    expect(started).toEqual(['b', 'a']);

    release.get('b')!();
    await jest.advanceTimersByTimeAsync(0);
    // a's scan is still running at the next tick: it is skipped, not queued behind itself.
    expect(await sut.dispatch(tick('2026-03-01T10:01:00.000Z', [0, 0]))).toEqual({ dispatched: 1, skipped: ['a'] });
    await jest.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['b', 'a', 'b']);
    expect(runs).toEqual([
      { id: 1, total: 2, finished: false },
      { id: 2, total: 1, finished: false },
    ]);

    release.get('a')!();
    release.get('b')!();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs.map((r) => r.finished)).toEqual([true, true]);
  });
});
