import { DomainError } from '../errors';
import { decodeDriftCursor, encodeDriftCursor } from './drift-cursor';

describe('drift feed cursor', () => {
  it('round-trips an event id through an opaque string', () => {
    for (const id of [0, 1, 42, 9_007_199_254]) {
      const cursor = encodeDriftCursor(id);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeDriftCursor(cursor)).toBe(id);
    }
  });

  it.each(['', 'abc', '42', Buffer.from('dw1:-1').toString('base64url'), Buffer.from('dw1:01').toString('base64url'), Buffer.from('dw2:5').toString('base64url'), 'a/b+c='])(
    'rejects %p naming the field',
    (cursor) => {
      expect(() => decodeDriftCursor(cursor)).toThrow(DomainError);
      expect(() => decodeDriftCursor(cursor)).toThrow(/^since must be a cursor/);
    },
  );
});
