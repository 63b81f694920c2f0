// Privacy (admins): everything stored for an email address — download it as JSON, or erase it.
import { api, describe } from "./api.js";
import { h, clear, field, confirmDialog, download, showFieldErrors } from "./dom.js";

const ERASED = [["comments", "Comments deleted"], ["labels", "Training labels deleted"], ["reports", "Reports deleted"],
  ["bans", "Bans lifted"], ["auditEntriesRedacted", "Audit entries redacted"], ["unpublished", "Comments taken off the sites"]];

const count = (list, one, many = one + "s") => `${list.length} ${list.length === 1 ? one : many}`;

export async function mount(container) {
  const email = h("input", { type: "email", name: "email", required: true, autocomplete: "off", spellcheck: "false" });
  const status = h("p", { class: "form-status", role: "alert" });
  const result = h("section", { class: "privacy-result", "aria-live": "polite" });
  const form = h("form", { class: "card inline-form", "aria-labelledby": "privacy-title" },
    h("h2", { id: "privacy-title" }, "A person's data"),
    field("Email address", email, "Comments are found by the address in any casing."),
    status,
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary" }, "Export JSON"),
      h("button", { type: "button", class: "danger", onclick: () => erase() }, "Erase…")));

  const run = async (work) => {
    status.textContent = "";
    showFieldErrors(form, null);
    clear(result);
    if (!form.reportValidity()) return;
    try {
      await work(email.value.trim());
    } catch (error) {
      const rest = showFieldErrors(form, error.problem);
      status.textContent = [describe(error), ...rest].join(" ");
    }
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(async (address) => {
      const response = await api("admin/privacy/export", { method: "POST", body: { email: address }, raw: true });
      const text = await response.text();
      const data = JSON.parse(text);
      download(new Blob([text], { type: "application/json" }), `personal-data-${address.replace(/[^\w.@-]+/g, "_")}.json`);
      clear(result, h("h2", {}, "Exported"), h("p", {}, `${count(data.comments, "comment")}, ${count(data.reports, "report")}, `
        + `${count(data.labels, "label")}, ${count(data.bans, "ban")}, ${count(data.audit, "audit entry", "audit entries")} for ${address}.`));
    });
  });

  const erase = () => run(async (address) => {
    const ok = await confirmDialog({
      title: "Erase everything stored for this address?", confirm: "Erase", danger: true, typeToConfirm: address,
      body: h("p", {}, `Every comment by ${address}, on every site, with its reports and labels, and the bans on it, are deleted; published comments leave the sites. This cannot be undone.`),
    });
    if (!ok) return;
    const erased = await api("admin/privacy/erase", { method: "POST", body: { email: address } });
    clear(result, h("h2", {}, `Erased ${address}`),
      h("table", { class: "data erased" }, h("tbody", {}, ERASED.map(([key, label]) =>
        h("tr", { dataset: { erased: key } }, h("th", { scope: "row" }, label), h("td", { class: "num" }, String(erased[key] ?? 0)))))));
  });

  clear(container, h("h1", {}, "Privacy"),
    h("p", { class: "muted" }, "Export or erase what is stored for a commenter's email address, across every site. Both are recorded in the audit log by the address's hash."),
    form, result);
  return {};
}
