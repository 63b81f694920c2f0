// The API client: the credential lives in sessionStorage (gone when the tab closes) — an API key, sent in
// X-Api-Key, or an SSO access token (sso.js), sent as a bearer token. A 401 anywhere signs the console out.

const KEY = "moderation.apiKey";
const TOKEN = "moderation.ssoToken"; // { accessToken, expiresAt (ms) }
// Relative to /console/, so that the console works behind a reverse proxy's path prefix.
const BASE = new URL("../api/v1/", document.baseURI);

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  set key(value) { value ? sessionStorage.setItem(KEY, value) : sessionStorage.removeItem(KEY); },
  get token() { try { return JSON.parse(sessionStorage.getItem(TOKEN)); } catch { return null; } },
  set token(value) { value ? sessionStorage.setItem(TOKEN, JSON.stringify(value)) : sessionStorage.removeItem(TOKEN); },
  /** What api() sends unless told otherwise: { key } or { token, expiresAt }, or null. */
  get credential() {
    if (this.key) return { key: this.key };
    const token = this.token;
    return token?.accessToken ? { token: token.accessToken, expiresAt: token.expiresAt } : null;
  },
  signOut() { this.key = null; this.token = null; this.me = null; },
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

function signedOut(credential, why) {
  const current = session.credential;
  if (!current || current.key !== credential.key || current.token !== credential.token) return; // already replaced
  session.signOut();
  window.dispatchEvent(new CustomEvent("console:signed-out", { detail: why }));
}

/** Calls the API; returns parsed JSON (null for an empty answer); throws ApiError. */
export async function api(path, { method = "GET", query, body, signal, raw = false, credential = session.credential } = {}) {
  if (credential?.expiresAt && credential.expiresAt <= Date.now()) {
    signedOut(credential, "Your SSO sign-in has expired. Sign in again.");
    throw new ApiError(401, { title: "Sign-in expired" });
  }
  const headers = { Accept: "application/json, application/problem+json" };
  if (credential?.key) headers["X-Api-Key"] = credential.key;
  if (credential?.token) headers.Authorization = `Bearer ${credential.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url(path, query), {
    method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store",
  });
  if (response.status === 401 && credential) {
    signedOut(credential, credential.token ? "Your SSO sign-in was not accepted (expired?). Sign in again."
      : "Your key was not accepted (expired or revoked?). Sign in again.");
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
