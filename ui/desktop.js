// The app on the desktop: what closing the window does (hide to the tray or quit, asked once),
// the global shortcut (Settings field, and what a press does: the window comes up with the search
// focused; Enter in the search copies the first match, list.js), Esc to hide the window, and the
// tray's Lock. Rust owns the tray, the shortcut's registration and the window
// (src-tauri/src/tray.rs, shortcut.rs, main_window.rs); this module asks and shows.

import * as api from "./api.js";
import { choiceDialog, closeDialogs, dialogOpen } from "./dialogs.js";
import { $ } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { showLock } from "./lock.js";
import { shortcutOf } from "./shortcut.js";
import { state } from "./state.js";

/** "Ctrl+Alt+A, " style mention of the shortcut for the hide explanation ("" when none). */
function shortcutMention() {
  const s = state.desktop?.shortcut;
  return s && s.shortcut && !s.error ? t("close_via_shortcut", { shortcut: s.shortcut }) : "";
}

/** Shows Settings → Desktop from `st` (`desktop_status`). */
function renderStatus(st) {
  state.desktop = st;
  $("close-to-tray").checked = st.close_to_tray === true;
  $("shortcut").value = st.shortcut.shortcut || t("shortcut_none");
  $("shortcut-error").textContent = st.shortcut.error ? errorText(st.shortcut.error) : "";
}

/** Asks Rust afresh (each time Settings opens). */
export async function renderDesktop() {
  try {
    renderStatus(await api.desktopStatus());
  } catch (e) {
    $("shortcut-error").textContent = errorText(e);
  }
}

async function saveShortcut(text) {
  $("shortcut-error").textContent = "";
  try {
    const shortcut = await api.setShortcut(text);
    renderStatus({ ...state.desktop, shortcut });
  } catch (e) {
    await renderDesktop();
    $("shortcut-error").textContent = errorText(e);
  }
}

/** The shortcut field: the next key with a modifier becomes the shortcut; Esc or Tab leave it. */
function onShortcutKey(ev) {
  if (ev.key === "Tab") return;
  ev.preventDefault();
  ev.stopPropagation();
  if (ev.key === "Escape" && !ev.ctrlKey && !ev.altKey && !ev.metaKey) {
    ev.target.blur();
    return;
  }
  const text = shortcutOf(ev);
  if (text) saveShortcut(text);
}

/** The window's close button (Rust kept the window open and asks, see main_window.rs). */
async function onCloseRequested({ ask }) {
  closeDialogs();
  if (!state.desktop) await renderDesktop();
  const where = t("close_where", { shortcut: shortcutMention() });
  const choice = await choiceDialog({
    title: t(ask ? "close_ask_title" : "close_hint_title"),
    body: ask ? `${t("close_ask_body")} ${where}` : where,
    ok: t(ask ? "close_keep" : "close_hide"),
    cancel: t("close_quit"),
  });
  try {
    if (choice === "ok") {
      if (ask) await api.setCloseToTray(true);
      await api.hideWindow();
      if (ask) await renderDesktop();
    } else if (choice === "cancel") {
      if (ask) await api.setCloseToTray(false);
      await api.quitApp();
    }
  } catch (e) {
    $("shortcut-error").textContent = errorText(e);
  }
}

/** The global shortcut was pressed: the search (or the lock screen's password) gets the focus. */
function onShortcutPressed() {
  if (dialogOpen()) return;
  if ($("app").hidden) {
    $("lock-password")?.focus();
    return;
  }
  const search = $("search");
  search.focus();
  search.select();
}

/** Esc outside dialogs and text fields (or in an empty search) hides the window to the tray. */
function onKey(ev) {
  if (ev.key !== "Escape" || ev.defaultPrevented || dialogOpen()) return;
  const f = document.activeElement;
  const field = f && ["INPUT", "SELECT", "TEXTAREA"].includes(f.tagName);
  if (field && !(f.id === "search" && f.value === "")) return;
  ev.preventDefault();
  api.hideWindow();
}

/** Wires Settings → Desktop and the events. */
export function initDesktop() {
  $("close-to-tray").addEventListener("change", async (ev) => {
    try {
      await api.setCloseToTray(ev.target.checked);
    } catch (e) {
      $("shortcut-error").textContent = errorText(e);
    }
    await renderDesktop();
  });
  $("shortcut").addEventListener("keydown", onShortcutKey);
  $("shortcut-clear").addEventListener("click", () => saveShortcut(""));
  $("shortcut-default").addEventListener("click", () => saveShortcut("Ctrl+Alt+A"));
  document.addEventListener("keydown", onKey);
  api.onCloseRequested(onCloseRequested);
  api.onShortcutPressed(onShortcutPressed);
  api.onAppLocked(showLock);
}
