import { Check, CheckResult } from '../check';
import { failedWith } from '../util/failure';
import { parseSectionWith } from '../util/section';
import { cleanLines } from '../util/text';
import { ctlFragment } from './ctl-fragment';

export interface ApacheCompiledFacts {
  /** Source files of the statically compiled modules, in printed order (`core.c`, `mod_so.c`…). */
  modules: string[];
}

/** Parses `httpd -l` ("Compiled in modules:" then one `name.c` per line). */
export function parseApacheCompiled(text: string): CheckResult<ApacheCompiledFacts> {
  const modules = cleanLines(text)
    .map((line) => /^([A-Za-z0-9_]+\.c)$/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
  if (modules.length === 0) return failedWith('no compiled-in modules listed in the output', { stdout: text, stderr: '' });
  return { status: 'ok', facts: { modules } };
}

export const apacheCompiledCheck: Check<ApacheCompiledFacts> = {
  id: 'apache.compiled',
  title: 'Apache compiled-in modules (httpd -l)',
  script: ctlFragment('-l'),
  parse: (section) => parseSectionWith(section, parseApacheCompiled),
};
