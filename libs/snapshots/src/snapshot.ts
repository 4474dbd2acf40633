import { FIRST_PROBE_REVISION, OBSERVED_FACTS, PROBE_REVISION, type CheckResults, type Evaluation, type Finding } from '@driftwatch/checks';
import { canonicalJson, sha256Hex } from './canonical-json';

export const SNAPSHOT_SCHEMA_VERSION = 1;

/** The normalized state of one host: every check's status and facts, and the findings. */
export interface SnapshotContent {
  schemaVersion: number;
  /** The probe revision that took it (`PROBE_REVISION`); absent in snapshots of revision 1. */
  probeRevision?: number;
  checks: CheckResults;
  findings: Finding[];
}

export interface Snapshot {
  content: SnapshotContent;
  /** Canonical JSON of `content`. */
  canonical: string;
  /** sha256 (hex) of `canonical` without observed-only facts: equal hashes mean the host has not changed. */
  hash: string;
  /** True when `content` holds observed-only facts: an unchanged host may still bring newer ones. */
  hasObservedFacts: boolean;
}

/** `probeRevision`: the revision of the probe whose output was evaluated (a reparse keeps the stored one). */
export function snapshotFromEvaluation(evaluation: Evaluation, probeRevision: number = PROBE_REVISION): Snapshot {
  return snapshotOf({ schemaVersion: SNAPSHOT_SCHEMA_VERSION, probeRevision, checks: evaluation.results, findings: evaluation.findings });
}

/**
 * The hash covers the content without its observed-only facts (`Check.observedFacts`: when an
 * error was last logged, how often), so a host whose log keeps repeating the same errors stays
 * in one state. A content without such facts hashes exactly its canonical text, as always.
 */
export function snapshotOf(content: SnapshotContent): Snapshot {
  const canonical = canonicalJson(content);
  const stable = withoutObserved(content);
  const hasObservedFacts = stable !== content;
  return { content, canonical, hash: sha256Hex(hasObservedFacts ? canonicalJson(stable) : canonical), hasObservedFacts };
}

/** The content with every check's observed-only facts removed; the same object when it has none. */
export function withoutObserved(content: SnapshotContent, observed: Readonly<Record<string, readonly string[]>> = OBSERVED_FACTS): SnapshotContent {
  let checks: CheckResults | undefined;
  for (const [id, paths] of Object.entries(observed)) {
    const result = content.checks[id];
    const facts = result?.facts;
    if (!facts || typeof facts !== 'object') continue;
    const kept = paths.reduce<unknown>((value, path) => withoutPath(value, path.split('.')), facts);
    if (kept !== facts) (checks ??= { ...content.checks })[id] = { ...result, facts: kept };
  }
  return checks ? { ...content, checks } : content;
}

/**
 * `value` without the fact at `segments` (`key`, or `key[]` for every element of a list), as a
 * copy of what it changes; `value` itself when the path is not there.
 */
function withoutPath(value: unknown, [segment, ...rest]: string[]): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const each = segment.endsWith('[]');
  const key = each ? segment.slice(0, -2) : segment;
  if (!(key in record)) return value;
  if (rest.length === 0 && !each) {
    const { [key]: _dropped, ...kept } = record;
    return kept;
  }
  const inner = record[key];
  const next = each ? (Array.isArray(inner) ? inner.map((item) => (rest.length ? withoutPath(item, rest) : item)) : inner) : withoutPath(inner, rest);
  const changed = Array.isArray(next) && Array.isArray(inner) ? next.some((item, i) => item !== inner[i]) : next !== inner;
  return changed ? { ...record, [key]: next } : value;
}

/** The probe revision of stored content (canonical JSON). */
export function probeRevisionOf(canonical: string): number {
  const revision = (JSON.parse(canonical) as Partial<SnapshotContent>).probeRevision;
  return typeof revision === 'number' ? revision : FIRST_PROBE_REVISION;
}
