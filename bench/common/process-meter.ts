import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface Metered {
  wallMs: number;
  /** user + sys CPU of the command and every descendant it waited for (GNU time). */
  cpuMs: number;
  /** Largest peak RSS of any one process in that tree (ru_maxrss). */
  maxRssMb: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one command under GNU time and returns wall time, CPU and peak RSS of its process tree.
 * stdout is kept (the measured programs print one JSON line), stderr kept for diagnosis.
 */
export async function metered(command: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 900_000): Promise<Metered> {
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-bench-time-'));
  const timeFile = join(dir, 'time');
  try {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, '--', ...command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    clearTimeout(timer);
    const wallMs = performance.now() - t0;
    const line = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const [, user, sys, rssKb] = line.split(' ').map(Number);
    return {
      wallMs,
      cpuMs: (user + sys) * 1000,
      maxRssMb: rssKb / 1024,
      exitCode,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The last line of a measured program's stdout, which it prints as JSON. */
export function lastJsonLine<T>(stdout: string): T {
  const line = stdout.trim().split('\n').pop();
  if (!line) throw new Error('the measured program printed nothing');
  return JSON.parse(line) as T;
}

/** Peak RSS of this process so far (VmHWM), in MB. */
export function peakRssMb(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : NaN;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
}
