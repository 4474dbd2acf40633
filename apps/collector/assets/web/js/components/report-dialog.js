// The host's diagnostic report (Markdown, shown as text) in a dialog, with a copy button.
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

export async function openReport(hostName) {
  const status = h('span', { class: 'muted', role: 'status', id: 'report-status' });
  const body = h('div', { class: 'report-body' }, h('p', { class: 'muted' }, 'Loading the report…'));
  const copy = h('button', { type: 'button', id: 'report-copy', disabled: true }, 'Copy Markdown');
  const dialog = h(
    'dialog',
    { class: 'report', id: 'report-dialog', 'aria-label': `Diagnostic report of ${hostName}` },
    h('header', null, h('h2', null, `Diagnostic report: ${hostName}`), copy, status, h('button', { type: 'button', onclick: () => dialog.close() }, 'Close')),
    body,
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  try {
    const markdown = await getText(`/hosts/${encodeURIComponent(hostName)}/report`, 'text/markdown');
    const pre = h('pre', { class: 'markdown', id: 'report-markdown' }, markdown);
    body.replaceChildren(pre);
    copy.disabled = false;
    copy.addEventListener('click', async () => {
      status.textContent = (await copyText(markdown, pre)) ? 'Copied to the clipboard.' : 'Copy failed: select the text and copy it by hand.';
    });
  } catch (error) {
    body.replaceChildren(errorView(error, 'The diagnostic report'));
  }
}
