import { Check, CheckResults, Finding, RawSection } from './check';
import { evaluateSection } from './evaluate-section';
import { CHECKS } from './registry';

export { evaluateSection } from './evaluate-section';

export interface Evaluation {
  results: CheckResults;
  findings: Finding[];
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
