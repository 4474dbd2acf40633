import { spawnSync } from 'node:child_process';
import { casePattern } from './case-pattern';

/** Whether the pattern, as rendered, matches the arguments in a real `case "$*"`. */
function matches(pattern: string, args: string[]): boolean {
  const script = `case "$*" in ${casePattern(pattern)}) echo yes ;; *) echo no ;; esac`;
  const run = spawnSync('/bin/sh', ['-c', script, 'sh', ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sh failed on ${script}: ${run.stderr}`);
  return run.stdout.trim() === 'yes';
}

describe(casePattern.name, () => {
  it.each([
    ['-V', ['-V'], true],
    ['-V', ['-v'], false],
    ['-V', ['-V', 'x'], false],
    ['-q installbuilddir', ['-q', 'installbuilddir'], true],
    ['*DUMP_INCLUDES*', ['-t', '-D', 'DUMP_INCLUDES'], true],
    ['-M|*DUMP_MODULES*', ['-t', '-D', 'DUMP_MODULES'], true],
    ['-M|*DUMP_MODULES*', ['-M'], true],
    ['|-s', [], true],
    ['|-s', ['-s'], true],
    ['-[rs]', ['-r'], true],
    ['-?', ['-l'], true],
    ["it's", ["it's"], true],
    ['$HOME', ['$HOME'], true],
    ['$HOME', [process.env.HOME ?? '/root'], false],
    ['"x"', ['"x"'], true],
    ['a\\b', ['a\\b'], true],
  ])('%j against %j → %s', (pattern, args, expected) => {
    expect(matches(pattern, args)).toBe(expected);
  });

  it('never lets a pattern run a command', () => {
    const rendered = casePattern('$(touch /tmp/driftwatch-pwned)`id`;rm -rf x');
    expect(matches('$(touch /tmp/driftwatch-pwned)`id`;rm -rf x', ['$(touch /tmp/driftwatch-pwned)`id`;rm -rf x'])).toBe(true);
    expect(rendered.startsWith("'")).toBe(true);
  });
});
