// The API client: the key lives in sessionStorage (gone when the tab closes) and goes in X-Api-Key.
// A 401 anywhere signs the console out.

const KEY = "moderation.apiKey";
// Relative to /console/, so that the console works behind a reverse proxy's path prefix.
const BASE = new URL("../api/v1/", document.baseURI);

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  set key(value) { value ? sessionStorage.setItem(KEY, value) : sessionStorage.removeItem(KEY); },
  me: null,
  get isAdmin() { return this.me?.role === "admin"; },
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function url(path, query) {
  const u = new URL(path, BASE);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") continue;
    for (const v of [].concat(value)) u.searchParams.append(name, v);
  }
  return u;
}

/** Calls the API; returns parsed JSON (null for an empty answer); throws ApiError. */
export async function api(path, { method = "GET", query, body, signal, raw = false, key = session.key } = {}) {
  const headers = { Accept: "application/json, application/problem+json" };
  if (key) headers["X-Api-Key"] = key;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url(path, query), {
    method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store",
  });
  if (response.status === 401 && key === session.key) {
    session.key = null;
    window.dispatchEvent(new CustomEvent("console:signed-out", { detail: "Your key was not accepted (expired or revoked?). Sign in again." }));
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  if (raw) return response;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** A one-line message for an error, naming conflicts and permission problems plainly. */
export function describe(error) {
  if (error?.name === "AbortError") return "";
  if (!(error instanceof ApiError)) return `Network error: ${error?.message ?? error}`;
  const detail = error.problem?.detail || error.problem?.title || "";
  switch (error.status) {
    case 401: return "Not signed in.";
    case 403: return `Not allowed${detail ? ": " + detail : "."}`;
    case 404: return `Not found${detail ? ": " + detail : "."}`;
    case 409: return `Conflict: ${detail || "someone else changed this first."}`;
    default: {
      const fields = Object.entries(error.problem?.errors ?? {}).map(([f, m]) => `${f}: ${[].concat(m).join(" ")}`);
      return [detail || `Error ${error.status}`, ...fields].join(" — ");
    }
  }
}
