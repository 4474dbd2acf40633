// Host page: findings, drift timeline, states (pick two to compare), side-by-side diff, checks
// with their raw evidence, the diagnostic report.
import { getJson, itemsOf, postJson } from '../api.js';
import { badge, empty, h, section, select, table } from '../dom.js';
import { CATEGORIES, SEVERITIES, ago, plural, severityRank, shortHash, when } from '../format.js';
import { diffView } from '../components/diff-view.js';
import { evidenceView } from '../components/evidence.js';
import { errorView } from '../components/messages.js';
import { openReport } from '../components/report-dialog.js';
import { hostHref } from './fleet.js';

const STATES_SHOWN = 100;
const EVENTS_SHOWN = 100;

export async function renderHost(root, { args: [name], params, stale }) {
  const path = `/hosts/${encodeURIComponent(name)}`;
  /** The two states compared below; the report follows "to". */
  let selection = null;
  const host = await getJson(path);
  if (stale()) return;
  const scanStatus = h('span', { class: 'muted', role: 'status' });
  root.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Fleet'), ' / ', host.name),
    h(
      'div',
      { class: 'title-row' },
      h('h1', null, host.name),
      h('button', { type: 'button', id: 'report-button', title: 'the diagnostic report of the state chosen as "to"', onclick: () => openReport(host.name, selection?.to) }, 'Report'),
      h('button', { type: 'button', id: 'scan-button', onclick: (event) => scanNow(path, event.currentTarget, scanStatus) }, 'Scan now'),
      scanStatus,
    ),
    h(
      'p',
      { class: 'host-meta' },
      h('span', { class: 'mono' }, `${host.username}@${host.address}:${host.port}`),
      ' ',
      (host.labels ?? []).map((l) => h('a', { class: 'chip', href: `#/?label=${encodeURIComponent(l)}` }, l)),
      ' ',
      h('span', { class: 'muted mono', title: 'pinned host key' }, host.hostKey ?? 'host key not pinned yet'),
    ),
  );

  const [page, findings] = await Promise.all([getJson(`${path}/snapshots?limit=${STATES_SHOWN}`), getJson(`${path}/findings`).catch((error) => error)]);
  if (stale()) return;
  const states = itemsOf(page);
  root.append(findingsPanel(findings));
  if (states.length === 0) {
    root.append(section('States', empty('No snapshot yet: scan the host to see its facts.')));
    return;
  }

  selection = {
    from: Number(params.get('from')) || states[1]?.id || null,
    to: Number(params.get('to')) || states[0].id,
  };
  const compare = h('div', { id: 'compare' });
  const checks = h('div', { id: 'checks' });
  const statesTable = statesPanel(states, page.total, selection, () => show());
  const drift = h('div', { id: 'drift-timeline' });

  root.append(
    section('Drift timeline', driftFilters(params, () => (syncUrl(), loadDrift(path, drift, params, pick))), drift),
    statesTable.panel,
    section('Compare', compare),
    section('Checks', checks),
  );

  const evidenceCache = new Map();
  async function showEvidence(checkId, snapshot) {
    const target = checks.querySelector('.evidence-slot');
    target.replaceChildren(h('p', { class: 'muted' }, 'Loading evidence…'));
    try {
      if (!evidenceCache.has(snapshot.id)) evidenceCache.set(snapshot.id, await getJson(`/snapshots/${snapshot.id}/raw`));
      target.replaceChildren(evidenceView(evidenceCache.get(snapshot.id), checkId, snapshot.checks?.[checkId]));
    } catch (error) {
      target.replaceChildren(errorView(error));
    }
    target.scrollIntoView({ block: 'nearest' });
  }

  function pick(from, to) {
    selection.from = from;
    selection.to = to;
    statesTable.sync();
    compare.scrollIntoView({ block: 'start' });
    show();
  }

  /** Keeps the address bar on what is shown, so the view can be shared or reloaded. */
  function syncUrl() {
    const query = new URLSearchParams();
    if (selection.from) query.set('from', String(selection.from));
    query.set('to', String(selection.to));
    for (const key of ['category', 'severity']) if (params.get(key)) query.set(key, params.get(key));
    history.replaceState(null, '', `${hostHref(host.name)}?${query}`);
  }

  let shown = 0;
  async function show() {
    const mine = ++shown;
    syncUrl();
    compare.replaceChildren(h('p', { class: 'muted' }, 'Comparing…'));
    checks.replaceChildren(h('p', { class: 'muted' }, 'Loading checks…'));
    const diffQuery = selection.from ? `?from=${selection.from}&to=${selection.to}` : `?to=${selection.to}`;
    const [diff, snapshot] = await Promise.allSettled([getJson(`${path}/diff${diffQuery}`), getJson(`/snapshots/${selection.to}`)]);
    // A later pick may have answered first: only the latest one is drawn.
    if (stale() || mine !== shown) return;
    if (diff.status === 'fulfilled') compare.replaceChildren(diffView(diff.value, (checkId) => snapshot.status === 'fulfilled' && showEvidence(checkId, snapshot.value)));
    else compare.replaceChildren(errorView(diff.reason));
    if (snapshot.status === 'fulfilled') checks.replaceChildren(checksTable(snapshot.value, showEvidence), h('div', { class: 'evidence-slot' }));
    else checks.replaceChildren(errorView(snapshot.reason));
  }

  await Promise.all([show(), loadDrift(path, drift, params, pick)]);
}

