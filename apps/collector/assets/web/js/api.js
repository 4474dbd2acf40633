// The one way the view talks to the collector: the REST API under /api/v1.

const TOKEN_KEY = 'driftwatch.apiToken';

export class ApiError extends Error {
  constructor(status, body, path) {
    super(typeof body?.message === 'string' ? body.message : `HTTP ${status}`);
    this.status = status;
    this.code = body?.error ?? null;
    this.path = path;
    // Nest answers an unknown route with "Cannot GET /api/v1/…": the collector lacks the feature,
    // which is not the same as a missing host or snapshot (those carry a domain code).
    this.routeMissing = status === 404 && /^Cannot [A-Z]+ \//.test(this.message);
  }
}

export function apiToken() {
  return localStorage.getItem(TOKEN_KEY) ?? '';
}

export function setApiToken(token) {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

async function call(path, { method = 'GET', body, accept = 'application/json' } = {}) {
  const headers = { accept };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = apiToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, { message: `the collector did not answer (${error.message})` }, path);
  }
  const text = await response.text();
  if (!response.ok) {
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { message: text || response.statusText };
    }
    throw new ApiError(response.status, parsed, path);
  }
  return text;
}

export async function getJson(path) {
  const text = await call(path);
  return text ? JSON.parse(text) : null;
}

export function getText(path, accept = 'text/plain') {
  return call(path, { accept });
}

export async function postJson(path, body = {}) {
  const text = await call(path, { method: 'POST', body });
  return text ? JSON.parse(text) : null;
}

/** A list answer, whether the route returns an array or a page `{items}`. */
export function itemsOf(answer, ...keys) {
  if (Array.isArray(answer)) return answer;
  for (const key of ['items', ...keys]) if (Array.isArray(answer?.[key])) return answer[key];
  return [];
}

/** limit(fn) runs fn once fewer than `size` calls are in flight, so a big fleet does not flood the collector. */
export function limiter(size) {
  let active = 0;
  const waiting = [];
  const next = () => {
    if (active >= size || waiting.length === 0) return;
    active++;
    const { fn, resolve, reject } = waiting.shift();
    Promise.resolve()
      .then(fn)
      .then(resolve, reject)
      .finally(() => {
        active--;
        next();
      });
  };
  return (fn) =>
    new Promise((resolve, reject) => {
      waiting.push({ fn, resolve, reject });
      next();
    });
}
