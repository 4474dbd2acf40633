import { CheckResults } from '../check';

/**
 * The facts of a check that ran and parsed (`ok`), or null. Findings read facts only through
 * this, so a failed, unavailable or missing check never produces a finding.
 */
export function okFacts<F>(results: CheckResults, checkId: string): F | null {
  const result = results[checkId];
  return result && result.status === 'ok' && result.facts !== null && typeof result.facts === 'object'
    ? (result.facts as F)
    : null;
}
