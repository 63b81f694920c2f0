// Bans: the active ones (email addresses, stored only as hashes, and IPs), a new ban, lifting one.
import { api, describe, session } from "./api.js";
import { h, clear, field, toast, when, confirmDialog, showFieldErrors } from "./dom.js";

const EXPIRY = [["1", "1 day"], ["7", "7 days"], ["30", "30 days"], ["365", "1 year"], ["", "Until lifted"]];

export async function mount(container) {
  const view = { update: () => render(container) };
  await render(container);
  return view;
}

const active = (ban) => !ban.expiresAt || new Date(ban.expiresAt).getTime() > Date.now();

function describeBan(ban) {
  return ban.kind === "email" ? `the email address with hash ${ban.value.slice(0, 12)}…` : `the IP address ${ban.value}`;
}

async function render(container) {
  const bans = (await api("moderation/bans")).filter(active);
  clear(container,
    h("h1", {}, "Bans"),
    h("p", { class: "muted" }, "Comments from a banned email address or IP go straight to spam. Email addresses are stored only as hashes."),
    bans.length === 0 ? h("p", { class: "empty" }, "No active bans.") :
      h("table", { class: "data bans" },
        h("thead", {}, h("tr", {}, ["Kind", "Banned", "Site", "Reason", "Expires", "Created", ""].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, bans.map((ban) => h("tr", { dataset: { ban: ban.id } },
          h("th", { scope: "row" }, ban.kind === "email" ? "Email" : "IP"),
          h("td", {}, ban.kind === "email" ? h("code", { title: ban.value }, `${ban.value.slice(0, 12)}…`) : h("code", {}, ban.value)),
          h("td", {}, ban.siteId ?? "every site"),
          h("td", {}, ban.reason ?? ""),
          h("td", {}, ban.expiresAt ? h("time", { datetime: ban.expiresAt }, when(ban.expiresAt)) : "never"),
          h("td", {}, when(ban.createdAt), ban.createdBy ? h("span", { class: "muted" }, ` by ${ban.createdBy}`) : null),
          h("td", {}, h("button", { type: "button", class: "small danger", "aria-label": `Lift the ban on ${describeBan(ban)}`,
            onclick: () => lift(container, ban) }, "Lift…")))))),
    newBanForm(container));
}

async function lift(container, ban) {
  const ok = await confirmDialog({
    title: "Lift this ban?", confirm: "Lift ban", danger: true,
    body: `Comments from ${describeBan(ban)}${ban.siteId ? ` on ${ban.siteId}` : ""} will be scored like anyone's again.`,
  });
  if (!ok) return;
  try {
    await api(`moderation/bans/${ban.id}`, { method: "DELETE" });
    toast(`Lifted the ban on ${describeBan(ban)}.`);
    await render(container);
  } catch (error) {
    toast(describe(error), "error");
  }
}

function newBanForm(container) {
  const kind = h("select", { name: "kind" }, h("option", { value: "email" }, "Email address"), h("option", { value: "ip" }, "IP address"));
  const value = h("input", { name: "value", required: true, autocomplete: "off", spellcheck: "false" });
  const site = h("input", { name: "siteId", autocomplete: "off", placeholder: "every site", value: session.me?.sites?.[0] ?? "" });
  const days = h("select", { name: "days" }, EXPIRY.map(([v, l]) => h("option", { value: v, selected: v === "30" }, l)));
  const reason = h("input", { name: "reason", autocomplete: "off", maxlength: 500 });
  const status = h("p", { class: "form-status", role: "alert" });
  const form = h("form", { class: "card inline-form", "aria-labelledby": "new-ban-title" },
    h("h2", { id: "new-ban-title" }, "New ban"),
    field("Ban", kind), field("Email address or IP", value), field("Site", site, "A site id; empty bans on every site."),
    field("For", days), field("Reason (optional)", reason), status,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Ban")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const banned = value.value.trim();
    try {
      await api("moderation/bans", { method: "POST", body: {
        kind: kind.value, value: banned, siteId: site.value.trim() || undefined,
        days: days.value ? Number(days.value) : undefined, reason: reason.value.trim() || undefined,
      } });
      toast(`Banned ${banned}.`);
      await render(container);
    } catch (error) {
      const rest = showFieldErrors(form, error.problem);
      status.textContent = [describe(error), ...rest].join(" ");
    }
  });
  return form;
}
