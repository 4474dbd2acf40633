import { splayOffsetMs } from './splay';

describe(splayOffsetMs.name, () => {
  it('is zero without a window', () => {
    expect(splayOffsetMs('web-1', 0)).toBe(0);
  });

  it('gives each host a fixed offset inside the window, spread over it', () => {
    const offsets = Array.from({ length: 1000 }, (_, i) => splayOffsetMs(`web-${i}`, 60));
    expect(offsets.every((o) => o >= 0 && o < 60_000)).toBe(true);
    expect(splayOffsetMs('web-7', 60)).toBe(offsets[7]);
    // Every tenth of the window gets some hosts: nobody piles up in the first second.
    const tenths = new Set(offsets.map((o) => Math.floor(o / 6_000)));
    expect(tenths.size).toBe(10);
    expect(new Set(offsets.map((o) => Math.floor(o / 1000))).size).toBeGreaterThan(50);
  });
});
