import type { Change } from '@driftwatch/drift';

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
