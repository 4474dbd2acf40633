import type { CheckResults, Evaluation, Finding } from '@driftwatch/checks';
import { canonicalJson, sha256Hex } from './canonical-json';

export const SNAPSHOT_SCHEMA_VERSION = 1;

/** The normalized state of one host: every check's status and facts, and the findings. */
export interface SnapshotContent {
  schemaVersion: number;
  checks: CheckResults;
  findings: Finding[];
}

export interface Snapshot {
  content: SnapshotContent;
  /** Canonical JSON of `content`. */
  canonical: string;
  /** sha256 (hex) of `canonical`: equal hashes mean the host has not changed. */
  hash: string;
}

export function snapshotFromEvaluation(evaluation: Evaluation): Snapshot {
  return snapshotOf({ schemaVersion: SNAPSHOT_SCHEMA_VERSION, checks: evaluation.results, findings: evaluation.findings });
}

export function snapshotOf(content: SnapshotContent): Snapshot {
  const canonical = canonicalJson(content);
  return { content, canonical, hash: sha256Hex(canonical) };
}
