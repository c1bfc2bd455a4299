// Toasts: short messages at the bottom of the window, each closing itself after a few seconds,
// optionally with one action button (Undo). Errors are shown localised by kind, with Rust's
// English message as detail; `app_locked` shows the lock screen instead.

import { KIND } from "./api.js";
import { $, el } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { showLock } from "./lock.js";

/**
 * Shows `text` for `seconds`; `detail` is a second, smaller line; `action` (`{label, run}`) a
 * button that closes the toast and runs. Returns the toast's element.
 */
export function toast(text, { error = false, detail = "", action = null, seconds = 4 } = {}) {
  const box = el("div", { class: error ? "toast error" : "toast" });
  const msg = el("span", { class: "msg" }, text);
  if (detail) msg.append(el("span", { class: "detail" }, detail));
  box.append(msg);
  let timer;
  const close = () => {
    clearTimeout(timer);
    box.remove();
  };
  if (action) {
    const b = el("button", { type: "button", class: "toast-action" }, action.label);
    b.addEventListener("click", () => {
      close();
      action.run();
    });
    box.append(b);
  }
  $("toasts").append(box);
  timer = setTimeout(close, seconds * 1000);
  return box;
}

/** Shows an IPC error (`{kind, message}`) as an error toast, or the lock screen for `app_locked`. */
export function showError(err) {
  if (err && err.kind === KIND.APP_LOCKED) return showLock();
  const detail = err && err.message ? t("error_details", { msg: err.message }) : "";
  toast(errorText(err), { error: true, detail, seconds: 8 });
}

/** Removes every toast (on lock: an Undo must not outlive it). */
export function clearToasts() {
  $("toasts").replaceChildren();
}
