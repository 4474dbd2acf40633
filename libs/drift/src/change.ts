import type { Severity } from '@driftwatch/checks';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'reordered' | 'unknown';

export type Category = 'apache' | 'modules' | 'build' | 'mutex' | 'modwsgi' | 'python' | 'wsgi' | 'packages' | 'platform';

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
