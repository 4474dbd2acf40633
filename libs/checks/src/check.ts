/**
 * The contract every check implements. A check is one file: its id, the POSIX sh fragment the
 * probe runs on the host, a pure parser from the captured section to typed facts, and optional
 * findings computed over the whole set of results.
 */

export type CheckStatus = 'ok' | 'failed' | 'unavailable' | 'skipped';

export type Severity = 'info' | 'warning' | 'critical';

/** What the probe captured for one check on the host, as the framing delivers it. */
export interface RawSection {
  id: string;
  /** Exit status of the fragment's subshell; null when the section never finished. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds between the section's begin and end markers, as seen by the collector. */
  durationMs: number | null;
  /** True when the output was cut by the size cap or the section never ended. */
  truncated: boolean;
  /**
   * Key/value notes the fragment emitted through `dw_meta` (e.g. `cmd`, the commands it ran,
   * one a line, or `unavailable`, the reason the check could not run on this host).
   */
  meta: Record<string, string>;
}

export interface CheckResult<F = unknown> {
  status: CheckStatus;
  reason?: string;
  facts: F | null;
}

export interface Finding {
  id: string;
  severity: Severity;
  /** Which check's facts the finding is about (for grouping in reports). */
  checkId: string;
  message: string;
}

/** Results of every check of one scan, by check id. */
export type CheckResults = Record<string, CheckResult>;

export interface Check<F = unknown> {
  readonly id: string;
  /** Human description of what runs on the host; shown in reports. */
  readonly title: string;
  /**
   * POSIX sh run in its own subshell after the probe prelude. It may use the prelude's
   * variables and functions (see probe-script.ts) and must not write files on the host.
   */
  readonly script: string;
  parse(section: RawSection): CheckResult<F>;
  findings?(results: CheckResults): Finding[];
  /**
   * Facts that record what this scan saw rather than the host's state (when the error log last
   * showed an error, how often, how many threads a process had at that moment): kept in the
   * snapshot, left out of its hash and of drift, so recurring events do not make every scan a
   * new state. A dotted path names a nested fact; `key[]` is every element of the list `key`.
   */
  readonly observedFacts?: readonly string[];
}
