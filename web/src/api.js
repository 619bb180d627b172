// api.js — the page's calls to `corridor serve`. Every answer is JSON; an error answer is
// {"error": {"code", "message", "field"}} and becomes an ApiError carrying the HTTP status.

export class ApiError extends Error {
  constructor(status, body) {
    const e = body && body.error;
    super(e && e.message ? e.message : `HTTP ${status}`);
    this.status = status;
    this.code = e ? e.code : null;
    this.field = e ? e.field : null;
  }
}

async function answer(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    if (res.ok) throw new ApiError(res.status, { error: { message: 'the answer is not JSON' } });
  }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

// GET path with the query parameters that are set (null, undefined and '' are left out).
export async function get(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return answer(await fetch(s ? `${path}?${s}` : path));
}

export async function post(path, body) {
  return answer(await fetch(path, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  }));
}
