import { fingerprintOf } from '@driftwatch/ssh';
import { utils } from 'ssh2';

export interface Ed25519KeyPair {
  /** OpenSSH private key ('-----BEGIN OPENSSH PRIVATE KEY-----'). */
  privateKey: string;
  /** OpenSSH public key line ('ssh-ed25519 AAAA...'). */
  publicKey: string;
  /** 'SHA256:...' as OpenSSH prints it. */
  fingerprint: string;
}

const MAX_ATTEMPTS = 16;

/**
 * A fresh ed25519 key pair from ssh2's generator. About 1 key in 256 comes out malformed
 * (ssh2 1.17 strips a leading zero byte of the public key: mscdex/ssh2#1390, #1513), so each
 * pair is parsed back and regenerated until both halves are valid. Costs ~0.2 ms.
 */
export function generateEd25519KeyPair(options: { comment?: string; passphrase?: string } = {}): Ed25519KeyPair {
  const { comment, passphrase } = options;
  const encryption = passphrase ? { passphrase, cipher: 'aes256-ctr', rounds: 16 } : {};
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const pair = utils.generateKeyPairSync('ed25519', { ...(comment ? { comment } : {}), ...encryption });
    const parsedPrivate = utils.parseKey(pair.private, passphrase);
    const parsedPublic = utils.parseKey(pair.public);
    if (parsedPrivate instanceof Error || parsedPublic instanceof Error) continue;
    return { privateKey: pair.private, publicKey: pair.public, fingerprint: fingerprintOf(parsedPublic.getPublicSSH()) };
  }
  throw new Error(`ssh2 produced ${MAX_ATTEMPTS} malformed ed25519 keys in a row`);
}
