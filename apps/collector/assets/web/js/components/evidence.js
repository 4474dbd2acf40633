// One check's raw evidence: the commands it ran, exit code, duration, stdout and stderr.
import { badge, empty, h } from '../dom.js';

export function evidenceView(raw, checkId, result) {
  const sectionOf = (raw?.sections ?? []).find((s) => s.id === checkId);
  const root = h('div', { class: 'evidence', id: 'evidence', dataset: { check: checkId } });
  root.append(h('h3', null, `Raw evidence of ${checkId}, state #${raw.id}`));
  if (result) {
    root.append(h('p', null, 'Status ', badge('check', result.status), result.reason ? [' — ', result.reason] : ''));
  }
  if (!sectionOf) return root.append(empty('The probe produced no output section for this check in this state.')), root;
  const meta = sectionOf.meta ?? {};
  root.append(
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'exit code'),
      h('dd', null, sectionOf.exitCode === null ? 'never finished' : String(sectionOf.exitCode)),
      h('dt', null, 'duration'),
      h('dd', null, sectionOf.durationMs === null ? '—' : `${sectionOf.durationMs} ms`),
      sectionOf.truncated ? [h('dt', null, 'truncated'), h('dd', null, 'yes: output cut by the size cap or the section never ended')] : null,
      Object.entries(meta).map(([key, value]) => [h('dt', null, key), h('dd', null, h('pre', null, value))]),
    ),
    h('h4', null, 'stdout'),
    sectionOf.stdout ? h('pre', { class: 'output stdout' }, sectionOf.stdout) : empty('(empty)'),
    h('h4', null, 'stderr'),
    sectionOf.stderr ? h('pre', { class: 'output stderr' }, sectionOf.stderr) : empty('(empty)'),
  );
  return root;
}
