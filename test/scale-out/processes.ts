import { ChildProcess, spawn } from 'node:child_process';
import { NODE_FLAGS } from '@driftwatch/config';
import { COLLECTOR } from './services';

/** One collector process (the built one), its output kept for assertions and failures. */
export class CollectorProcess {
  readonly output: string[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly role: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(role: 'scheduler' | 'worker' | 'api' | 'all', env: Record<string, string>): CollectorProcess {
    const child = spawn(process.execPath, [...NODE_FLAGS, COLLECTOR], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, DRIFTWATCH_ROLE: role },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new CollectorProcess(role, child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for the start-up line; fails with the output if the process dies first. */
  async ready(ms = 30_000): Promise<void> {
    const until = Date.now() + ms;
    while (!this.output.some((line) => line.includes(`role ${this.role}`))) {
      if (!this.running) throw new Error(`${this.role} ${this.pid} exited at start:\n${this.output.join('\n')}`);
      if (Date.now() > until) throw new Error(`${this.role} ${this.pid} not ready within ${ms} ms:\n${this.output.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  async stop(): Promise<number | null> {
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), 10_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
