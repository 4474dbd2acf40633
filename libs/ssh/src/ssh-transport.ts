import { performance } from 'node:perf_hooks';
import { ExecAttempt } from './exec-attempt';
import { prepareRoute } from './hop';
import { ExecHooks, ExecLimits, ExecResult, SessionJob, SshOutcome, SshTarget, failedExec } from './ssh-target';

/**
 * Runs one command on one host over SSH (the only place driftwatch touches ssh2).
 * The host key is always verified under the target's policy (pinned, known_hosts, or accept-new:
 * an unpinned key is accepted and returned so the caller can pin it), and so is every jump
 * host's. Never throws; every failure is an outcome.
 */
export class SshTransport {
  exec(target: SshTarget, command: string, stdin: string, limits: ExecLimits, hooks: ExecHooks = {}): Promise<ExecResult> {
    return this.run(target, { kind: 'exec', command, stdin }, limits, hooks);
  }

  /**
   * Writes one file over SFTP (a relative path is relative to the login's home). On success
   * `stdout` holds the file's absolute path as the server resolved it.
   */
  upload(target: SshTarget, remotePath: string, content: Buffer, mode: number, limits: ExecLimits): Promise<ExecResult> {
    return this.run(target, { kind: 'upload', remotePath, content, mode }, limits, {});
  }

  private async run(target: SshTarget, job: SessionJob, limits: ExecLimits, hooks: ExecHooks): Promise<ExecResult> {
    const startedAt = performance.now();
    const failed = (error: string, outcome: SshOutcome = 'failed'): ExecResult => ({
      ...failedExec(error, Math.round(performance.now() - startedAt)),
      outcome,
    });
    const invalid = invalidLimits(limits);
    if (invalid) return failed(invalid);
    const route = await prepareRoute(target);
    if (!route.ok) return failed(route.error, route.outcome);
    return new ExecAttempt(target, job, limits, hooks, route.hop, startedAt).run();
  }
}

function invalidLimits(limits: ExecLimits): string | null {
  for (const key of ['connectTimeoutMs', 'commandTimeoutMs', 'maxOutputBytes'] as const) {
    const value = limits[key];
    if (!Number.isInteger(value) || value <= 0) return `invalid exec limit ${key}: ${value}`;
  }
  return null;
}
