// The detail view of one image: the photo with the detector's boxes, every detection, timings per stage, the
// event history, the raw JSON, a re-classify action, and a person's correction (cat / not a cat).

import { ApiError, getJson, imageObjectUrl, pollUntil, postJson } from "./api.js";
import { bytes, fill, h, millis, score, shortId, statusBadge, time, verdict } from "./dom.js";

const EVENT_TITLES = {
  ImageReceived: "Received",
  ClassificationSucceeded: "Classified",
  ClassificationFailed: "Classification failed",
  LabelRecorded: "Labelled",
};

/** Who labels from this browser: asked once, remembered (a name for the history, not a login). */
const LABELLER_KEY = "catwrangler.labeller";

export function render(view, imageId, signal) {
  const parts = {
    title: h("h1", { class: "detail-title" }, "Image ", h("code", { title: imageId }, shortId(imageId))),
    names: h("p", { class: "detail-names" }),
    stage: h("div", { class: "stage" }),
    caption: h("figcaption", { class: "hint" }),
    facts: h("div", { class: "facts" }, h("p", { class: "loading" }, "Loading…")),
    actions: h("div", { class: "detail-actions" }),
    correction: h("section", { class: "detail-actions correction", "aria-labelledby": "correction-title" }),
    labels: h("section", { class: "panel", "aria-labelledby": "labels-title" }),
    detections: h("section", { class: "panel", "aria-labelledby": "detections-title" }),
    timings: h("section", { class: "panel", "aria-labelledby": "timings-title" }),
    history: h("section", { class: "panel panel-wide", "aria-labelledby": "history-title" }),
    raw: h("section", { class: "panel panel-wide", "aria-labelledby": "raw-title" }),
  };
  const photo = h("img", { class: "photo", alt: "Loading the photo…" });
  photo.addEventListener("load", () => {
    // as wide as the column, but never taller than most of the screen (a portrait photo on a wide screen)
    parts.stage.style.maxWidth = `${(75 * photo.naturalWidth) / photo.naturalHeight}vh`;
  });
  const boxes = h("div", { class: "boxes", "aria-hidden": "true" });
  parts.stage.append(photo, boxes);
  fill(view,
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/" }, "← Upload")),
    parts.title,
    parts.names,
    h("div", { class: "detail-top" },
      h("figure", { class: "figure" }, parts.stage, parts.caption),
      h("div", { class: "detail-side" }, parts.facts, parts.actions, parts.correction)),
    h("div", { class: "panels" }, parts.labels, parts.detections, parts.timings, parts.history, parts.raw));

  let objectUrl = null;
  signal.addEventListener("abort", () => {
    if (objectUrl) URL.revokeObjectURL(objectUrl);
  });
  imageObjectUrl(imageId).then((url) => {
    if (signal.aborted) {
      URL.revokeObjectURL(url);
      return;
    }
    objectUrl = url;
    photo.src = url;
  }).catch((error) => {
    photo.remove();
    parts.stage.classList.add("stage-missing");
    parts.stage.prepend(h("p", { class: "reason" }, `The photo cannot be shown: ${error.message}`));
  });

  const state = { image: null, history: null, showOthers: true };
  const redraw = () => drawBoxes(boxes, photo, parts.caption, state);

  const load = async () => {
    try {
      const [image, history] = await Promise.all([
        getJson(`/images/${encodeURIComponent(imageId)}?debug=true`),
        getJson(`/images/${encodeURIComponent(imageId)}/events`),
      ]);
      if (signal.aborted) return true;
      state.image = image;
      state.history = history;
      update(parts, state, redraw, () => watch());
      return image.status !== "PENDING";
    } catch (error) {
      if (signal.aborted) return true;
      fill(parts.facts, h("p", { class: "reason" }, error.message));
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
        parts.title.textContent = error.status === 404 ? "No such image" : "Cannot show this image";
        return true;
      }
      throw error;
    }
  };
  const watch = () => pollUntil(load, signal, { first: 500, max: 4000 });
  watch();
}

