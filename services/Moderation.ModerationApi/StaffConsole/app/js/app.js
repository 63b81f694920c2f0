// The console's shell: sign-in, the header, and a router over location.hash (#/queue/held, #/thresholds, …).
import { api, session, describe, ApiError } from "./api.js";
import { h, clear, field, toast } from "./dom.js";
import { loadConfig, isCallback, signIn, completeSignIn } from "./sso.js";

// The page requires Trusted Types; the console's only script-loading sink is the vendored charting
// library, loaded on demand by the thresholds view from this origin's vendor folder.
if (window.trustedTypes?.createPolicy) {
  window.consolePolicy = trustedTypes.createPolicy("console", {
    createScriptURL: (u) => {
      const url = new URL(u, document.baseURI);
      if (url.origin === location.origin && /\/console\/vendor\/[\w.-]+\.js$/.test(url.pathname)) return url.href;
      throw new TypeError("Script not allowed: " + u);
    },
  });
}

const main = document.getElementById("main");
const views = {
  queue: { title: "Queue", load: () => import("./queue.js") },
  thresholds: { title: "Thresholds", admin: true, load: () => import("./thresholds.js") },
  sites: { title: "Sites", admin: true, load: () => import("./sites.js") },
  models: { title: "Models", admin: true, load: () => import("./models.js") },
  bans: { title: "Bans", load: () => import("./bans.js") },
  domains: { title: "Domains", admin: true, load: () => import("./domains.js") },
  audit: { title: "Audit", admin: true, load: () => import("./audit.js") },
  keys: { title: "Keys", admin: true, load: () => import("./keys.js") },
  privacy: { title: "Privacy", admin: true, load: () => import("./privacy.js") },
};
let current = null; // { name, instance }
let config = { sso: null }; // config.json: whether SSO is offered

function showLogin(message) {
  current?.instance?.leave?.();
  current = null;
  session.me = null;
  document.getElementById("top").hidden = true;
  document.title = "Sign in — Moderation console";
  const input = h("input", { type: "password", name: "apiKey", autocomplete: "current-password", required: true, spellcheck: "false" });
  const status = h("p", { class: "form-status", role: "alert" }, message ?? "");
  const button = h("button", { type: "submit", class: "primary" }, "Sign in");
  const sso = config.sso ? ssoButton(status) : null;
  const form = h("form", { class: "login card", "aria-labelledby": "login-title" },
    h("h1", { id: "login-title" }, "Moderation console"),
    sso ? h("div", { class: "sso" }, sso) : null,
    h("p", { class: "muted" }, `${sso ? "Or sign" : "Sign"} in with your moderator or admin API key. It is kept only in this browser tab.`),
    field("API key", input),
    status,
    h("div", { class: "actions" }, button));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) { status.textContent = "Enter your API key."; return; }
    button.disabled = true;
    status.textContent = "";
    try {
      const me = await api("moderation/me", { credential: { key } });
      session.signOut();
      session.key = key;
      session.me = me;
      enter();
    } catch (error) {
      status.textContent = error instanceof ApiError && (error.status === 401 || error.status === 403)
        ? "That key was not accepted. Check it and try again." : describe(error);
      input.select();
    } finally {
      button.disabled = false;
    }
  });
  clear(main, form);
  input.focus();
}

function ssoButton(status) {
  const button = h("button", { type: "button", class: "primary" }, "Sign in with SSO");
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = "";
    try {
      await signIn(config.sso); // leaves the page
    } catch (error) {
      status.textContent = `Single sign-on is not available: ${error.message}`;
      button.disabled = false;
    }
  });
  return button;
}

async function start() {
  try { config = await loadConfig(); } catch (error) { toast(`SSO settings could not be read: ${error.message}`, "error"); }
  if (isCallback()) {
    if (!config.sso) history.replaceState(null, "", location.pathname);
    else {
      try {
        const token = await completeSignIn(config.sso);
        session.signOut();
        session.token = token;
      } catch (error) {
        return showLogin(error.message);
      }
    }
  }
  if (!session.credential) return showLogin();
  try {
    session.me = await api("moderation/me");
    enter();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return; // the console:signed-out event shows why
    if (error instanceof ApiError && error.status === 403) {
      session.signOut();
      return showLogin("You are signed in, but not as a moderator or admin of the comments.");
    }
    showLogin(describe(error));
  }
}

function enter() {
  const me = session.me;
  document.getElementById("top").hidden = false;
  const who = document.getElementById("who");
  clear(who, h("span", { class: "name" }, me.name), " ", h("span", { class: `role ${me.role}` }, me.role),
    me.sites ? h("span", { class: "muted" }, ` · ${me.sites.join(", ")}`) : null);
  const nav = document.getElementById("nav");
  clear(nav, Object.entries(views).filter(([, v]) => !v.admin || session.isAdmin)
    .map(([name, v]) => h("a", { href: `#/${name}`, dataset: { view: name } }, v.title)));
  route();
}

async function route() {
  if (!session.me) return;
  const [name = "queue", ...args] = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const view = views[name] && (!views[name].admin || session.isAdmin) ? name : "queue";
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.dataset.view === view) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  if (current?.name === view && current.instance?.update) { current.instance.update(args); return; }
  current?.instance?.leave?.();
  document.title = `${views[view].title} — Moderation console`;
  const container = h("div", { class: `view view-${view}` });
  clear(main, container);
  const mine = current = { name: view, instance: null };
  try {
    const module = await views[view].load();
    if (current !== mine) return;
    const instance = await module.mount(container, args);
    // Signed out or moved on while mounting: stop what the view started (polls, key handlers).
    if (current === mine) mine.instance = instance; else instance?.leave?.();
  } catch (error) {
    clear(container, h("p", { class: "error" }, describe(error)));
  }
}

document.getElementById("sign-out").addEventListener("click", () => {
  session.signOut();
  showLogin("Signed out.");
});
window.addEventListener("console:signed-out", (event) => showLogin(event.detail));
window.addEventListener("hashchange", route);
window.addEventListener("unhandledrejection", (event) => {
  const message = describe(event.reason);
  if (message) toast(message, "error");
});
start();
