import { CHECKS, Check, CheckResult, CheckStatus, Finding, RawSection, framedOutput } from '@driftwatch/checks';
import type { SnapshotContent } from '@driftwatch/snapshots';
import { ReportSummary, summarize } from './summary';

/** Which state a report describes: a stored snapshot, or a scan that was never stored. */
export interface ReportSource {
  host: string;
  /** Stored snapshot id; absent for an unsaved local scan. */
  snapshotId?: number;
  hash: string;
  firstSeenAt?: string;
  lastSeenAt?: string;
  seenCount?: number;
  /** How the probe reached the host. */
  via: 'ssh' | 'local';
}

/**
 * One command of a check that ran several (the probe frames each as a part of the section):
 * its output as the command printed it, without the probe's framing.
 */
export interface ReportPart {
  name: string;
  /** The command that printed it; null when the probe noted none (older scans, probe-made parts). */
  command: string | null;
  text: string;
  /** null: the part never ended (the output was cut). */
  exitCode: number | null;
  /** The id of an earlier check that shows this very output (e.g. the shared configuration dump). */
  sameAs?: string;
}

/** One check as the guide orders them: what ran and everything it printed, as captured. */
export interface ReportCheck {
  id: string;
  title: string;
  status: CheckStatus;
  /** Why the check is not ok (unavailable, failed), when it is not. */
  reason?: string;
  /** The commands the probe ran for this check, one an entry. */
  commands: string[];
  /** null: the section never finished, or no raw output was stored. */
  exitCode: number | null;
  durationMs: number | null;
  /** The section's stdout as stored, framing included (raw evidence). */
  stdout: string;
  /** stdout command by command, when the check ran several; empty when stdout is one command's. */
  parts: ReportPart[];
  /** What the fragment printed outside its parts, if anything. */
  unframed: string;
  stderr: string;
  /** The output was cut by the size cap or the section never ended. */
  truncated: boolean;
  /** False when the state has no raw evidence for this check at all. */
  captured: boolean;
}

export interface DiagnosticReport {
  format: 'driftwatch-report/1';
  source: ReportSource;
  redacted: boolean;
  summary: ReportSummary;
  findings: Finding[];
  checks: ReportCheck[];
}

export interface ReportInput {
  source: ReportSource;
  content: SnapshotContent;
  sections: readonly RawSection[];
}

const UNKNOWN_RESULT: CheckResult = { status: 'failed', reason: 'the snapshot has no result for this check', facts: null };

function commandsOf(section: RawSection | undefined): string[] {
  return (section?.meta.cmd ?? '').split('\n').filter((line) => line.length > 0);
}

/** Older scans noted no command per part; the configuration dump's is still recognisable. */
function partCommand(section: RawSection, name: string): string | null {
  const noted = section.meta[`part.${name}`];
  if (noted !== undefined) return noted;
  if (name === 'apache-cfg') return commandsOf(section).find((c) => c.includes('DUMP_RUN_CFG')) ?? null;
  return null;
}

function partsOf(section: RawSection | undefined): Pick<ReportCheck, 'parts' | 'unframed'> {
  if (!section) return { parts: [], unframed: '' };
  const framed = framedOutput(section.stdout);
  if (framed.parts.length === 0) return { parts: [], unframed: '' };
  return {
    parts: framed.parts.map((p) => ({ name: p.name, command: partCommand(section, p.name), text: p.text, exitCode: p.exitCode })),
    unframed: framed.outside,
  };
}

/** A part identical to one an earlier check shows (same command, same output) refers to it. */
function markRepeats(checks: ReportCheck[]): void {
  const shown = new Map<string, string>();
  for (const check of checks) {
    for (const part of check.parts) {
      const key = JSON.stringify([part.command ?? part.name, part.text, part.exitCode]);
      const first = shown.get(key);
      if (first !== undefined && first !== check.id) part.sameAs = first;
      else if (first === undefined) shown.set(key, check.id);
    }
  }
}

function reportCheck(check: Check, result: CheckResult, section: RawSection | undefined): ReportCheck {
  return {
    id: check.id,
    title: check.title,
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
    commands: commandsOf(section),
    exitCode: section?.exitCode ?? null,
    durationMs: section?.durationMs ?? null,
    stdout: section?.stdout ?? '',
    ...partsOf(section),
    stderr: section?.stderr ?? '',
    truncated: section?.truncated ?? false,
    captured: section !== undefined,
  };
}

/**
 * The report model of one state: summary, findings, and every check in the guide's order with
 * its raw evidence untouched. Sections of checks driftwatch no longer knows come last, so no
 * captured output is ever left out.
 */
export function buildReport(input: ReportInput, checks: readonly Check[] = CHECKS): DiagnosticReport {
  const byId = new Map(input.sections.map((s) => [s.id, s]));
  const known = new Set(checks.map((c) => c.id));
  const ordered = checks.map((check) => reportCheck(check, input.content.checks[check.id] ?? UNKNOWN_RESULT, byId.get(check.id)));
  const extra = input.sections
    .filter((s) => !known.has(s.id))
    .map((s) => reportCheck({ id: s.id, title: s.id, script: '', parse: () => UNKNOWN_RESULT }, input.content.checks[s.id] ?? UNKNOWN_RESULT, s));
  const all = [...ordered, ...extra];
  markRepeats(all);
  return {
    format: 'driftwatch-report/1',
    source: input.source,
    redacted: false,
    summary: summarize(input.content.checks),
    findings: input.content.findings,
    checks: all,
  };
}
