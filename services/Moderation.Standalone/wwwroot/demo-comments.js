// A minimal comment area for the standalone demo page: lists approved comments and posts new ones.
// All user content is inserted as text. The embeddable widget (widget.js) supersedes it.
(() => {
  const root = document.getElementById("comments");
  const site = root.dataset.site, thread = root.dataset.thread;
  const shownAt = Date.now();
  const el = (tag, props = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  };

  const list = el("div", { className: "list" });
  const count = el("p", { className: "meta" });
  const status = el("p", { className: "status", role: "status" });
  const field = (label, name, type = "text", required = false) =>
    el("label", {}, label + (required ? " *" : ""),
      type === "textarea" ? el("textarea", { name, rows: 5, required }) : el("input", { name, type, required }),
      el("span", { className: "error", id: `err-${name}` }));
  const form = el("form", { noValidate: true },
    el("h3", {}, "Leave a Reply"),
    el("p", { className: "notice" }, "Your email address will not be published. Required fields are marked *"),
    field("Name", "authorName", "text", true),
    field("Email", "authorEmail", "email", true),
    field("Website", "authorUrl", "url"),
    field("Comment", "body", "textarea", true),
    el("button", { type: "submit" }, "Post Comment"),
    status);
  root.append(count, list, form);

  async function load() {
    const items = [];
    let cursor = "";
    do {
      const res = await fetch(`/api/v1/comments?siteId=${encodeURIComponent(site)}&threadId=${encodeURIComponent(thread)}${cursor ? "&cursor=" + cursor : ""}`);
      const page = await res.json();
      items.push(...page.comments);
      count.textContent = `${page.count} comment${page.count === 1 ? "" : "s"}`;
      cursor = page.nextCursor;
    } while (cursor);
    const nodes = new Map();
    list.replaceChildren();
    for (const c of items) {
      const author = c.authorUrl ? el("a", { href: c.authorUrl, rel: "nofollow ugc noopener" }, c.authorName) : el("strong", {}, c.authorName);
      const node = el("div", { className: "comment" },
        el("div", { className: "meta" }, author, " · ", new Date(c.createdAt).toLocaleString()),
        el("p", {}, c.body));
      nodes.set(c.id, node);
      (nodes.get(c.parentId) ?? list).append(node);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    form.querySelectorAll(".error").forEach((e) => (e.textContent = ""));
    const data = Object.fromEntries(new FormData(form));
    const res = await fetch("/api/v1/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...data, siteId: site, threadId: thread, threadUrl: location.href, threadTitle: document.title, elapsedMs: Date.now() - shownAt }),
    });
    const body = await res.json().catch(() => ({}));
    if (res.status !== 202) {
      for (const [name, messages] of Object.entries(body.errors ?? {}))
        (document.getElementById(`err-${name}`) ?? status).textContent = messages.join(" ");
      if (!body.errors) status.textContent = body.detail ?? body.title ?? `Could not post (${res.status}).`;
      return;
    }
    form.elements.body.value = "";
    status.textContent = "Your comment is awaiting moderation.";
    for (let wait = 250; wait < 8000; wait *= 2) {
      await new Promise((r) => setTimeout(r, wait));
      const s = await (await fetch(body.statusUrl)).json();
      if (s.status === "approved") { status.textContent = "Your comment is published."; break; }
      if (s.status !== "pending") break;
    }
    await load();
  });

  load();
})();
