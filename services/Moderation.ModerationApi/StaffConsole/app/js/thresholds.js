// Thresholds: the score histogram of labelled spam and ham with the two threshold lines, inputs that
// move them, and what the site's recent comments would have become (what-if), before saving.
import { api, describe } from "./api.js";
import { h, clear, field, toast, confirmDialog, debounce, score } from "./dom.js";

const WINDOWS = [["7", "Last 7 days"], ["30", "Last 30 days"], ["90", "Last 90 days"], ["365", "Last year"], ["", "All time"]];

let chartLibrary;
/** Chart.js and its annotation plugin (vendored, see vendor/README.md), loaded the first time they are needed. */
export function loadCharts() {
  chartLibrary ??= (async () => {
    for (const file of ["chart.umd.min.js", "chartjs-plugin-annotation.min.js"]) {
      await new Promise((resolve, reject) => {
        const script = document.createElement("script");
        const src = new URL(`../vendor/${file}`, import.meta.url).href;
        script.src = window.consolePolicy ? window.consolePolicy.createScriptURL(src) : src;
        script.onload = resolve;
        script.onerror = () => reject(new Error(`Could not load ${file}.`));
        document.head.append(script);
      });
    }
    return window.Chart;
  })();
  return chartLibrary;
}

export async function mount(container, args) {
  const view = new ThresholdsView(container);
  await view.start(args?.[0]);
  return view;
}

class ThresholdsView {
  constructor(container) {
    this.container = container;
    this.site = null;
    this.chart = null;
    this.controller = null;
    this.requestWhatIfSoon = debounce(() => this.requestWhatIf(), 200);
  }

  leave() {
    this.controller?.abort();
    this.chart?.destroy();
  }

  async start(siteId) {
    const sites = await api("admin/sites");
    if (!sites.length) { clear(this.container, h("h1", {}, "Thresholds"), h("p", {}, "No sites yet.")); return; }
    this.sites = sites;
    this.siteSelect = h("select", { name: "site" }, sites.map((s) => h("option", { value: s.id, selected: s.id === siteId }, `${s.name} (${s.id})`)));
    this.windowSelect = h("select", { name: "window" }, WINDOWS.map(([v, l]) => h("option", { value: v, selected: v === "30" }, l)));
    this.approve = thresholdInputs("approveBelow", "Approve below", "Comments scoring under this are published without a moderator.");
    this.reject = thresholdInputs("rejectAbove", "Spam from", "Comments scoring this or more go to the spam folder.");
    this.logScale = h("input", { type: "checkbox", name: "log" });
    this.problem = h("p", { class: "error", role: "alert" });
    this.saveButton = h("button", { type: "button", class: "primary", onclick: () => this.save() }, "Save thresholds…");
    this.resetButton = h("button", { type: "button", class: "quiet", onclick: () => this.setValues(this.site.approveBelow, this.site.rejectAbove) }, "Back to saved");
    this.canvas = h("canvas", { role: "img", "aria-label": "Histogram of spam scores of comments labelled spam and ham, with the two thresholds" });
    this.table = h("div", { class: "whatif", "aria-live": "polite" });
    this.saved = h("p", { class: "muted saved" });

    for (const input of [this.approve, this.reject]) {
      input.onchange = (value, source) => {
        const a = source === this.approve ? value : this.approve.value;
        const r = source === this.reject ? value : this.reject.value;
        // The two lines cannot cross: moving one past the other pushes it along.
        if (a > r) (source === this.approve ? this.reject : this.approve).set(value);
        this.onMoved();
      };
    }
    this.siteSelect.addEventListener("change", () => { location.hash = `#/thresholds/${encodeURIComponent(this.siteSelect.value)}`; });
    this.windowSelect.addEventListener("change", () => this.loadSite(this.site.id));
    this.logScale.addEventListener("change", () => this.drawChart());

    clear(this.container,
      h("h1", {}, "Thresholds"),
      h("div", { class: "toolbar" }, field("Site", this.siteSelect), field("Comments from", this.windowSelect),
        h("label", { class: "check" }, this.logScale, " Logarithmic counts")),
      h("div", { class: "thresholds" },
        h("section", { class: "card chart-card", "aria-labelledby": "hist-title" },
          h("h2", { id: "hist-title" }, "Scores of labelled comments"),
          h("div", { class: "chart-box" }, this.canvas),
          h("div", { class: "threshold-inputs" }, this.approve.el, this.reject.el)),
        h("section", { class: "card", "aria-labelledby": "whatif-title" },
          h("h2", { id: "whatif-title" }, "What would change"),
          this.table, this.problem, this.saved,
          h("div", { class: "actions" }, this.resetButton, this.saveButton))));
    await this.loadSite(this.siteSelect.value);
  }

