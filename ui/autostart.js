// Settings → "Start when I log in": the system's own entry (a desktop entry, the Windows Run
// key, a macOS Launch Agent), created and removed in Rust (src-tauri/src/autostart.rs). The
// checkbox always shows what the system has, not what was last clicked.

import * as api from "./api.js";
import { $ } from "./dom.js";
import { errorText } from "./i18n.js";

/** Shows the system's state in the checkbox (asked afresh each time Settings opens). */
export async function renderAutostart() {
  try {
    $("autostart").checked = await api.autostartStatus();
    $("autostart").disabled = false;
  } catch (e) {
    $("autostart").disabled = true;
    $("autostart-error").textContent = errorText(e);
  }
}

async function change(ev) {
  $("autostart-error").textContent = "";
  try {
    ev.target.checked = await api.setAutostart(ev.target.checked);
  } catch (e) {
    $("autostart-error").textContent = errorText(e);
    await renderAutostart();
  }
}

/** Wires the checkbox. */
export function initAutostart() {
  $("autostart").addEventListener("change", change);
}
