// A table filled a page at a time from a cursor API ("Load more"). Each reload (new filters) starts a generation, and a
// page that arrives after a newer reload is dropped: an unfiltered page still loading must not join the filtered rows.
import { describe } from "./api.js";

export class PagedRows {
  constructor({ rows, more, status, fetchPage, render, shown }) {
    Object.assign(this, { rows, more, status, fetchPage, render, shown });
    this.cursor = null;
    this.generation = 0;
  }

  async reload() {
    this.cursor = null;
    this.generation++;
    this.rows.replaceChildren();
    await this.load();
  }

  async load() {
    const generation = this.generation;
    try {
      const page = await this.fetchPage(this.cursor);
      if (generation !== this.generation) return;
      for (const item of page.items ?? []) this.rows.append(this.render(item));
      this.cursor = page.nextCursor ?? null;
      this.more.hidden = !this.cursor;
      this.status.textContent = this.shown(this.rows.children.length);
    } catch (error) {
      if (generation === this.generation) this.status.textContent = describe(error);
    }
  }
}
