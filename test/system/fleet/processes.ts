/**
 * Small process helpers for the real fleet: run a command and capture its output, wait for a
 * TCP port, find the processes of a mount namespace, and end processes by pid.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect, createServer } from 'node:net';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** The environment for commands run as root on a host: no inherited jest or CI variables. */
export const ROOT_ENV: NodeJS.ProcessEnv = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  LANG: 'C',
  LC_ALL: 'C',
};

/**
 * Runs `file args` to completion (its stdout and stderr closed), never through a shell.
 * Resolves with the exit code (128 + signal number when killed); rejects only when the command
 * cannot be started or outlives `timeoutMs`, in which case it is killed by pid.
 */
export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: options.env ?? ROOT_ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      reject(new Error(`timed out after ${timeoutMs} ms: ${file} ${args.join(' ')}`));
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? 128 + signalNumber(signal),
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString(),
      });
    });
    child.stdin.on('error', () => undefined); // the command may exit without reading its input
    child.stdin.end(options.input ?? '');
  });
}

/** Like `run`, but rejects when the exit code is not 0, with the command's stderr. */
export async function runOk(file: string, args: readonly string[], options: RunOptions = {}): Promise<ExecResult> {
  const result = await run(file, args, options);
  if (result.code !== 0) {
    throw new Error(`${file} ${args.join(' ')} exited ${result.code}: ${(result.stderr || result.stdout).trim()}`);
  }
  return result;
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return (signal && numbers[signal]) ?? 0;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once something accepts TCP connections on address:port. */
export async function waitForTcp(address: string, port: number, timeoutMs: number, alive?: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await canConnect(address, port)) return;
    if (alive && !alive()) throw new Error(`the process meant to listen on ${address}:${port} exited`);
    if (Date.now() > deadline) throw new Error(`nothing listens on ${address}:${port} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

function canConnect(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** True when address:port can be bound right now (nothing else listens there). */
export function isPortFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: address, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A live process (zombies count as gone: they have already exited). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Start time of a process in clock ticks since boot, to tell a pid from a later reuse of it. */
export function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** The mount namespace of a process, as `mnt:[inode]`, or null when it is gone. */
export function mountNamespaceOf(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return null;
  }
}

/** Every live process whose mount namespace is `namespace`. */
export function pidsInMountNamespace(namespace: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid !== process.pid && mountNamespaceOf(pid) === namespace && isAlive(pid)) pids.push(pid);
  }
  return pids;
}

/** Sends SIGTERM to each pid, waits up to graceMs, then SIGKILLs what is left and waits for it. */
export async function terminate(pids: readonly number[], graceMs = 3_000): Promise<void> {
  signalAll(pids, 'SIGTERM');
  if (await waitGone(pids, graceMs)) return;
  signalAll(pids, 'SIGKILL');
  if (!(await waitGone(pids, 5_000))) {
    throw new Error(`processes still alive after SIGKILL: ${pids.filter(isAlive).join(' ')}`);
  }
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

async function waitGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}
