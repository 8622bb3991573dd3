// Building elements and formatting values. Text always goes in as text (never innerHTML): file names, messages
// and detector labels come from outside.

/**
 * h("a", {href: "#/", class: "x"}, "text", child) — attributes starting with "on" become listeners; `null`,
 * `undefined` and `false` children and attributes are left out.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(element.dataset, value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) {
      append(element, child);
    } else {
      element.append(child instanceof Node ? child : String(child));
    }
  }
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export function score(value) {
  return typeof value === "number" ? value.toFixed(2) : "–";
}

/** The first and last characters of a sha256, enough to tell images apart on screen. */
export function shortId(id) {
  return id && id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-6)}` : id ?? "";
}

export function bytes(n) {
  if (typeof n !== "number") return "–";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function millis(ms) {
  if (typeof ms !== "number") return "–";
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit",
});

/** A readable local time, with the exact UTC instant in a <time> element. */
export function time(iso) {
  if (!iso) return "–";
  const date = new Date(iso);
  return h("time", { datetime: iso, title: iso }, Number.isNaN(date.getTime()) ? iso : timeFormat.format(date));
}

/** "yes" → "YES", "no" → "NO", anything else → "–". */
export function answerText(answer) {
  return answer === "yes" ? "YES" : answer === "no" ? "NO" : "–";
}

/** A big YES / NO with what it means, for cards and the detail view. */
export function verdict(image) {
  if (image.answer === "yes") {
    return h("p", { class: "verdict verdict-yes", "data-answer": "yes" },
      h("span", { class: "verdict-word" }, "YES"), h("span", { class: "verdict-meaning" }, "a cat"));
  }
  if (image.answer === "no") {
    return h("p", { class: "verdict verdict-no", "data-answer": "no" },
      h("span", { class: "verdict-word" }, "NO"), h("span", { class: "verdict-meaning" }, "no cat"));
  }
  return null;
}

export function statusBadge(status) {
  return h("span", { class: `badge badge-${String(status).toLowerCase()}` }, status);
}
