import { gunzipSync, gzipSync } from 'node:zlib';

/** Raw probe output is stored gzip-compressed and base64-encoded in a text column. */
export function packRaw(value: unknown): string {
  return gzipSync(Buffer.from(JSON.stringify(value), 'utf8')).toString('base64');
}

export function unpackRaw<T = unknown>(packed: string): T {
  return JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString('utf8')) as T;
}
