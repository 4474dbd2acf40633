import { CheckResult, RawSection } from '../check';
import { telltaleLine } from './failure';

/**
 * Parses a single-command section's stdout. When that fails, the reason also quotes what the
 * command said on stderr (a syntax error, "command not found"), which is usually the cause.
 */
export function parseSectionWith<F>(section: RawSection, parse: (text: string) => CheckResult<F>): CheckResult<F> {
  const result = parse(section.stdout);
  if (result.status !== 'failed') return result;
  const said = telltaleLine(section.stderr);
  return said ? { ...result, reason: `${result.reason ?? 'unparseable output'} (stderr: ${said})` } : result;
}
