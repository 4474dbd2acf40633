// Fleet drift: for one label, the cohort's baseline and the hosts that deviate from it.
import { getJson } from '../api.js';
import { empty, h, select } from '../dom.js';
import { errorView } from '../components/messages.js';
import { labelsOf } from './fleet.js';
import { cohortView } from '../components/cohort-view.js';

export async function renderFleetDrift(root, { params, stale }) {
  const label = params.get('label') ?? '';
  root.append(h('h1', null, 'Fleet drift'));
  const hosts = await getJson('/hosts');
  if (stale()) return;
  const labels = labelsOf(hosts);
  root.append(
    h(
      'div',
      { class: 'toolbar' },
      select('Label', [{ value: '', text: 'choose a label' }, ...labels], label, (value) => {
        location.hash = value ? `#/drift?label=${encodeURIComponent(value)}` : '#/drift';
      }, { name: 'label' }),
    ),
  );
  if (labels.length === 0) {
    root.append(empty('No host carries a label yet: label hosts to compare them as a cohort.'));
    return;
  }
  if (!label) {
    root.append(empty('Choose a label: its hosts are compared with their baseline (the golden host, or the majority value of each fact).'));
    return;
  }
  const target = h('div', { id: 'cohort' }, h('p', { class: 'muted' }, 'Comparing the cohort…'));
  root.append(target);
  try {
    const cohort = await getJson(`/fleet/drift?label=${encodeURIComponent(label)}`);
    if (!stale()) target.replaceChildren(cohortView(cohort));
  } catch (error) {
    if (!stale()) target.replaceChildren(errorView(error, 'Fleet drift'));
  }
}
