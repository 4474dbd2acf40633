// The fleet at a glance (GET /fleet/summary): how many hosts run what, last scan statuses, findings.
import { badge, h } from '../dom.js';

const DISTRIBUTIONS = [
  ['apacheVersions', 'Apache'],
  ['mpms', 'MPM'],
  ['modWsgiVersions', 'mod_wsgi'],
  ['pythonVersions', 'Python'],
  ['modes', 'WSGI mode'],
];

function distribution(title, dist) {
  const values = dist?.values ?? [];
  return h(
    'div',
    { class: 'glance' },
    h('h3', null, title),
    values.length === 0 && !dist?.unknown ? h('span', { class: 'muted' }, '—') : null,
    values.map((v) => h('div', null, h('span', { class: 'mono' }, v.value), h('span', { class: 'muted' }, ` × ${v.hosts}`))),
    dist?.unknown ? h('div', { class: 'muted' }, `unknown × ${dist.unknown}`) : null,
  );
}

export function fleetSummaryView(summary) {
  const statuses = Object.entries(summary.lastScanStatus ?? {}).sort(([, a], [, b]) => b - a);
  return h(
    'section',
    { class: 'panel glance-row', id: 'fleet-summary' },
    h(
      'div',
      { class: 'glance' },
      h('h3', null, 'Last scans'),
      statuses.map(([status, n]) => h('div', null, badge('status', status), h('span', { class: 'muted' }, ` × ${n}`))),
    ),
    DISTRIBUTIONS.map(([key, title]) => distribution(title, summary[key])),
    h(
      'div',
      { class: 'glance' },
      h('h3', null, 'Findings'),
      (summary.findings ?? []).length === 0 ? h('span', { class: 'muted' }, 'none') : null,
      (summary.findings ?? []).map((f) => h('div', null, badge('sev', f.severity, f.severity, f.id), h('span', { class: 'muted' }, ` × ${f.hosts}`))),
    ),
  );
}
