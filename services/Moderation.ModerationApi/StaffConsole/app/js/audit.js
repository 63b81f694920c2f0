// The audit log: who did what and when, before and after; filters; CSV and NDJSON export.
import { api, describe } from "./api.js";
import { h, clear, field, toast, when, download } from "./dom.js";
import { PagedRows } from "./paging.js";

export async function mount(container) {
  const view = new AuditView(container);
  await view.reload();
  return view;
}

class AuditView {
  constructor(container) {
    const input = (name, attrs = {}) => h("input", { name, autocomplete: "off", ...attrs });
    this.form = h("form", { class: "filters", "aria-label": "Filters" },
      field("Who", input("actor")), field("Action", input("action", { placeholder: "e.g. comment.approve" })),
      field("Site", input("siteId")), field("Target id", input("targetId")),
      field("From", input("from", { type: "date" })), field("To", input("to", { type: "date" })),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Apply"),
        h("button", { type: "button", class: "quiet", onclick: () => this.export("csv") }, "Export CSV"),
        h("button", { type: "button", class: "quiet", onclick: () => this.export("ndjson") }, "Export NDJSON")));
    this.form.addEventListener("submit", (e) => { e.preventDefault(); this.reload(); });
    this.rows = h("tbody");
    this.more = h("button", { type: "button", class: "quiet more", hidden: true, onclick: () => this.pages.load() }, "Load more");
    this.status = h("p", { class: "muted", "aria-live": "polite" });
    this.pages = new PagedRows({ rows: this.rows, more: this.more, status: this.status,
      fetchPage: (cursor) => api("admin/audit", { query: { ...this.filters(), cursor, limit: 100 } }),
      render: (e) => h("tr", {},
        h("td", {}, h("time", { datetime: e.at }, when(e.at))),
        h("td", {}, e.actor),
        h("td", {}, h("code", {}, e.action)),
        h("td", {}, `${e.targetType} `, h("code", {}, e.targetId)),
        h("td", {}, e.siteId ?? ""),
        h("td", {}, e.before || e.after ? h("details", {}, h("summary", {}, "before / after"),
          h("div", { class: "diff" },
            h("div", {}, h("h3", {}, "Before"), h("pre", {}, e.before ? JSON.stringify(e.before, null, 2) : "—")),
            h("div", {}, h("h3", {}, "After"), h("pre", {}, e.after ? JSON.stringify(e.after, null, 2) : "—")))) : "")),
      shown: (n) => (n ? `${n} entries shown` : "No entries match.") });
    clear(container, h("h1", {}, "Audit log"), this.form,
      h("table", { class: "data audit" },
        h("thead", {}, h("tr", {}, ["When", "Who", "Action", "Target", "Site", "Change"].map((c) => h("th", { scope: "col" }, c)))),
        this.rows),
      this.status, this.more);
  }

  filters() {
    const data = Object.fromEntries(new FormData(this.form));
    if (data.from) data.from = new Date(data.from + "T00:00:00").toISOString();
    if (data.to) data.to = new Date(new Date(data.to + "T00:00:00").getTime() + 86400_000).toISOString();
    return data;
  }

  reload() {
    return this.pages.reload();
  }

  async export(format) {
    try {
      const response = await api("admin/audit/export", { query: { ...this.filters(), format }, raw: true });
      download(await response.blob(), `audit-${new Date().toISOString().slice(0, 10)}.${format === "csv" ? "csv" : "ndjson"}`);
    } catch (error) {
      toast(describe(error), "error");
    }
  }
}
