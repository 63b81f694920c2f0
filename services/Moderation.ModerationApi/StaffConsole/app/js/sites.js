// Sites: every site's settings, editable; new sites.
import { api, describe } from "./api.js";
import { h, clear, field, toast, when, score, showFieldErrors } from "./dom.js";

export async function mount(container, args) {
  const view = { container, update: (a) => show(container, a) };
  await show(container, args);
  return view;
}

async function show(container, args) {
  const [siteId] = args ?? [];
  if (siteId === "new") return edit(container, null);
  if (siteId) return edit(container, await api(`admin/sites/${encodeURIComponent(siteId)}`));
  const sites = await api("admin/sites");
  clear(container,
    h("div", { class: "title-row" }, h("h1", {}, "Sites"), h("a", { class: "button primary", href: "#/sites/new" }, "New site")),
    h("table", { class: "data" },
      h("thead", {}, h("tr", {}, ["Site", "Approve below", "Spam from", "Max links", "Premoderated", "Allowed origins", "Updated"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, sites.map((s) => h("tr", {},
        h("th", { scope: "row" }, h("a", { href: `#/sites/${encodeURIComponent(s.id)}` }, s.name), h("span", { class: "muted" }, ` ${s.id}`)),
        h("td", { class: "num" }, score(s.approveBelow)),
        h("td", { class: "num" }, score(s.rejectAbove)),
        h("td", { class: "num" }, String(s.maxLinks)),
        h("td", {}, s.premoderateAll ? "yes" : "no"),
        h("td", {}, (s.allowedOrigins ?? []).join(", ")),
        h("td", {}, when(s.updatedAt)))))));
}

function edit(container, site) {
  const isNew = !site;
  // A new site's numbers start empty: the API gives each the site default (the thresholds the evaluation chose,
  // docs/scoring.md), so the console never keeps a copy of them that could drift.
  site ??= { id: "", name: "", allowedOrigins: [], holdWords: [], blockWords: [],
    premoderateAll: false, trustApprovedAuthors: true, holdFirstComments: false, closeAfterDays: null };
  const input = (name, attrs = {}) => h("input", { name, value: site[name] ?? "", autocomplete: "off", ...attrs });
  const lines = (name, placeholder) => h("textarea", { name, rows: "3", placeholder, value: (site[name] ?? []).join("\n") });
  const check = (name) => h("input", { type: "checkbox", name, checked: !!site[name] });
  const num = (name, attrs) => input(name, { type: "number", ...(isNew ? { placeholder: "default" } : {}), ...attrs });
  const status = h("p", { class: "form-status", role: "alert" });
  const form = h("form", { class: "card site-form", "aria-labelledby": "site-title" },
    h("h1", { id: "site-title" }, isNew ? "New site" : site.name),
    h("fieldset", {}, h("legend", {}, "Site"),
      isNew ? field("Id", input("id", { required: true }), "Used in the widget's data-site attribute; cannot change later.") : null,
      field("Name", input("name", { required: true })),
      field("Allowed origins", lines("allowedOrigins", "https://www.example.com"), "One per line: scheme://host[:port] of the pages that embed the widget.")),
    h("fieldset", {}, h("legend", {}, "Thresholds"),
      field("Approve below", num("approveBelow", { min: "0", max: "1", step: "0.01" })),
      field("Spam from", num("rejectAbove", { min: "0", max: "1", step: "0.01" })),
      isNew ? null : h("p", {}, h("a", { href: `#/thresholds/${encodeURIComponent(site.id)}` }, "See what a change would do (what-if)"))),
    h("fieldset", {}, h("legend", {}, "Rules"),
      field("Max links", num("maxLinks", { min: "0" })),
      field("Hold words", lines("holdWords", "casino"), "One per line: a comment containing one is held."),
      field("Block words", lines("blockWords"), "One per line: a comment containing one goes to spam."),
      h("div", { class: "field check" }, h("label", {}, check("premoderateAll"), " Hold every comment for a moderator")),
      h("div", { class: "field check" }, h("label", {}, check("trustApprovedAuthors"), " Publish authors with approved comments")),
      h("div", { class: "field check" }, h("label", {}, check("holdFirstComments"), " Hold the first comment from each new address")),
      field("Close threads after (days)", num("closeAfterDays", { min: "1", placeholder: "never" })),
      field("Comments per minute per IP", num("commentsPerMinutePerIp", { min: "1" })),
      field("Reports before a comment is taken down", num("reportsToHold", { min: "1" }))),
    status,
    h("div", { class: "actions" }, h("a", { class: "button quiet", href: "#/sites" }, "Back"), h("button", { type: "submit", class: "primary" }, isNew ? "Create site" : "Save")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const list = (name) => String(data.get(name) ?? "").split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
    const number = (name) => (data.get(name) === "" ? null : Number(data.get(name)));
    const body = {
      id: isNew ? String(data.get("id")).trim() : site.id,
      name: String(data.get("name")).trim(),
      allowedOrigins: list("allowedOrigins"),
      approveBelow: number("approveBelow"), rejectAbove: number("rejectAbove"), maxLinks: number("maxLinks"),
      holdWords: list("holdWords"), blockWords: list("blockWords"),
      premoderateAll: data.has("premoderateAll"), trustApprovedAuthors: data.has("trustApprovedAuthors"), holdFirstComments: data.has("holdFirstComments"),
      closeAfterDays: number("closeAfterDays"), commentsPerMinutePerIp: number("commentsPerMinutePerIp"), reportsToHold: number("reportsToHold"),
    };
    status.textContent = "";
    try {
      const saved = await api(isNew ? "admin/sites" : `admin/sites/${encodeURIComponent(site.id)}`, { method: isNew ? "POST" : "PUT", body });
      showFieldErrors(form, null);
      toast(isNew ? `Created ${saved?.name ?? body.name}.` : `Saved ${saved?.name ?? body.name}; workers apply it within seconds.`);
      location.hash = `#/sites/${encodeURIComponent(saved?.id ?? body.id)}`;
      if (!isNew) edit(container, saved ?? body);
    } catch (error) {
      const rest = showFieldErrors(form, error.problem);
      status.textContent = [describe(error), ...rest].join(" ");
    }
  });
  clear(container, form);
}
