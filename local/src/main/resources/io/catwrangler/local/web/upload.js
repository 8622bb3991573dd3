// The upload view: pick or drop many photos, watch each one upload, then its answer arrive.

import { ApiError, getJson, imageObjectUrl, pollUntil, upload } from "./api.js";
import { fill, h, score, statusBadge, verdict } from "./dom.js";

/** Uploads at a time: enough to keep the server's workers busy, few enough to show progress that moves. */
const PARALLEL_UPLOADS = 3;
/** Accepted uploads are remembered for this tab, so a reload or a visit to a detail page loses nothing. */
const RECENT_KEY = "catwrangler.recent";
const RECENT_LIMIT = 100;

const waiting = [];
let uploading = 0;
const all = new Set();

let cardsList;
let summary;
let clearButton;

/** One file on its way: queued → uploading → rejected, or accepted → PENDING → CLASSIFIED / FAILED. */
class Card {
  constructor({ name, batchId = "", file = null, imageId = null }) {
    this.name = name || "unnamed";
    this.batchId = batchId;
    this.file = file;
    this.imageId = imageId;
    this.phase = imageId ? "accepted" : "queued";
    this.progress = 0;
    this.error = null;
    this.image = null;
    this.polling = new AbortController();
    this.thumbUrl = file ? URL.createObjectURL(file) : null;

    this.thumb = h("img", {
      class: "thumb",
      alt: `Photo ${this.name}`,
      decoding: "async",
      loading: "lazy",
      onerror: () => this.thumb.classList.add("thumb-broken"),
    });
    if (this.thumbUrl) this.thumb.src = this.thumbUrl;
    this.state = h("div", { class: "card-state" });
    this.element = h("li", { class: "card", dataset: { file: this.name } },
      h("div", { class: "thumb-frame" }, this.thumb),
      h("div", { class: "card-body" }, h("h3", { class: "card-title", title: this.name }, this.name), this.state));
    this.render();
  }

  render() {
    const el = this.element;
    el.dataset.state = this.image ? this.image.status.toLowerCase() : this.phase;
    if (this.image?.answer) {
      el.dataset.answer = this.image.answer;
    } else {
      delete el.dataset.answer;
    }
    if (this.imageId) el.dataset.imageId = this.imageId;
    fill(this.state, ...this.stateParts());
    renderSummary();
  }

  stateParts() {
    const details = this.imageId
      ? h("a", { class: "card-link", href: `#/images/${this.imageId}` },
        "Details", h("span", { class: "visually-hidden" }, ` of ${this.name}`))
      : null;
    switch (this.phase) {
      case "queued":
        return [h("p", { class: "status-line" }, statusBadge("WAITING"), " in line to upload")];
      case "uploading": {
        const percent = Math.round(this.progress * 100);
        return [
          h("progress", { max: "100", value: String(percent), "aria-label": `Uploading ${this.name}` }),
          h("p", { class: "status-line" }, `Uploading… ${percent}%`),
        ];
      }
      case "rejected":
        return [
          h("p", { class: "status-line" }, statusBadge("REJECTED")),
          h("p", { class: "reason" }, this.error.message),
          h("p", { class: "code" }, this.error.status ? `HTTP ${this.error.status} · ${this.error.code}` : this.error.code),
        ];
      case "gone":
        return [h("p", { class: "reason" }, "This image is no longer on the server.")];
      default:
        break;
    }
    const image = this.image;
    if (!image || image.status === "PENDING") {
      return [
        h("p", { class: "status-line" }, statusBadge("PENDING"), " looking for cats…"),
        this.error ? h("p", { class: "reason" }, this.error.message) : null,
        details,
      ];
    }
    if (image.status === "FAILED") {
      const failure = image.failure;
      return [
        h("p", { class: "status-line" }, statusBadge("FAILED")),
        h("p", { class: "reason" }, failure ? `${failure.reason}: ${failure.message}` : "classification failed"),
        details,
      ];
    }
    return [
      verdict(image),
      h("p", { class: "score" }, `cat score ${score(image.cat_score)}`,
        h("span", { class: "threshold" }, ` (yes from ${score(image.threshold)})`)),
      h("p", { class: "status-line" }, statusBadge(image.status)),
      details,
    ];
  }

  async send() {
    this.phase = "uploading";
    this.render();
    const { done } = upload(this.file, this.batchId, (fraction) => {
      this.progress = fraction;
      this.render();
    });
    try {
      const accepted = await done;
      this.imageId = accepted.image_id;
      this.phase = "accepted";
      this.file = null;
      remember(this);
      this.render();
      this.watch();
    } catch (error) {
      this.phase = "rejected";
      this.error = error instanceof ApiError ? error : new ApiError(0, "ERROR", String(error));
      this.render();
    }
  }

