import { ApiError, apiToken, setApiToken } from '../api.js';
import { h } from '../dom.js';

/** What went wrong, as the API said it; a missing route says which feature this collector lacks. */
export function errorView(error, feature) {
  if (error instanceof ApiError && error.routeMissing) {
    return h('div', { class: 'notice', role: 'status' }, `${feature ?? 'This view'} is not available on this collector: `, h('code', null, `GET /api/v1${error.path.split('?')[0]}`), ' answered 404.');
  }
  if (error instanceof ApiError && error.status === 401) return tokenForm(error);
  const status = error instanceof ApiError && error.status ? `HTTP ${error.status}${error.code ? ` ${error.code}` : ''}: ` : '';
  return h('div', { class: 'error', role: 'alert' }, status, error?.message ?? String(error));
}

function tokenForm(error) {
  const input = h('input', { type: 'password', placeholder: 'API token', autocomplete: 'off', 'aria-label': 'API token' });
  return h(
    'form',
    {
      class: 'error',
      role: 'alert',
      onsubmit: (event) => {
        event.preventDefault();
        setApiToken(input.value.trim());
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      },
    },
    `The collector wants an API token (${error.message}). `,
    apiToken() ? 'The stored token was refused. ' : '',
    input,
    h('button', { type: 'submit' }, 'Use token'),
  );
}
