import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretKey } from '@driftwatch/config';

/** What a sealed secret is for; bound into the envelope so one cannot stand in for another. */
export type SecretPurpose = 'password' | 'passphrase' | 'private-key' | 'webhook-secret';

const VERSION = 'v1';
const IV_BYTES = 12;

export class SecretBoxError extends Error {}

/**
 * Seals and opens secrets at rest with AES-256-GCM: `v1:<key id>:<iv>:<tag>:<ciphertext>`
 * (base64 parts). The key id says which key sealed it, so that after a rotation secrets sealed
 * with the previous key still open, and `needsResealing` finds them. Messages never hold
 * plain text or ciphertext.
 */
export class SecretBox {
  constructor(
    private readonly current: SecretKey | null,
    private readonly previous: SecretKey | null = null,
  ) {}

  /** True when `stored` is an envelope `seal` wrote, false for anything else (plain text). */
  static isSealed(stored: string): boolean {
    return stored.startsWith(`${VERSION}:`);
  }

  get canSeal(): boolean {
    return this.current !== null;
  }

  get currentKeyId(): string | null {
    return this.current?.id ?? null;
  }

  seal(plain: string, purpose: SecretPurpose): string {
    if (!this.current) throw new SecretBoxError('no DRIFTWATCH_SECRET_KEY is configured');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv);
    cipher.setAAD(Buffer.from(`driftwatch:${purpose}`));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, this.current.id, iv.toString('base64'), cipher.getAuthTag().toString('base64'), sealed.toString('base64')].join(':');
  }

  open(envelope: string, purpose: SecretPurpose): string {
    const [version, keyId, iv, tag, sealed] = envelope.split(':');
    if (version !== VERSION || !keyId || !iv || !tag || sealed === undefined) throw new SecretBoxError(`the stored ${purpose} is not a sealed secret`);
    const key = [this.current, this.previous].find((k) => k?.id === keyId);
    if (!key) throw new SecretBoxError(`the stored ${purpose} was sealed with key ${keyId}, which is not configured (DRIFTWATCH_SECRET_KEY or DRIFTWATCH_SECRET_KEY_PREVIOUS)`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(`driftwatch:${purpose}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(`the stored ${purpose} failed its integrity check (tampered, or sealed for another use)`);
    }
  }

  /** True when the envelope was sealed with another key than the current one. */
  needsResealing(envelope: string): boolean {
    return envelope.split(':')[1] !== this.current?.id;
  }
}
