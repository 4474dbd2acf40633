import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so equal facts always give equal text.
 * Array order is kept: where order carries meaning (module load order, sys.path) it is a fact.
 * `undefined` members are dropped, as JSON.stringify does.
 *
 * Stored hashes depend on this text, so it must not change: it is JSON.stringify of the value
 * with every object's keys inserted in sorted order.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(withSortedKeys(value));
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The value with its objects' keys in sorted order. Parts already in that order are returned
 * as they are, not copied (most facts are), since JSON.stringify writes keys in the order
 * Object.keys gives them. Objects with a prototype other than Object's are always copied into
 * plain ones, so an inherited toJSON never decides their text.
 */
function withSortedKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const sorted = withSortedKeys(item);
      if (sorted !== item) (copy ??= value.slice())[i] = sorted;
    }
    return copy ?? value;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  const proto: unknown = Object.getPrototypeOf(object);
  let keep = proto === Object.prototype || proto === null;
  const members: unknown[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && keys[i - 1] > keys[i]) keep = false;
    const member = object[keys[i]];
    members[i] = withSortedKeys(member);
    if (members[i] !== member) keep = false;
  }
  if (keep) return object;
  // Without a prototype, a key named "__proto__" is an ordinary member.
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const i of keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0))) {
    if (members[i] !== undefined) out[keys[i]] = members[i];
  }
  return out;
}
