// One message line under the header, for what went wrong outside any card (a refused call, a lost server).

import { fill } from "./dom.js";

const element = () => document.getElementById("notice");

export function showNotice(message) {
  const box = element();
  fill(box, message);
  box.hidden = false;
}

export function clearNotice() {
  const box = element();
  box.hidden = true;
  box.replaceChildren();
}
