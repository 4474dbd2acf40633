import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { BoundedOutput, ExecHooks, ExecLimits, ExecResult, SshOutcome } from '@driftwatch/ssh';
import type { ProbeExecutor } from '../scanning/probe-executor';

export interface LocalProbeOptions {
  /** Working directory of the probe; an SSH session starts in the login's home, so this does too. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The shell; `sh` from PATH, as sshd runs it. */
  shell?: string;
}

/**
 * Runs the probe on this machine: `sh -s` with the script on stdin, the same output caps as an
 * SSH session (bytes past `maxOutputBytes` are read and dropped), and `commandTimeoutMs`, past
 * which the shell and everything it started (its own process group) are killed.
 */
export function localProbeExecutor(limits: Pick<ExecLimits, 'commandTimeoutMs' | 'maxOutputBytes'>, options: LocalProbeOptions = {}): ProbeExecutor {
  return { run: (script, hooks) => runLocally(script, hooks, limits, options) };
}

function runLocally(script: string, hooks: ExecHooks, limits: Pick<ExecLimits, 'commandTimeoutMs' | 'maxOutputBytes'>, options: LocalProbeOptions): Promise<ExecResult> {
  const startedAt = performance.now();
  const stdout = new BoundedOutput(limits.maxOutputBytes);
  const stderr = new BoundedOutput(limits.maxOutputBytes);
  return new Promise((resolve) => {
    let settled = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    const child = spawn(options.shell ?? 'sh', ['-s'], {
      cwd: options.cwd ?? homedir(),
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // its own process group, so a timeout ends what the probe started too
    });
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const finish = (outcome: SshOutcome, error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const result: ExecResult = {
        outcome,
        exitCode: exit?.code ?? null,
        stdout: stdout.toBuffer(),
        stderr: stderr.toBuffer(),
        stdoutTruncated: stdout.truncated,
        stderrTruncated: stderr.truncated,
        durationMs: Math.round(performance.now() - startedAt),
      };
      if (error !== undefined) result.error = error;
      resolve(result);
    };
    const timer = setTimeout(() => {
      killGroup();
      finish('timeout', `the probe did not finish within ${limits.commandTimeoutMs} ms`);
    }, limits.commandTimeoutMs);

    child.stdout.on('data', (chunk: Buffer) => {
      const kept = stdout.push(chunk);
      if (kept.length === 0) return;
      try {
        hooks.onStdout?.(kept);
      } catch (error) {
        killGroup();
        finish('failed', `the stdout hook threw: ${(error as Error).message}`);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => void stderr.push(chunk));
    child.on('error', (error) => finish('failed', `cannot run ${options.shell ?? 'sh'}: ${error.message}`));
    child.on('exit', (code, signal) => (exit = { code, signal }));
    child.on('close', () => {
      if (exit?.signal) return finish('ok', `the command was killed by ${exit.signal}`);
      finish('ok');
    });
    child.stdin.on('error', () => undefined); // a shell that exits early closes its stdin
    child.stdin.end(script);
  });
}
