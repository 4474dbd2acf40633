// Side-by-side semantic diff between two states, grouped by category, most severe first.
import { badge, empty, h, token } from '../dom.js';
import { categoryRank, factValue, plural, severityRank } from '../format.js';

/** Check id of a change path: "apache.build.mpm" → "apache.build" (check ids are two segments). */
export function checkIdOf(path) {
  return String(path).split('.').slice(0, 2).join('.');
}

export function groupByCategory(changes) {
  const groups = new Map();
  for (const change of changes) {
    const key = change.category ?? 'other';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(change);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => categoryRank(a) - categoryRank(b) || a.localeCompare(b))
    .map(([category, list]) => ({ category, changes: list.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || String(a.path).localeCompare(String(b.path))) }));
}

/**
 * diff: the answer of GET /hosts/:name/diff. onEvidence(checkId): opens that check's raw
 * evidence in the "after" state.
 */
export function diffView(diff, onEvidence) {
  const changes = diff.changes ?? [];
  const fromLabel = diff.from ? `state #${diff.from.id}` : 'nothing';
  const toLabel = `state #${diff.to.id}`;
  const root = h('div', { class: 'diff', id: 'diff' });
  const counts = new Map();
  for (const change of changes) counts.set(change.severity, (counts.get(change.severity) ?? 0) + 1);
  root.append(
    h(
      'p',
      { class: 'diff-summary' },
      `${fromLabel} → ${toLabel}: ${plural(changes.length, 'change')}`,
      [...counts.entries()].sort(([a], [b]) => severityRank(a) - severityRank(b)).map(([severity, n]) => [' ', badge('sev', severity, undefined, `${n} ${severity}`)]),
    ),
  );
  if (!diff.from) return root.append(empty('This is the first state of the host: nothing earlier to compare with.')), root;
  if (changes.length === 0) return root.append(empty(`No changes between ${fromLabel} and ${toLabel}.`)), root;
  const headlines = diff.headlines ?? [];
  if (headlines.length > 0) {
    root.append(h('ol', { class: 'diff-headlines' }, headlines.map((line) => h('li', { dataset: { subject: line.subject } }, badge('sev', line.severity), ' ', line.summary))));
  }
  for (const { category, changes: list } of groupByCategory(changes)) {
    root.append(
      h(
        'section',
        { class: `category category-${token(category)}`, dataset: { category } },
        h('h3', null, category, ' ', h('span', { class: 'muted' }, plural(list.length, 'change'))),
        h(
          'table',
          { class: 'grid side-by-side' },
          h('colgroup', null, h('col', { class: 'c-sev' }), h('col', { class: 'c-what' }), h('col', { class: 'c-val' }), h('col', { class: 'c-val' })),
          h('thead', null, h('tr', null, h('th', null, 'Severity'), h('th', null, 'Change'), h('th', null, `Before (${fromLabel})`), h('th', null, `After (${toLabel})`))),
          h('tbody', null, list.map((change) => changeRow(change, onEvidence))),
        ),
      ),
    );
  }
  return root;
}

function changeRow(change, onEvidence) {
  const checkId = checkIdOf(change.path);
  return h(
    'tr',
    { class: `change kind-${token(change.kind)}`, dataset: { path: change.path } },
    h('td', null, badge('sev', change.severity)),
    h(
      'td',
      null,
      h('div', { class: 'summary' }, change.summary ?? change.path),
      h('div', { class: 'path' }, h('span', { class: `kind kind-${token(change.kind)}` }, change.kind), ' ', h('code', null, change.path), ' ', h('button', { type: 'button', class: 'link', onclick: () => onEvidence(checkId) }, `evidence of ${checkId}`)),
    ),
    valueCell(change, 'before'),
    valueCell(change, 'after'),
  );
}

function valueCell(change, side) {
  const value = change[side];
  const absent = value === undefined || (value === null && change.kind === (side === 'before' ? 'added' : 'removed'));
  return h('td', { class: `value ${side}${absent ? ' absent' : ''}` }, absent ? '—' : h('pre', null, factValue(value)));
}
