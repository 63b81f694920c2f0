// Domains: what moderators' spam and approve decisions taught about the domains comments link, and admins'
// overrides (blocked: every comment linking it is spam; trusted: its reputation never holds a comment).
import { api, describe } from "./api.js";
import { h, clear, field, toast, when, bdi, confirmDialog, showFieldErrors } from "./dom.js";
import { PagedRows } from "./paging.js";

export async function mount(container) {
  const view = new DomainsView(container);
  await view.reload();
  return view;
}

const OVERRIDES = { none: "—", blocked: "Blocked", trusted: "Trusted" };

class DomainsView {
  constructor(container) {
    const input = (name, attrs = {}) => h("input", { name, autocomplete: "off", spellcheck: "false", ...attrs });
    this.filters = h("form", { class: "filters", "aria-label": "Filters" },
      field("Site", input("siteId", { placeholder: "every site" })), field("Domain contains", input("search")),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Apply")));
    this.filters.addEventListener("submit", (e) => { e.preventDefault(); this.reload(); });
    this.rows = h("tbody");
    this.more = h("button", { type: "button", class: "quiet more", hidden: true, onclick: () => this.pages.load() }, "Load more");
    this.status = h("p", { class: "muted", "aria-live": "polite" });
    this.pages = new PagedRows({ rows: this.rows, more: this.more, status: this.status,
      fetchPage: (cursor) => api("admin/domains", { query: { ...Object.fromEntries(new FormData(this.filters)), cursor, limit: 100 } }),
      render: (d) => this.row(d),
      shown: (n) => (n ? `${n} domains shown` : "No domains yet.") });
    clear(container, h("h1", {}, "Domains"),
      h("p", { class: "muted" }, "Domains that comments marked spam (or whose authors were banned from them) and approved comments link, "
        + "on one site and on every site. Marked spam more often than approved, a domain holds the next comment linking it, then files it as spam."),
      this.filters,
      h("table", { class: "data domains" },
        h("thead", {}, h("tr", {}, ["Domain", "Site", "Spam", "Approved", "Last decision", "Override", ""].map((c) => h("th", { scope: "col" }, c)))),
        this.rows),
      this.status, this.more, this.overrideForm());
  }

  reload() {
    return this.pages.reload();
  }

  row(d) {
    const where = d.siteId ?? "every site";
    const set = (override, label) => h("button", { type: "button", class: `small ${override === "blocked" ? "danger" : "quiet"}`,
      "aria-label": `${label} ${d.domain} on ${where}`, onclick: () => this.setOverride(d.domain, d.siteId, override) }, label);
    return h("tr", { dataset: { domain: d.domain, site: d.siteId ?? "" } },
      h("th", { scope: "row" }, bdi(d.domain)),
      h("td", {}, where),
      h("td", { class: "num" }, String(d.spamCount)),
      h("td", { class: "num" }, String(d.hamCount)),
      h("td", {}, d.lastSeenAt ? h("time", { datetime: d.lastSeenAt }, when(d.lastSeenAt)) : "—"),
      h("td", {}, OVERRIDES[d.override] ?? d.override, d.overrideBy ? h("span", { class: "muted" }, ` by ${d.overrideBy}`) : null),
      h("td", { class: "row-actions" },
        d.override !== "blocked" ? set("blocked", "Block") : null,
        d.override !== "trusted" ? set("trusted", "Trust") : null,
        d.override !== "none" ? set("none", "Clear override") : null,
        d.spamCount || d.hamCount ? h("button", { type: "button", class: "small quiet", "aria-label": `Forget the counts of ${d.domain} on ${where}`,
          onclick: () => this.forget(d) }, "Forget counts…") : null));
  }

  async setOverride(domain, siteId, override) {
    try {
      await api(`admin/domains/${encodeURIComponent(domain)}`, { method: "PUT", body: { override, siteId: siteId ?? undefined } });
      toast(override === "none" ? `${domain}: override cleared.` : `${domain} is ${override}.`);
      await this.reload();
    } catch (error) {
      toast(describe(error), "error");
    }
  }

  async forget(d) {
    const where = d.siteId ?? "every site";
    const ok = await confirmDialog({ title: "Forget these counts?", confirm: "Forget", danger: true,
      body: `${d.domain} on ${where}: marked spam ${d.spamCount}, approved ${d.hamCount}. Later decisions count from zero.` });
    if (!ok) return;
    try {
      await api(`admin/domains/${encodeURIComponent(d.domain)}`, { method: "DELETE", query: { siteId: d.siteId ?? undefined } });
      toast(`Forgot the counts of ${d.domain} on ${where}.`);
      await this.reload();
    } catch (error) {
      toast(describe(error), "error");
    }
  }

  overrideForm() {
    const domain = h("input", { name: "domain", required: true, autocomplete: "off", spellcheck: "false", placeholder: "example.com" });
    const site = h("input", { name: "siteId", autocomplete: "off", placeholder: "every site" });
    const override = h("select", { name: "override" }, h("option", { value: "blocked" }, "Block"), h("option", { value: "trusted" }, "Trust"));
    const status = h("p", { class: "form-status", role: "alert" });
    const form = h("form", { class: "card inline-form", "aria-labelledby": "domain-override-title" },
      h("h2", { id: "domain-override-title" }, "Block or trust a domain"),
      field("Domain", domain, "A registrable domain: example.com, not shop.example.com."), field("Site", site, "A site id; empty for every site."),
      field("Override", override), status,
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Save")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      status.textContent = "";
      showFieldErrors(form, null); // the form stays after a save: an earlier attempt's errors must not
      try {
        await api(`admin/domains/${encodeURIComponent(domain.value.trim())}`, { method: "PUT",
          body: { override: override.value, siteId: site.value.trim() || undefined } });
        toast(`${domain.value.trim()} is ${override.value}.`);
        form.reset();
        await this.reload();
      } catch (error) {
        const rest = showFieldErrors(form, error.problem);
        status.textContent = [describe(error), ...rest].join(" ");
      }
    });
    return form;
  }
}
