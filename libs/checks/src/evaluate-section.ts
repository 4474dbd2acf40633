import { Check, CheckResult, RawSection } from './check';

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Turns one check's section into its result; never throws. */
export function evaluateSection(check: Check, section: RawSection | undefined): CheckResult {
  if (!section) return { status: 'failed', reason: 'the probe produced no section for this check', facts: null };
  if (section.truncated) {
    return { status: 'failed', reason: 'the check did not complete (output cut or framing broken)', facts: null };
  }
  if (section.meta.unavailable !== undefined) {
    return { status: 'unavailable', reason: section.meta.unavailable, facts: null };
  }
  try {
    return check.parse(section);
  } catch (error) {
    return { status: 'failed', reason: `parser error: ${errorMessage(error)}`, facts: null };
  }
}
