// The host's diagnostic report (Markdown, shown as text) in a dialog, with a copy button and the
// report's own redaction of hosts, addresses and users for pasting in public.
import { getText } from '../api.js';
import { h } from '../dom.js';
import { errorView } from './messages.js';

async function copyText(text, pre) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (no permission, not a secure context): select and copy the old way.
    const range = document.createRange();
    range.selectNodeContents(pre);
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return document.execCommand('copy');
  }
}

/** snapshotId: the state to report on; the host's current state when absent. */
export function openReport(hostName, snapshotId) {
  let markdown = null;
  const status = h('span', { class: 'muted', role: 'status', id: 'report-status' });
  const body = h('div', { class: 'report-body' });
  const copy = h('button', { type: 'button', id: 'report-copy', disabled: true }, 'Copy Markdown');
  const redact = h('input', { type: 'checkbox', id: 'report-redact' });
  const dialog = h(
    'dialog',
    { class: 'report', id: 'report-dialog', 'aria-label': `Diagnostic report of ${hostName}` },
    h(
      'header',
      null,
      h('h2', null, `Diagnostic report: ${hostName}${snapshotId ? `, state #${snapshotId}` : ''}`),
      h('label', { class: 'field', title: 'replace host names, addresses, users and home directories consistently' }, redact, h('span', null, 'Redact')),
      copy,
      status,
      h('button', { type: 'button', onclick: () => dialog.close() }, 'Close'),
    ),
    body,
  );

  async function load() {
    markdown = null;
    copy.disabled = true;
    status.textContent = '';
    body.replaceChildren(h('p', { class: 'muted' }, 'Loading the report…'));
    const query = new URLSearchParams();
    if (snapshotId) query.set('snapshot', String(snapshotId));
    if (redact.checked) query.set('redact', 'true');
    try {
      const text = await getText(`/hosts/${encodeURIComponent(hostName)}/report${query.size ? `?${query}` : ''}`, 'text/markdown');
      markdown = text;
      body.replaceChildren(h('pre', { class: 'markdown', id: 'report-markdown' }, text));
      copy.disabled = false;
    } catch (error) {
      body.replaceChildren(errorView(error, 'The diagnostic report'));
    }
  }

  copy.addEventListener('click', async () => {
    if (markdown === null) return;
    status.textContent = (await copyText(markdown, body.querySelector('pre'))) ? 'Copied to the clipboard.' : 'Copy failed: select the text and copy it by hand.';
  });
  redact.addEventListener('change', load);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return load();
}