  update(args) {
    if (args?.[0] && args[0] !== this.site?.id) {
      this.siteSelect.value = args[0];
      this.loadSite(args[0]);
    }
  }

  windowQuery() {
    const days = this.windowSelect.value;
    return days ? { from: new Date(Date.now() - Number(days) * 86400_000).toISOString() } : {};
  }

  async loadSite(siteId) {
    this.site = await api(`admin/sites/${encodeURIComponent(siteId)}`);
    this.saved.textContent = `Saved: approve below ${score(this.site.approveBelow)}, spam from ${score(this.site.rejectAbove)}.`;
    this.approve.set(this.site.approveBelow);
    this.reject.set(this.site.rejectAbove);
    // What the saved thresholds do, to compare each proposal with.
    this.baseline = await api(`admin/sites/${encodeURIComponent(siteId)}/what-if`, {
      query: { approveBelow: this.site.approveBelow, rejectAbove: this.site.rejectAbove, ...this.windowQuery() },
    });
    this.whatIf = this.baseline;
    await this.drawChart();
    this.renderTable();
  }

  setValues(a, r) {
    this.approve.set(a);
    this.reject.set(r);
    this.onMoved();
  }

  onMoved() {
    this.moveLines();
    this.saveButton.disabled = this.approve.value === this.site.approveBelow && this.reject.value === this.site.rejectAbove;
    this.table.classList.add("stale");
    this.requestWhatIfSoon();
  }

  async requestWhatIf() {
    this.controller?.abort();
    this.controller = new AbortController();
    try {
      this.whatIf = await api(`admin/sites/${encodeURIComponent(this.site.id)}/what-if`, {
        query: { approveBelow: this.approve.value, rejectAbove: this.reject.value, ...this.windowQuery() }, signal: this.controller.signal,
      });
      this.problem.textContent = "";
      this.renderTable();
    } catch (error) {
      if (error.name !== "AbortError") this.problem.textContent = describe(error);
    }
  }

  renderTable() {
    const w = this.whatIf, b = this.baseline;
    this.table.classList.remove("stale");
    const row = (label, now, then, hint) => {
      const delta = now - then;
      return h("tr", {},
        h("th", { scope: "row" }, label, hint ? h("span", { class: "hint" }, hint) : null),
        h("td", { class: "num" }, fmt(then)),
        h("td", { class: "num proposed", dataset: { cell: label } }, fmt(now)),
        h("td", { class: `num delta ${delta > 0 ? "up" : delta < 0 ? "down" : ""}` }, delta === 0 ? "±0" : (delta > 0 ? "+" : "−") + fmt(Math.abs(delta))));
    };
    const l = w.labelled ?? {}, lb = b.labelled ?? {};
    clear(this.table,
      h("p", { class: "muted" }, `${fmt(w.scored)} scored comments in the window; ${fmt(l.spam ?? 0)} labelled spam and ${fmt(l.ham ?? 0)} labelled ham by moderators.`),
      h("table", { class: "data whatif-table" },
        h("thead", {}, h("tr", {}, h("td", {}), h("th", { scope: "col" }, "Saved"), h("th", { scope: "col" }, "Proposed"), h("th", { scope: "col" }, "Change"))),
        h("tbody", {},
          row("Published automatically", w.wouldApprove, b.wouldApprove),
          row("Held for a moderator", w.wouldHold, b.wouldHold),
          row("Spam folder", w.wouldSpam, b.wouldSpam)),
        h("tbody", { class: "labelled" },
          row("Spam published", l.spamPublished ?? 0, lb.spamPublished ?? 0, "labelled spam that would go live"),
          row("Ham sent to spam", l.hamSpammed ?? 0, lb.hamSpammed ?? 0, "labelled ham a reader would never see"),
          row("Spam held", l.spamHeld ?? 0, lb.spamHeld ?? 0),
          row("Ham held", l.hamHeld ?? 0, lb.hamHeld ?? 0))));
  }

