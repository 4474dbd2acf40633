import { Check, CheckResult, CheckResults, Finding, RawSection } from './check';
import { CHECKS } from './registry';

export interface Evaluation {
  results: CheckResults;
  findings: Finding[];
}

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

/** Parses every section and derives the findings; pure. */
export function evaluate(sections: readonly RawSection[], checks: readonly Check[] = CHECKS): Evaluation {
  const byId = new Map(sections.map((s) => [s.id, s]));
  const results: CheckResults = {};
  for (const check of checks) results[check.id] = evaluateSection(check, byId.get(check.id));
  const findings: Finding[] = [];
  for (const check of checks) {
    if (!check.findings) continue;
    try {
      findings.push(...check.findings(results));
    } catch {
      // A findings rule that trips over unexpected facts must not lose the scan.
    }
  }
  findings.sort((a, b) => a.id.localeCompare(b.id));
  return { results, findings };
}
