import { CheckResult } from '../check';
import { failedWith } from '../util/failure';
import { nonEmptyLines } from '../util/text';

export interface ApxsQueryFacts {
  /** One value per queried variable; `apxs -q A B` joins them with ";;" (empty ones included). */
  values: string[];
}

/** Parses what `apxs -q VAR…` or `apr-1-config --includedir` print. */
export function parseApxsQuery(text: string): CheckResult<ApxsQueryFacts> {
  const all = nonEmptyLines(text);
  if (all.length !== 1 || /\s(not found|error)\b|^apxs:/i.test(all[0])) {
    return failedWith('expected one line of ;;-separated values', { stdout: text, stderr: '' });
  }
  return { status: 'ok', facts: { values: all[0].split(';;') } };
}
