// The queue: held, reported, spam and recently auto-approved comments, worked from the keyboard.
import { api, session, describe, ApiError } from "./api.js";
import { h, clear, field, toast, when, ago, score, confirmDialog, debounce, uid, bdi, unpaired, plain } from "./dom.js";

export const QUEUES = {
  held: "Held",
  reported: "Reported",
  spam: "Spam",
  approved: "Recently approved",
};

export const REJECT_REASONS = {
  offTopic: "Off topic",
  abusive: "Abusive",
  personalAttack: "Personal attack",
  spam: "Spam",
  legal: "Legal",
  other: "Other",
};

const DECISIONS = {
  approve: { label: "Approve", done: "Approved", key: "a" },
  notSpam: { label: "Not spam", done: "Marked not spam", key: "n" },
  spam: { label: "Spam", done: "Marked spam", key: "s" },
  reject: { label: "Reject…", done: "Rejected", key: "r" },
  delete: { label: "Delete…", done: "Deleted", key: "d" },
};

export const SHORTCUTS = [
  ["j / k", "next / previous comment"],
  ["a", "approve"],
  ["s", "spam"],
  ["r", "reject (asks for a reason)"],
  ["n", "not spam"],
  ["d", "delete (asks to confirm)"],
  ["o", "open the article in a new tab"],
  ["x", "select / unselect"],
  ["Shift + A", "approve the selected comments"],
  ["Esc", "clear the selection"],
  ["?", "this help"],
];

const POLL_MS = 5000;
const PAGE = 50;
const FILTERS_KEY = "moderation.queueFilters";

export async function mount(container, args) {
  const queue = new QueueView(container);
  await queue.update(args);
  return queue;
}

class QueueView {
  constructor(container) {
    this.container = container;
    this.queue = "held";
    this.items = [];
    this.index = 0;
    this.selected = new Set();
    this.cursor = null;
    this.details = new Map();
    this.siteOrigins = new Map(); // site id -> Set of its allowed origins; an article link is followed only to these
    this.counts = null;
    this.loading = false;
    this.generation = 0;
    this.filters = JSON.parse(sessionStorage.getItem(FILTERS_KEY) ?? "{}");
    this.build();
    this.onKey = (event) => this.key(event);
    document.addEventListener("keydown", this.onKey);
    this.poll = setInterval(() => { if (!document.hidden) this.refreshCounts(); }, POLL_MS);
    this.loadDetailSoon = debounce(() => this.loadDetail(), 120);
  }

  leave() {
    document.removeEventListener("keydown", this.onKey);
    clearInterval(this.poll);
  }

  async update(args) {
    const queue = QUEUES[args?.[0]] ? args[0] : "held";
    this.queue = queue;
    for (const [name, tab] of Object.entries(this.tabs)) {
      if (name === queue) tab.setAttribute("aria-current", "page"); else tab.removeAttribute("aria-current");
    }
    this.heading.textContent = QUEUES[queue];
    this.refreshCounts();
    await this.reload();
  }

  // ---------------------------------------------------------------- layout