  /** Polls the answer until the image is CLASSIFIED or FAILED. */
  watch() {
    pollUntil(async () => {
      try {
        this.image = await getJson(`/images/${this.imageId}`);
        this.error = null;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          this.phase = "gone";
          this.render();
          return true;
        }
        this.error = error; // shown on the card; polling goes on, the server may come back
        this.render();
        throw error;
      }
      this.render();
      return this.image.status !== "PENDING";
    }, this.polling.signal, { max: Math.min(30_000, 5000 + 20 * all.size) }); // many cards: each asks less often
  }

  async loadStoredThumbnail() {
    try {
      this.thumbUrl = await imageObjectUrl(this.imageId);
      this.thumb.src = this.thumbUrl;
    } catch {
      this.thumb.classList.add("thumb-broken");
    }
  }

  busy() {
    return this.phase === "queued" || this.phase === "uploading";
  }

  remove() {
    this.polling.abort();
    if (this.thumbUrl) URL.revokeObjectURL(this.thumbUrl);
    this.element.remove();
    all.delete(this);
  }
}

function pump() {
  while (uploading < PARALLEL_UPLOADS && waiting.length > 0) {
    const card = waiting.shift();
    uploading++;
    card.send().finally(() => {
      uploading--;
      pump();
    });
  }
}

function addFiles(files) {
  const batchInput = document.getElementById("batch-id");
  if (!batchInput.checkValidity()) {
    batchInput.reportValidity();
    return;
  }
  const batchId = batchInput.value.trim();
  const fresh = [...files].map((file) => new Card({ name: file.name, batchId, file }));
  if (fresh.length === 0) return;
  fresh.forEach((card) => all.add(card));
  cardsList.prepend(...fresh.map((card) => card.element)); // newest selection first, in the order chosen
  waiting.push(...fresh);
  renderSummary();
  pump();
}

function remember(card) {
  const recent = readRecent().filter((r) => r.id !== card.imageId);
  recent.unshift({ id: card.imageId, name: card.name, batch: card.batchId });
  sessionStorage.setItem(RECENT_KEY, JSON.stringify(recent.slice(0, RECENT_LIMIT)));
}

function readRecent() {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(RECENT_KEY) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((r) => typeof r?.id === "string") : [];
  } catch {
    return [];
  }
}

function restoreRecent() {
  const cards = readRecent().map((r) => new Card({ name: r.name, batchId: r.batch, imageId: r.id }));
  cards.forEach((card) => {
    all.add(card);
    cardsList.append(card.element);
    card.loadStoredThumbnail();
    card.watch();
  });
}

function renderSummary() {
  if (!summary) return;
  const counts = { yes: 0, no: 0, pending: 0, failed: 0, rejected: 0, uploading: 0 };
  for (const card of all) {
    if (card.busy()) counts.uploading++;
    else if (card.phase === "rejected") counts.rejected++;
    else if (card.image?.status === "FAILED") counts.failed++;
    else if (card.image?.answer === "yes") counts.yes++;
    else if (card.image?.answer === "no") counts.no++;
    else if (card.phase !== "gone") counts.pending++;
  }
  const parts = [
    counts.uploading && `${counts.uploading} uploading`,
    counts.pending && `${counts.pending} pending`,
    counts.yes && `${counts.yes} with a cat`,
    counts.no && `${counts.no} without`,
    counts.failed && `${counts.failed} failed`,
    counts.rejected && `${counts.rejected} rejected`,
  ].filter(Boolean);
  summary.textContent = all.size === 0
    ? "Nothing uploaded yet."
    : `${all.size} ${all.size === 1 ? "file" : "files"}: ${parts.join(" · ")}`;
  clearButton.hidden = all.size === 0;
}

function dropZone(zone) {
  const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes("Files");
  zone.addEventListener("dragenter", (event) => {
    if (hasFiles(event)) zone.classList.add("dragging");
  });
  zone.addEventListener("dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", (event) => {
    if (!zone.contains(event.relatedTarget)) zone.classList.remove("dragging");
  });
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    addFiles(event.dataTransfer.files);
  });
  // a photo dropped beside the zone must not replace the page with the photo
  window.addEventListener("dragover", (event) => {
    if (hasFiles(event)) event.preventDefault();
  });
  window.addEventListener("drop", (event) => {
    if (hasFiles(event)) event.preventDefault();
  });
}

/** Wires the upload view once; it stays alive while other views are shown, so uploads go on. */
export function start() {
  cardsList = document.getElementById("cards");
  summary = document.getElementById("summary");
  clearButton = document.getElementById("clear-results");
  const input = document.getElementById("files");
  input.addEventListener("change", () => {
    addFiles(input.files);
    input.value = ""; // choosing the same files again uploads them again
  });
  document.getElementById("upload-form").addEventListener("submit", (event) => event.preventDefault());
  dropZone(document.getElementById("drop-zone"));
  clearButton.addEventListener("click", () => {
    for (const card of [...all]) {
      if (!card.busy()) card.remove();
    }
    sessionStorage.removeItem(RECENT_KEY);
    renderSummary();
  });
  restoreRecent();
  renderSummary();
}
