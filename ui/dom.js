// Small DOM helpers shared by the views. Nothing here runs at import time.

/** The element with id `id`. */
export const $ = (id) => document.getElementById(id);

/** A new `tag` element: `attrs` (`class`, `on<event>` handlers, other attributes) and children. */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** Sets a text only when it changes (the list is refreshed every second). */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** Sets an attribute only when it changes. */
export function setAttr(node, name, value) {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

/** Hides or shows a node only when that changes. */
export function setHidden(node, hidden) {
  if (node.hidden !== hidden) node.hidden = hidden;
}

/** Whether `node` takes typed text (so Ctrl+V and typing belong to it, not to the app). */
export function isTextEntry(node) {
  if (!node) return false;
  if (node.isContentEditable || node.tagName === "TEXTAREA") return true;
  if (node.tagName !== "INPUT") return false;
  return !["button", "checkbox", "color", "file", "image", "radio", "range", "reset", "submit"].includes(node.type);
}

/** Shows exactly one of the full-window screens (`starting`, `fatal`, `unlock`, `lockscreen`) or the app. */
export function showScreen(id) {
  for (const s of ["starting", "fatal", "unlock", "lockscreen", "app"]) $(s).hidden = s !== id;
}

/** Runs `fn` with `button` disabled and showing `busyText` (Argon2id takes about half a second). */
export async function busyButton(button, busyText, fn) {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = busyText;
  document.body.setAttribute("aria-busy", "true");
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.textContent = label;
    document.body.removeAttribute("aria-busy");
  }
}
