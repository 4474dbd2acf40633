/**
 * The fleet's login: one throwaway, unprivileged user (login shell /bin/sh) that exists only
 * while the fleet runs, and the ed25519 client key the suite logs in with.
 *
 * Why not root: on Debian, `apache2ctl -V` and `apache2ctl -M` work for any user (the config
 * tree under /etc/apache2 and envvars are world-readable, and apache2ctl only creates the run
 * and lock directories when they are missing, which they never are on a fleet host), and so do
 * `ldd` on mod_wsgi.so, `apxs -q` and curl of the local diagnostic URL. Logging in unprivileged
 * is how driftwatch is meant to be deployed, so the suite checks that it is enough.
 */
import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, runOk } from './processes';

export interface ThrowawayUser {
  name: string;
  home: string;
  privateKeyPath: string;
  publicKey: string;
}

/** A fresh user name: `dwfleet` and 6 hex characters (valid for Debian's useradd). */
export function throwawayUserName(): string {
  return `dwfleet${Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0')}`;
}

/**
 * Creates the user with its home under `root` and the suite's client key in `root/client`.
 * The password field is `*` (no password can match) rather than useradd's `!` (locked),
 * because sshd without PAM refuses even key logins to locked accounts.
 */
export async function createThrowawayUser(root: string, name: string): Promise<ThrowawayUser> {
  const home = join(root, 'home', name);
  const clientDir = join(root, 'client');
  const privateKeyPath = join(clientDir, 'id_ed25519');
  await mkdir(clientDir, { recursive: true, mode: 0o700 });
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@driftwatch-system-test`, '-f', privateKeyPath]);
  const publicKey = (await readFile(`${privateKeyPath}.pub`, 'utf8')).trim();

  await runOk('useradd', ['--no-create-home', '--home-dir', home, '--shell', '/bin/sh', '--user-group', '--password', '*', name]);
  const { uid, gid } = await idsOf(name);
  const sshDir = join(home, '.ssh');
  await mkdir(sshDir, { recursive: true });
  await writeFile(join(sshDir, 'authorized_keys'), `${publicKey}\n`, { mode: 0o600 });
  for (const [path, mode] of [[home, 0o755], [sshDir, 0o700], [join(sshDir, 'authorized_keys'), 0o600]] as const) {
    await chown(path, uid, gid);
    await chmod(path, mode); // StrictModes: nothing group- or world-writable up to the home dir
  }
  return { name, home, privateKeyPath, publicKey };
}

/**
 * Removes the user and its group, only if its home is under `root` (so a record naming
 * someone else's user can never remove it). A user that no longer exists is not an error.
 */
export async function removeThrowawayUser(name: string, root: string): Promise<void> {
  const entry = await run('getent', ['passwd', name]);
  if (entry.code !== 0) return;
  const home = entry.stdout.trim().split(':')[5] ?? '';
  if (!home.startsWith(`${root}/`)) throw new Error(`user ${name} has home ${home}, not under ${root}: left alone`);
  await runOk('userdel', ['--force', name]);
}

async function idsOf(name: string): Promise<{ uid: number; gid: number }> {
  const fields = (await runOk('getent', ['passwd', name])).stdout.trim().split(':');
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}
