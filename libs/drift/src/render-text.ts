import { Change } from './change';
import type { DriftHeadline } from './explain';

export interface TextDiffSide {
  /** e.g. "web-1 snapshot 3 (2026-11-20T10:00:00.000Z)". */
  label: string;
}

const SEVERITY_ORDER: Record<Change['severity'], number> = { critical: 0, warning: 1, info: 2 };

function value(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function lines(change: Change): string[] {
  const at = `${change.path} [${change.severity}]`;
  switch (change.kind) {
    case 'added':
      return [`+${at}: ${value(change.after)}`];
    case 'removed':
      return [`-${at}: ${value(change.before)}`];
    case 'changed':
      return [`-${at}: ${value(change.before)}`, `+${at}: ${value(change.after)}`];
    case 'reordered':
      return [`-${at} order: ${value(change.before)}`, `+${at} order: ${value(change.after)}`];
    case 'unknown':
      return [`?${at}: unknown (${value(change.before)} → ${value(change.after)})`];
  }
}

/**
 * A unified-diff style text of semantic changes: `---`/`+++` headers, one `@@ category @@`
 * hunk per category (loudest changes first), `-` before and `+` after lines, and `?` for a
 * check that is unknown on one side (its facts were not compared). Headlines, when given, come
 * first as `#` lines (patch tools skip text before the first `---`).
 */
export function renderTextDiff(from: TextDiffSide, to: TextDiffSide, changes: readonly Change[], headlines: readonly DriftHeadline[] = []): string {
  const out = [...headlines.map((h) => `# ${h.summary} [${h.severity}]`), `--- ${from.label}`, `+++ ${to.label}`];
  if (changes.length === 0) return `${[...out, '(no changes)'].join('\n')}\n`;
  const byCategory = new Map<string, Change[]>();
  for (const change of changes) byCategory.set(change.category, [...(byCategory.get(change.category) ?? []), change]);
  for (const category of [...byCategory.keys()].sort()) {
    const group = [...byCategory.get(category)!].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
    out.push(`@@ ${category} @@`);
    for (const change of group) out.push(...lines(change));
  }
  return `${out.join('\n')}\n`;
}
