import type { Severity } from '@driftwatch/checks';
import { Change, SEVERITY_LEVELS } from './change';
import { globToRegExp } from './glob';

export type DriftSubject = 'apache' | 'mpm' | 'modwsgi' | 'python' | 'libpython' | 'modules' | 'os';

/** One line of a drift's explanation: what moved, for one subject an operator reasons about. */
export interface DriftHeadline {
  subject: DriftSubject;
  /** e.g. "Apache 2.4.68 → 2.4.71". */
  summary: string;
  /** The loudest change the headline stands for. */
  severity: Severity;
  /** The paths of the changes it stands for. */
  paths: string[];
}

interface SubjectRule {
  subject: DriftSubject;
  label: string;
  /** The changes whose before → after the headline shows, first match wins (runtime before packages). */
  headline: string[];
  /** Every change the headline stands for. */
  covers: string[];
}

/**
 * Subjects in the order an operator reads an upgrade: the server, how it runs, mod_wsgi, the
 * Python it runs, the library that binds them, the modules, the OS under all of it.
 */
const SUBJECTS: readonly SubjectRule[] = [
  {
    subject: 'apache',
    label: 'Apache',
    headline: ['apache.build.version', 'packages.os.apache'],
    covers: ['apache.build.**', 'packages.os.apache', 'packages.os.packages.apache2*', 'packages.os.packages.httpd*'],
  },
  { subject: 'mpm', label: 'MPM', headline: ['apache.build.mpm'], covers: ['apache.build.mpm', 'apache.build.threaded', 'apache.build.forked'] },
  {
    subject: 'modwsgi',
    label: 'mod_wsgi',
    headline: ['python.runtime.modWsgiVersion', 'packages.os.modWsgi'],
    covers: ['python.runtime.modWsgiVersion', 'packages.os.modWsgi', 'packages.os.packages.*mod-wsgi*', 'packages.os.packages.*mod_wsgi*'],
  },
  {
    subject: 'python',
    label: 'Python',
    headline: ['python.runtime.python.version', 'packages.os.python'],
    covers: ['python.runtime.python.**', 'packages.os.python', 'packages.os.packages.python*'],
  },
  { subject: 'libpython', label: 'libpython', headline: ['modwsgi.linkage.libpython.name', 'modwsgi.linkage.libpython.resolvedPath'], covers: ['modwsgi.linkage.**'] },
  { subject: 'modules', label: 'modules', headline: [], covers: ['apache.modules.modules'] },
  { subject: 'os', label: 'OS', headline: ['host.platform.prettyName', 'host.platform.osVersion'], covers: ['host.platform.os', 'host.platform.osVersion', 'host.platform.prettyName'] },
];

const COVERS = SUBJECTS.flatMap((rule, subject) => rule.covers.map((glob) => ({ subject, glob: glob.length, re: globToRegExp(glob) })));

/** The subject a change belongs to: of the globs matching its path, the longest (most specific) one's. */
function subjectOf(path: string): number | undefined {
  let best: (typeof COVERS)[number] | undefined;
  for (const cover of COVERS) if (cover.re.test(path) && (!best || cover.glob > best.glob)) best = cover;
  return best?.subject;
}

function shown(value: unknown): string {
  if (value === null || value === undefined) return '∅';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function loudest(changes: readonly Change[]): Severity {
  return changes.reduce<Severity>((max, c) => (SEVERITY_LEVELS.indexOf(c.severity) > SEVERITY_LEVELS.indexOf(max) ? c.severity : max), 'info');
}

function moduleName(value: unknown): string {
  return value && typeof value === 'object' && 'name' in value ? String((value as { name: unknown }).name) : shown(value);
}

function moduleSummary(changes: readonly Change[]): string {
  const added = changes.filter((c) => c.kind === 'added').map((c) => `+${moduleName(c.after)}`);
  const removed = changes.filter((c) => c.kind === 'removed').map((c) => `-${moduleName(c.before)}`);
  return ['modules', ...added, ...removed].join(' ');
}

function headlineSummary(rule: SubjectRule, changes: readonly Change[]): string {
  if (rule.subject === 'modules') return moduleSummary(changes);
  for (const path of rule.headline) {
    const change = changes.find((c) => c.path === path && c.kind !== 'reordered');
    if (change) return change.kind === 'unknown' ? `${rule.label} unknown` : `${rule.label} ${shown(change.before)} → ${shown(change.after)}`;
  }
  return `${rule.label} changed`;
}

/**
 * The headlines of a drift, most important subject first: one per subject that changed, each
 * standing for all the detailed changes of that subject. Changes of no subject (configuration,
 * mutex, findings) are left to the detailed list.
 */
export function explainChanges(changes: readonly Change[]): DriftHeadline[] {
  const out: DriftHeadline[] = [];
  const subjects = changes.map((c) => subjectOf(c.path));
  SUBJECTS.forEach((rule, i) => {
    const mine = changes.filter((_, j) => subjects[j] === i);
    if (mine.length === 0) return;
    out.push({ subject: rule.subject, summary: headlineSummary(rule, mine), severity: loudest(mine), paths: mine.map((c) => c.path) });
  });
  return out;
}
