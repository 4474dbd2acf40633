import { CheckResult } from '../check';
import { failedWith } from '../util/failure';
import { lines } from '../util/text';

export interface AprHFacts {
  /** Mechanisms whose APR_HAS_<NAME>_SERIALIZE is 1 (available), in file order: FLOCK, SYSVSEM… */
  has: string[];
  /** Mechanisms whose APR_USE_<NAME>_SERIALIZE is 1, in file order. */
  use: string[];
  /** The first of `use`, lowercase: the cross-process mutex APR picks by default. */
  defaultMechanism: string | null;
}

/** Parses the SERIALIZE macros of APR's apr.h (the whole header or the grepped lines). */
export function parseAprH(text: string): CheckResult<AprHFacts> {
  const has: string[] = [];
  const use: string[] = [];
  let seen = 0;
  for (const line of lines(text)) {
    const m = /#\s*define\s+APR_(HAS|USE)_([A-Z_]+?)_SERIALIZE\s+(\d+)/.exec(line);
    if (!m) continue;
    seen++;
    if (Number(m[3]) === 0) continue;
    (m[1] === 'HAS' ? has : use).push(m[2]);
  }
  if (seen === 0) return failedWith('no APR_HAS/APR_USE_*_SERIALIZE macros in the output', { stdout: text, stderr: '' });
  return { status: 'ok', facts: { has, use, defaultMechanism: use.length > 0 ? use[0].toLowerCase() : null } };
}
