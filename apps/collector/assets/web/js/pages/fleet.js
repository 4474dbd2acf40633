// Fleet page: every host with its last scan, its findings and its recent drift; filter by label.
import { getJson, itemsOf, limiter } from '../api.js';
import { badge, empty, h, select, table } from '../dom.js';
import { ago, plural, severityRank, when } from '../format.js';
import { errorView } from '../components/messages.js';
import { fleetSummaryView } from '../components/fleet-summary.js';

const RECENT_DAYS = 7;

export function hostHref(name) {
  return `#/hosts/${encodeURIComponent(name)}`;
}

export function labelsOf(hosts) {
  return [...new Set(hosts.flatMap((host) => host.labels ?? []))].sort();
}

export async function renderFleet(root, { params, stale }) {
  const label = params.get('label') ?? '';
  root.append(h('h1', null, 'Fleet'));
  const hosts = await getJson('/hosts');
  if (stale()) return;
  if (hosts.length === 0) {
    root.append(empty('No hosts registered yet. Add one with `driftwatch hosts add` or POST /api/v1/hosts, then scan it.'));
    return;
  }
  const labels = labelsOf(hosts);
  const shown = label ? hosts.filter((host) => (host.labels ?? []).includes(label)) : hosts;
  root.append(
    h(
      'div',
      { class: 'toolbar' },
      select('Label', [{ value: '', text: 'all labels' }, ...labels], label, (value) => {
        location.hash = value ? `#/?label=${encodeURIComponent(value)}` : '#/';
      }, { name: 'label' }),
      h('span', { class: 'muted' }, `${plural(shown.length, 'host')}${label ? ` labelled ${label}` : ''} of ${hosts.length}`),
    ),
  );
  if (shown.length === 0) {
    root.append(empty(`No host carries the label ${label}.`));
    return;
  }
  const summarySlot = h('div');
  root.append(summarySlot);
  getJson(`/fleet/summary${label ? `?label=${encodeURIComponent(label)}` : ''}`).then(
    (summary) => stale() || summarySlot.replaceChildren(fleetSummaryView(summary)),
    // The summary is extra: a collector without the route shows the table alone.
    (error) => stale() || error.routeMissing || summarySlot.replaceChildren(errorView(error)),
  );
  const rows = shown.map((host) => hostRow(host));
  root.append(table(['Host', 'Address', 'Labels', 'Last scan', 'Scanned', 'Findings', `Drift (${RECENT_DAYS} days)`], rows.map((r) => r.tr), { class: 'grid fleet', id: 'fleet-table' }));
  fillWhenVisible(rows, stale);
}

/**
 * Each row's scans, findings and drift are asked for once the row scrolls into view, a few rows
 * at a time: a fleet of thousands stays within the API's rate limit and answers at once.
 */
function fillWhenVisible(rows, stale) {
  const since = new Date(Date.now() - RECENT_DAYS * 86400_000).toISOString();
  const limit = limiter(4);
  const byElement = new Map(rows.map((row) => [row.tr, row]));
  const observer = new IntersectionObserver(
    (entries) => {
      if (stale()) return observer.disconnect();
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        limit(() => (stale() ? undefined : byElement.get(entry.target).fill(since, stale)));
      }
    },
    { rootMargin: '300px' },
  );
  for (const row of rows) observer.observe(row.tr);
}

function hostRow(host) {
  const cells = {
    status: h('td', { class: 'status' }, '…'),
    scanned: h('td', null, '…'),
    findings: h('td', { class: 'num findings' }, '…'),
    drift: h('td', { class: 'num drift' }, '…'),
  };
  const tr = h(
    'tr',
    { dataset: { host: host.name } },
    h('td', null, h('a', { href: hostHref(host.name), class: 'host-link' }, host.name)),
    h('td', { class: 'mono' }, `${host.address}:${host.port}`),
    h('td', null, (host.labels ?? []).map((l) => h('a', { class: 'chip', href: `#/?label=${encodeURIComponent(l)}` }, l))),
    cells.status,
    cells.scanned,
    cells.findings,
    cells.drift,
  );
  const name = encodeURIComponent(host.name);
  const fill = async (since, stale) => {
    const [scans, findings, drift] = await Promise.allSettled([
      getJson(`/hosts/${name}/scans?limit=1`),
      getJson(`/hosts/${name}/findings`),
      getJson(`/hosts/${name}/drift?limit=1&since=${encodeURIComponent(since)}`),
    ]);
    if (stale()) return;
    fillScan(cells, scans);
    fillFindings(cells.findings, findings);
    fillDrift(cells.drift, drift);
  };
  return { tr, fill };
}

function fillScan(cells, result) {
  if (result.status === 'rejected') {
    cells.status.replaceChildren(errorView(result.reason));
    cells.scanned.replaceChildren('');
    return;
  }
  const last = itemsOf(result.value)[0];
  if (!last) {
    cells.status.replaceChildren(h('span', { class: 'muted' }, 'never scanned'));
    cells.scanned.replaceChildren('—');
    return;
  }
  cells.status.replaceChildren(badge('status', last.status, last.error ?? undefined));
  cells.scanned.replaceChildren(h('span', { title: when(last.startedAt) }, ago(last.startedAt) || when(last.startedAt)));
}

function fillFindings(cell, result) {
  if (result.status === 'rejected') {
    cell.replaceChildren(result.reason?.code === 'SNAPSHOT_NOT_FOUND' ? h('span', { class: 'muted', title: 'no snapshot yet' }, '—') : errorView(result.reason));
    return;
  }
  const findings = result.value?.findings ?? [];
  if (findings.length === 0) {
    cell.replaceChildren(h('span', { class: 'muted' }, '0'));
    return;
  }
  const worst = [...findings].sort((a, b) => severityRank(a.severity) - severityRank(b.severity))[0].severity;
  cell.replaceChildren(badge('sev', worst, `worst: ${worst}`, findings.length));
}

function fillDrift(cell, result) {
  if (result.status === 'rejected') {
    const missing = result.reason?.routeMissing;
    cell.replaceChildren(missing ? h('span', { class: 'muted', title: 'this collector does not serve the drift timeline' }, 'n/a') : errorView(result.reason));
    return;
  }
  const count = result.value?.total ?? itemsOf(result.value).length;
  cell.replaceChildren(count === 0 ? h('span', { class: 'muted' }, '0') : h('strong', null, String(count)));
}
