// The two password screens: the app lock (#lockscreen: Ctrl+L, the idle timer, or locked at
// start) and the vault's recovery-password screen (#unlock: the keyring no longer holds the vault
// key, or cannot be reached). Both send the typed password to Rust once and clear the field.
//
// Invariants: while either screen shows, no account row, code, toast or dialog is in the DOM
// (`stopList`, `clearToasts`, `closeDialogs`); the lock itself is enforced in Rust (locked
// commands answer `app_locked`), the UI only follows.

import * as api from "./api.js";
import { KEYRING_NO_ENTRY } from "./api.js";
import { closeDialogs, confirmDialog } from "./dialogs.js";
import { $, busyButton, showScreen } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { stopList } from "./list.js";
import { start } from "./startup.js";
import { state } from "./state.js";
import { clearToasts, showError, toast } from "./toast.js";

// ---------- recovery password at start (keyring key missing) ----------

/** Shows the recovery-password screen for vault status `v` (`{keyring, …}`). */
export function showUnlock(v) {
  stopList();
  showScreen("unlock");
  $("unlock-text").textContent = t(v.keyring === KEYRING_NO_ENTRY ? "unlock_text_missing" : "unlock_text_unavailable");
  $("unlock-folder").textContent = state.boot ? t("error_folder", { dir: state.boot.data_dir }) : "";
  $("unlock-error").textContent = "";
  $("unlock-password").value = "";
  $("unlock-password").focus();
}

/**
 * Sends the password typed in `prefix`-password to Rust with `send` (the OK button busy
 * meanwhile); on error shows it under the field and resolves `null`, else clears the field and
 * resolves the command's result (`{}` for none).
 */
async function sendPassword(prefix, send) {
  const input = $(`${prefix}-password`);
  const err = $(`${prefix}-error`);
  err.textContent = "";
  if (!input.value) {
    err.textContent = t("v_pw_required");
    input.focus();
    return null;
  }
  let result;
  try {
    result = await busyButton($(`${prefix}-ok`), t("unlock_busy"), () => send(input.value));
  } catch (e) {
    input.setAttribute("aria-invalid", "true");
    err.textContent = errorText(e);
    input.select();
    input.focus();
    return null;
  }
  input.value = "";
  input.removeAttribute("aria-invalid");
  return result ?? {};
}

async function submitUnlock(ev) {
  ev.preventDefault();
  const result = await sendPassword("unlock", api.unlockVault);
  if (!result) return;
  await start();
  if (!result.offer_keyring) return;
  const ok = await confirmDialog({
    title: t("keyring_offer_title"),
    body: t("keyring_offer_body"),
    ok: t("keyring_offer_ok"),
    cancel: t("keyring_offer_no"),
  });
  if (!ok) return;
  try {
    await api.restoreKeyringKey();
    toast(t("keyring_restored"));
  } catch (e) {
    showError(e);
  }
}

// ---------- app lock ----------

/** Shows the lock screen, after removing every code, toast and dialog. */
export function showLock() {
  stopList();
  clearTimeout(state.idleTimer);
  closeDialogs();
  clearToasts();
  showScreen("lockscreen");
  $("lock-error").textContent = "";
  $("lock-password").value = "";
  $("lock-password").focus();
}

/** Locks now (Ctrl+L, the idle timer, Settings); without a recovery password Rust refuses. */
export async function lockNow() {
  try {
    await api.lockApp();
    showLock();
  } catch (e) {
    showError(e);
  }
}

/** Restarts the idle timer (on any input, and when the delay changes). */
function resetIdle() {
  clearTimeout(state.idleTimer);
  if (state.lockMinutes > 0 && !$("app").hidden) state.idleTimer = setTimeout(lockNow, state.lockMinutes * 60 * 1000);
}

/** Sets the idle-lock delay the UI follows (`0`/`null`: off) and restarts the timer. */
export function setIdleMinutes(minutes) {
  state.lockMinutes = minutes || 0;
  resetIdle();
}

async function submitLock(ev) {
  ev.preventDefault();
  if (!(await sendPassword("lock", api.unlockApp))) return;
  await start();
}

/** Wires both password forms and the idle timer's input listeners. */
export function initLock() {
  $("unlock-form").addEventListener("submit", submitUnlock);
  $("lock-form").addEventListener("submit", submitLock);
  for (const type of ["keydown", "mousedown", "mousemove", "pointerdown", "wheel", "touchstart"]) {
    document.addEventListener(type, resetIdle, { passive: true, capture: true });
  }
}
