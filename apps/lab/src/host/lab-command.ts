import { ChildProcess, spawn } from 'node:child_process';
import type { ServerChannel } from 'ssh2';
import { ChannelOutput } from './channel-output';

export interface CommandContext {
  /** The host directory: HOME, working directory, and the root of PATH's stubs. */
  hostDir: string;
  username: string;
}

/** The environment a lab command runs in: the host's stubs first in PATH, nothing else of ours. */
export function labEnvironment({ hostDir, username }: CommandContext): NodeJS.ProcessEnv {
  return {
    PATH: `${hostDir}/bin:/usr/bin:/bin`,
    HOME: hostDir,
    USER: username,
    LOGNAME: username,
    // Empty: the probe must not find the machine's own Apache in /usr/sbin and friends.
    DRIFTWATCH_PROBE_DIRS: '',
    // Empty: nor the Apache processes running on the machine (its /proc, its pid files).
    DRIFTWATCH_PROC: '',
    DRIFTWATCH_OS_RELEASE: `${hostDir}/etc/os-release`,
  };
}

/**
 * Runs one exec request with the machine's /bin/sh, wiring the channel to the process:
 * stdin in, stdout and stderr out, then the exit status (or signal). The process leads its own
 * group, so closing the channel kills whatever the command started.
 */
export class LabCommand {
  private readonly child: ChildProcess;
  private readonly output: ChannelOutput;
  private finished = false;

  constructor(
    private readonly channel: ServerChannel,
    command: string,
    context: CommandContext,
    private readonly onDone: (command: LabCommand) => void,
  ) {
    this.child = spawn('/bin/sh', ['-c', command], {
      cwd: context.hostDir,
      env: labEnvironment(context),
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdin!.on('error', () => undefined); // the command may exit without reading its input
    channel.pipe(this.child.stdin!);
    this.output = new ChannelOutput(channel);
    this.output.forward(this.child.stdout!, 'stdout');
    this.output.forward(this.child.stderr!, 'stderr');
    this.child.on('error', (err) => {
      if (!this.finished) channel.stderr.write(`lab: cannot run /bin/sh: ${err.message}\n`);
      this.complete(() => channel.exit(127));
    });
    this.child.on('close', (code, signal) => this.complete(() => (signal ? channel.exit(signal) : channel.exit(code ?? 0))));
    channel.on('close', () => this.kill());
    channel.on('error', () => this.kill());
  }

  /** Kills the command's whole process group (idempotent). */
  kill(): void {
    const pid = this.child.pid;
    if (this.child.exitCode === null && this.child.signalCode === null && pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.complete(() => undefined);
  }

  /** Reports the end once: all output first, then the exit status, then EOF and close. */
  private complete(report: () => void): void {
    if (this.finished) return;
    this.finished = true;
    this.onDone(this);
    this.output.flushed(() => {
      if (!this.channel.writable) return;
      report();
      this.channel.end();
    });
  }
}
