import { shellQuote } from '@driftwatch/checks';
import { casePattern } from './case-pattern';

export interface StubCase {
  args: string;
  /** Absolute paths of the files holding the case's output (absent when it prints nothing). */
  stdoutFile?: string;
  stderrFile?: string;
  exitCode: number;
  script?: string;
}

/**
 * A POSIX sh stub that answers like the captured command: `case "$*"` over the profile's
 * patterns, printing stored outputs with `cat` (stderr first, as tools print warnings before
 * results), and complaining with exit 1 on arguments the profile has no output for.
 */
export function renderStub(command: string, profileName: string, cases: readonly StubCase[]): string {
  const arms = cases.map((c) => {
    const body: string[] = [];
    if (c.script !== undefined) return `${casePattern(c.args)})\n  ${c.script}\n  exit $? ;;`;
    if (c.stderrFile) body.push(`cat ${shellQuote(c.stderrFile)} >&2`);
    if (c.stdoutFile) body.push(`cat ${shellQuote(c.stdoutFile)}`);
    body.push(`exit ${c.exitCode}`);
    return `${casePattern(c.args)})\n  ${body.join('\n  ')} ;;`;
  });
  return [
    '#!/bin/sh',
    `# driftwatch lab stub for ${command} (profile ${profileName.replace(/[\r\n]/g, ' ')})`,
    'case "$*" in',
    ...arms,
    `*)\n  printf '%s: the lab profile has no output for arguments: %s\\n' ${shellQuote(command)} "$*" >&2\n  exit 1 ;;`,
    'esac',
    '',
  ].join('\n');
}
