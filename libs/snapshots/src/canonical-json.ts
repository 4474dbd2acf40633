import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so equal facts always give equal text.
 * Array order is kept: where order carries meaning (module load order, sys.path) it is a fact.
 * `undefined` members are dropped, as JSON.stringify does.
 *
 * Stored hashes depend on this text, so it must not change: it is JSON.stringify of a copy whose
 * objects have their keys inserted in sorted order (one exception: a key named "__proto__" is
 * kept, where that copy lost it). Plain data, which every snapshot is, is written directly
 * without the copy; anything with a `toJSON` (a Date, say) or a bigint takes the copy's path.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  try {
    return write(value, out) ? out.join('') : (JSON.stringify(value) as string);
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
    return JSON.stringify(sortedCopy(value));
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const NOT_PLAIN = Symbol('not plain data');

/** Appends the JSON of `value`; false (appending nothing) for what JSON leaves out of objects. */
function write(value: unknown, out: string[]): boolean {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      out.push(JSON.stringify(value));
      return true;
    case 'object':
      if (value === null) {
        out.push('null');
        return true;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') throw NOT_PLAIN;
      if (Array.isArray(value)) writeArray(value, out);
      else writeObject(value as Record<string, unknown>, out);
      return true;
    case 'bigint':
      throw NOT_PLAIN;
    default:
      return false; // undefined, functions, symbols
  }
}

function writeArray(items: unknown[], out: string[]): void {
  out.push('[');
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.push(',');
    if (!write(items[i], out)) out.push('null');
  }
  out.push(']');
}

function writeObject(object: Record<string, unknown>, out: string[]): void {
  out.push('{');
  let first = true;
  for (const key of jsonKeyOrder(Object.keys(object).sort())) {
    const mark = out.length;
    out.push(first ? '' : ',', JSON.stringify(key), ':');
    if (write(object[key], out)) first = false;
    else out.length = mark;
  }
  out.push('}');
}

/**
 * The order JSON.stringify lists the sorted keys in once they are inserted into an object:
 * array-index keys ("0", "17") come first, in numeric order, then the others as inserted.
 */
function jsonKeyOrder(sorted: string[]): string[] {
  if (!sorted.some(isArrayIndex)) return sorted;
  const indices = sorted.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  return [...indices, ...sorted.filter((k) => !isArrayIndex(k))];
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/** The value with its objects' keys inserted in sorted order: JSON.stringify of it is the canonical text. */
export function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortedCopy(v);
    }
    return out;
  }
  return value;
}