async function scanNow(path, button, status) {
  button.disabled = true;
  status.textContent = 'Scanning…';
  try {
    const outcome = await postJson(`${path}/scan`);
    status.textContent = `Scan ${outcome.status}${outcome.changed ? ': a new state' : ': no change'}${outcome.error ? ` (${outcome.error})` : ''}`;
    if (outcome.changed) window.dispatchEvent(new HashChangeEvent('hashchange'));
  } catch (error) {
    status.replaceChildren(errorView(error));
  } finally {
    button.disabled = false;
  }
}

function findingsPanel(answer) {
  if (answer instanceof Error) {
    return section('Findings', answer.code === 'SNAPSHOT_NOT_FOUND' ? empty('No snapshot yet, so no findings.') : errorView(answer));
  }
  const findings = [...(answer.findings ?? [])].sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
  if (findings.length === 0) return section('Findings', empty(`Nothing to report on the current state (#${answer.snapshotId}).`));
  return section(
    `Findings (${findings.length})`,
    h('ul', { class: 'findings', id: 'findings' }, findings.map((f) => h('li', null, badge('sev', f.severity), ' ', h('strong', null, f.id), ' ', f.message, ' ', h('span', { class: 'muted' }, f.checkId)))),
  );
}

function statesPanel(states, total, selection, onChange) {
  const radios = [];
  const rows = states.map((state, index) => {
    const from = h('input', { type: 'radio', name: 'from', value: state.id, 'aria-label': `compare from state ${state.id}` });
    const to = h('input', { type: 'radio', name: 'to', value: state.id, 'aria-label': `compare to state ${state.id}` });
    from.addEventListener('change', () => {
      selection.from = state.id;
      onChange();
    });
    to.addEventListener('change', () => {
      selection.to = state.id;
      onChange();
    });
    radios.push({ state, from, to });
    return h(
      'tr',
      { dataset: { state: state.id } },
      h('td', { class: 'pick' }, from),
      h('td', { class: 'pick' }, to),
      h('td', { class: 'num' }, `#${state.id}`, index === 0 ? [' ', h('span', { class: 'badge status-ok' }, 'current')] : ''),
      h('td', null, h('span', { title: ago(state.firstSeenAt) }, when(state.firstSeenAt))),
      h('td', null, h('span', { title: ago(state.lastSeenAt) }, when(state.lastSeenAt))),
      h('td', { class: 'num' }, String(state.seenCount)),
      h('td', { class: 'mono' }, shortHash(state.hash)),
    );
  });
  const sync = () => {
    for (const { state, from, to } of radios) {
      from.checked = state.id === selection.from;
      to.checked = state.id === selection.to;
    }
  };
  sync();
  const note = total > states.length ? h('p', { class: 'muted' }, `The newest ${states.length} of ${total} states.`) : null;
  const panel = section(
    `States (${total})`,
    h('p', { class: 'muted' }, 'Each row is a distinct state of the host; pick a "from" and a "to" to compare them.'),
    table(['From', 'To', 'State', 'First seen', 'Last seen', 'Scans', 'Hash'], rows, { class: 'grid states', id: 'states-table' }),
    note,
  );
  return { panel, sync };
}

