// API keys: list, create (the key is shown once), revoke.
import { api, describe, session } from "./api.js";
import { h, clear, field, toast, when, confirmDialog, showFieldErrors } from "./dom.js";

export async function mount(container) {
  const view = { update: () => render(container) };
  await render(container);
  return view;
}

async function render(container, created) {
  const keys = await api("admin/keys");
  const name = h("input", { name: "name", required: true, autocomplete: "off" });
  const role = h("select", { name: "role" }, h("option", { value: "moderator" }, "Moderator"), h("option", { value: "admin" }, "Admin"));
  const sites = h("input", { name: "sites", autocomplete: "off", placeholder: "all sites" });
  const status = h("p", { class: "form-status", role: "alert" });
  const form = h("form", { class: "card inline-form", "aria-labelledby": "new-key-title" },
    h("h2", { id: "new-key-title" }, "New key"),
    field("Name", name, "Whose key it is, e.g. a person or a newsroom."), field("Role", role),
    field("Sites", sites, "Comma-separated site ids; empty for every site."),
    status,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Create key")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const siteList = sites.value.split(",").map((s) => s.trim()).filter(Boolean);
    try {
      const result = await api("admin/keys", { method: "POST", body: { name: name.value.trim(), role: role.value, sites: siteList.length ? siteList : null } });
      await render(container, result);
    } catch (error) {
      const rest = showFieldErrors(form, error.problem);
      status.textContent = [describe(error), ...rest].join(" ");
    }
  });

  let shown = null;
  if (created) {
    const value = h("input", { readonly: true, value: created.key, class: "secret", name: "createdKey", spellcheck: "false" });
    shown = h("section", { class: "card created", role: "status", "aria-labelledby": "created-title" },
      h("h2", { id: "created-title" }, `Key for ${created.details.name}`),
      h("p", {}, "Copy it now: it is shown only this once, and stored only as a hash."),
      field("Key", value),
      h("div", { class: "actions" }, h("button", { type: "button", onclick: async () => {
        value.select();
        try { await navigator.clipboard.writeText(created.key); toast("Copied."); } catch { toast("Select the key and copy it."); }
      } }, "Copy")));
  }

  clear(container,
    h("h1", {}, "API keys"),
    shown,
    h("table", { class: "data" },
      h("thead", {}, h("tr", {}, ["Name", "Key starts", "Role", "Sites", "Created", "Last used", "State", ""].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, keys.map((k) => h("tr", { class: k.revokedAt ? "revoked" : "" },
        h("th", { scope: "row" }, k.name),
        h("td", {}, h("code", {}, k.prefix)),
        h("td", {}, k.role),
        h("td", {}, k.sites?.length ? k.sites.join(", ") : "all"),
        h("td", {}, when(k.createdAt), k.createdBy ? h("span", { class: "muted" }, ` by ${k.createdBy}`) : null),
        h("td", {}, k.lastUsedAt ? when(k.lastUsedAt) : "never"),
        h("td", {}, k.revokedAt ? `revoked ${when(k.revokedAt)}` : "active"),
        h("td", {}, k.revokedAt ? null : h("button", { type: "button", class: "small danger", "aria-label": `Revoke ${k.name}`, onclick: async () => {
          const ok = await confirmDialog({ title: `Revoke the key "${k.name}"?`, body: "It stops working within seconds. This cannot be undone.", confirm: "Revoke", danger: true });
          if (!ok) return;
          try { await api(`admin/keys/${k.id}`, { method: "DELETE" }); toast(`Revoked ${k.name}.`); await render(container); }
          catch (error) { toast(describe(error), "error"); }
        } }, "Revoke")))))),
    form);
  if (session.me?.name === "bootstrap") {
    container.append(h("p", { class: "muted" }, "You are signed in with the bootstrap admin key. Create personal keys so the audit log says who did what."));
  }
}
