import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { assertValidProfile, LAB_ROOT, LabProfile } from '../profiles/profile';
import { renderStub, StubCase } from './stub-script';

/**
 * Writes a profile as the directory its hosts run in: `bin/<command>` stubs, their outputs
 * under `.lab/out/`, and the profile's files. `${LAB_ROOT}` in outputs and files becomes
 * `root`, the path the tree will have once in place.
 */
export function writeProfileTree(dir: string, root: string, profile: LabProfile): void {
  assertValidProfile(profile);
  const rooted = (text: string) => text.split(LAB_ROOT).join(root);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, '.lab', 'out'), { recursive: true });
  for (const [command, cases] of Object.entries(profile.commands)) {
    const stubCases = cases.map((c, i): StubCase => {
      const store = (stream: 'stdout' | 'stderr'): string | undefined => {
        const text = c[stream];
        if (!text) return undefined;
        const name = join('.lab', 'out', `${command}.${i}.${stream}`);
        writeFileSync(join(dir, name), rooted(text));
        return join(root, name);
      };
      return { args: c.args, stdoutFile: store('stdout'), stderrFile: store('stderr'), exitCode: c.exitCode ?? 0, script: c.script };
    });
    const stub = join(dir, 'bin', command);
    writeFileSync(stub, renderStub(command, profile.name, stubCases));
    chmodSync(stub, 0o755);
  }
  for (const [path, content] of Object.entries(profile.files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, rooted(content));
  }
}
