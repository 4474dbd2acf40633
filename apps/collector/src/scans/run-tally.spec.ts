import { RunTally } from './run-tally';

describe(RunTally.name, () => {
  const scan = (hostId: number, status: string, changed = false) => ({ hostId, host: `h${hostId}`, status, changed, durationMs: 5 });

  it('counts each host once, by status, and knows when every host is in', () => {
    const sut = new RunTally(3);
    expect(sut.add(scan(1, 'ok', true))).toBe(true);
    expect(sut.add(scan(1, 'ok', true))).toBe(false);
    sut.add(scan(2, 'unreachable'));
    expect(sut.complete).toBe(false);
    expect(sut.counts()).toEqual({ total: 3, done: 2, pending: 1, counts: { ok: 1, unreachable: 1 }, changed: 1 });
    sut.add(scan(3, 'ok'));
    expect(sut.complete).toBe(true);
    expect(sut.counts()).toMatchObject({ done: 3, pending: 0, counts: { ok: 2, unreachable: 1 } });
  });
});