  build() {
    this.tabs = {};
    const tabs = h("nav", { class: "tabs", "aria-label": "Queues" }, Object.entries(QUEUES).map(([name, title]) => {
      const count = h("span", { class: "count", "aria-hidden": "true" }, "…");
      const link = h("a", { href: `#/queue/${name}`, class: "tab", dataset: { queue: name } }, title, " ", count);
      link.count = count;
      link.title = title;
      this.tabs[name] = link;
      return link;
    }));
    this.liveCounts = h("p", { class: "sr-only", "aria-live": "polite", "aria-atomic": "true", id: "queue-counts" });

    this.heading = h("h1", { class: "sr-only" }, "Queue");
    this.filterForm = this.buildFilters();
    this.list = h("ol", { class: "items", "aria-label": "Comments", "aria-describedby": "queue-hint" });
    this.empty = h("p", { class: "empty", hidden: true }, "Nothing here. Well done.");
    this.more = h("button", { type: "button", class: "quiet more", hidden: true, onclick: () => this.loadMore() }, "Load more");
    this.status = h("p", { class: "list-status muted", "aria-live": "polite" });
    this.bulk = this.buildBulkBar();
    this.detail = h("aside", { class: "detail", "aria-label": "Comment details", tabindex: "-1" },
      h("p", { class: "muted" }, "Select a comment to see everything stored about it."));

    clear(this.container,
      this.heading,
      h("div", { class: "queue-head" }, tabs,
        h("button", { type: "button", class: "quiet", onclick: () => this.reload(), title: "Reload the list" }, "Refresh"),
        h("button", { type: "button", class: "quiet", onclick: () => this.help(), "aria-keyshortcuts": "?" }, "Shortcuts (?)")),
      this.liveCounts,
      this.filterForm,
      this.bulk,
      h("div", { class: "queue-body" },
        h("section", { class: "list", "aria-labelledby": this.heading.id || undefined },
          h("p", { class: "sr-only", id: "queue-hint" }, "Keyboard: j and k move, a approves, s spam, r rejects, x selects; press ? for all shortcuts."),
          this.list, this.empty, this.status, this.more),
        this.detail));
  }

