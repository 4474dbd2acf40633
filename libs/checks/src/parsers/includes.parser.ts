import { CheckResult } from '../check';
import { failedWith } from '../util/failure';
import { nonEmptyLines } from '../util/text';

export interface IncludesFacts {
  /** Every configuration file Apache read, in the order it read them. */
  files: string[];
}

/** Parses `-t -D DUMP_INCLUDES` ("Included configuration files:" then `(N) /path` lines). */
export function parseIncludes(text: string): CheckResult<IncludesFacts> {
  const all = nonEmptyLines(text);
  const files = all.map((l) => /^\((?:\*|\d+)\)\s+(.+)$/.exec(l)?.[1]).filter((f): f is string => f !== undefined);
  if (files.length === 0) return failedWith('no included configuration files listed in the output', { stdout: text, stderr: '' });
  return { status: 'ok', facts: { files } };
}
