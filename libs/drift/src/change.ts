import type { Severity } from '@driftwatch/checks';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'reordered' | 'unknown';

export const CATEGORIES = ['apache', 'modules', 'build', 'mutex', 'modwsgi', 'python', 'wsgi', 'packages', 'platform'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Severities from the quietest to the loudest. */
export const SEVERITY_LEVELS: readonly Severity[] = ['info', 'warning', 'critical'];

/** The severities at least as loud as `minimum`. */
export function severitiesFrom(minimum: Severity): Severity[] {
  return SEVERITY_LEVELS.slice(SEVERITY_LEVELS.indexOf(minimum));
}

/** One semantic difference between two snapshots of a host. */
export interface Change {
  /** `<check id>.<fact path>`; keyed list members as `list[key]`; findings as `findings.<id>`. */
  path: string;
  kind: ChangeKind;
  before: unknown;
  after: unknown;
  category: Category;
  severity: Severity;
  /** One line for people, e.g. "mpm: event → prefork". */
  summary: string;
}
