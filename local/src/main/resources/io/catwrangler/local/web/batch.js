// The batch view: counts per status and per answer, a filter, and a link per image.

import { ApiError, getJson, pollUntil } from "./api.js";
import { answerText, fill, h, score, shortId, statusBadge } from "./dom.js";

const PAGE_SIZE = 1000;
const FILTERS = {
  all: { label: "All", keep: () => true },
  cats: { label: "Cats only", keep: (i) => i.answer === "yes" },
  "not-cats": { label: "No cat", keep: (i) => i.answer === "no" },
  failed: { label: "Failed only", keep: (i) => i.status === "FAILED" },
  pending: { label: "Pending", keep: (i) => i.status === "PENDING" },
};

export function render(view, batchId, params, signal) {
  if (!batchId) {
    renderChooser(view);
    return;
  }
  let filter = FILTERS[params.get("show")] ? params.get("show") : "all";
  const counts = h("div", { class: "tiles", "aria-live": "polite" }, h("p", { class: "loading" }, "Loading…"));
  const list = h("div", { class: "batch-list" });
  const filterBox = h("fieldset", { class: "filters" }, h("legend", {}, "Show"),
    Object.entries(FILTERS).map(([key, f]) => h("label", { class: "chip" },
      h("input", {
        type: "radio", name: "show", value: key, checked: key === filter,
        onchange: () => {
          filter = key;
          // the filter is in the address, so a filtered batch can be bookmarked or shared
          history.replaceState(null, "", `#/batches/${encodeURIComponent(batchId)}${key === "all" ? "" : `?show=${key}`}`);
          renderList(list, images, filter);
        },
      }), ` ${f.label}`)));
  fill(view,
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/batches" }, "← Batches")),
    h("h1", {}, "Batch ", h("code", {}, batchId)),
    counts, filterBox, list);

  let images = [];
  pollUntil(async () => {
    try {
      const { pages, all } = await loadAll(batchId);
      if (signal.aborted) return true;
      images = all;
      renderCounts(counts, pages[0], all);
      renderList(list, images, filter);
      return pages[0].complete;
    } catch (error) {
      if (signal.aborted) return true;
      fill(counts, h("p", { class: "reason" }, error.status === 404
        ? `There is no batch "${batchId}" on this server (yet): upload with this batch id first.`
        : error.message));
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) return true;
      throw error;
    }
  }, signal, { first: 1000, max: 5000 });
}

async function loadAll(batchId) {
  const pages = [];
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor) query.set("cursor", cursor);
    const page = await getJson(`/batches/${encodeURIComponent(batchId)}?${query}`);
    pages.push(page);
    cursor = page.next_cursor;
  } while (cursor);
  return { pages, all: pages.flatMap((p) => p.images) };
}

function renderCounts(box, first, images) {
  const tile = (label, value, kind) => h("div", { class: `tile tile-${kind}` },
    h("span", { class: "tile-value" }, String(value)), h("span", { class: "tile-label" }, label));
  const yes = images.filter((i) => i.answer === "yes").length;
  const no = images.filter((i) => i.answer === "no").length;
  fill(box,
    h("div", { class: "tile-group", role: "group", "aria-label": "By status" },
      tile("images", first.total, "total"),
      tile("pending", first.counts.PENDING ?? 0, "pending"),
      tile("classified", first.counts.CLASSIFIED ?? 0, "classified"),
      tile("failed", first.counts.FAILED ?? 0, "failed")),
    h("div", { class: "tile-group", role: "group", "aria-label": "By answer" },
      tile("with a cat", yes, "yes"),
      tile("without", no, "no")),
    h("p", { class: "hint" }, first.complete ? "Every image has its answer." : "Still working: this updates itself."));
}

function renderList(box, images, filter) {
  const shown = images.filter(FILTERS[filter].keep);
  if (shown.length === 0) {
    fill(box, h("p", { class: "hint" }, images.length === 0 ? "No images." : "No image matches this filter."));
    return;
  }
  fill(box, h("div", { class: "table-scroll" }, h("table", { class: "batch-table" },
    h("caption", { class: "visually-hidden" }, `${shown.length} of ${images.length} images`),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Image"), h("th", { scope: "col" }, "Status"),
      h("th", { scope: "col" }, "Answer"), h("th", { scope: "col", class: "num" }, "Cat score"))),
    h("tbody", {}, shown.map((i) => h("tr", { dataset: { answer: i.answer ?? "", status: i.status } },
      h("td", {}, h("a", { href: `#/images/${i.image_id}` }, i.file_names?.join(", ") || shortId(i.image_id))),
      h("td", {}, statusBadge(i.status)),
      h("td", { class: `answer answer-${i.answer ?? "none"}` }, answerText(i.answer)),
      h("td", { class: "num" }, score(i.cat_score))))))));
}

function renderChooser(view) {
  const input = h("input", {
    id: "open-batch-id", name: "batch", required: true, autocomplete: "off", spellcheck: "false",
    pattern: "[A-Za-z0-9][A-Za-z0-9._:\\-]{0,127}", maxlength: "128",
  });
  const recent = recentBatches();
  fill(view,
    h("h1", {}, "Batches"),
    h("form", {
      class: "inline-form",
      onsubmit: (event) => {
        event.preventDefault();
        location.hash = `#/batches/${encodeURIComponent(input.value.trim())}`;
      },
    }, h("label", { for: "open-batch-id" }, "Batch id"), input, h("button", { type: "submit" }, "Open")),
    recent.length
      ? [h("h2", {}, "Uploaded from this tab"),
        h("ul", { class: "link-list" }, recent.map((b) => h("li", {}, h("a", { href: `#/batches/${encodeURIComponent(b)}` }, b))))]
      : h("p", { class: "hint" }, "Give a batch id when you upload, then open it here."));
}

function recentBatches() {
  try {
    const recent = JSON.parse(sessionStorage.getItem("catwrangler.recent") ?? "[]");
    return [...new Set(recent.map((r) => r.batch).filter(Boolean))];
  } catch {
    return [];
  }
}
