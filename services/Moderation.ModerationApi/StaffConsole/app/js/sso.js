// Single sign-on: the OAuth 2.0 authorization code flow with PKCE (S256), as a public client (no secret).
// The provider and client id come from config.json; its endpoints from its discovery document. The provider
// sends the browser back to the console's own URL with ?code&state; the code is exchanged for an access
// token, which the API validates (its audience is the API's, Auth:Oidc:Audience).

const PENDING = "moderation.ssoPending"; // { state, verifier, hash } while the browser is at the provider

/** The console's own address, where the provider sends the browser back: …/console/ without query or hash. */
export const redirectUri = () => new URL("./", document.baseURI).href;

/** { sso: { authority, clientId, scopes } | null }, read before anyone signs in. */
export async function loadConfig() {
  const response = await fetch(new URL("config.json", document.baseURI), { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return response.json();
}

/** The provider's metadata; its token endpoint must be on its own origin, the only one the CSP lets us reach. */
async function discover(sso) {
  const authority = sso.authority.replace(/\/+$/, "");
  const response = await fetch(`${authority}/.well-known/openid-configuration`, { cache: "no-store" });
  if (!response.ok) throw new Error(`The sign-in provider's discovery document: HTTP ${response.status}.`);
  const meta = await response.json();
  if (String(meta.issuer ?? "").replace(/\/+$/, "") !== authority) throw new Error("The sign-in provider names another issuer than the configured one.");
  if (new URL(meta.token_endpoint).origin !== new URL(authority).origin) throw new Error("The sign-in provider's token endpoint is on another origin.");
  if (meta.code_challenge_methods_supported && !meta.code_challenge_methods_supported.includes("S256"))
    throw new Error("The sign-in provider does not support PKCE with S256.");
  return meta;
}

const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const randomString = (bytes) => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

/** Goes to the provider's sign-in page; comes back to the console (see completeSignIn). */
export async function signIn(sso) {
  const meta = await discover(sso);
  const verifier = randomString(32); // 43 characters, the shortest RFC 7636 allows
  const state = randomString(16);
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier, hash: location.hash }));
  const target = new URL(meta.authorization_endpoint);
  for (const [name, value] of Object.entries({
    response_type: "code", client_id: sso.clientId, redirect_uri: redirectUri(), scope: sso.scopes,
    state, code_challenge: challenge, code_challenge_method: "S256",
  })) target.searchParams.set(name, value);
  location.assign(target.href);
}

/** Whether this page load is the provider's answer. */
export function isCallback() {
  const query = new URLSearchParams(location.search);
  return query.has("state") || query.has("code") || query.has("error");
}

/** Checks the answer against the sign-in started in this tab and exchanges the code: { accessToken, expiresAt }. */
export async function completeSignIn(sso) {
  const query = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || "null");
  sessionStorage.removeItem(PENDING);
  // The code is single-use and must not linger in the address bar or the history.
  history.replaceState(null, "", location.pathname + (pending?.hash ?? ""));
  if (!pending || !query.get("state") || query.get("state") !== pending.state)
    throw new Error("Sign-in refused: the answer does not belong to a sign-in started in this tab. Try again.");
  if (query.has("error")) throw new Error(`The sign-in provider refused: ${query.get("error_description") || query.get("error")}.`);
  const meta = await discover(sso);
  const response = await fetch(meta.token_endpoint, {
    method: "POST", cache: "no-store",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams({
      grant_type: "authorization_code", code: query.get("code") ?? "", redirect_uri: redirectUri(),
      client_id: sso.clientId, code_verifier: pending.verifier,
    }),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok || !answer.access_token)
    throw new Error(`The sign-in provider issued no token: ${answer.error_description || answer.error || "HTTP " + response.status}.`);
  return { accessToken: answer.access_token, expiresAt: Date.now() + (Number(answer.expires_in) || 300) * 1000 };
}
