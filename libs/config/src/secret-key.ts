import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

const KEY_BYTES = 32;

/**
 * The key stored secrets are sealed with. Its bytes are reachable only through `bytes`; printed,
 * logged or serialized it shows its id (a short hash) and nothing else.
 */
export class SecretKey {
  readonly id: string;
  readonly #bytes: Buffer;

  constructor(bytes: Buffer) {
    if (bytes.length !== KEY_BYTES) throw new Error(`a secret key is ${KEY_BYTES} bytes, not ${bytes.length}`);
    this.#bytes = Buffer.from(bytes);
    this.id = createHash('sha256').update(bytes).digest('hex').slice(0, 8);
  }

  get bytes(): Buffer {
    return this.#bytes;
  }

  toString(): string {
    return `[secret key ${this.id}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * DRIFTWATCH_SECRET_KEY: 32 bytes as 64 hex digits or base64 (`openssl rand -base64 32`).
 * Returns the key, or why the text is not one (without repeating the text).
 */
export function parseSecretKey(text: string): SecretKey | string {
  const trimmed = text.trim();
  let bytes: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) bytes = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || /^[A-Za-z0-9_-]+={0,2}$/.test(trimmed)) bytes = Buffer.from(trimmed, 'base64');
  if (!bytes || bytes.length !== KEY_BYTES) {
    return `must be ${KEY_BYTES} bytes written as 64 hex digits or base64 (e.g. the output of \`openssl rand -base64 32\`)${bytes ? `, got ${bytes.length} bytes` : ''}`;
  }
  return new SecretKey(bytes);
}
