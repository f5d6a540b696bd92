// The service's public API, as any client would call it: JSON in and out, problem+json errors, an optional API key.

const keyStorage = 'autorec.apiKey';

/** An answer of the service that is not a success: its problem+json (RFC 7807) title, detail and status. */
export class ProblemError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem?.title || `HTTP ${status}`;
    this.detail = problem?.detail || '';
  }
}

/** The service did not answer at all: stopped, or the network is down. */
export class UnreachableError extends Error {
  constructor(cause) {
    super(`The service at ${location.origin} is not answering. Is it running? (${cause.message})`);
  }
}

let askForKey = null;

/** What to do on 401: a function that resolves with a new key (or null when the user gives up). */
export function onKeyNeeded(handler) {
  askForKey = handler;
}

export function apiKey() {
  return sessionStorage.getItem(keyStorage);
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(keyStorage, key);
  else sessionStorage.removeItem(keyStorage);
}

async function send(path, options = {}, refused = false) {
  const headers = { Accept: 'application/json, application/problem+json', ...(options.headers || {}) };
  const key = apiKey();
  if (key) headers['X-Api-Key'] = key;
  let response;
  try {
    response = await fetch(path, { ...options, headers });
  } catch (e) {
    throw new UnreachableError(e);
  }
  if (response.status === 401 && askForKey) {
    const next = await askForKey(refused || Boolean(key));
    if (next) {
      setApiKey(next);
      return send(path, options, true);
    }
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      // not JSON: the status says enough
    }
    throw new ProblemError(response.status, problem);
  }
  return response;
}

export async function get(path) {
  return (await send(path)).json();
}

export async function post(path, body) {
  return (await send(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json();
}

/** A binary resource (a figure) as an object URL: an <img src> could not send the API key. */
export async function blobUrl(path) {
  return URL.createObjectURL(await (await send(path)).blob());
}

/** A query string of the given parameters, arrays repeated (?genres=a&genres=b). */
export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value === undefined || value === null || value === '') continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
