/* Moderation comment widget. A news page embeds it with
 *   <div id="comments" data-site="daily-herald" data-thread="2026/11/some-article"></div>
 *   <script src="https://comments.example.com/widget.js" async></script>
 * Optional: data-thread-url, data-thread-title, data-lang, data-theme (light|dark|auto),
 * data-page-size, data-max-depth, data-strings (JSON) on the div; window.ModerationWidgetStrings = {fr: {...}}.
 * Reader content only ever goes in as text (textContent, text nodes, attribute values): never as HTML, and
 * each reader string in an isolated element (<bdi>), so bidirectional controls in it cannot reorder what follows.
 * No cookies, no third-party requests; styles live in a shadow root as a constructed stylesheet (CSP-safe). */
(() => {
  "use strict";
  const script = document.currentScript;
  // The API is where this script came from, so the widget works on any news site's origin.
  const API = script ? script.dataset.api || script.src.replace(/\/(widget\/[^/]+\/)?widget\.js([?#].*)?$/, "") : "";
  const STORE = "moderation-widget:author";
  const LIMITS = { authorName: 100, authorEmail: 254, authorUrl: 2000, body: 5000 };
  const REASONS = ["spam", "abuse", "off-topic", "other"];

  // Every string the reader sees, in one table. Override per site (window.ModerationWidgetStrings[lang])
  // or per embed (data-strings='{"post":"Send"}').
  const EN = {
    loading: "Loading comments…",
    loadFailed: "Comments could not be loaded.",
    retry: "Try again",
    count0: "No comments yet",
    count1: "1 comment",
    countN: "{n} comments",
    empty: "Be the first to share your thoughts.",
    loadMore: "Load more comments",
    reply: "Reply",
    replyTo: "Reply to {name}",
    inReplyTo: "replying to {name}",
    cancelReply: "Cancel reply",
    report: "Report",
    leaveReply: "Leave a Reply",
    notice: "Your email address will not be published. Required fields are marked *",
    authorName: "Name",
    authorEmail: "Email",
    authorUrl: "Website",
    body: "Comment",
    honeypot: "Leave this field empty",
    remember: "Save my name, email, and website in this browser for the next time I comment.",
    post: "Post Comment",
    posting: "Posting…",
    required: "{label} is required.",
    tooLong: "{label} must be at most {max} characters (it has {n}).",
    badEmail: "{label} is not a valid email address.",
    badUrl: "{label} must be an http:// or https:// address.",
    badUrlUser: "{label} may not contain a user name or password (the part before @).",
    control: "{label} contains control characters.",
    fixErrors: "Please correct the marked fields.",
    awaiting: "Your comment is awaiting moderation.",
    published: "Your comment has been published.",
    rejected: "Your comment was not published.",
    busy: "Comments are busy right now. Trying again in {s} s; your comment is kept.",
    offline: "You seem to be offline. Your comment is kept: try again once you are connected.",
    unreachable: "The comment service could not be reached. Your comment is kept: try again in a moment.",
    failed: "Your comment could not be posted. {detail}",
    reportTitle: "Why are you reporting this comment?",
    "reason-spam": "Spam or advertising",
    "reason-abuse": "Abusive or hateful",
    "reason-off-topic": "Off-topic",
    "reason-other": "Something else",
    sendReport: "Send report",
    cancel: "Cancel",
    reported: "Thank you. A moderator will take a look.",
    reportFailed: "Reporting is not available right now. Please try again later.",
    justNow: "just now",
  };

  const DARK = `--mw-accent:#6ea8fe;--mw-accent-text:#0b1220;--mw-text:#e6e8eb;--mw-muted:#a2abb5;--mw-bg:#16191e;
--mw-surface:#0f1216;--mw-subtle:#1f242b;--mw-border:#2c333c;--mw-field:#5b6570;--mw-error:#ff8a8f;--mw-note:#3a2f12;
--mw-note-text:#f5d98b;--mw-focus:#9cc3ff`;
  const CSS = `
:host{--mw-accent:#1d5fbf;--mw-accent-text:#fff;--mw-text:#1f2328;--mw-muted:#59636e;--mw-bg:#fff;--mw-surface:#fff;
--mw-subtle:#f4f5f7;--mw-border:#e3e6ea;--mw-field:#8c959f;--mw-error:#c0262d;--mw-note:#fff6dd;--mw-note-text:#6b4a00;
--mw-focus:#1d5fbf;--mw-radius:12px;--mw-font:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif;
display:block;font:15px/1.55 var(--mw-font);color:var(--mw-text)}
:host([data-theme=dark]){${DARK}}
@media (prefers-color-scheme:dark){:host(:not([data-theme=light])){${DARK}}}
*{box-sizing:border-box}
.mw{background:var(--mw-bg);color:var(--mw-text);border:1px solid var(--mw-border);border-radius:var(--mw-radius);padding:1.25rem 1.5rem}
h3{font-size:1.15rem;line-height:1.3;margin:0 0 .25rem;letter-spacing:-.01em}
p{margin:0}
ol{list-style:none;margin:0;padding:0}
button{font:inherit;cursor:pointer}
:focus-visible{outline:3px solid var(--mw-focus);outline-offset:2px;border-radius:4px}
.muted,time,.to{color:var(--mw-muted);font-size:.85rem}
.c{display:grid;grid-template-columns:2.5rem 1fr;gap:.75rem;padding:1rem 0;border-top:1px solid var(--mw-border)}
.replies .c{grid-template-columns:2rem 1fr}
ol ol{margin-left:1.2rem;padding-left:1rem;border-left:2px solid var(--mw-border)}
.av{width:2.5rem;height:2.5rem;border-radius:50%;display:grid;place-items:center;font-weight:650;font-size:.95rem;
color:#fff;background:hsl(var(--h,210) 48% 30%);user-select:none}
.replies .av{width:2rem;height:2rem;font-size:.8rem}
.head{display:flex;flex-wrap:wrap;align-items:baseline;gap:.2rem .6rem}
.who{font-weight:650;color:var(--mw-text)}
bdi,.text{unicode-bidi:isolate}
.host{color:var(--mw-muted);font-size:.85rem}
a.who{text-decoration:underline;text-decoration-color:var(--mw-border);text-underline-offset:3px}
a.who:hover{text-decoration-color:currentColor}
.text{margin:.25rem 0 .4rem;white-space:pre-wrap;overflow-wrap:anywhere}
.acts{display:flex;gap:.25rem;margin-left:-.5rem}
.link{background:none;border:0;color:var(--mw-muted);padding:.2rem .5rem;border-radius:6px;font-size:.85rem;font-weight:600}
.link:hover{color:var(--mw-accent);background:var(--mw-subtle)}
.pending .text{color:var(--mw-muted)}
.note{background:var(--mw-note);color:var(--mw-note-text);border-radius:8px;padding:.35rem .7rem;font-size:.85rem;margin:.25rem 0;width:fit-content}
.more{margin:1rem 0 0;width:100%}
.btn{border:1px solid var(--mw-field);background:var(--mw-surface);color:var(--mw-text);border-radius:999px;padding:.5rem 1.2rem;font-weight:600}
.btn:hover{border-color:var(--mw-accent);color:var(--mw-accent)}
.primary{background:var(--mw-accent);border-color:var(--mw-accent);color:var(--mw-accent-text)}
.primary:hover{filter:brightness(1.08);color:var(--mw-accent-text)}
[aria-disabled=true]{opacity:.65;cursor:progress}
.respond{margin-top:1rem;padding:1.25rem;border-radius:var(--mw-radius);background:var(--mw-subtle)}
li>.respond{margin:.25rem 0 1rem 3.25rem}
.top{display:flex;justify-content:space-between;align-items:baseline;gap:1rem}
form{display:grid;gap:1rem}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr))}
label{display:block;font-weight:600;font-size:.9rem;margin-bottom:.3rem}
.req{color:var(--mw-error)}
input[type=text],input[type=email],input[type=url],textarea{width:100%;font:inherit;color:var(--mw-text);background:var(--mw-surface);
border:1px solid var(--mw-field);border-radius:8px;padding:.55rem .75rem}
textarea{min-height:8rem;resize:vertical}
input:focus-visible,textarea:focus-visible{outline-offset:0;border-color:var(--mw-focus)}
[aria-invalid=true]{border-color:var(--mw-error)!important;box-shadow:0 0 0 1px var(--mw-error)}
.err{color:var(--mw-error);font-size:.85rem;margin-top:.3rem;font-weight:500}
.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400;margin:0}
.check input{margin:.3rem 0 0;width:1rem;height:1rem;accent-color:var(--mw-accent)}
.send{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem}
.status{font-size:.9rem;font-weight:500}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
fieldset{border:0;padding:0;margin:0 0 .5rem;display:grid;gap:.25rem}
legend{font-weight:600;font-size:.9rem;margin-bottom:.25rem}
.report{margin:.5rem 0;padding:.75rem 1rem;border:1px solid var(--mw-border);border-radius:8px;display:block}
.report .check{font-size:.9rem}
.row{display:flex;gap:.5rem;align-items:center}
.small{padding:.3rem .9rem;font-size:.85rem}
@media (max-width:520px){.mw{padding:1rem}ol ol{margin-left:.4rem;padding-left:.7rem}}
@media (prefers-reduced-motion:no-preference){.fresh{animation:mw-in .4s ease-out}@keyframes mw-in{from{opacity:0;transform:translateY(4px)}}}
`;

  // One element with attributes and children. Strings become text nodes, never markup.
  const h = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (k === "class") e.className = v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    e.append(...kids.filter((k) => k != null));
    return e;
  };
  const fmt = (s, vars) => s.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? "");
  // A reader's string in an element of its own. Chromium lets a pop-directional-isolate (U+2069) with no
  // opener inside the string end the element's isolation early, so such strays are dropped.
  const unpaired = (s) => {
    let open = 0, out = "";
    for (const ch of s) {
      if (ch >= "\u2066" && ch <= "\u2068") open++;
      else if (ch === "\u2069") { if (!open) continue; open--; }
      out += ch;
    }
    return out;
  };
  const bdi = (s, cls) => h("bdi", { dir: "auto", class: cls }, unpaired(s));
  // "Reply to {name}" with the name isolated.
  const named = (s, name) => s.split("{name}").flatMap((part, i) => (i ? [bdi(name), part] : [part]));
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const int = (v, min, max, d) => { const n = parseInt(v, 10); return n >= min && n <= max ? n : d; };
  const json = (text) => { try { return JSON.parse(text || "{}") || {}; } catch { return {}; } };
  const store = (v) => {
    try {
      if (v === undefined) return JSON.parse(localStorage.getItem(STORE));
      if (v) localStorage.setItem(STORE, JSON.stringify(v)); else localStorage.removeItem(STORE);
    } catch { return null; } // storage can be blocked; remembering is only a convenience
  };
  const hue = (s) => { let x = 7; for (const ch of s) x = (x * 31 + ch.codePointAt(0)) >>> 0; return x % 360; };
  const initials = (name) => {
    const words = name.replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "").trim().split(/\s+/).filter(Boolean);
    const first = (w) => (w ? Array.from(w)[0].toUpperCase() : "");
    return first(words[0]) + (words.length > 1 ? first(words[words.length - 1]) : "") || "?";
  };
  const email = (v) => /^[^\s@<>()[\]\\,;:"]+@[^\s@.<>()[\]\\,;:"]+(\.[^\s@.<>()[\]\\,;:"]+)+$/.test(v);
  const webUrl = (v) => { try { const u = new URL(v); return /^https?:$/.test(u.protocol) && !!u.hostname; } catch { return false; } };
  // The host an author's link goes to (punycode for look-alike names), or null for a URL that gets no link:
  // not http(s), or with user info ("https://paypal.com@evil.example/" goes to evil.example).
  const linkHost = (v) => { try { const u = new URL(v); return webUrl(v) && !u.username && !u.password ? u.host : null; } catch { return null; } };
  // SQLite hands back times without a zone; they are UTC.
  const date = (s) => new Date(/Z|[+-]\d\d:?\d\d$/.test(s) ? s : s + "Z");

  function stringsFor(lang, embed) {
    const site = window.ModerationWidgetStrings || {};
    return Object.assign({}, EN, site[lang.split("-")[0]], site[lang], json(embed));
  }

  function mount(host) {
    if (host.shadowRoot) return;
    const d = host.dataset;
    const site = d.site;
    const thread = d.thread || location.pathname;
    const lang = d.lang || document.documentElement.lang || "en";
    const t = stringsFor(lang, d.strings);
    const pageSize = int(d.pageSize, 1, 200, 20);
    const maxDepth = int(d.maxDepth, 0, 10, 3);
    const canonical = document.querySelector('link[rel="canonical"]');
    const threadUrl = d.threadUrl || (canonical && canonical.href) || location.href.split("#")[0];
    const threadTitle = d.threadTitle || document.title;
    let rel, exact;
    try {
      rel = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
      exact = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" });
    } catch {
      rel = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
      exact = new Intl.DateTimeFormat("en", { dateStyle: "long", timeStyle: "short" });
    }

    const root = host.attachShadow({ mode: "open" });
    if (root.adoptedStyleSheets) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else root.append(h("style", {}, CSS)); // old browsers; a strict CSP would block this

    const entries = new Map(); // comment id -> {id, name, li, art, main, replies, depth}
    let total = 0, cursor = null, replyTo = null, replyButton = null, sending = false, retries = 0;
    const shownAt = Date.now();

    const count = h("h3", {}, t.loading);
    const empty = h("p", { class: "muted", hidden: true }, t.empty);
    const list = h("ol", { class: "list" });
    const more = h("button", { type: "button", class: "btn more", hidden: true, onclick: () => loadPage(true) }, t.loadMore);
    const loadStatus = h("p", { class: "status", role: "status" });

    // The form, in the order readers know from WordPress.
    const fields = {};
    const field = (name, type, autocomplete, required) => {
      const id = "mw-" + name, err = id + "-err";
      const attrs = { id, name, required, autocomplete, "aria-describedby": name === "authorEmail" ? `mw-notice ${err}` : err };
      const input = type === "textarea" ? h("textarea", { ...attrs, rows: 6 }) : h("input", { ...attrs, type, spellcheck: type === "text" ? null : "false" });
      const error = h("p", { class: "err", id: err });
      fields[name] = { input, error, label: t[name] };
      return h("div", {}, h("label", { for: id }, t[name], required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null), input, error);
    };
    const title = h("h3", { id: "mw-respond-title" }, t.leaveReply);
    const cancel = h("button", { type: "button", class: "link", hidden: true, onclick: () => stopReply(true) }, t.cancelReply);
    const remember = h("input", { type: "checkbox", id: "mw-remember" });
    const honeypot = h("input", { type: "text", id: "mw-hp", name: "mw-hp", tabindex: "-1", autocomplete: "off" });
    const post = h("button", { type: "submit", class: "btn primary" }, t.post);
    const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
    const form = h("form", { novalidate: true, "aria-labelledby": "mw-respond-title", onsubmit: (e) => { e.preventDefault(); submit(); } },
      h("div", {},
        h("div", { class: "top" }, title, cancel),
        h("p", { class: "muted", id: "mw-notice" }, t.notice)),
      h("div", { class: "grid" },
        field("authorName", "text", "name", true),
        field("authorEmail", "email", "email", true),
        field("authorUrl", "url", "url", false)),
      field("body", "textarea", "off", true),
      h("div", { class: "hp", "aria-hidden": "true" }, h("label", { for: "mw-hp" }, t.honeypot), honeypot),
      h("label", { class: "check", for: "mw-remember" }, remember, t.remember),
      h("div", { class: "send" }, post, status));
    const respond = h("div", { class: "respond" }, form);
    const bottom = h("div", {}, respond);
    root.append(h("section", { class: "mw", lang }, count, empty, loadStatus, list, more, bottom));

    const saved = store();
    if (saved) {
      remember.checked = true;
      for (const k of ["authorName", "authorEmail", "authorUrl"]) fields[k].input.value = saved[k] || "";
    }

    // ---- the list ----
    function setCount(n) {
      total = n;
      count.textContent = n === 0 ? t.count0 : n === 1 ? t.count1 : fmt(t.countN, { n: n.toLocaleString(lang) });
      empty.hidden = n > 0 || entries.size > 0;
    }

    function ago(when) {
      const s = (when - Date.now()) / 1000, a = Math.abs(s);
      if (a < 45) return t.justNow;
      const [unit, size] = a < 3600 ? ["minute", 60] : a < 86400 ? ["hour", 3600] : a < 604800 ? ["day", 86400]
        : a < 2629800 ? ["week", 604800] : a < 31557600 ? ["month", 2629800] : ["year", 31557600];
      return rel.format(Math.round(s / size), unit);
    }

    function render(c, pending) {
      const when = pending ? new Date() : date(c.createdAt);
      const host = c.authorUrl && linkHost(c.authorUrl);
      const who = host ? h("a", { class: "who", href: c.authorUrl, rel: "nofollow ugc noopener" }, bdi(c.authorName)) : h("span", { class: "who" }, bdi(c.authorName));
      const av = h("div", { class: "av", "aria-hidden": "true" }, initials(c.authorName));
      av.style.setProperty("--h", hue(c.authorName)); // CSSOM, not a style attribute: allowed by a strict CSP
      const parent = entries.get(c.parentId);
      const flattened = parent && parent.depth >= maxDepth;
      const time = h("time", { datetime: when.toISOString(), title: exact.format(when) }, ago(when));
      const main = h("div", { class: "main" },
        h("div", { class: "head" }, who, host ? bdi(host, "host") : null, time, flattened ? h("span", { class: "to" }, ...named(t.inReplyTo, parent.name)) : null),
        h("p", { class: "text", dir: "auto" }, unpaired(c.body)));
      const art = h("article", { class: "c" + (pending ? " pending" : ""), tabindex: "-1", "data-id": c.id }, av, main);
      const replies = h("ol", { class: "replies" });
      const li = h("li", {}, art, replies);
      const entry = { id: c.id, name: c.authorName, li, art, main, replies, time, when, depth: 0 };
      if (!parent) list.append(li);
      else if (flattened) { entry.depth = parent.depth; parent.li.parentNode.append(li); }
      else { entry.depth = parent.depth + 1; parent.replies.append(li); }
      entries.set(c.id, entry);
      if (pending) main.append(entry.note = h("p", { class: "note" }, t.awaiting));
      else actions(entry);
      return entry;
    }

    function actions(entry) {
      const reply = h("button", { type: "button", class: "link", onclick: () => startReply(entry, reply) }, t.reply);
      const report = h("button", { type: "button", class: "link", "aria-expanded": "false", onclick: () => openReport(entry, report) }, t.report);
      entry.main.append(h("div", { class: "acts" }, reply, report));
    }

    async function loadPage(focusNew) {
      more.setAttribute("aria-disabled", "true");
      loadStatus.replaceChildren();
      try {
        const q = new URLSearchParams({ siteId: site, threadId: thread, limit: pageSize });
        if (cursor) q.set("cursor", cursor);
        const res = await fetch(`${API}/api/v1/comments?${q}`, { credentials: "omit" });
        if (!res.ok) throw new Error(res.status);
        const page = await res.json();
        let first = null;
        for (const c of page.comments) {
          const known = entries.get(c.id);
          if (known) { if (known.note) publish(known, false); continue; }
          const entry = render(c, false);
          first = first || entry;
        }
        cursor = page.nextCursor;
        more.hidden = !cursor;
        setCount(page.count);
        if (focusNew && first) first.art.focus();
      } catch {
        if (!entries.size) count.textContent = t.loadFailed;
        loadStatus.append(t.loadFailed, " ", h("button", { type: "button", class: "link", onclick: () => loadPage(false) }, t.retry));
      } finally {
        more.removeAttribute("aria-disabled");
      }
    }

    setInterval(() => { for (const e of entries.values()) e.time.textContent = ago(e.when); }, 60000);

    // ---- replying and reporting ----
    function startReply(entry, button) {
      replyTo = entry;
      replyButton = button;
      entry.art.after(respond);
      title.replaceChildren(...named(t.replyTo, entry.name));
      cancel.hidden = false;
      (fields.authorName.input.value ? fields.body.input : fields.authorName.input).focus();
    }

    function stopReply(focusBack) {
      replyTo = null;
      bottom.append(respond);
      title.textContent = t.leaveReply;
      cancel.hidden = true;
      if (focusBack && replyButton) replyButton.focus();
    }

    function openReport(entry, button) {
      if (entry.report) return entry.report.querySelector("input").focus();
      const name = "mw-reason-" + entry.id;
      const message = h("p", { class: "status", role: "status" });
      const close = () => { entry.report.remove(); entry.report = null; button.setAttribute("aria-expanded", "false"); button.focus(); };
      const send = h("button", { type: "submit", class: "btn primary small" }, t.sendReport);
      entry.report = h("form", { class: "report", onsubmit: async (e) => {
        e.preventDefault();
        send.setAttribute("aria-disabled", "true");
        const reason = new FormData(entry.report).get(name);
        let ok = false;
        try {
          const res = await fetch(`${API}/api/v1/comments/${encodeURIComponent(entry.id)}/reports`, {
            method: "POST", credentials: "omit", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ reason }) });
          ok = res.ok;
        } catch { /* reported below */ }
        send.removeAttribute("aria-disabled");
        message.textContent = ok ? t.reported : t.reportFailed;
        if (ok) send.remove();
      } },
      h("fieldset", {}, h("legend", {}, t.reportTitle),
        ...REASONS.map((r, i) => h("label", { class: "check" }, h("input", { type: "radio", name, value: r, checked: i === 0 }), t["reason-" + r]))),
      h("div", { class: "row" }, send, h("button", { type: "button", class: "link", onclick: close }, t.cancel)),
      message);
      entry.main.append(entry.report);
      button.setAttribute("aria-expanded", "true");
      entry.report.querySelector("input").focus();
    }

    // ---- posting ----
    function values() {
      const v = {};
      for (const k in fields) v[k] = fields[k].input.value.trim();
      return v;
    }

    // The server's rules (CommentValidator), so that most mistakes never leave the page.
    function validate(v) {
      const errors = {};
      for (const k in fields) {
        const value = v[k], label = fields[k].label;
        if (!value) { if (fields[k].input.required) errors[k] = fmt(t.required, { label }); continue; }
        if (value.length > LIMITS[k]) errors[k] = fmt(t.tooLong, { label, max: LIMITS[k], n: value.length });
        else if ((k === "body" ? /[\0-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/ : /[\0-\x1f\x7f-\x9f]/).test(value)) errors[k] = fmt(t.control, { label });
        else if (k === "authorEmail" && !email(value)) errors[k] = fmt(t.badEmail, { label });
        else if (k === "authorUrl" && !webUrl(value)) errors[k] = fmt(t.badUrl, { label });
        else if (k === "authorUrl" && !linkHost(value)) errors[k] = fmt(t.badUrlUser, { label });
      }
      return errors;
    }

    function showErrors(errors) {
      let first = null;
      for (const k in fields) {
        const f = fields[k], message = errors[k];
        f.error.textContent = message ? [].concat(message).join(" ") : "";
        if (message) { f.input.setAttribute("aria-invalid", "true"); first = first || f.input; }
        else f.input.removeAttribute("aria-invalid");
      }
      return first;
    }

    function say(...parts) { status.replaceChildren(...parts); }

    function submit() {
      if (sending) return;
      const v = values();
      const first = showErrors(validate(v));
      if (first) { say(t.fixErrors); first.focus(); return; }
      retries = 0;
      send({
        siteId: site, threadId: thread, threadUrl, threadTitle, parentId: replyTo ? replyTo.id : null,
        authorName: v.authorName, authorEmail: v.authorEmail, authorUrl: v.authorUrl || null, body: v.body,
        honeypot: honeypot.value,
      });
    }

    async function send(comment) {
      sending = true;
      post.setAttribute("aria-disabled", "true");
      post.textContent = t.posting;
      let res, problem;
      try {
        res = await fetch(`${API}/api/v1/comments`, {
          method: "POST", credentials: "omit", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ ...comment, elapsedMs: Date.now() - shownAt }),
        });
        problem = await res.json().catch(() => ({}));
      } catch {
        res = null;
      }
      sending = false;
      post.removeAttribute("aria-disabled");
      post.textContent = t.post;
      const again = () => send(comment);
      if (!res) {
        addEventListener("online", again, { once: true });
        return say(navigator.onLine === false ? t.offline : t.unreachable, " ", h("button", { type: "button", class: "link", onclick: () => { removeEventListener("online", again); again(); } }, t.retry));
      }
      if (res.status === 202) return accepted(comment, problem);
      if ((res.status === 429 || res.status === 503) && retries < 5) {
        retries++;
        const header = res.headers.get("Retry-After");
        let wait = Number(header);
        if (!(wait >= 0)) wait = header ? (Date.parse(header) - Date.now()) / 1000 : 5;
        wait = Math.min(Math.max(Math.ceil(wait) || 1, 1), 120);
        say(fmt(t.busy, { s: wait }));
        return setTimeout(again, wait * 1000);
      }
      const fieldErrors = {}, other = [];
      for (const [k, messages] of Object.entries(problem.errors || {}))
        if (fields[k]) fieldErrors[k] = messages; else other.push(...[].concat(messages));
      const first = showErrors(fieldErrors);
      if (first) { say(t.fixErrors, " ", other.join(" ")); first.focus(); return; }
      say(fmt(t.failed, { detail: other.join(" ") || problem.detail || problem.title || res.status }),
        " ", h("button", { type: "button", class: "link", onclick: again }, t.retry));
    }

    function accepted(comment, result) {
      store(remember.checked ? { authorName: comment.authorName, authorEmail: comment.authorEmail, authorUrl: comment.authorUrl || "" } : null);
      fields.body.input.value = "";
      if (replyTo) stopReply(false);
      const entry = render({ id: result.id, parentId: comment.parentId, authorName: comment.authorName, authorUrl: comment.authorUrl, body: comment.body }, true);
      entry.li.classList.add("fresh");
      empty.hidden = true;
      say(t.awaiting);
      follow(API + result.statusUrl, entry);
    }

    // Poll the submitter's status link with backoff until a moderator or the scorer has decided.
    async function follow(url, entry) {
      for (let wait = 1000, until = Date.now() + 30 * 60000; Date.now() < until && entry.note; wait = Math.min(wait * 2, 30000)) {
        await sleep(wait);
        let state;
        try {
          const res = await fetch(url, { credentials: "omit" });
          state = res.ok && (await res.json()).status;
        } catch { continue; }
        if (state === "approved") return publish(entry, true);
        if (state === "rejected") { entry.note.textContent = t.rejected; entry.note = null; return; }
      }
    }

    function publish(entry, counted) {
      entry.note.remove();
      entry.note = null;
      entry.art.classList.remove("pending");
      actions(entry);
      if (counted) setCount(total + 1);
      say(t.published);
    }

    loadPage(false);
  }

  function start() {
    document.querySelectorAll("#comments[data-site], [data-moderation-comments]").forEach(mount);
  }
  window.ModerationWidget = { mount };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
