import type { Change, DriftHeadline } from '@driftwatch/drift';

const MARK: Record<Change['severity'], string> = { critical: '!!', warning: ' !', info: '  ' };

/** One line per change, grouped by category, loudest first. */
export function formatChanges(changes: Change[]): string {
  if (changes.length === 0) return '  no changes';
  const order = { critical: 0, warning: 1, info: 2 };
  return [...changes]
    .sort((a, b) => a.category.localeCompare(b.category) || order[a.severity] - order[b.severity] || a.path.localeCompare(b.path))
    .map((c) => `  ${MARK[c.severity]} [${c.category}] ${c.summary}   (${c.path})`)
    .join('\n');
}

/** The headlines of a drift, most important first, then a blank line; nothing when there are none. */
export function formatHeadlines(headlines: readonly DriftHeadline[]): string {
  return headlines.length === 0 ? '' : `${headlines.map((h) => `  ${MARK[h.severity]} ${h.summary}`).join('\n')}\n\n`;
}
