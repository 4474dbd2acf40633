import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { utils } from 'ssh2';
import type { ConnectConfig } from 'ssh2';
import { SshAuth } from './ssh-target';

/** The part of an ssh2 connect config that says how to log in. */
export type LoginConfig = Pick<ConnectConfig, 'privateKey' | 'passphrase' | 'agent' | 'authHandler' | 'password'>;

/** `auth-failed` when the secret itself is wrong (a passphrase that does not decrypt the key). */
export type LoadedCredentials = { ok: true; login: LoginConfig } | { ok: false; error: string; outcome?: 'auth-failed' };

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'does not exist',
  EACCES: 'is not readable (permission denied)',
  EPERM: 'is not readable (permission denied)',
  EISDIR: 'is a directory',
};

/**
 * Resolves a host's auth settings into login options, at exec time: the key file is read
 * on every call (only the verdict on its content is remembered) and the agent socket comes
 * from the environment of the moment.
 * Error messages name the file and the kind of problem, never any of its content.
 */
export async function loadCredentials(auth: SshAuth, env: NodeJS.ProcessEnv = process.env): Promise<LoadedCredentials> {
  if (auth.type === 'agent') {
    const socket = auth.socketPath ?? env.SSH_AUTH_SOCK;
    if (!socket) return { ok: false, error: 'ssh-agent authentication needs an agent socket, and SSH_AUTH_SOCK is not set' };
    const kind = await stat(socket).then(
      (s) => (s.isSocket() ? null : 'is not a socket'),
      () => 'does not exist',
    );
    if (kind) return { ok: false, error: `ssh-agent socket ${socket} ${kind} (is the agent running, and SSH_AUTH_SOCK current?)` };
    return { ok: true, login: { agent: socket, authHandler: ['agent'] } };
  }
  if (auth.type === 'password') return { ok: true, login: { password: auth.password, authHandler: ['password'] } };
  if (auth.type === 'inline-key') {
    const data = Buffer.from(auth.privateKey);
    const problem = privateKeyProblem(data, auth.passphrase);
    if (problem) return { ok: false, error: `the stored private key ${problem}`, ...outcomeOf(problem) };
    return { ok: true, login: { privateKey: data, passphrase: auth.passphrase, authHandler: ['publickey'] } };
  }
  return loadPrivateKey(auth.privateKeyPath, auth.passphrase);
}

async function loadPrivateKey(path: string, passphrase: string | undefined): Promise<LoadedCredentials> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return { ok: false, error: `private key file ${path} ${READ_ERRORS[code] ?? `could not be read (${code})`}` };
  }
  const problem = privateKeyProblem(data, passphrase);
  if (problem) return { ok: false, error: `private key file ${path} ${problem}`, ...outcomeOf(problem) };
  return { ok: true, login: { privateKey: data, passphrase, authHandler: ['publickey'] } };
}

const WRONG_SECRET = 'could not be decrypted with the given passphrase';
const NO_SECRET = 'is encrypted and no passphrase was given';

/** A wrong passphrase is a failed login; a missing one is a configuration problem (`failed`). */
function outcomeOf(problem: string): { outcome?: 'auth-failed' } {
  return problem === WRONG_SECRET ? { outcome: 'auth-failed' } : {};
}

/**
 * Verdicts of recently checked keys, by a digest of key and passphrase: a fleet scan logs in
 * with the same key hundreds of times, and parsing it is a large share of a scan's CPU. The
 * file is still read at every exec, so a replaced key is checked afresh.
 */
const checkedKeys = new Map<string, string | null>();
const CHECKED_KEYS_KEPT = 64;

/** Why the data is not a usable private key, in words that reveal nothing of it; null if usable. */
function privateKeyProblem(data: Buffer, passphrase: string | undefined): string | null {
  const digest = createHash('sha256').update(data).update(passphrase === undefined ? '\u0000none' : `\u0001${passphrase}`).digest('hex');
  const known = checkedKeys.get(digest);
  if (known !== undefined) return known;
  const problem = parseProblem(data, passphrase);
  if (checkedKeys.size >= CHECKED_KEYS_KEPT) checkedKeys.delete(checkedKeys.keys().next().value!);
  checkedKeys.set(digest, problem);
  return problem;
}

function parseProblem(data: Buffer, passphrase: string | undefined): string | null {
  const parsed = utils.parseKey(data, passphrase);
  if (parsed instanceof Error) {
    if (/passphrase|decrypt|integrity check/i.test(parsed.message)) {
      return passphrase === undefined ? NO_SECRET : WRONG_SECRET;
    }
    return 'is not a private key in a supported format (OpenSSH, PEM or PuTTY)';
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || !key.isPrivateKey()) return 'holds no private key';
  return null;
}
