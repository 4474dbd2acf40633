import fc from 'fast-check';
import { MarkerClock } from './probe-output';

const NONCE = 'n0nce0123456789abcdef0123456789';
const mark = (body: string) => `@@DW:${NONCE}:${body}@@\n`;
const STREAM = Buffer.from(`noise @@ @@D\n${mark('begin:apache.build')}Server version: Apache/2.4.62\n@@DW:other:end:x:0@@\n${mark('end:apache.build:0')}${mark('done')}tail @`);

function feed(cuts: number[]): Record<string, number> {
  let tick = 0;
  const clock = new MarkerClock(NONCE, () => ++tick);
  let from = 0;
  for (const cut of [...cuts, STREAM.length]) {
    clock.observe(STREAM.subarray(from, cut));
    from = cut;
  }
  return clock.times;
}

describe('MarkerClock', () => {
  it('times each of our markers once, in order, ignoring other nonces and noise', () => {
    expect(feed([])).toEqual({ 'begin:apache.build': 1, 'end:apache.build:0': 2, done: 3 });
  });

  it('finds every marker wherever the chunk boundaries fall', () => {
    const whole = feed([]);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: STREAM.length - 1 }), { maxLength: 12 }), (cuts) => {
        expect(Object.keys(feed([...cuts].sort((a, b) => a - b)))).toEqual(Object.keys(whole));
      }),
    );
  });

  it('finds a marker delivered one byte at a time', () => {
    expect(Object.keys(feed(Array.from({ length: STREAM.length - 1 }, (_, i) => i + 1)))).toEqual(['begin:apache.build', 'end:apache.build:0', 'done']);
  });

  it('does not hold on to a marker that never closes', () => {
    const clock = new MarkerClock(NONCE);
    clock.observe(Buffer.from(`@@DW:${NONCE}:`));
    for (let i = 0; i < 100; i++) clock.observe(Buffer.alloc(1024, 0x78));
    clock.observe(Buffer.from(mark('done')));
    expect(Object.keys(clock.times)).toEqual(['done']);
  });
});
