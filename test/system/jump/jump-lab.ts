/**
 * Two real OpenSSH servers where the target can be reached only through the jump host:
 *
 * - a network namespace `dw-jump-<pid>` (its own loopback) in which the target's sshd listens on
 *   127.0.20.2:2222. The same address in the machine's namespace is the machine's own loopback,
 *   where nothing listens on that port: a direct connection is refused.
 * - the jump host listens on 127.0.20.1:2222 in the machine's namespace; each connection is
 *   handed (as stdin/stdout) to `sshd -i` started inside the namespace, so the jump host's
 *   forwarded connections leave from there. That socket is the jump host's only leg in.
 *
 * Both run with the fleet's sshd configuration (key login for one throwaway user).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshdConfig } from '../fleet/host-config';
import { isAlive, isPortFree, ROOT_ENV, run, runOk, terminate, waitForTcp } from '../fleet/processes';
import { createThrowawayUser, removeThrowawayUser, ThrowawayUser, throwawayUserName } from '../fleet/throwaway-user';

export const JUMP = { address: '127.0.20.1', port: 2222 } as const;
export const TARGET = { address: '127.0.20.2', port: 2222 } as const;

export interface JumpLab {
  namespace: string;
  user: ThrowawayUser;
  dir: string;
  /** `ssh-ed25519 AAAA…` of each server. */
  jumpPublicKey: string;
  targetPublicKey: string;
  /** Runs a command inside the namespace (as root). */
  inNamespace(file: string, args: string[]): ReturnType<typeof run>;
  /** Connections the jump host has accepted so far. */
  jumpConnections(): number;
  stop(): Promise<void>;
}

/** Ends what a run whose process died (killed jest) left: `dw-jump-<pid>` with that pid gone, and its servers. */
async function sweepStaleNamespaces(): Promise<void> {
  const listed = await run('ip', ['netns', 'list']);
  for (const line of listed.stdout.split('\n')) {
    const match = /^dw-jump-(\d+)\b/.exec(line.trim());
    if (!match || isAlive(Number(match[1]))) continue;
    const name = `dw-jump-${match[1]}`;
    const pids = (await run('ip', ['netns', 'pids', name])).stdout.split(/\s+/).filter(Boolean).map(Number);
    await terminate(pids);
    await run('ip', ['netns', 'del', name]);
  }
}

export async function startJumpLab(): Promise<JumpLab> {
  await sweepStaleNamespaces();
  for (const endpoint of [JUMP, TARGET]) {
    if (!(await isPortFree(endpoint.address, endpoint.port))) throw new Error(`${endpoint.address}:${endpoint.port} is in use on this machine`);
  }
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(join(tmpdir(), 'driftwatch-jump-'));
  await chmod(dir, 0o755);
  const namespace = `dw-jump-${process.pid}`;
  const pids = new Set<number>();
  let server: Server | undefined;
  let user: ThrowawayUser | undefined;
  let connections = 0;
  const inNamespace = (file: string, args: string[]) => run('ip', ['netns', 'exec', namespace, file, ...args]);

  const stop = async () => {
    const errors: unknown[] = [];
    const attempt = async (step: () => Promise<unknown>) => step().catch((err: unknown) => void errors.push(err));
    if (server) await attempt(() => new Promise<void>((resolve) => server!.close(() => resolve())));
    await attempt(() => terminate([...pids]));
    await attempt(() => run('ip', ['netns', 'del', namespace]));
    if (user) await attempt(() => removeThrowawayUser(user!.name, dir));
    await attempt(() => rm(dir, { recursive: true, force: true }));
    if (errors.length) throw new Error(`jump lab clean-up: ${errors.map(String).join('; ')}`);
  };

  try {
    user = await createThrowawayUser(dir, throwawayUserName());
    await runOk('ip', ['netns', 'add', namespace]);
    await runOk('ip', ['netns', 'exec', namespace, 'ip', 'link', 'set', 'lo', 'up']);
    const jumpConfig = await serverFiles(dir, 'jump', JUMP, user.name);
    const targetConfig = await serverFiles(dir, 'target', TARGET, user.name);

    const targetLog = openSync(join(dir, 'target', 'sshd.log'), 'a');
    const target: ChildProcess = spawn('ip', ['netns', 'exec', namespace, '/usr/sbin/sshd', '-D', '-e', '-f', targetConfig], {
      env: ROOT_ENV,
      stdio: ['ignore', targetLog, targetLog],
    });
    closeSync(targetLog);
    pids.add(target.pid!);
    const probe = await waitInNamespace(namespace, TARGET, () => isAlive(target.pid!));
    if (!probe) throw new Error('the target sshd did not start inside the namespace');

    const jumpLog = join(dir, 'jump', 'sshd.log');
    server = createServer({ pauseOnConnect: true }, (socket: Socket) => {
      connections++;
      const log = openSync(jumpLog, 'a');
      const sshd = spawn('ip', ['netns', 'exec', namespace, '/usr/sbin/sshd', '-i', '-e', '-f', jumpConfig], { env: ROOT_ENV, stdio: [socket, socket, log] });
      closeSync(log);
      if (sshd.pid !== undefined) pids.add(sshd.pid);
      sshd.once('exit', () => sshd.pid !== undefined && pids.delete(sshd.pid));
      socket.destroy(); // the child holds its own copy of the connection
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(JUMP.port, JUMP.address, () => resolve());
    });
    await waitForTcp(JUMP.address, JUMP.port, 5_000);
    connections = 0;

    return {
      namespace,
      user,
      dir,
      jumpPublicKey: await publicKey(join(dir, 'jump')),
      targetPublicKey: await publicKey(join(dir, 'target')),
      inNamespace,
      jumpConnections: () => connections,
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

async function serverFiles(dir: string, name: string, endpoint: { address: string; port: number }, user: string): Promise<string> {
  const sub = join(dir, name);
  await mkdir(sub, { mode: 0o755 });
  const hostKey = join(sub, 'ssh_host_ed25519_key');
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `driftwatch-${name}`, '-f', hostKey]);
  const config = join(sub, 'sshd_config');
  await writeFile(config, sshdConfig({ address: endpoint.address, sshPort: endpoint.port, httpPort: 0 }, user, { hostKey, pidFile: join(sub, 'sshd.pid') }));
  return config;
}

async function publicKey(sub: string): Promise<string> {
  const [type, key] = (await readFile(join(sub, 'ssh_host_ed25519_key.pub'), 'utf8')).trim().split(/\s+/);
  return `${type} ${key}`;
}

/** Waits until something accepts connections at the endpoint inside the namespace. */
async function waitInNamespace(namespace: string, endpoint: { address: string; port: number }, alive: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && alive()) {
    const check = await run('ip', ['netns', 'exec', namespace, 'ssh-keyscan', '-T', '2', '-p', String(endpoint.port), endpoint.address]);
    if (check.code === 0 && check.stdout.includes('ssh-ed25519')) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
