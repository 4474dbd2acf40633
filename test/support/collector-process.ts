import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_FLAGS } from '@driftwatch/config';

const ROOT = join(__dirname, '..', '..');
export const BUILT_COLLECTOR = join(ROOT, 'dist', 'apps', 'collector', 'src', 'main.js');

/** The built collector (`npm run build`) as a real child process, for crash and scale-out tests. */
export class CollectorProcess {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static async start(env: Record<string, string>, port: number): Promise<CollectorProcess> {
    if (!existsSync(BUILT_COLLECTOR)) throw new Error(`${BUILT_COLLECTOR} is missing: run \`npm run build\` first`);
    const child = spawn(process.execPath, [...NODE_FLAGS, BUILT_COLLECTOR], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOST: '127.0.0.1', PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collector = new CollectorProcess(child, `http://127.0.0.1:${port}`);
    await collector.waitUntilListening();
    return collector;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get log(): string {
    return this.output;
  }

  /** Ends the process the hard way: no shutdown hooks, no flushing. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }

  private async waitUntilListening(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`collector exited with ${this.child.exitCode}:\n${this.output}`);
      try {
        if ((await fetch(`${this.url}/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.kill();
    throw new Error(`collector did not answer /health within ${timeoutMs} ms:\n${this.output}`);
  }
}
