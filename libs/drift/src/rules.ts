import type { Severity } from '@driftwatch/checks';
import { Category, ChangeKind } from './change';

/** How a list-valued fact is compared: by a member key or by value, with or without order. */
export interface ListRule {
  key?: string;
  ordered: boolean;
}

/** Lists whose semantics differ from the default (an ordered list of values). */
export const LIST_RULES: Record<string, ListRule> = {
  'apache.modules.modules': { key: 'name', ordered: true },
  'apache.mutex.available': { ordered: false },
  'apache.mutex.directives': { ordered: false },
  'python.config.daemonProcesses': { key: 'name', ordered: false },
  'python.config.scriptAliases': { ordered: false },
};

/** Category by longest matching path prefix (a prefix ends at a dot or bracket). */
const CATEGORY_RULES: [string, Category][] = [
  ['apache.build.version', 'apache'],
  ['apache.build.versionString', 'apache'],
  ['apache.build.mpm', 'apache'],
  ['apache.build.threaded', 'apache'],
  ['apache.build.forked', 'apache'],
  ['apache.build', 'build'],
  ['apache.configure', 'build'],
  ['apache.compiled', 'modules'],
  ['apache.modules', 'modules'],
  ['apache.mutex', 'mutex'],
  ['modwsgi', 'modwsgi'],
  ['python.runtime.modWsgiVersion', 'modwsgi'],
  ['python.runtime.packages', 'packages'],
  ['python.runtime.python', 'python'],
  ['python.runtime', 'wsgi'],
  ['python.config', 'wsgi'],
  ['packages', 'packages'],
  ['host', 'platform'],
];

function matches(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

export function categoryOf(path: string): Category {
  let best: [string, Category] | undefined;
  for (const rule of CATEGORY_RULES) {
    if (matches(path, rule[0]) && (!best || rule[0].length > best[0].length)) best = rule;
  }
  return best ? best[1] : 'build';
}

function versionParts(value: unknown): string[] {
  return typeof value === 'string' ? value.split('.') : [];
}

/** True when two dotted versions differ in major or minor (2.4.x → 2.5, 3.11 → 3.12). */
export function isMinorOrMajorChange(before: unknown, after: unknown): boolean {
  const a = versionParts(before);
  const b = versionParts(after);
  return a[0] !== b[0] || a[1] !== b[1];
}

interface SeverityInput {
  path: string;
  kind: ChangeKind;
  before: unknown;
  after: unknown;
  category: Category;
}

/** The one table that decides how loud a change is. First matching rule wins. */
const SEVERITY_RULES: { when: (c: SeverityInput) => boolean; severity: Severity | ((c: SeverityInput) => Severity) }[] = [
  { when: (c) => c.kind === 'unknown', severity: 'warning' },
  {
    when: (c) => (c.path === 'apache.build.version' || c.path === 'python.runtime.python.version') && c.kind === 'changed',
    severity: (c) => (isMinorOrMajorChange(c.before, c.after) ? 'critical' : 'warning'),
  },
  { when: (c) => c.path === 'apache.build.mpm', severity: 'critical' },
  { when: (c) => c.path === 'apache.modules.wsgiLoaded' && c.after === false, severity: 'critical' },
  {
    when: (c) => c.path === 'apache.modules.modules' && c.kind === 'removed' && (c.before as { name?: string })?.name === 'wsgi_module',
    severity: 'critical',
  },
  { when: (c) => c.path.startsWith('modwsgi.linkage.libpython') || c.path === 'modwsgi.linkage.linkage', severity: 'critical' },
  { when: (c) => c.category === 'packages' || c.category === 'platform', severity: 'info' },
  { when: (c) => c.category === 'build', severity: 'info' },
];

export function severityOf(change: SeverityInput): Severity {
  const rule = SEVERITY_RULES.find((r) => r.when(change));
  if (!rule) return 'warning';
  return typeof rule.severity === 'function' ? rule.severity(change) : rule.severity;
}

/**
 * Facts that change without the host changing in any way that matters. `built` moves with
 * every rebuild of the same version (distribution rebuilds); a version change is reported
 * on its own.
 */
export function isVolatile(path: string, versionBefore: unknown, versionAfter: unknown): boolean {
  return path === 'apache.build.built' && versionBefore === versionAfter;
}
