// The page's entry point: a hash router over four views, and the token panel.
//   #/                 upload and live results
//   #/images/{id}      one image: boxes, detections, timings, history, raw JSON, re-classify
//   #/batches/{id}     a batch: counts, filters, a link per image (?show=cats|not-cats|failed|pending)
//   #/dead-letters     classify requests given up on, with retry

import { setToken, token } from "./api.js";
import * as batchView from "./batch.js";
import * as deadLettersView from "./dead-letters.js";
import * as imageView from "./image.js";
import { clearNotice, showNotice } from "./notice.js";
import * as uploadView from "./upload.js";

const views = {
  upload: document.getElementById("view-upload"),
  image: document.getElementById("view-image"),
  batch: document.getElementById("view-batch"),
  "dead-letters": document.getElementById("view-dead-letters"),
};

/** Aborted when the view is left: stops its polling. */
let leaving = new AbortController();
let firstRoute = true;

function parse(hash) {
  const [path, query] = hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return { parts, params: new URLSearchParams(query ?? "") };
}

function route() {
  leaving.abort();
  leaving = new AbortController();
  clearNotice();
  const { parts, params } = parse(location.hash);
  let name = "upload";
  if (parts[0] === "images" && parts[1]) {
    name = "image";
    imageView.render(views.image, parts[1], leaving.signal);
  } else if (parts[0] === "batches") {
    name = "batch";
    batchView.render(views.batch, parts[1] ?? "", params, leaving.signal);
  } else if (parts[0] === "dead-letters") {
    name = "dead-letters";
    deadLettersView.render(views["dead-letters"], leaving.signal);
  }
  for (const [viewName, element] of Object.entries(views)) {
    element.hidden = viewName !== name;
  }
  for (const link of document.querySelectorAll("[data-nav]")) {
    if (link.dataset.nav === name) {
      link.setAttribute("aria-current", "page");
    } else {
      link.removeAttribute("aria-current");
    }
  }
  const heading = views[name].querySelector("h1");
  document.title = `${heading?.textContent ?? "cat-wrangler"} · cat-wrangler`;
  if (!firstRoute) {
    // keyboard and screen-reader users land on the new view, not on the link they left
    heading?.setAttribute("tabindex", "-1");
    heading?.focus();
    window.scrollTo(0, 0);
  }
  firstRoute = false;
}

function tokenPanel() {
  const panel = document.getElementById("token-panel");
  const input = document.getElementById("token");
  const summary = document.getElementById("token-summary");
  const shown = () => {
    summary.textContent = token() ? "Token ✓" : "Token";
  };
  input.value = token();
  shown();
  document.getElementById("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    setToken(input.value);
    shown();
    panel.open = false;
    clearNotice();
    route(); // what failed for want of a token can work now
  });
  document.getElementById("token-forget").addEventListener("click", () => {
    setToken("");
    input.value = "";
    shown();
  });
  window.addEventListener("catwrangler:unauthorized", () => {
    showNotice(token()
      ? "The server refused the token. Check it under Token, at the top."
      : "This server needs a token: enter it under Token, at the top.");
    if (!panel.open) {
      panel.open = true;
      input.focus();
    }
  });
}

tokenPanel();
uploadView.start();
window.addEventListener("hashchange", route);
route();