  async drawChart() {
    const Chart = await loadCharts();
    const hist = this.baseline.histogram ?? { binWidth: 0.05, spam: [], ham: [] };
    const width = hist.binWidth || 0.05;
    const bins = Math.max(hist.spam.length, hist.ham.length, Math.round(1 / width));
    this.binWidth = width;
    const labels = Array.from({ length: bins }, (_, i) => (i * width).toFixed(2));
    const style = getComputedStyle(document.body);
    const color = (name) => style.getPropertyValue(name).trim();
    this.chart?.destroy();
    this.chart = new Chart(this.canvas, {
      type: "bar",
      data: {
        labels,
        datasets: [
          { label: "Labelled spam", data: hist.spam, backgroundColor: color("--spam"), grouped: true },
          { label: "Labelled ham", data: hist.ham, backgroundColor: color("--ham"), grouped: true },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { title: { display: true, text: "Spam score", color: color("--muted") }, ticks: { color: color("--muted") }, grid: { display: false } },
          y: { type: this.logScale.checked ? "logarithmic" : "linear", beginAtZero: true, title: { display: true, text: "Comments", color: color("--muted") },
            ticks: { color: color("--muted"), precision: 0 }, grid: { color: color("--line") } },
        },
        plugins: {
          legend: { labels: { color: color("--text") } },
          tooltip: { callbacks: { title: (items) => `Score ${labels[items[0].dataIndex]}–${(Number(labels[items[0].dataIndex]) + width).toFixed(2)}` } },
          annotation: {
            annotations: {
              approve: line(this.position(this.approve.value), color("--approve-line"), "approve below"),
              reject: line(this.position(this.reject.value), color("--reject-line"), "spam from"),
            },
          },
        },
      },
    });
  }

  /** A score as a position on the category axis: bin i spans i − 0.5 to i + 0.5. */
  position(value) { return value / this.binWidth - 0.5; }

  moveLines() {
    if (!this.chart) return;
    const a = this.chart.options.plugins.annotation.annotations;
    a.approve.xMin = a.approve.xMax = this.position(this.approve.value);
    a.approve.label.content = `approve below ${score(this.approve.value)}`;
    a.reject.xMin = a.reject.xMax = this.position(this.reject.value);
    a.reject.label.content = `spam from ${score(this.reject.value)}`;
    this.chart.update("none");
  }

  async save() {
    const a = this.approve.value, r = this.reject.value, site = this.site;
    const ok = await confirmDialog({
      title: `Change the thresholds of ${site.name}?`,
      body: [
        h("p", {}, `Approve below: ${score(site.approveBelow)} → ${score(a)}`),
        h("p", {}, `Spam from: ${score(site.rejectAbove)} → ${score(r)}`),
        this.whatIf ? h("p", { class: "muted" }, `Over the window: ${fmt(this.whatIf.wouldApprove)} published, ${fmt(this.whatIf.wouldHold)} held, ${fmt(this.whatIf.wouldSpam)} spam.`) : null,
        h("p", {}, "Every worker applies it within a few seconds, to new comments only."),
      ],
      confirm: "Save thresholds",
    });
    if (!ok) return;
    try {
      const { updatedAt, ...rest } = site;
      this.site = await api(`admin/sites/${encodeURIComponent(site.id)}`, { method: "PUT", body: { ...rest, approveBelow: a, rejectAbove: r } });
      toast(`Saved: ${site.name} approves below ${score(a)} and files spam from ${score(r)}.`);
      await this.loadSite(site.id);
    } catch (error) {
      this.problem.textContent = describe(error);
    }
  }
}

function line(x, color, label) {
  return {
    type: "line", xMin: x, xMax: x, borderColor: color, borderWidth: 2, borderDash: [6, 4],
    label: { display: true, content: label, position: "start", backgroundColor: color, color: "#fff", font: { size: 11 } },
  };
}

/** A slider and a number box for one threshold, kept in step. */
function thresholdInputs(name, label, hint) {
  const range = h("input", { type: "range", min: "0", max: "1", step: "0.01", name: name + "Slider", "aria-label": `${label} (slider)` });
  const number = h("input", { type: "number", min: "0", max: "1", step: "0.01", name, class: "threshold-number" });
  const self = {
    value: 0,
    onchange: null,
    set(v) {
      self.value = Math.round(Math.min(1, Math.max(0, v)) * 100) / 100;
      range.value = String(self.value);
      number.value = self.value.toFixed(2);
    },
    el: h("div", { class: `threshold ${name}` }, field(label, number, hint), range),
  };
  range.addEventListener("input", () => { self.set(Number(range.value)); self.onchange?.(self.value, self); });
  number.addEventListener("input", () => {
    const v = Number(number.value);
    if (number.value === "" || Number.isNaN(v) || v < 0 || v > 1) return;
    self.value = Math.round(v * 100) / 100;
    range.value = String(self.value);
    self.onchange?.(self.value, self);
  });
  number.addEventListener("change", () => self.set(self.value));
  return self;
}

const fmt = (n) => (typeof n === "number" ? n.toLocaleString() : "—");
