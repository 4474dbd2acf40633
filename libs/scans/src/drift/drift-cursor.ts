import { DomainError, DomainErrorCode } from '../errors';

const PREFIX = 'dw1:';

/** The opaque cursor of the fleet drift feed: the id of the last event a client has seen. */
export function encodeDriftCursor(lastEventId: number): string {
  return Buffer.from(`${PREFIX}${lastEventId}`, 'utf8').toString('base64url');
}

/** Throws INVALID_INPUT naming `field` when the cursor is not one this service issued. */
export function decodeDriftCursor(cursor: string, field = 'since'): number {
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const m = /^dw1:(0|[1-9][0-9]{0,15})$/.exec(text);
  if (!m) throw new DomainError(DomainErrorCode.InvalidInput, `${field} must be a cursor returned by GET /api/v1/drift`);
  return Number(m[1]);
}
