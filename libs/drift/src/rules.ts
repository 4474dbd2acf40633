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
  'python.config.unreadableFiles': { ordered: false },
  'apache.compiled.modules': { ordered: false },
  'apache.mutex.mutexes': { key: 'name', ordered: false },
  'apache.mutex.unreadableFiles': { ordered: false },
  'apache.mutex.listed': { key: 'directive', ordered: false },
  'modwsgi.linkage.needed': { ordered: false },
  'modwsgi.linkage.apacheEnvironment': { key: 'where', ordered: false },
  'python.config.processGroups': { ordered: false },
  'python.home.homes': { key: 'setBy', ordered: false },
  'python.processes.daemons': { key: 'command', ordered: false },
  // Each running server other than the main one, by its configuration file (never a pid or port).
  'apache.instances.instances': { key: 'id', ordered: false },
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
  ['apache.instances', 'apache'],
  ['apache.modules', 'modules'],
  ['apache.mutex', 'mutex'],
  ['modwsgi', 'modwsgi'],
  ['python.runtime.modWsgiVersion', 'modwsgi'],
  ['python.runtime.packages', 'packages'],
  ['python.runtime.python', 'python'],
  ['python.runtime', 'wsgi'],
  ['python.config', 'wsgi'],
  ['python.home', 'python'],
  ['python.processes', 'wsgi'],
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

const isModuleList = (c: SeverityInput) => c.path === 'apache.modules.modules';
const memberName = (value: unknown) => (value as { name?: unknown } | null)?.name;
const isVersionOf = (c: SeverityInput, ...paths: string[]) => c.kind === 'changed' && paths.includes(c.path);

/**
 * The one table that decides how loud a change is. First matching rule wins; each rule has a
 * name so tests and docs can point at it.
 */
export const SEVERITY_RULES: { name: string; when: (c: SeverityInput) => boolean; severity: Severity | ((c: SeverityInput) => Severity) }[] = [
  { name: 'a check became unknown', when: (c) => c.kind === 'unknown', severity: 'warning' },
  {
    name: 'a finding appeared or cleared: as loud as the finding',
    when: (c) => c.path.startsWith('findings.'),
    severity: (c) => ((c.after ?? c.before) as { severity?: Severity } | null)?.severity ?? 'warning',
  },
  {
    name: 'Apache or Python version: minor/major critical, patch warning',
    when: (c) => isVersionOf(c, 'apache.build.version', 'python.runtime.python.version'),
    severity: (c) => (isMinorOrMajorChange(c.before, c.after) ? 'critical' : 'warning'),
  },
  { name: 'MPM change', when: (c) => c.path === 'apache.build.mpm', severity: 'critical' },
  { name: 'wsgi_module no longer loaded', when: (c) => c.path === 'apache.modules.wsgiLoaded' && c.after === false, severity: 'critical' },
  { name: 'wsgi_module removed', when: (c) => isModuleList(c) && c.kind === 'removed' && memberName(c.before) === 'wsgi_module', severity: 'critical' },
  { name: "an instance's libpython or mod_wsgi linkage change", when: (c) => /^apache\.instances\.instances\[[^\]]*\]\.linkage\.facts\.(libpython|linkage)\b/.test(c.path), severity: 'critical' },
  { name: 'libpython or mod_wsgi linkage change', when: (c) => c.path.startsWith('modwsgi.linkage.libpython') || c.path === 'modwsgi.linkage.linkage', severity: 'critical' },
  { name: 'module added, removed or reordered', when: (c) => isModuleList(c), severity: 'warning' },
  { name: 'mod_wsgi version', when: (c) => isVersionOf(c, 'python.runtime.modWsgiVersion'), severity: 'warning' },
  { name: 'package bumps, added or removed packages', when: (c) => c.category === 'packages', severity: 'info' },
  { name: 'operating system and kernel', when: (c) => c.category === 'platform', severity: 'info' },
  { name: 'build details (dates, configure arguments, APR)', when: (c) => c.category === 'build', severity: 'info' },
];

/** Rule used when none of SEVERITY_RULES matches. */
export const DEFAULT_SEVERITY: Severity = 'warning';

export function severityOf(change: SeverityInput): Severity {
  const rule = SEVERITY_RULES.find((r) => r.when(change));
  if (!rule) return DEFAULT_SEVERITY;
  return typeof rule.severity === 'function' ? rule.severity(change) : rule.severity;
}

/**
 * Facts that change without the host changing in any way that matters: each moves on its
 * own while its anchor fact stays put (a distribution rebuild of the same version prints a
 * new build date; Python's sys.version carries its build date and compiler). A change of the
 * anchor is reported on its own, and then the volatile fact is reported with it.
 */
export const VOLATILE_FACTS: { path: string; anchor: string }[] = [
  { path: 'apache.build.built', anchor: 'apache.build.version' },
  { path: 'python.runtime.python.versionString', anchor: 'python.runtime.python.version' },
];

/**
 * Facts that are drift only through the findings made of them: each error log event is one
 * finding with the same id, so a new kind of error is the finding that appeared, not also the
 * list it came from (and a new particular of a known event is no drift at all).
 */
export const FINDING_FACTS: readonly string[] = ['apache.errorlog.events'];

export function isFindingFact(path: string): boolean {
  return FINDING_FACTS.some((prefix) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`));
}

/** The value at a dotted path of a snapshot's facts (`<check id>.<fact>.<fact>`). */
export type FactLookup = (path: string) => unknown;

export function isVolatile(path: string, before: FactLookup, after: FactLookup): boolean {
  const rule = VOLATILE_FACTS.find((v) => v.path === path);
  return !!rule && JSON.stringify(before(rule.anchor)) === JSON.stringify(after(rule.anchor));
}