function checksTable(snapshot, onEvidence) {
  const entries = Object.entries(snapshot.checks ?? {});
  if (entries.length === 0) return empty(`State #${snapshot.id} holds no check results.`);
  return h(
    'div',
    null,
    h('p', { class: 'muted' }, `Every check of state #${snapshot.id}; its raw evidence is one click away.`),
    table(
      ['Check', 'Status', 'Reason', ''],
      entries.map(([id, result]) =>
        h(
          'tr',
          { dataset: { check: id } },
          h('td', { class: 'mono' }, id),
          h('td', null, badge('check', result.status)),
          h('td', null, result.reason ?? ''),
          h('td', null, h('button', { type: 'button', class: 'evidence-button', onclick: () => onEvidence(id, snapshot) }, 'Raw evidence')),
        ),
      ),
      { class: 'grid checks', id: 'checks-table' },
    ),
  );
}

function driftFilters(params, reload) {
  const set = (key) => (value) => {
    if (value) params.set(key, value);
    else params.delete(key);
    reload();
  };
  return h(
    'div',
    { class: 'toolbar' },
    select('Category', [{ value: '', text: 'all' }, ...CATEGORIES], params.get('category') ?? '', set('category'), { name: 'category' }),
    select('Severity at least', [{ value: '', text: 'info' }, ...SEVERITIES.filter((s) => s !== 'info').reverse()], params.get('severity') ?? '', set('severity'), { name: 'severity' }),
  );
}

async function loadDrift(path, target, params, pick) {
  const query = new URLSearchParams();
  for (const key of ['category', 'severity']) if (params.get(key)) query.set(key, params.get(key));
  target.replaceChildren(h('p', { class: 'muted' }, 'Loading drift events…'));
  query.set('limit', String(EVENTS_SHOWN));
  // Filters changed quickly: only the answer to the latest request is drawn.
  const mine = String(Number(target.dataset.request ?? 0) + 1);
  target.dataset.request = mine;
  let events;
  let total;
  try {
    const page = await getJson(`${path}/drift?${query}`);
    events = itemsOf(page);
    total = page?.total ?? events.length;
  } catch (error) {
    if (target.dataset.request === mine) target.replaceChildren(errorView(error, 'The drift timeline'));
    return;
  }
  if (target.dataset.request !== mine) return;
  if (events.length === 0) {
    const filtered = params.get('category') || params.get('severity');
    target.replaceChildren(empty(filtered ? 'No drift event matches these filters.' : 'No drift recorded: the host has kept the same state.'));
    return;
  }
  target.replaceChildren(
    table(
      ['Detected', 'Severity', 'Category', 'Change', 'States'],
      events.map((event) =>
        h(
          'tr',
          { class: 'drift-event' },
          h('td', null, h('span', { title: ago(event.detectedAt) }, when(event.detectedAt))),
          h('td', null, badge('sev', event.severity)),
          h('td', null, event.category),
          h('td', null, h('div', null, event.summary ?? event.path), h('code', { class: 'path' }, event.path)),
          h('td', null, statesLink(event, pick)),
        ),
      ),
      { class: 'grid drift', id: 'drift-table' },
    ),
    h('p', { class: 'muted' }, total > events.length ? `The newest ${events.length} of ${total} events.` : `${plural(total, 'event')}, newest first.`),
  );
}

/** The two states an event lies between, as a button that compares them below. */
function statesLink(event, pick) {
  const from = event.fromSnapshotId ?? event.fromStateId;
  const to = event.toSnapshotId ?? event.toStateId;
  return h('button', { type: 'button', class: 'link compare-event', onclick: () => pick(from, to) }, `compare #${from} → #${to}`);
}