function update(parts, state, redraw, rewatch) {
  const { image, history } = state;
  const debug = image.debug ?? {};
  const names = [...new Set(image.submissions.map((s) => s.file_name).filter(Boolean))];
  const batches = [...new Set(image.submissions.map((s) => s.batch_id).filter(Boolean))];
  fill(parts.names,
    names.length ? names.join(", ") : "no file name",
    batches.length ? " · batch " : null,
    batches.flatMap((b, i) => [i ? ", " : null, h("a", { href: `#/batches/${encodeURIComponent(b)}` }, b)]));
  const photo = parts.stage.querySelector("img.photo");
  if (photo) {
    const cats = (debug.detections ?? []).filter((d) => d.label === "cat").length;
    const others = (debug.detections ?? []).length - cats;
    photo.alt = `Photo ${names[0] ?? shortId(image.image_id)}, with ${cats} cat ${cats === 1 ? "box" : "boxes"}`
      + ` and ${others} other ${others === 1 ? "box" : "boxes"} drawn over it`;
  }
  redraw();
  renderFacts(parts.facts, image);
  renderActions(parts.actions, image, rewatch);
  renderCorrection(parts.correction, image, rewatch);
  renderLabels(parts.labels, debug);
  renderDetections(parts.detections, debug, state, redraw);
  renderTimings(parts.timings, debug);
  renderHistory(parts.history, history);
  renderRaw(parts.raw, image, history);
}

/** Boxes in percent of the oriented frame the detector saw, so they follow the photo at any width. */
function drawBoxes(layer, photo, caption, state) {
  const debug = state.image?.debug;
  layer.replaceChildren();
  if (!debug || !debug.oriented_width || !debug.oriented_height) {
    caption.textContent = state.image?.status === "PENDING" ? "Boxes appear once the image is classified." : "";
    return;
  }
  const w = debug.oriented_width;
  const hgt = debug.oriented_height;
  const shown = debug.detections
    .map((d, index) => ({ ...d, index }))
    .filter((d) => d.label === "cat" || state.showOthers)
    .sort((a, b) => (a.label === "cat") - (b.label === "cat")); // cats drawn last, on top
  for (const d of shown) {
    const cat = d.label === "cat";
    const box = h("div", { class: `box ${cat ? "box-cat" : "box-other"}`, dataset: { label: d.label, index: d.index } },
      h("span", { class: "box-label" }, `${d.label} ${score(d.score)}`));
    const left = clamp(d.box.x1 / w);
    const top = clamp(d.box.y1 / hgt);
    box.style.left = `${left * 100}%`;
    box.style.top = `${top * 100}%`;
    box.style.width = `${(clamp(d.box.x2 / w) - left) * 100}%`;
    box.style.height = `${(clamp(d.box.y2 / hgt) - top) * 100}%`;
    if (top < 0.06) box.classList.add("box-label-inside");
    layer.append(box);
  }
  caption.textContent = debug.detections.length === 0
    ? "The detector found nothing it recognises."
    : "Cats are outlined in orange, other objects in blue; each label gives the detector's score.";
  photo.dataset.frame = `${w}x${hgt}`;
}

const clamp = (v) => Math.min(1, Math.max(0, v));

function renderFacts(facts, image) {
  const failure = image.failure;
  fill(facts,
    verdict(image) ?? h("p", { class: "verdict verdict-none" },
      h("span", { class: "verdict-word" }, image.status === "FAILED" ? "FAILED" : "…"),
      h("span", { class: "verdict-meaning" }, image.status === "FAILED" ? "no answer" : "looking for cats")),
    h("dl", { class: "facts-list" },
      fact("Status", statusBadge(image.status)),
      fact("Cat score", score(image.cat_score)),
      fact("Threshold", score(image.threshold)),
      fact("Model", image.model ? `${image.model.name} ${image.model.version}` : "–"),
      fact("Decided by", image.decided_by ?? "–"),
      fact("Classified", time(image.classified_at)),
      fact("Attempts", image.debug?.attempts ?? "–"),
      fact("File", image.debug ? `${image.debug.content_type}, ${bytes(image.debug.byte_size)},`
        + ` ${image.debug.width} × ${image.debug.height}` : "–"),
      fact("Image id", h("code", { class: "wrap" }, image.image_id))),
    failure ? h("p", { class: "reason" }, `${failure.reason}: ${failure.message}`) : null);
}

const fact = (name, value) => [h("dt", {}, name), h("dd", {}, value)];

