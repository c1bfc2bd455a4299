// The shared confirmation dialog (#confirm): delete, replace, add several, restore, retry.

import { $ } from "./dom.js";
import { t } from "./i18n.js";

/**
 * Shows the confirmation dialog (`items`: list elements shown under the body); resolves true when
 * the user confirms, false when they cancel or the dialog is closed otherwise (Escape, lock).
 */
export async function confirmDialog(options) {
  return (await choiceDialog(options)) === "ok";
}

/**
 * The confirmation dialog with its answer told apart: resolves "ok", "cancel" (the second
 * button, labelled `cancel`), or "" when it was dismissed (Escape, lock).
 */
export function choiceDialog({ title, body, ok, cancel = t("cancel"), items = [] }) {
  const d = $("confirm");
  $("confirm-title").textContent = title;
  $("confirm-body").textContent = body;
  $("confirm-ok").textContent = ok;
  $("confirm-cancel").textContent = cancel;
  const ul = $("confirm-list");
  ul.replaceChildren(...items);
  ul.hidden = items.length === 0;
  d.returnValue = "";
  return new Promise((resolve) => {
    d.addEventListener("close", () => resolve(d.returnValue), { once: true });
    d.showModal();
    $("confirm-cancel").focus();
  });
}

/** Whether a modal dialog is open. */
export function dialogOpen() {
  return !!document.querySelector("dialog[open]");
}

/** Closes every open dialog (as cancelled). */
export function closeDialogs() {
  for (const d of document.querySelectorAll("dialog[open]")) d.close();
}
