import { ExecHooks, ExecLimits, ExecResult, SshTarget, SshTransport, failedExec } from '@driftwatch/ssh';

/**
 * Where a probe runs: something that feeds the probe script to `sh -s` on the host and returns
 * what it printed, within the scan's limits. Over SSH for registered hosts, as a local process
 * for `driftwatch scan --local`; everything after (parse, snapshot, findings, store) is the
 * same code either way.
 */
export interface ProbeExecutor {
  run(script: string, hooks: ExecHooks): Promise<ExecResult>;
}

/** `command` reads the script on stdin: `sh -s`, or `sudo -n sh -s` for hosts that ask for sudo. */
export function sshProbeExecutor(transport: SshTransport, target: SshTarget, limits: ExecLimits, command = 'sh -s'): ProbeExecutor {
  return { run: (script, hooks) => transport.exec(target, command, script, limits, hooks) };
}

/** An executor that runs nothing and reports why, as a failed outcome. */
export function refusingProbeExecutor(error: string): ProbeExecutor {
  return { run: async () => failedExec(error) };
}
