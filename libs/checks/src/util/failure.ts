import { CheckResult, RawSection } from '../check';
import { nonEmptyLines } from './text';

/** A failed result whose reason quotes the first meaningful line the command printed. */
export function failedWith(reason: string, section?: Pick<RawSection, 'stdout' | 'stderr'>): CheckResult<never> {
  const said = section ? nonEmptyLines(`${section.stderr}\n${section.stdout}`)[0] : undefined;
  return { status: 'failed', reason: said ? `${reason}: ${said.slice(0, 300)}` : reason, facts: null };
}
