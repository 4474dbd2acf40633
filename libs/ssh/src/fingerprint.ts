import { createHash } from 'node:crypto';

/**
 * The fingerprint OpenSSH prints for a public key blob (the wire-format key, as in
 * `ssh-keygen -lf`): 'SHA256:' and the unpadded base64 of the blob's SHA-256.
 */
export function fingerprintOf(publicKeyBlob: Buffer): string {
  const digest = createHash('sha256').update(publicKeyBlob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}
