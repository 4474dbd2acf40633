// Hash routing: #/ fleet, #/hosts/<name> one host, #/drift fleet drift by label.
import { h } from './dom.js';
import { errorView } from './components/messages.js';
import { renderFleet } from './pages/fleet.js';
import { renderFleetDrift } from './pages/fleet-drift.js';
import { renderHost } from './pages/host.js';

const ROUTES = [
  { pattern: /^\/$/, nav: 'fleet', render: renderFleet },
  { pattern: /^\/hosts\/([^/]+)$/, nav: 'fleet', render: renderHost },
  { pattern: /^\/drift$/, nav: 'drift', render: renderFleetDrift },
];

function currentLocation() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  return { path, params: new URLSearchParams(query) };
}

let generation = 0;

async function route() {
  const mine = ++generation;
  const view = document.getElementById('view');
  const { path, params } = currentLocation();
  const match = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find(({ m }) => m);
  for (const link of document.querySelectorAll('[data-nav]')) link.classList.toggle('active', link.dataset.nav === match?.r.nav);
  const root = h('div', { class: 'page' });
  view.replaceChildren(root);
  if (!match) {
    root.append(h('h1', null, 'Not found'), h('p', null, 'No such page. ', h('a', { href: '#/' }, 'Back to the fleet')));
    return;
  }
  const args = match.m.slice(1).map((part) => decodeURIComponent(part));
  try {
    await match.r.render(root, { args, params, stale: () => mine !== generation });
  } catch (error) {
    if (mine === generation) root.append(errorView(error));
  }
}

window.addEventListener('hashchange', route);
route();
