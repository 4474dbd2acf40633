// The cohort table of GET /fleet/drift: one row per fact that is not the same on every host.
import { empty, h, table } from '../dom.js';
import { factValue } from '../format.js';

export function cohortView(cohort) {
  return h('pre', null, JSON.stringify(cohort, null, 2)) ?? empty('');
}
