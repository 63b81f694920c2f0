// Models: versions with their metrics; retrain (a background job with progress), evaluate, promote, roll back.
import { api, describe } from "./api.js";
import { h, clear, toast, when, confirmDialog } from "./dom.js";

export async function mount(container) {
  const view = new ModelsView(container);
  await view.render();
  return view;
}

class ModelsView {
  constructor(container) { this.container = container; this.timer = null; }

  leave() { clearTimeout(this.timer); }

  async render() {
    const [models, jobs] = await Promise.all([api("admin/models"), api("admin/models/jobs").catch(() => [])]);
    this.progress = h("div", { class: "job", "aria-live": "polite" });
    clear(this.container,
      h("div", { class: "title-row" }, h("h1", {}, "Spam models"),
        h("button", { type: "button", class: "primary", onclick: () => this.retrain() }, "Retrain from labels"),
        h("button", { type: "button", onclick: () => this.rollback() }, "Roll back")),
      this.progress,
      h("table", { class: "data models" },
        h("thead", {}, h("tr", {}, ["Version", "Trainer", "Created", "State", "Metrics", ""].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, models.map((m) => h("tr", { class: m.isActive ? "active" : "" },
          h("th", { scope: "row" }, h("code", {}, m.version)),
          h("td", {}, m.trainer ?? ""),
          h("td", {}, when(m.createdAt)),
          h("td", {}, m.isActive ? h("strong", {}, `active since ${when(m.promotedAt)}`) : m.promotedAt ? `was active ${when(m.promotedAt)}` : "not promoted",
            m.servable ? null : h("p", { class: "unservable" }, unservable(m))),
          h("td", { class: "metrics" }, metrics(m.metrics)),
          h("td", { class: "row-actions" },
            // A version the workers cannot load cannot be evaluated either: the server would only answer with the load error.
            m.servable ? h("button", { type: "button", class: "small", onclick: (e) => this.evaluate(m, e.target.closest("tr")) }, "Evaluate") : null,
            m.isActive || !m.servable ? null : h("button", { type: "button", class: "small primary", onclick: () => this.promote(m) }, "Promote…")))))),
      jobs.length ? h("section", { class: "jobs" }, h("h2", {}, "Recent retraining"),
        h("table", { class: "data" },
          h("thead", {}, h("tr", {}, ["Requested", "By", "State", "Result", "Message"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, jobs.slice(0, 10).map((j) => h("tr", {},
            h("td", {}, when(j.requestedAt)), h("td", {}, j.requestedBy ?? ""), h("td", {}, `${j.state}${j.state === "running" ? ` ${Math.round((j.progress ?? 0) * 100)} %` : ""}`),
            h("td", {}, j.resultVersion ?? ""), h("td", {}, j.message ?? "")))))) : null);
    const running = jobs.find((j) => j.state === "queued" || j.state === "running");
    if (running) this.watch(running.id);
  }

  async retrain() {
    try {
      const { jobId } = await api("admin/models/retrain", { method: "POST" });
      this.watch(jobId);
    } catch (error) { toast(describe(error), "error"); }
  }

  async watch(jobId) {
    clearTimeout(this.timer);
    try {
      const job = await api(`admin/models/jobs/${jobId}`);
      const bar = h("progress", { max: "1", value: job.progress ?? 0, "aria-label": "Retraining progress" });
      clear(this.progress, h("p", {}, `Retraining: ${job.state}`, job.message ? ` — ${job.message}` : ""), bar);
      if (job.state === "queued" || job.state === "running") { this.timer = setTimeout(() => this.watch(jobId), 1000); return; }
      if (job.state === "succeeded") {
        await this.render();
        clear(this.progress, h("p", {}, `Trained ${job.resultVersion}. Evaluate it, then promote it.`));
      }
      else toast(`Retraining failed: ${job.message ?? "no message"}`, "error");
    } catch (error) { clear(this.progress, h("p", { class: "error" }, describe(error))); }
  }

  async evaluate(model, row) {
    const cell = row.querySelector(".metrics");
    clear(cell, "Evaluating…");
    try { clear(cell, metrics(await api(`admin/models/${encodeURIComponent(model.version)}/evaluate`, { method: "POST" }))); }
    catch (error) { clear(cell, h("span", { class: "error" }, describe(error))); }
  }

  async promote(model) {
    const ok = await confirmDialog({ title: `Promote ${model.version}?`, body: "Every worker starts scoring with it within seconds.", confirm: "Promote" });
    if (!ok) return;
    try { await api(`admin/models/${encodeURIComponent(model.version)}/promote`, { method: "POST" }); toast(`${model.version} is active.`); await this.render(); }
    catch (error) { toast(describe(error), "error"); }
  }

  async rollback() {
    const ok = await confirmDialog({ title: "Roll back to the previous model?", body: "Workers go back to the version that was active before this one (or the default).", confirm: "Roll back", danger: true });
    if (!ok) return;
    try { await api("admin/models/rollback", { method: "POST" }); toast("Rolled back."); await this.render(); }
    catch (error) { toast(describe(error), "error"); }
  }
}

/** The numbers among a metrics object, as "name value" pairs (nested objects flattened one level). */
function metrics(m) {
  if (!m || typeof m !== "object") return h("span", { class: "muted" }, "none");
  const pairs = [];
  for (const [k, v] of Object.entries(m)) {
    if (typeof v === "number") {
      pairs.push([k, v]);
    } else if (v && typeof v === "object" && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v)) if (typeof v2 === "number") pairs.push([`${k}.${k2}`, v2]);
    } else if (typeof v === "string" && v.length < 40) {
      pairs.push([k, v]);
    }
  }
  return h("dl", { class: "metric-list" }, pairs.slice(0, 12).map(([k, v]) => [h("dt", {}, k), h("dd", {}, typeof v === "number" ? (Number.isInteger(v) ? v.toLocaleString() : v.toFixed(3)) : v)]));
}

// Trained before an upgrade changed the features: the workers refuse it, so an active one is not what they serve.
function unservable(m) {
  const what = `Trained on feature schema ${m.featureSchema}, which this version of Moderation cannot serve`;
  return m.isActive ? `${what}: the workers serve the built-in default instead. Retrain from labels, then promote the new version.` : `${what}.`;
}
