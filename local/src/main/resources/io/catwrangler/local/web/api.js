// The page's side of the HTTP API (docs/api.md): JSON calls, uploads with progress, image bytes, the token.

const TOKEN_KEY = "catwrangler.token";

/** A refused or failed call: the server's {"error": CODE, "message": …}, or status 0 when it did not answer. */
export class ApiError extends Error {
  constructor(status, code, message, body = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

/** The bearer token, kept for this tab only: a server bound beyond localhost asks for one. */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY) ?? "";
}

export function setToken(value) {
  const t = value.trim();
  if (t) {
    sessionStorage.setItem(TOKEN_KEY, t);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

function authorization() {
  const t = token();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

async function errorOf(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    // not JSON: a proxy's page, say; the status says enough
  }
  return refused(response.status, body);
}

function refused(status, body) {
  const error = new ApiError(status, body.error ?? `HTTP_${status}`, body.message ?? `the server answered ${status}`,
    body);
  if (status === 401) {
    window.dispatchEvent(new CustomEvent("catwrangler:unauthorized"));
  }
  return error;
}

const unreachable = () =>
  new ApiError(0, "UNREACHABLE", "the server did not answer: is catwrangler serve still running?");

async function call(method, path, { body, headers = {} } = {}) {
  let response;
  try {
    response = await fetch(path, { method, body, cache: "no-store", headers: { ...authorization(), ...headers } });
  } catch {
    throw unreachable();
  }
  if (!response.ok) {
    throw await errorOf(response);
  }
  return response;
}

export async function getJson(path) {
  return (await call("GET", path)).json();
}

export async function postJson(path, body = {}) {
  const response = await call("POST", path, {
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });
  return response.json();
}

/** The stored bytes of an image as an object URL (an <img src> cannot carry the token). Revoke it when done. */
export async function imageObjectUrl(imageId) {
  const response = await call("GET", `/images/${encodeURIComponent(imageId)}/content`);
  return URL.createObjectURL(await response.blob());
}

/**
 * POST /images as multipart/form-data, through XMLHttpRequest for its upload progress (fetch has none).
 *
 * @param onProgress called with the fraction sent, 0 to 1
 * @returns {{done: Promise<object>, abort: function}} done resolves with the 202 body, rejects with an ApiError
 */
export function upload(file, batchId, onProgress) {
  const xhr = new XMLHttpRequest();
  const done = new Promise((resolve, reject) => {
    const form = new FormData();
    form.append("file", file, file.name);
    if (batchId) {
      form.append("batch_id", batchId);
    }
    xhr.open("POST", "/images");
    xhr.responseType = "json";
    for (const [name, value] of Object.entries(authorization())) {
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) {
        onProgress(event.loaded / event.total);
      }
    });
    xhr.addEventListener("load", () => {
      const body = xhr.response ?? {};
      if (xhr.status === 202) {
        onProgress(1);
        resolve(body);
      } else {
        reject(refused(xhr.status, body));
      }
    });
    xhr.addEventListener("error", () => reject(unreachable()));
    xhr.addEventListener("abort", () => reject(new ApiError(0, "ABORTED", "upload cancelled")));
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

/**
 * Calls `step` until it returns true, waiting longer each time (from `first` ms, ×1.5, up to `max` ms): a fresh
 * upload is answered within a second or two, a long queue is not hammered. Stops when `signal` aborts.
 */
export function pollUntil(step, signal, { first = 300, max = 5000 } = {}) {
  let delay = first;
  const tick = async () => {
    if (signal.aborted) return;
    let finished = false;
    try {
      finished = await step();
    } catch (error) {
      finished = error instanceof ApiError && error.status >= 400 && error.status < 500; // will not get better
      if (!finished) delay = max;
    }
    if (!finished && !signal.aborted) {
      setTimeout(tick, delay);
      delay = Math.min(max, Math.round(delay * 1.5));
    }
  };
  tick();
}
