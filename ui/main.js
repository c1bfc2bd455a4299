// SPSE Authenticator UI, entry point (loaded by index.html as a module). Everything secret stays
// in Rust: the UI gets ids, issuer, account, parameters, codes and seconds left, and asks Rust to
// copy, import, add and remove. This module starts (the first codes drawn), then wires the
// toolbar, the keyboard shortcuts and the drag-and-drop events once that frame is drawn.
//
// Modules: api.js (the only door to Rust), state.js (the one mutable state object), i18n.js and
// i18n/*.js (strings), startup.js (start, error screen), list.js (accounts and codes), enrol.js
// (imports, manual entry), settings.js (settings, banner), lock.js (password screens, app lock),
// clock.js (the clock banner and its settings), autostart.js (start when I log in), desktop.js
// (close to the tray, the global shortcut, Esc hides, the tray's Lock), dialogs.js,
// toast.js, dom.js, format.js (helpers).

import * as api from "./api.js";
import { dialogOpen } from "./dialogs.js";
import { $, isTextEntry } from "./dom.js";
import {
  importDropped,
  importOtherApp,
  initEnrol,
  openFile,
  openManual,
  pasteFromClipboard,
  scanScreen,
} from "./enrol.js";
import { initAutostart } from "./autostart.js";
import { initClock } from "./clock.js";
import { initDesktop } from "./desktop.js";
import { initExport } from "./export.js";
import { initList, render } from "./list.js";
import { initLock, lockNow } from "./lock.js";
import { initSettings } from "./settings.js";
import { start } from "./startup.js";

/**
 * Shortcuts while the list is shown (none over a dialog or a password screen): Ctrl+L lock,
 * Ctrl+F search, Ctrl+Shift+S scan the screen, Ctrl+O open an image, Ctrl+V import from the
 * clipboard — except in a text field, where Ctrl+V pastes as usual. Typing a character outside
 * any field starts a search.
 */
function onKey(ev) {
  if (dialogOpen() || $("app").hidden) return;
  const ctrl = ev.ctrlKey || ev.metaKey;
  const key = ev.key.toLowerCase();
  const focused = document.activeElement;
  const search = $("search");
  if (ctrl && key === "l") {
    ev.preventDefault();
    lockNow();
  } else if (ctrl && key === "f") {
    ev.preventDefault();
    search.focus();
    search.select();
  } else if (ctrl && ev.shiftKey && key === "s") {
    ev.preventDefault();
    scanScreen();
  } else if (ctrl && key === "v" && !isTextEntry(focused)) {
    ev.preventDefault();
    pasteFromClipboard();
  } else if (ctrl && key === "o") {
    ev.preventDefault();
    openFile();
  } else if (
    !ctrl &&
    !ev.altKey &&
    ev.key.length === 1 &&
    ev.key !== " " &&
    !["INPUT", "SELECT", "TEXTAREA"].includes(focused?.tagName)
  ) {
    ev.preventDefault();
    search.focus();
    search.value += ev.key;
    render();
  }
}

/**
 * Wires the views, the toolbar, the keys and the drop events (their `listen` registrations are
 * calls into Rust), then says so with `<html data-events="on">` (the end-to-end tests wait for it).
 */
function wire() {
  initList();
  initEnrol();
  initLock();
  initSettings();
  initExport();
  initClock();
  initAutostart();
  initDesktop();
  $("fatal-retry").addEventListener("click", start);
  $("btn-open").addEventListener("click", openFile);
  $("btn-import").addEventListener("click", importOtherApp);
  $("btn-paste").addEventListener("click", pasteFromClipboard);
  $("btn-manual").addEventListener("click", openManual);
  $("btn-scan").addEventListener("click", scanScreen);
  document.addEventListener("keydown", onKey);
  // Files dropped on the window are read in Rust; the UI gets the preview (or the error).
  api.onImportDropped((result) => {
    $("drop").hidden = true;
    importDropped(result);
  });
  api.onDragEnter(() => ($("drop").hidden = false));
  api.onDragEnd(() => ($("drop").hidden = true));
  api.listening().then(() => (document.documentElement.dataset.events = "on"), () => {});
}

/** Runs `wire` once, whichever of its two callers comes first. */
let wired = false;
function wireOnce() {
  if (wired) return;
  wired = true;
  wire();
}

// The first codes first: `start` draws them from the bootstrap in the HTML (or asks Rust for
// it), and the rest of the page is wired once that frame is drawn, so neither the module
// evaluation (the page's load event, which shows the web view) nor the first frame waits for it
// (README, "Footprint"). A hidden window (started at log-in) draws no frames: the timer wires it.
performance.mark("modules");
start();
requestAnimationFrame(() => setTimeout(wireOnce));
setTimeout(wireOnce, 250);
