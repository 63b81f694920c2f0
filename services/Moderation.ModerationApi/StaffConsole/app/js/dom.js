// DOM helpers. Everything from the API is inserted as text: nothing in the console parses HTML
// (the page requires Trusted Types, so an HTML sink would throw anyway).

/** h("button", {class: "x", onclick: f}, "text", child) — strings become text nodes. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name === "value" || (name in el && typeof value !== "string")) el[name] = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * A reader's string (name, body, URL, title, anything a commenter sent) in an element of its own, isolated
 * (`<bdi dir="auto">`), so bidirectional controls in it cannot reorder the text after it. Chromium lets a
 * pop-directional-isolate (U+2069) with no opener in the string end the element's isolation early: such
 * strays are dropped.
 */
export function bdi(text, attrs) {
  return h("bdi", { dir: "auto", ...attrs }, unpaired(String(text ?? "")));
}

export function unpaired(text) {
  let open = 0, out = "";
  for (const ch of text) {
    if (ch >= "\u2066" && ch <= "\u2068") open++;
    else if (ch === "\u2069") { if (!open) continue; open--; }
    out += ch;
  }
  return out;
}

/** A reader's string for an attribute (aria-label, title), where it cannot be isolated: without bidi controls. */
export const plain = (text) => String(text ?? "").replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "");

let ids = 0;
export const uid = (prefix) => `${prefix}-${++ids}`;

/** A labelled form field: h("label") + control, with an error slot the API's problem errors go into. */
export function field(label, control, hint) {
  control.id ||= uid("f");
  const error = h("span", { class: "field-error", id: control.id + "-err" });
  const hintEl = hint ? h("span", { class: "hint", id: control.id + "-hint" }, hint) : null;
  control.setAttribute("aria-describedby", [hintEl?.id, error.id].filter(Boolean).join(" "));
  return h("div", { class: "field", dataset: { field: control.name || "" } },
    h("label", { for: control.id }, label), control, hintEl, error);
}

/** Puts a problem document's `errors.{field}` next to the fields of `form` named so; returns what was not placed. */
export function showFieldErrors(form, problem) {
  for (const el of form.querySelectorAll(".field-error")) el.textContent = "";
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  const rest = [];
  for (const [name, messages] of Object.entries(problem?.errors ?? {})) {
    const control = form.querySelector(`[name="${CSS.escape(name)}"]`) ?? form.querySelector(`[name="${CSS.escape(name.charAt(0).toLowerCase() + name.slice(1))}"]`);
    const text = [].concat(messages).join(" ");
    if (control) {
      control.setAttribute("aria-invalid", "true");
      document.getElementById(control.id + "-err").textContent = text;
    } else rest.push(`${name}: ${text}`);
  }
  return rest;
}

export function toast(message, kind = "info") {
  const region = document.getElementById(kind === "error" ? "alerts" : "toasts");
  const item = h("div", { class: `toast ${kind}` }, message);
  region.append(item);
  setTimeout(() => item.remove(), kind === "error" ? 9000 : 4000);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
export function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateTime.format(d);
}

export function ago(iso) {
  const seconds = (Date.now() - new Date(iso).getTime()) / 1000;
  if (!Number.isFinite(seconds)) return "";
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

export const score = (s) => (typeof s === "number" ? s.toFixed(2) : "—");

/**
 * A modal confirmation; resolves true when confirmed. `body` may be nodes or text. With `typeToConfirm`,
 * the confirm button stays disabled until that exact text is typed.
 */
export function confirmDialog({ title, body, confirm = "Confirm", danger = false, typeToConfirm }) {
  return new Promise((resolve) => {
    const ok = h("button", { type: "submit", class: danger ? "danger" : "primary", value: "ok" }, confirm);
    const typed = typeToConfirm ? h("input", { name: "confirmation", autocomplete: "off", spellcheck: "false" }) : null;
    if (typed) {
      ok.disabled = true;
      typed.addEventListener("input", () => { ok.disabled = typed.value.trim() !== typeToConfirm; });
    }
    const titleId = uid("dlg");
    const dialog = h("dialog", { class: "dialog", "aria-labelledby": titleId },
      h("form", { method: "dialog" },
        h("h2", { id: titleId }, title),
        h("div", { class: "dialog-body" }, body, typed ? field(`Type ${typeToConfirm} to confirm`, typed) : null),
        h("div", { class: "actions" }, h("button", { type: "submit", value: "cancel", class: "quiet" }, "Cancel"), ok)));
    dialog.addEventListener("close", () => { dialog.remove(); resolve(dialog.returnValue === "ok"); });
    document.body.append(dialog);
    dialog.showModal();
    (typed ?? ok).focus();
  });
}

/** Debounces `fn` by `ms`. */
export function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

/** Offers `text` as a file download (no server round trip, nothing navigates). */
export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
