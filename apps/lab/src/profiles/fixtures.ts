import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CommandOutput } from './profile';

/**
 * The repository root: the nearest directory above `from` holding package.json and the test
 * fixtures. Works from the sources (ts-jest) and from the compiled dist/ tree alike.
 */
export function repoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test', 'fixtures'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no driftwatch repository (package.json + test/fixtures) above ${from}`);
  }
}

/** Reads captured outputs from one fixture directory, relative to the repository root. */
export class FixtureDir {
  readonly path: string;

  constructor(relative: string, root: string = repoRoot()) {
    this.path = join(root, relative);
  }

  text(file: string): string {
    return readFileSync(join(this.path, file), 'utf8');
  }

  /** `<base>.stdout` and `<base>.stderr` (either may be missing) as one command's output. */
  captured(base: string, exitCode = 0): CommandOutput {
    const [stdout, stderr] = ['stdout', 'stderr'].map((ext) => (existsSync(join(this.path, `${base}.${ext}`)) ? this.text(`${base}.${ext}`) : null));
    if (stdout === null && stderr === null) throw new Error(`no capture ${base}.stdout or ${base}.stderr in ${this.path}`);
    return { stdout: stdout ?? '', stderr: stderr ?? '', exitCode };
  }

  /** A whole file as the command's stdout. */
  stdout(file: string, exitCode = 0): CommandOutput {
    return { stdout: this.text(file), exitCode };
  }
}