  buildFilters() {
    const f = this.filters;
    const sites = h("datalist", { id: uid("sites") });
    const site = h("input", { name: "siteId", value: f.siteId ?? "", list: sites.id, autocomplete: "off", placeholder: "all sites" });
    const thread = h("input", { name: "threadId", value: f.threadId ?? "", autocomplete: "off", placeholder: "any thread" });
    const reason = h("input", { name: "reason", value: f.reason ?? "", autocomplete: "off", placeholder: "e.g. link" });
    const min = h("input", { name: "minScore", type: "number", min: "0", max: "1", step: "0.01", value: f.minScore ?? "", placeholder: "0" });
    const max = h("input", { name: "maxScore", type: "number", min: "0", max: "1", step: "0.01", value: f.maxScore ?? "", placeholder: "1" });
    const sort = h("select", { name: "sort" },
      [["newest", "Newest first"], ["oldest", "Oldest first"], ["score", "Highest score"], ["scoreAsc", "Lowest score"]]
        .map(([value, label]) => h("option", { value, selected: (f.sort ?? "newest") === value }, label)));
    const form = h("form", { class: "filters", "aria-label": "Filters" },
      field("Site", site), sites, field("Thread", thread), field("Reason contains", reason),
      field("Min score", min), field("Max score", max), field("Sort", sort),
      h("div", { class: "actions" },
        h("button", { type: "submit", class: "primary" }, "Apply"),
        h("button", { type: "reset", class: "quiet" }, "Clear"),
        h("button", { type: "button", class: "quiet", onclick: () => this.decideAllMatching() }, "Decide all matching…")));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = Object.fromEntries(new FormData(form));
      for (const k of Object.keys(data)) if (data[k] === "") delete data[k];
      this.filters = data;
      sessionStorage.setItem(FILTERS_KEY, JSON.stringify(data));
      this.refreshCounts();
      this.reload();
    });
    form.addEventListener("reset", () => setTimeout(() => form.requestSubmit(), 0));
    const siteIds = session.me?.sites;
    const fill = (ids) => clear(sites, ids.map((id) => h("option", { value: id })));
    if (siteIds) fill(siteIds);
    else if (session.isAdmin) api("admin/sites").then((list) => fill(list.map((s) => s.id))).catch(() => {});
    return form;
  }

  buildBulkBar() {
    this.bulkCount = h("span", { class: "bulk-count" });
    const buttons = Object.entries(DECISIONS).map(([decision, d]) =>
      h("button", { type: "button", class: decision === "approve" ? "primary" : decision === "delete" ? "danger" : "", onclick: () => this.decideSelected(decision) },
        decision === "approve" ? "Approve selected" : d.label));
    return h("div", { class: "bulk", role: "region", "aria-label": "Bulk actions", hidden: true },
      this.bulkCount, buttons,
      h("button", { type: "button", class: "quiet", onclick: () => this.selectAll() }, "Select all loaded"),
      h("button", { type: "button", class: "quiet", onclick: () => this.clearSelection() }, "Clear selection"));
  }

  // ---------------------------------------------------------------- data

  query(cursor) {
    return { ...this.filters, cursor, limit: PAGE };
  }

  async reload() {
    const generation = ++this.generation;
    this.items = [];
    this.index = 0;
    this.cursor = null;
    this.selected.clear();
    this.details.clear();
    clear(this.list);
    this.renderBulk();
    this.status.textContent = "Loading…";
    this.more.hidden = true;
    this.empty.hidden = true;
    try {
      const [page] = await Promise.all([api(`moderation/queues/${this.queue}`, { query: this.query() }), this.loadOrigins()]);
      if (generation !== this.generation) return;
      this.append(page);
    } catch (error) {
      if (generation !== this.generation) return;
      this.status.textContent = describe(error);
    }
  }

  async loadMore() {
    if (!this.cursor || this.loading) return;
    const generation = this.generation;
    this.loading = true;
    this.more.disabled = true;
    try {
      const page = await api(`moderation/queues/${this.queue}`, { query: this.query(this.cursor) });
      if (generation === this.generation) this.append(page);
    } catch (error) {
      toast(describe(error), "error");
    } finally {
      this.loading = false;
      this.more.disabled = false;
    }
  }

  /** The allowed origins of every site this credential may act on; without them, no article is a link. */
  async loadOrigins() {
    try {
      const sites = await api("moderation/sites");
      this.siteOrigins = new Map(sites.map((s) => [s.id, new Set((s.allowedOrigins ?? []).map(originOf).filter(Boolean))]));
    } catch { /* articles stay plain text */ }
  }

  /** The comment's article URL when it is on one of its site's allowed origins, else null (shown as text). */
  articleUrl(item) {
    const u = webAddress(item.threadUrl);
    return u && this.siteOrigins.get(item.siteId)?.has(u.origin) ? u.href : null;
  }

  append(page) {
    const known = new Set(this.items.map((i) => i.id));
    for (const item of page.items ?? []) {
      if (known.has(item.id)) continue;
      item.el = this.renderItem(item);
      this.items.push(item);
      this.list.append(item.el);
    }
    this.cursor = page.nextCursor ?? null;
    this.afterChange();
    if (this.items.length && !this.list.querySelector(".current")) this.setCurrent(Math.min(this.index, this.items.length - 1), false);
  }

  afterChange() {
    this.status.textContent = this.items.length ? `${this.items.length} shown${this.cursor ? ", more to load" : ""}` : "";
    this.more.hidden = !this.cursor;
    this.empty.hidden = this.items.length > 0 || !!this.cursor;
    if (!this.items.length) clear(this.detail, h("p", { class: "muted" }, this.cursor ? "Loading more…" : "No comment selected."));
    // Decisions empty the list from the top: fetch the next page before the moderator runs out.
    if (this.cursor && this.items.length < 10) this.loadMore();
  }

  async refreshCounts() {
    try {
      const counts = await api("moderation/counts", { query: { siteId: this.filters.siteId } });
      const changed = JSON.stringify(counts) !== JSON.stringify(this.counts);
      this.counts = counts;
      for (const [name, tab] of Object.entries(this.tabs)) {
        const n = counts[name] ?? 0;
        tab.count.textContent = n.toLocaleString();
        tab.setAttribute("aria-label", `${tab.title}: ${n}`);
      }
      if (changed) {
        this.liveCounts.textContent = `${counts.held ?? 0} held, ${counts.reported ?? 0} reported, ${counts.spam ?? 0} in spam, ${counts.approved ?? 0} approved in the last 24 hours.`;
      }
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) {
        for (const tab of Object.values(this.tabs)) tab.count.textContent = "?";
      }
    }
  }

  // ---------------------------------------------------------------- rendering

  renderItem(item) {
    const check = h("input", { type: "checkbox", class: "select", "aria-label": `Select the comment by ${plain(item.authorName)}` });
    check.addEventListener("change", () => this.toggle(item, check.checked));
    const href = this.articleUrl(item);
    const title = bdi(item.threadTitle || item.threadId);
    const thread = href ? h("a", { href, target: "_blank", rel: "noopener noreferrer" }, title)
      : item.threadUrl ? h("span", { class: "unlinked", title: "Not a link: the address is not on one of the site's allowed origins." },
        title, " (not linked: ", bdi(webAddress(item.threadUrl)?.host ?? item.threadUrl), ")")
      : title;
    const actions = Object.entries(DECISIONS).map(([decision, d]) =>
      h("button", { type: "button", class: `small ${decision}`, onclick: (e) => { e.stopPropagation(); this.decideOne(item, decision); }, "aria-keyshortcuts": d.key }, d.label));
    const el = h("li", { class: "item", tabindex: "-1", dataset: { id: item.id } },
      h("div", { class: "item-top" },
        check,
        h("span", { class: "author" }, bdi(item.authorName)),
        item.authorUrl ? authorLink(item.authorUrl) : null,
        h("span", { class: `score ${scoreClass(item.score)}`, title: `Spam score ${score(item.score)}${item.modelVersion ? " (model " + item.modelVersion + ")" : ""}` }, score(item.score)),
        h("time", { datetime: item.submittedAt, title: when(item.submittedAt) }, ago(item.submittedAt))),
      h("div", { class: "where muted" }, item.siteId, " · ", thread, item.parentId ? " · reply" : ""),
      h("p", { class: "body", dir: "auto" }, unpaired(item.body)),
      item.reasons?.length ? h("ul", { class: "reasons", "aria-label": "Why it is here" }, item.reasons.map((r) => h("li", {}, bdi(r)))) : null,
      item.reportCount ? h("p", { class: "reports" }, `${item.reportCount} report${item.reportCount === 1 ? "" : "s"} from readers`) : null,
      h("p", { class: "item-problem", role: "alert" }),
      h("div", { class: "item-actions" }, actions));
    el.addEventListener("click", (event) => {
      if (event.target.closest("a, button, input")) return;
      this.setCurrent(this.items.indexOf(item));
    });
    el.check = check;
    return el;
  }

  setCurrent(index, focus = true) {
    if (!this.items.length) return;
    this.index = Math.max(0, Math.min(index, this.items.length - 1));
    for (const el of this.list.querySelectorAll(".current")) { el.classList.remove("current"); el.removeAttribute("aria-current"); }
    const item = this.items[this.index];
    item.el.classList.add("current");
    item.el.setAttribute("aria-current", "true");
    item.el.scrollIntoView({ block: "nearest" });
    if (focus) item.el.focus({ preventScroll: true });
    this.loadDetailSoon();
  }

  get currentItem() { return this.items[this.index]; }

  async loadDetail() {
    const item = this.currentItem;
    if (!item) return;
    let detail = this.details.get(item.id);
    if (!detail) {
      clear(this.detail, h("p", { class: "muted" }, "Loading details…"));
      try {
        detail = await api(`moderation/comments/${item.id}`);
        this.details.set(item.id, detail);
      } catch (error) {
        if (this.currentItem === item) clear(this.detail, h("p", { class: "error" }, describe(error)));
        return;
      }
    }
    if (this.currentItem === item) this.renderDetail(detail);
  }

  renderDetail(d) {
    const row = (label, value) => (value === undefined || value === null || value === "" ? null : [h("dt", {}, label), h("dd", {}, bdi(value))]);
    const history = (name, hist) => hist ? h("tr", {}, h("th", { scope: "row" }, name),
      ["approved", "held", "spam", "rejected"].map((k) => h("td", {}, String(hist[k] ?? 0)))) : null;
    const reportReasons = Object.entries(d.reportReasons ?? {}).filter(([, n]) => n > 0);
    clear(this.detail,
      h("h2", {}, "Details"),
      h("dl", { class: "facts" },
        row("Author", d.authorName), row("Email", d.authorEmail),
        d.authorUrl ? [h("dt", {}, "Website"), h("dd", {}, authorLink(d.authorUrl), webAddress(d.authorUrl) ? [" ", bdi(d.authorUrl, { class: "muted" })] : null)] : null,
        row("IP", d.clientIp),
        row("User agent", d.userAgent), row("Referrer", d.referrer), row("Language", d.language),
        row("Status", d.status), row("Score", d.score === null || d.score === undefined ? null : score(d.score)),
        row("Model", d.modelVersion),
        row("Thresholds used", d.approveBelowUsed !== undefined && d.approveBelowUsed !== null ? `approve below ${score(d.approveBelowUsed)}, spam from ${score(d.rejectAboveUsed)}` : null),
        row("Submitted", when(d.submittedAt)), row("Scored", when(d.scoredAt)), row("Published", when(d.publishedAt)),
        row("Decided", d.decidedBy ? `${d.decidedBy}, ${when(d.decidedAt)}` : null), row("Reject reason", d.rejectReason),
        row("Thread", d.threadId)),
      d.history ? h("table", { class: "history" },
        h("caption", {}, "Author's history"),
        h("thead", {}, h("tr", {}, h("td", {}), ["Approved", "Held", "Spam", "Rejected"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, history("By email", d.history.byEmail), history("By IP", d.history.byIp))) : null,
      reportReasons.length || d.reports?.length ? h("section", { class: "detail-reports" },
        h("h3", {}, "Reports"),
        h("p", {}, reportReasons.map(([r, n], i) => [i ? ", " : "", bdi(r), `: ${n}`])),
        h("ul", {}, (d.reports ?? []).slice(0, 20).map((r) => h("li", {}, bdi(r.reason), ` — ${when(r.createdAt)}`)))) : null,
      d.parent ? h("section", { class: "parent" },
        h("h3", {}, "In reply to"),
        h("p", { class: "author" }, bdi(d.parent.authorName), h("span", { class: "muted" }, ` · ${d.parent.status} · ${score(d.parent.score)}`)),
        h("p", { class: "body", dir: "auto" }, unpaired(d.parent.body))) : null,
      h("div", { class: "actions" },
        h("button", { type: "button", class: "small quiet", onclick: () => this.ban(d, "email") }, "Ban email…"),
        d.clientIp ? h("button", { type: "button", class: "small quiet", onclick: () => this.ban(d, "ip") }, "Ban IP…") : null));
  }

  // ---------------------------------------------------------------- decisions

  async decideOne(item, decision) {
    if (!item) return;
    let reason;
    if (decision === "reject") {
      reason = await askRejectReason(1);
      if (!reason) return;
    } else if (decision === "delete") {
      const ok = await confirmDialog({ title: "Delete this comment?", body: h("p", { class: "quote" }, bdi(truncate(item.body, 200))), confirm: "Delete", danger: true });
      if (!ok) return;
    }
    const at = this.remove([item]);
    try {
      const result = await api(`moderation/comments/${item.id}/decision`, { method: "POST", body: { decision, reason, revision: item.revision } });
      toast([`${DECISIONS[decision].done}: `, bdi(item.authorName), ` — ${result?.status ?? ""}`]);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        toast(["That comment no longer exists (", bdi(item.authorName), ")."], "error");
      } else {
        this.restore(item, at, error);
      }
    }
    this.refreshCounts();
  }

  async decideSelected(decision) {
    const items = this.items.filter((i) => this.selected.has(i.id));
    if (!items.length) { toast("Nothing selected. Press x on a comment to select it."); return; }
    let reason;
    if (decision === "reject") {
      reason = await askRejectReason(items.length);
      if (!reason) return;
    } else if (decision === "delete") {
      const ok = await confirmDialog({ title: `Delete ${items.length} comments?`, body: "They disappear from the site and from the queues.", confirm: "Delete", danger: true });
      if (!ok) return;
    }
    const positions = new Map(items.map((i) => [i.id, this.items.indexOf(i)]));
    this.remove(items);
    try {
      const result = await api("moderation/decisions", { method: "POST", body: { decision, reason, ids: items.map((i) => i.id) } });
      const conflicts = new Set(result.conflicts ?? []);
      for (const item of items.filter((i) => conflicts.has(i.id)).reverse()) {
        this.restore(item, positions.get(item.id), new ApiError(409, { detail: "another moderator decided it first." }));
      }
      const parts = [`${DECISIONS[decision].done}: ${result.applied ?? 0}`];
      if (result.unchanged) parts.push(`${result.unchanged} already so`);
      if (conflicts.size) parts.push(`${conflicts.size} in conflict (kept in the list)`);
      if (result.notFound?.length) parts.push(`${result.notFound.length} gone`);
      toast(parts.join(", "), conflicts.size ? "error" : "info");
    } catch (error) {
      for (const item of [...items].reverse()) this.restore(item, positions.get(item.id), error);
    }
    this.refreshCounts();
  }

  /** One decision for everything in this queue that matches the filters (on one site), not only what is loaded. */
  async decideAllMatching() {
    const f = this.filters;
    if (!f.siteId) { toast("Choose a site in the filters first: a decision by filter acts on one site.", "error"); return; }
    if (f.reason) { toast("Clear the reason filter first: a decision by filter cannot match on reasons.", "error"); return; }
    const decision = h("select", { name: "decision" }, Object.entries(DECISIONS).map(([d, v]) => h("option", { value: d }, v.label.replace("…", ""))));
    const reason = h("select", { name: "rejectReason" }, Object.entries(REJECT_REASONS).map(([code, label]) => h("option", { value: code }, label)));
    const max = h("input", { type: "number", name: "max", min: "1", max: "10000", value: "1000" });
    const scope = [`queue ${QUEUES[this.queue]}`, `site ${f.siteId}`, f.threadId && `thread ${f.threadId}`,
      f.minScore && `score ≥ ${f.minScore}`, f.maxScore && `score ≤ ${f.maxScore}`].filter(Boolean).join(", ");
    const ok = await confirmDialog({
      title: "Decide every matching comment?",
      body: [h("p", {}, `Every comment matching: ${scope}${this.counts ? ` (${this.counts[this.queue] ?? "?"} in this queue on the site)` : ""}.`),
        field("Decision", decision), field("Reject reason (for reject)", reason), field("At most", max)],
      confirm: "Apply to all", danger: true,
    });
    if (!ok) return;
    try {
      const result = await api("moderation/decisions/by-filter", { method: "POST", body: {
        decision: decision.value, reason: decision.value === "reject" ? reason.value : undefined, queue: this.queue,
        siteId: f.siteId, threadId: f.threadId, minScore: num(f.minScore), maxScore: num(f.maxScore), max: Number(max.value) || undefined,
      } });
      toast(`${DECISIONS[decision.value].done}: ${result.applied} comments.`);
    } catch (error) {
      toast(describe(error), "error");
    }
    this.refreshCounts();
    this.reload();
  }

  /** Takes items out of the list at once (optimistic); returns where the first one was. */
  remove(items) {
    const first = this.items.indexOf(items[0]);
    const wasCurrent = this.currentItem;
    for (const item of items) {
      const i = this.items.indexOf(item);
      if (i < 0) continue;
      this.items.splice(i, 1);
      item.el.remove();
      item.el.classList.remove("current");
      item.el.removeAttribute("aria-current");
      this.selected.delete(item.id);
      if (i < this.index) this.index--;
    }
    this.renderBulk();
    this.afterChange();
    if (this.items.length) {
      const next = wasCurrent && this.items.includes(wasCurrent) ? this.items.indexOf(wasCurrent) : this.index;
      this.setCurrent(next);
    }
    return first;
  }

  /** Puts an item back after its decision failed, saying why, plainly. */
  restore(item, at, error) {
    const index = Math.max(0, Math.min(at, this.items.length));
    this.items.splice(index, 0, item);
    this.list.insertBefore(item.el, this.list.children[index] ?? null);
    if (index <= this.index && this.items.length > 1) this.index++;
    const conflict = error instanceof ApiError && error.status === 409;
    item.el.classList.add(conflict ? "conflict" : "failed");
    const message = conflict
      ? `Conflict: ${error.problem?.detail || "another moderator decided this comment first."} Refresh to see where it is now.`
      : `Not saved: ${describe(error)}`;
    item.el.querySelector(".item-problem").textContent = message;
    toast(message, "error");
    this.details.delete(item.id);
    this.afterChange();
    if (this.items.length === 1) this.setCurrent(0);
  }

  async ban(detail, kind) {
    const days = h("select", { name: "days" }, [["1", "1 day"], ["7", "7 days"], ["30", "30 days"], ["365", "1 year"], ["", "Until lifted"]]
      .map(([v, l]) => h("option", { value: v, selected: v === "30" }, l)));
    const reason = h("input", { name: "reason", autocomplete: "off" });
    const what = () => [kind === "email" ? "the email address " : "the IP address ", bdi(kind === "email" ? detail.authorEmail : detail.clientIp)];
    const ok = await confirmDialog({
      title: kind === "email" ? "Ban this email address?" : "Ban this IP address?",
      body: [h("p", {}, "Comments from ", what(), ` on ${detail.siteId} will go straight to spam.`), field("For", days), field("Reason (optional)", reason)],
      confirm: "Ban", danger: true,
    });
    if (!ok) return;
    try {
      await api("moderation/bans", { method: "POST", body: { siteId: detail.siteId, kind, commentId: detail.id, reason: reason.value || undefined, days: days.value ? Number(days.value) : undefined } });
      toast(["Banned ", what(), "."]);
    } catch (error) {
      toast(describe(error), "error");
    }
  }

  // ---------------------------------------------------------------- selection

  toggle(item, on = !this.selected.has(item.id)) {
    if (on) this.selected.add(item.id); else this.selected.delete(item.id);
    item.el.check.checked = on;
    item.el.classList.toggle("selected", on);
    this.renderBulk();
  }

  selectAll() { for (const item of this.items) this.toggle(item, true); }

  clearSelection() { for (const item of this.items) if (this.selected.has(item.id)) this.toggle(item, false); }

  renderBulk() {
    const n = this.selected.size;
    this.bulk.hidden = n === 0;
    this.bulkCount.textContent = `${n} selected`;
  }

  // ---------------------------------------------------------------- keyboard

  key(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector("dialog[open]")) return;
    const target = event.target;
    if (target.closest?.("input, textarea, select, [contenteditable]") && !target.classList?.contains("select")) return;
    const item = this.currentItem;
    const handlers = {
      j: () => this.setCurrent(this.index + 1),
      k: () => this.setCurrent(this.index - 1),
      ArrowDown: () => this.setCurrent(this.index + 1),
      ArrowUp: () => this.setCurrent(this.index - 1),
      a: () => this.decideOne(item, "approve"),
      s: () => this.decideOne(item, "spam"),
      r: () => this.decideOne(item, "reject"),
      n: () => this.decideOne(item, "notSpam"),
      d: () => this.decideOne(item, "delete"),
      o: () => this.openThread(item),
      x: () => item && this.toggle(item),
      A: () => this.decideSelected("approve"),
      "?": () => this.help(),
      Escape: () => this.clearSelection(),
    };
    // Caps Lock must not turn "a" (approve this one) into "A" (approve every selected one).
    const key = event.key.length === 1 && !event.shiftKey ? event.key.toLowerCase() : event.key;
    const handler = handlers[key];
    if (!handler) return;
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !target.closest?.(".items")) return;
    event.preventDefault();
    handler();
  }

  openThread(item) {
    if (!item) return;
    if (!item.threadUrl) { toast("This comment's article has no URL."); return; }
    const href = this.articleUrl(item);
    if (!href) { toast("This comment's article address is not on one of its site's allowed origins: it is not opened.", "error"); return; }
    window.open(href, "_blank", "noopener,noreferrer");
  }

  help() {
    if (document.querySelector("dialog.help")) return;
    const dialog = h("dialog", { class: "dialog help", "aria-labelledby": "help-title" },
      h("form", { method: "dialog" },
        h("h2", { id: "help-title" }, "Keyboard shortcuts"),
        h("table", { class: "shortcuts" }, h("tbody", {}, SHORTCUTS.map(([k, what]) => h("tr", {}, h("th", { scope: "row" }, h("kbd", {}, k)), h("td", {}, what))))),
        h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Close"))));
    dialog.addEventListener("close", () => { dialog.remove(); this.currentItem?.el.focus({ preventScroll: true }); });
    dialog.addEventListener("keydown", (e) => { if (e.key === "?") { e.preventDefault(); dialog.close(); } });
    document.body.append(dialog);
    dialog.showModal();
  }
}

/** Asks for a reject reason code; digits 1–6 pick one. Resolves the code, or null when cancelled. */
export function askRejectReason(count) {
  return new Promise((resolve) => {
    const name = uid("reason");
    const options = Object.entries(REJECT_REASONS).map(([code, label], i) => {
      const id = uid("rr");
      return h("div", { class: "radio" },
        h("input", { type: "radio", name, id, value: code, checked: i === 0 }),
        h("label", { for: id }, h("kbd", {}, String(i + 1)), " ", label));
    });
    const titleId = uid("dlg");
    const dialog = h("dialog", { class: "dialog reject", "aria-labelledby": titleId },
      h("form", { method: "dialog" },
        h("h2", { id: titleId }, count > 1 ? `Reject ${count} comments: why?` : "Reject: why?"),
        h("fieldset", {}, h("legend", { class: "sr-only" }, "Reason"), options),
        h("div", { class: "actions" },
          h("button", { type: "submit", value: "cancel", class: "quiet" }, "Cancel"),
          h("button", { type: "submit", value: "ok", class: "danger" }, "Reject"))));
    dialog.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.target.closest("button")) { e.preventDefault(); dialog.close("ok"); return; }
      const n = Number(e.key);
      if (n >= 1 && n <= options.length) {
        e.preventDefault();
        const radio = options[n - 1].querySelector("input");
        radio.checked = true;
        radio.focus();
      }
    });
    dialog.addEventListener("close", () => {
      const chosen = dialog.querySelector("input:checked")?.value;
      dialog.remove();
      resolve(dialog.returnValue === "ok" ? chosen : null);
    });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector("input:checked").focus();
  });
}

function scoreClass(s) {
  if (typeof s !== "number") return "none";
  return s >= 0.9 ? "high" : s >= 0.5 ? "mid" : "low";
}

const num = (v) => (v === undefined || v === "" ? undefined : Number(v));

function truncate(text, n) { return text.length > n ? text.slice(0, n) + "…" : text; }

/** A reader's URL as a URL when it may be a link: http(s), with a host and no user info; else null (never javascript:, data:). */
export function webAddress(value) {
  try {
    const u = new URL(value);
    return (u.protocol === "http:" || u.protocol === "https:") && u.host && !u.username && !u.password ? u : null;
  } catch { return null; }
}

const originOf = (value) => { try { return new URL(value).origin; } catch { return null; } };

/** An author's website: a link showing the host it goes to, or (not http(s), or with user info) the address as text. */
function authorLink(value) {
  const u = webAddress(value);
  return u ? h("a", { class: "url", href: u.href, target: "_blank", rel: "noopener noreferrer nofollow ugc", title: plain(value) }, bdi(u.host))
    : h("span", { class: "url muted" }, bdi(value), " (not linked)");
}
