import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEd25519KeyPair } from './ed25519';

export interface ClientKey {
  privateKeyPem: string;
  /** OpenSSH public key line, to give a lab host as its authorized key. */
  publicKey: string;
  /** The private key written with mode 0600, for `{ type: 'key', privateKeyPath }`. */
  path: string;
  /** Removes the key file (and the temporary directory made for it). */
  dispose(): void;
}

/**
 * A client key pair for tests and demos, with the private half written to a 0600 file
 * (encrypted when a passphrase is given).
 */
export function generateClientKey(options: { dir?: string; comment?: string; passphrase?: string } = {}): ClientKey {
  const pair = generateEd25519KeyPair({ comment: options.comment ?? 'driftwatch-lab-client', passphrase: options.passphrase });
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'driftwatch-lab-key-'));
  const path = join(dir, 'id_ed25519');
  writeFileSync(path, pair.privateKey, { mode: 0o600 });
  return {
    privateKeyPem: pair.privateKey,
    publicKey: pair.publicKey,
    path,
    dispose: () => rmSync(ownDir ? dir : path, { recursive: true, force: true }),
  };
}
