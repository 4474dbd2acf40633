// Pure formatting: timestamps, values, ordering of severities and categories.

export const SEVERITIES = ['critical', 'warning', 'info'];
// The order categories are shown in; the same names as libs/drift's Category.
export const CATEGORIES = ['apache', 'modules', 'modwsgi', 'python', 'wsgi', 'mutex', 'build', 'packages', 'platform'];

export function severityRank(severity) {
  const rank = SEVERITIES.indexOf(severity);
  return rank === -1 ? SEVERITIES.length : rank;
}

export function categoryRank(category) {
  const rank = CATEGORIES.indexOf(category);
  return rank === -1 ? CATEGORIES.length : rank;
}

/** "2026-11-21 14:30:12 UTC" */
export function when(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "5 min ago", for a title or a second line. */
export function ago(iso, now = Date.now()) {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 60) return 'just now';
  const units = [
    [86400, 'day'],
    [3600, 'h'],
    [60, 'min'],
  ];
  for (const [size, unit] of units) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      return unit === 'day' ? `${n} day${n === 1 ? '' : 's'} ago` : `${n} ${unit} ago`;
    }
  }
  return '';
}

/** A fact value for a diff cell: strings as they are, anything else as compact JSON. */
export function factValue(value) {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, typeof value === 'object' && value !== null && JSON.stringify(value).length > 60 ? 2 : 0);
}

export function shortHash(hash) {
  return typeof hash === 'string' ? hash.replace(/^sha256:/, '').slice(0, 12) : '';
}

export function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
