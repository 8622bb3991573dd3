// Dead letters: classify requests the workers gave up on, with a retry for one or all.

import { getJson, postJson } from "./api.js";
import { fill, h, shortId, time } from "./dom.js";

export function render(view, signal) {
  const status = h("p", { class: "action-result", role: "status" });
  const retryAll = h("button", { type: "button", id: "retry-all", hidden: true }, "Retry all");
  const list = h("div", { class: "dead-letter-list" }, h("p", { class: "loading" }, "Loading…"));
  fill(view,
    h("h1", {}, "Dead letters"),
    h("p", { class: "hint" }, "Images whose classification failed too often to go on retrying by itself. Retry puts"
      + " them back in the queue, for instance once the detector works again."),
    h("div", { class: "toolbar" }, retryAll, status),
    list);

  const load = async () => {
    try {
      const body = await getJson("/admin/dead-letters");
      if (signal.aborted) return;
      retryAll.hidden = body.count === 0;
      renderList(list, body.dead_letters, retry);
    } catch (error) {
      if (!signal.aborted) fill(list, h("p", { class: "reason" }, error.message));
    }
  };
  const retry = async (button, path, what) => {
    button.disabled = true;
    try {
      const result = await postJson(path);
      status.textContent = `${what}: ${result.retried} back in the queue.`;
    } catch (error) {
      status.textContent = `Retry refused: ${error.message}`;
    } finally {
      button.disabled = false;
      await load();
      retryAll.focus(); // the row and its button may be gone
    }
  };
  retryAll.addEventListener("click", () => retry(retryAll, "/admin/dead-letters/retry", "Retried all"));
  load();
}

function renderList(box, letters, retry) {
  if (letters.length === 0) {
    fill(box, h("p", { class: "empty" }, "No dead letters: every image was classified or is still being tried."));
    return;
  }
  fill(box, h("div", { class: "table-scroll" }, h("table", {},
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Image"), h("th", { scope: "col" }, "Batch"),
      h("th", { scope: "col", class: "num" }, "Attempts"), h("th", { scope: "col" }, "Reason"),
      h("th", { scope: "col" }, "Given up"), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Action")))),
    h("tbody", {}, letters.map((d) => {
      const name = d.file_name ?? shortId(d.image_id);
      const button = h("button", { type: "button", class: "secondary", "aria-label": `Retry ${name}` }, "Retry");
      button.addEventListener("click",
        () => retry(button, `/admin/dead-letters/${encodeURIComponent(d.id)}/retry`, `Retried ${name}`));
      return h("tr", {},
        h("td", {}, h("a", { href: `#/images/${d.image_id}` }, name)),
        h("td", {}, d.batch_id ? h("a", { href: `#/batches/${encodeURIComponent(d.batch_id)}` }, d.batch_id) : "–"),
        h("td", { class: "num" }, String(d.attempts)),
        h("td", { class: "reason-cell" }, d.reason),
        h("td", {}, time(d.dead_lettered_at)),
        h("td", {}, button));
    })))));
}
