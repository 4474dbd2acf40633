import { ScanEvents, ScanFinishedEvent } from './scan-events';

const finished: ScanFinishedEvent = { type: 'scan-finished', runId: null, hostId: 1, host: 'a', status: 'ok', changed: true, durationMs: 5, at: '2026-01-01T00:00:00.000Z' };
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ScanEvents', () => {
  it('delivers each event to every listener until it unsubscribes', async () => {
    const bus = new ScanEvents();
    const seen: string[] = [];
    const off = bus.subscribe((e) => void seen.push(`one:${e.type}`));
    bus.subscribe((e) => void seen.push(`two:${e.type}`));
    bus.emit(finished);
    await settle();
    off();
    bus.emit(finished);
    await settle();
    expect(seen).toEqual(['one:scan-finished', 'two:scan-finished', 'two:scan-finished']);
  });

  it('keeps a failing listener from affecting the emitter or the other listeners', async () => {
    const bus = new ScanEvents();
    const seen: number[] = [];
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe(async () => Promise.reject(new Error('async boom')));
    bus.subscribe((e) => void seen.push(e.hostId));
    expect(() => bus.emit(finished)).not.toThrow();
    await settle();
    expect(seen).toEqual([1]);
  });
});
