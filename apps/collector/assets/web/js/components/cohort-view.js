// The cohort of GET /fleet/drift?label=: each host against the label's baseline (most deviating
// first), then the baseline itself and the facts too evenly split to have one.
import { badge, empty, h, table } from '../dom.js';
import { SEVERITIES, factValue, plural, severityRank } from '../format.js';
import { hostHref } from '../pages/fleet.js';

function shown(value, absent) {
  return absent ? 'absent' : factValue(value);
}

export function cohortView(cohort) {
  const hosts = cohort.hosts ?? [];
  const golden = cohort.golden ?? [];
  const deviating = hosts.filter((host) => (host.deviations ?? []).length > 0).length;
  return h(
    'div',
    { class: 'cohort' },
    h(
      'p',
      { class: 'diff-summary' },
      `${plural(hosts.length, 'host')} labelled ${cohort.label}: ${deviating} deviating from the baseline, which `,
      golden.length ? `the golden host${golden.length === 1 ? '' : 's'} ${golden.join(', ')} decide${golden.length === 1 ? 's' : ''}.` : 'is the most common value of each fact.',
    ),
    h('section', { class: 'panel' }, h('h2', null, 'Hosts'), hostsTable(hosts)),
    h('section', { class: 'panel' }, h('h2', null, `Baseline (${(cohort.baseline ?? []).length} facts)`), baselineTable(cohort.baseline ?? [])),
    (cohort.contested ?? []).length ? h('section', { class: 'panel' }, h('h2', null, 'Contested facts'), h('p', { class: 'muted' }, 'No value is shared by most hosts, so nobody deviates on these.'), contestedTable(cohort.contested)) : null,
  );
}

function hostsTable(hosts) {
  if (hosts.length === 0) return empty('No host in this cohort.');
  return table(
    ['Host', 'Deviations', 'Score', 'Unknown checks', 'What differs (host value vs baseline)'],
    hosts.map((host) =>
      h(
        'tr',
        { dataset: { host: host.host }, class: (host.deviations ?? []).length ? 'deviating' : '' },
        h('td', null, h('a', { href: hostHref(host.host), class: 'host-link' }, host.host), host.golden ? [' ', h('span', { class: 'badge status-ok', title: 'golden host: the reference of the cohort' }, 'golden')] : ''),
        h('td', null, !host.scanned ? h('span', { class: 'muted' }, 'not scanned') : severityCounts(host.counts ?? {})),
        h('td', { class: 'num' }, String(host.score ?? 0)),
        h('td', { class: 'mono' }, (host.unknownChecks ?? []).join(', ')),
        h('td', null, deviationList(host.deviations ?? [])),
      ),
    ),
    { class: 'grid cohort-hosts', id: 'cohort-table' },
  );
}

function severityCounts(counts) {
  const present = SEVERITIES.filter((s) => counts[s] > 0);
  if (present.length === 0) return h('span', { class: 'muted' }, 'matches');
  return present.map((s) => [badge('sev', s, undefined, `${counts[s]} ${s}`), ' ']);
}

function deviationList(deviations) {
  if (deviations.length === 0) return '';
  const sorted = [...deviations].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.path.localeCompare(b.path));
  return h(
    'ul',
    { class: 'deviations' },
    sorted.map((d) =>
      h(
        'li',
        { dataset: { path: d.path } },
        badge('sev', d.severity),
        ' ',
        h('code', null, d.path),
        ' ',
        h('span', { class: `kind kind-${d.kind}` }, d.kind),
        ' ',
        h('span', { class: 'value-after' }, d.kind === 'removed' ? 'absent' : factValue(d.value)),
        h('span', { class: 'muted' }, ' vs '),
        h('span', { class: 'value-before' }, d.kind === 'added' ? 'absent' : factValue(d.baseline)),
      ),
    ),
  );
}

function baselineTable(baseline) {
  if (baseline.length === 0) return empty('No fact is known on enough hosts to make a baseline.');
  return h(
    'details',
    null,
    h('summary', null, 'Show every baseline fact'),
    table(
      ['Fact', 'Category', 'Value', 'Decided by', 'Agreeing'],
      baseline.map((fact) => h('tr', null, h('td', { class: 'mono' }, fact.path), h('td', null, fact.category), h('td', null, h('pre', null, shown(fact.value, fact.absent))), h('td', null, fact.source), h('td', { class: 'num' }, `${fact.agreeing}/${fact.known}`))),
      { class: 'grid baseline' },
    ),
  );
}

function contestedTable(contested) {
  return table(
    ['Fact', 'Category', 'Values'],
    contested.map((fact) => h('tr', null, h('td', { class: 'mono' }, fact.path), h('td', null, fact.category), h('td', null, (fact.candidates ?? []).map((c) => h('div', null, h('code', null, shown(c.value, c.absent)), ': ', c.hosts.join(', ')))))),
    { class: 'grid contested' },
  );
}
