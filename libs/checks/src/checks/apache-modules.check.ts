import { Check, CheckResult, RawSection } from '../check';
import { failedWith } from '../util/failure';
import { lines } from '../util/text';
import { ctlFragment } from './ctl-fragment';

export interface LoadedModule {
  name: string;
  origin: 'static' | 'shared';
}

export interface ApacheModulesFacts {
  modules: LoadedModule[];
  wsgiLoaded: boolean;
}

/** Parses `httpd -M`: one `name_module (static|shared)` per line, in load order. */
export function parseApacheModules(text: string): CheckResult<ApacheModulesFacts> {
  const modules: LoadedModule[] = [];
  for (const line of lines(text)) {
    const m = /(?:^|\s)([A-Za-z0-9_]+_module)\s+\((static|shared)\)/.exec(line);
    if (m) modules.push({ name: m[1], origin: m[2] as LoadedModule['origin'] });
  }
  if (modules.length === 0) return failedWith('no loaded modules listed in the output', { stdout: text, stderr: '' });
  return { status: 'ok', facts: { modules, wsgiLoaded: modules.some((m) => m.name === 'wsgi_module') } };
}

export const apacheModulesCheck: Check<ApacheModulesFacts> = {
  id: 'apache.modules',
  title: 'Apache loaded modules (httpd -M)',
  script: ctlFragment('-M'),
  parse(section: RawSection) {
    const result = parseApacheModules(section.stdout);
    return result.status === 'ok' ? result : failedWith('no loaded modules listed in the output', section);
  },
};
