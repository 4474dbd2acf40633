import { Check, CheckResult, CheckResults } from '../check';
import { failedWith } from '../util/failure';
import { okFacts } from '../util/findings';
import { parseSectionWith } from '../util/section';
import { cleanLines } from '../util/text';
import { ctlFragment } from './ctl-fragment';

export interface LoadedModule {
  name: string;
  origin: 'static' | 'shared';
}

export interface ApacheModulesFacts {
  modules: LoadedModule[];
  wsgiLoaded: boolean;
}

/**
 * Parses `httpd -M`: one `name_module (static|shared)` per line, in load order. Apache cannot
 * run without an MPM, so a list without any `mpm_*_module` was cut short: it is reported as
 * failed rather than as a host that lacks the modules that were not printed.
 */
export function parseApacheModules(text: string): CheckResult<ApacheModulesFacts> {
  const modules: LoadedModule[] = [];
  for (const line of cleanLines(text)) {
    const m = /^([A-Za-z0-9_]+_module)\s+\((static|shared)\)/.exec(line);
    if (m) modules.push({ name: m[1], origin: m[2] as LoadedModule['origin'] });
  }
  const input = { stdout: text, stderr: '' };
  if (modules.length === 0) return failedWith('no loaded modules listed in the output', input);
  if (!modules.some((m) => m.name.startsWith('mpm_'))) {
    return { status: 'failed', reason: 'the module list is incomplete (no MPM module listed; output cut short?)', facts: null };
  }
  return { status: 'ok', facts: { modules, wsgiLoaded: modules.some((m) => m.name === 'wsgi_module') } };
}

export const apacheModulesCheck: Check<ApacheModulesFacts> = {
  id: 'apache.modules',
  title: 'Apache loaded modules (httpd -M)',
  script: ctlFragment('-M'),
  parse: (section) => parseSectionWith(section, parseApacheModules),
  findings(results: CheckResults) {
    const facts = okFacts<ApacheModulesFacts>(results, 'apache.modules');
    if (!facts || facts.wsgiLoaded) return [];
    return [
      {
        id: 'wsgi-not-loaded',
        severity: 'critical',
        checkId: 'apache.modules',
        message:
          'wsgi_module is not in the loaded modules (httpd -M): either the LoadModule directive is missing or Apache rejected the module; look for a load-time error in the Apache error log.',
      },
    ];
  },
};
