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

/**
 * The per-architecture headers a multilib `apr.h` includes (RHEL, Fedora, Amazon Linux install
 * the real header as `apr-x86_64.h` and an `apr.h` that only picks one by `#if defined(...)`),
 * in file order; empty for a real apr.h.
 */
export function aprHWrapperIncludes(text: string): string[] {
  const out: string[] = [];
  for (const line of lines(text)) {
    const m = /^\s*#\s*include\s+"(apr-[A-Za-z0-9_]+\.h)"/.exec(line);
    if (m && !out.includes(m[1])) out.push(m[1]);
  }
  return out;
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
  if (seen === 0) {
    const included = aprHWrapperIncludes(text);
    if (included.length > 0) {
      return {
        status: 'unavailable',
        reason: `this apr.h is a multilib wrapper: the macros are in the header it includes for the architecture (${included.join(', ')}), in the same directory`,
        facts: null,
      };
    }
    return failedWith('no APR_HAS/APR_USE_*_SERIALIZE macros in the output', { stdout: text, stderr: '' });
  }
  return { status: 'ok', facts: { has, use, defaultMechanism: use.length > 0 ? use[0].toLowerCase() : null } };
}