function renderActions(actions, image, rewatch) {
  if (actions.childElementCount > 0) return; // built once: keeps the last result and the focus
  const result = h("p", { class: "action-result", role: "status" });
  const button = h("button", { type: "button", id: "reclassify" }, "Re-classify");
  button.addEventListener("click", async () => {
    button.disabled = true;
    result.textContent = "Re-classifying…";
    try {
      const report = await postJson("/admin/replay", { image_id: image.image_id, reclassify: true });
      if (report.retry_later > 0) {
        result.textContent = "The detector could not take it now; try again in a moment.";
      } else if (report.events_appended === 0) {
        result.textContent = "Nothing to do: the current model has answered for this image already.";
      } else {
        result.textContent = report.answers_changed > 0
          ? "Re-classified: the answer changed."
          : "Re-classified: the answer is the same.";
      }
      rewatch();
    } catch (error) {
      result.textContent = `Re-classify refused: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
  fill(actions, button,
    h("p", { class: "hint" }, "Runs the current detector model on this image again (POST /admin/replay)."),
    result);
}

/**
 * "This is wrong" (or right): a person says whether the photo shows a cat, POST /images/{id}/labels. The answer
 * stays the model's; the label stands beside it and counts in GET /quality.
 */
function renderCorrection(section, image, rewatch) {
  if (section.childElementCount === 0) { // built once: keeps the name typed, the last result and the focus
    const by = h("input", { type: "text", id: "labeller", name: "labeller", maxlength: "128", autocomplete: "name",
      placeholder: "your name", value: localStorage.getItem(LABELLER_KEY) ?? "" });
    const result = h("p", { class: "action-result", role: "status" });
    const send = async (cat, button) => {
      const name = by.value.trim();
      if (!name) {
        result.textContent = "Enter your name first: the label records who gave it.";
        by.focus();
        return;
      }
      localStorage.setItem(LABELLER_KEY, name);
      section.querySelectorAll("button").forEach((b) => { b.disabled = true; });
      result.textContent = "Recording…";
      try {
        const path = `/images/${encodeURIComponent(section.dataset.imageId)}/labels`;
        const reply = await postJson(path, { cat, by: name });
        result.textContent = `${reply.recorded ? "Recorded" : "Already recorded"}: ${cat ? "a cat" : "not a cat"},`
          + ` by ${reply.label.by}.`;
        section.recorded = reply.label; // shown until the results view has it too
        rewatch();
      } catch (error) {
        result.textContent = `Label refused: ${error.message}`;
      } finally {
        section.querySelectorAll("button").forEach((b) => { b.disabled = false; });
        button.focus();
      }
    };
    const cat = h("button", { type: "button", id: "label-cat" });
    const notCat = h("button", { type: "button", id: "label-not-cat" });
    cat.addEventListener("click", () => send(true, cat));
    notCat.addEventListener("click", () => send(false, notCat));
    fill(section,
      h("h2", { id: "correction-title", class: "correction-title" }, "Is the answer right?"),
      h("p", { class: "label-standing" }),
      h("label", { class: "inline", for: "labeller" }, "Labelled by ", by),
      cat, notCat,
      h("p", { class: "hint" }, "Labels are kept beside the model's answer (which does not change) and measure it: "
        + "GET /quality. Label a fair sample, right answers too, not only the wrong ones."),
      result);
  }
  section.dataset.imageId = image.image_id;
  const [cat, notCat] = [section.querySelector("#label-cat"), section.querySelector("#label-not-cat")];
  cat.textContent = image.answer === "no" ? "This is wrong: a cat" : image.answer === "yes" ? "Right: a cat" : "A cat";
  notCat.textContent = image.answer === "yes" ? "This is wrong: not a cat"
    : image.answer === "no" ? "Right: not a cat" : "Not a cat";
  const recorded = section.recorded;
  const label = recorded && (image.label?.version ?? 0) < recorded.version ? recorded : image.label;
  const agrees = (image.answer === "yes") === label?.cat;
  fill(section.querySelector(".label-standing"), label
    ? [`Labelled ${label.cat ? "a cat" : "not a cat"} by ${label.by}, `, time(label.at),
      image.answer ? (agrees ? " — agrees with the answer." : " — the answer is wrong.") : "."]
    : "No label yet.");
}

/** What the ImageNet classifier, which gives the answer, thought the photo was: its most likely labels. */
function renderLabels(section, debug) {
  const labels = debug.top_labels ?? [];
  fill(section,
    h("h2", { id: "labels-title" }, "Classifier's top labels"),
    labels.length === 0
      ? h("p", { class: "hint" }, "None recorded (an answer from another detector).")
      : h("div", { class: "table-scroll" }, h("table", { class: "labels" },
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, "ImageNet label"), h("th", { scope: "col", class: "num" }, "Probability"))),
        h("tbody", {}, labels.map((l) => h("tr", {}, h("td", {}, l.label),
          h("td", { class: "num" }, score(l.probability))))))),
    h("p", { class: "hint" }, "The cat score is the calibrated sum of ImageNet's five domestic-cat classes "
      + "(with CenterNet's cat and dog scores when the classifier was unsure); the boxes come from CenterNet (COCO) "
      + "when it runs."));
}

function renderDetections(section, debug, state, redraw) {
  const detections = debug.detections ?? [];
  const toggle = h("input", { type: "checkbox", id: "show-others", checked: state.showOthers });
  toggle.addEventListener("change", () => {
    state.showOthers = toggle.checked;
    redraw();
  });
  fill(section,
    h("h2", { id: "detections-title" }, `Detections (${detections.length})`),
    h("label", { class: "inline" }, toggle, " Draw objects other than cats"),
    detections.length === 0
      ? h("p", { class: "hint" }, "None.")
      : h("div", { class: "table-scroll" }, h("table", { class: "detections" },
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, "Label"), h("th", { scope: "col", class: "num" }, "Score"),
          h("th", { scope: "col" }, "Box (px, x1 y1 – x2 y2)"))),
        h("tbody", {}, detections.map((d, index) => {
          const row = h("tr", { class: d.label === "cat" ? "row-cat" : null },
            h("td", {}, d.label), h("td", { class: "num" }, score(d.score)),
            h("td", { class: "mono" }, `${Math.round(d.box.x1)} ${Math.round(d.box.y1)} – `
              + `${Math.round(d.box.x2)} ${Math.round(d.box.y2)}`));
          row.addEventListener("mouseenter", () => highlight(index, true));
          row.addEventListener("mouseleave", () => highlight(index, false));
          return row;
        })))));
}

function highlight(index, on) {
  document.querySelector(`.box[data-index="${index}"]`)?.classList.toggle("box-active", on);
}

function renderTimings(section, debug) {
  const timings = Object.entries(debug.timings_ms ?? {});
  const longest = Math.max(1, ...timings.map(([, ms]) => ms));
  const total = timings.reduce((sum, [, ms]) => sum + ms, 0);
  fill(section,
    h("h2", { id: "timings-title" }, "Timings per stage"),
    timings.length === 0
      ? h("p", { class: "hint" }, "No timings yet.")
      : [
        h("ul", { class: "timings" }, timings.map(([stage, ms]) => {
          const bar = h("span", { class: "bar" });
          bar.style.width = `${Math.max(1, (ms / longest) * 100)}%`;
          return h("li", {}, h("span", { class: "stage-name" }, stage), h("span", { class: "bar-track" }, bar),
            h("span", { class: "num" }, millis(ms)));
        })),
        h("p", { class: "hint" }, `${millis(total)} in the detector in all.`),
      ]);
}

function renderHistory(section, history) {
  const events = history?.events ?? [];
  fill(section,
    h("h2", { id: "history-title" }, `History (${events.length} ${events.length === 1 ? "event" : "events"})`),
    h("ol", { class: "timeline" }, events.map((e) => h("li", { class: `event event-${e.type}` },
      h("div", { class: "event-head" },
        h("span", { class: "event-type" }, EVENT_TITLES[e.type] ?? e.type),
        " ", h("span", { class: "event-version" }, `v${e.version}`),
        " · ", time(e.occurred_at)),
      h("p", { class: "event-detail" }, describe(e))))));
}

function describe(event) {
  const p = event.payload ?? {};
  switch (event.type) {
    case "ImageReceived":
      return [
        p.file_name ? `${p.file_name}, ` : "",
        `${p.content_type}, ${bytes(p.byte_size)}, ${p.width} × ${p.height}, from ${p.source}`,
        p.batch_id ? `, batch ${p.batch_id}` : "",
        p.client_id ? `, client ${p.client_id}` : "",
      ].join("");
    case "ClassificationSucceeded":
      return `${p.is_cat ? "YES" : "NO"}: cat score ${score(p.cat_score)}, yes from ${score(p.threshold)};`
        + ` ${p.detections?.length ?? 0} detections; ${p.model?.name} ${p.model?.version};`
        + ` ${p.trigger}, attempt ${p.attempt}`
        + (p.redecided_from ? `, re-decided from v${p.redecided_from}` : "");
    case "ClassificationFailed":
      return `${p.reason}: ${p.message} (attempt ${p.attempt}, ${p.retryable ? "will be retried" : "final"})`;
    case "LabelRecorded":
      return `${p.cat ? "a cat" : "not a cat"}, by ${p.by}`;
    default:
      return "";
  }
}

function renderRaw(section, image, history) {
  const block = (summary, value) => h("details", {},
    h("summary", {}, summary),
    h("pre", { class: "json", tabindex: "0" }, h("code", {}, JSON.stringify(value, null, 2))));
  fill(section,
    h("h2", { id: "raw-title" }, "Raw JSON"),
    block(`GET /images/${shortId(image.image_id)}?debug=true`, image),
    block(`GET /images/${shortId(image.image_id)}/events`, history));
}
