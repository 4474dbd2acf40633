import { CheckResult, RawSection } from '../check';
import { nonEmptyLines } from './text';

/** Lines Apache prints on most runs that never explain a failure. */
const NOISE = /AH00558|^Syntax OK$/;
/** What a failure line looks like, most specific first. */
const TELLING = [
  /syntax error|cannot load|invalid command|not found|no such file|permission denied/i,
  /error|cannot|can't|invalid|denied|failed|forbidden|refused|timed out/i,
];

/**
 * The line that best says why a command failed: the first that reads like a specific error,
 * else like any error, else the first meaningful line. Control characters are blanked so the
 * reason is safe to display.
 */
export function telltaleLine(text: string): string | undefined {
  const candidates = nonEmptyLines(text).filter((l) => !NOISE.test(l));
  const line = TELLING.map((re) => candidates.find((l) => re.test(l))).find((l) => l !== undefined) ?? candidates[0];
  return line?.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 300);
}

/** A failed result whose reason quotes the telling line the command printed, if any. */
export function failedWith(reason: string, section?: Pick<RawSection, 'stdout' | 'stderr'>): CheckResult<never> {
  const said = section ? telltaleLine(`${section.stderr}\n${section.stdout}`) : undefined;
  return { status: 'failed', reason: said ? `${reason}: ${said}` : reason, facts: null };
}
