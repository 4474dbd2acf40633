import { BoundedOutput } from './bounded-output';

describe(BoundedOutput.name, () => {
  it('keeps everything under the limit', () => {
    const sut = new BoundedOutput(10);
    expect(sut.push(Buffer.from('abc'))).toEqual(Buffer.from('abc'));
    sut.push(Buffer.from('defg'));
    expect(sut.toBuffer().toString()).toBe('abcdefg');
    expect(sut.truncated).toBe(false);
  });

  it('keeps exactly the limit and marks the rest as dropped', () => {
    const sut = new BoundedOutput(5);
    expect(sut.push(Buffer.from('abcd')).toString()).toBe('abcd');
    expect(sut.push(Buffer.from('efgh')).toString()).toBe('e');
    expect(sut.push(Buffer.from('ijkl')).length).toBe(0);
    expect(sut.toBuffer().toString()).toBe('abcde');
    expect(sut.truncated).toBe(true);
  });

  it('is not truncated when the output ends exactly at the limit', () => {
    const sut = new BoundedOutput(4);
    sut.push(Buffer.from('abcd'));
    expect(sut.truncated).toBe(false);
  });

  it('does not hold on to a large chunk it only kept part of', () => {
    const big = Buffer.alloc(1 << 20, 1);
    const sut = new BoundedOutput(16);
    const kept = sut.push(big);
    expect(kept.length).toBe(16);
    expect(sut.toBuffer().buffer).not.toBe(big.buffer);
  });

  it('rejects a nonsensical limit', () => {
    expect(() => new BoundedOutput(-1)).toThrow('non-negative integer');
  });
});
