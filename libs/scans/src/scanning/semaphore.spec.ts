import { Semaphore } from './semaphore';

describe(Semaphore.name, () => {
  it('lets at most `limit` holders in at once, the rest in order, and frees a slot when work fails', async () => {
    const sut = new Semaphore(2);
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    const work = (i: number) =>
      sut.use(async () => {
        inside += 1;
        most = Math.max(most, inside);
        await new Promise((resolve) => setImmediate(resolve));
        order.push(i);
        inside -= 1;
        if (i === 1) throw new Error('boom');
        return i;
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map(work));
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(await sut.use(async () => 'free again')).toBe('free again');
  });
});
