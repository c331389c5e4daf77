// The console's only door to the server: same-origin fetches authenticated by the HttpOnly
// session cookie; requests that change state echo the CSRF token the session API gave us.

let csrfToken = '';

export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message @param {Record<string, unknown>} [details] */
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    /** The whole error envelope: `fields` (form validation) or `lines` (imports) when the API sent them. */
    this.details = details ?? {};
  }
}

export const setCsrfToken = (/** @type {string | null} */ token) => {
  csrfToken = token ?? '';
};

/**
 * @param {string} path
 * @param {{ method?: string, body?: unknown, csv?: Blob | string }} [options] `csv`: a file sent as text/csv
 */
export async function api(path, options = {}) {
  const method = options.method ?? 'GET';
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (method !== 'GET') headers['x-centinela-csrf'] = csrfToken;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.csv !== undefined) headers['content-type'] = 'text/csv';
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.csv ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  if (res.status === 401) {
    // The session ended (expiry, logout elsewhere, revoked): back to the login page.
    window.location.assign('/login');
    throw new ApiError(401, 'CENTINELA_ERR_AUTH_INVALID', 'session ended');
  }
  const text = await res.text();
  const data = text ? safeJson(text) : null;
  if (!res.ok) {
    const error = data && typeof data === 'object' && 'error' in data ? data.error : { code: String(res.status), message: res.statusText };
    throw new ApiError(res.status, error.code, error.message, error);
  }
  return data;
}

/** @param {string} text */
function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Lists come as an array or as `{ items: [...] }` (docs/architecture.md, "Interfaces"). */
export const items = (/** @type {unknown} */ data) =>
  Array.isArray(data) ? data : data && typeof data === 'object' && 'items' in data && Array.isArray(data.items) ? data.items : [];
