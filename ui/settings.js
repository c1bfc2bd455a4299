// Settings (#settings dialog): recovery password (set, change, remove; put the key back in the
// keyring), backups (list, restore), app lock (idle delay, lock now), language, About. Also the
// banner that recommends a recovery password while the accounts have none.

import * as api from "./api.js";
import { KIND } from "./api.js";
import { renderAutostart } from "./autostart.js";
import { renderDesktop } from "./desktop.js";
import { renderClock } from "./clock.js";
import { confirmDialog } from "./dialogs.js";
import { $, busyButton, el } from "./dom.js";
import { fmtSize, fmtWhen } from "./format.js";
import { errorText, setLanguage, t, translatePage } from "./i18n.js";
import { refresh, render } from "./list.js";
import { lockNow, setIdleMinutes, showLock } from "./lock.js";
import { state } from "./state.js";
import { showError, toast } from "./toast.js";

/** recovery::MIN_PASSWORD_CHARS (the core checks it too). */
const MIN_PASSWORD_CHARS = 8;

/** The safety facts (`safety_info`), or null when they cannot be had (lock screen if locked). */
async function loadSafety() {
  try {
    return await api.safetyInfo();
  } catch (e) {
    if (e.kind === KIND.APP_LOCKED) showLock();
    return null;
  }
}

/** Shows the banner when there are accounts, no recovery password, and the user did not close it. */
function showBanner(s) {
  $("banner").hidden = state.bannerDismissed || !s || s.has_recovery_password || !s.has_accounts;
}

/** Decides the banner again when the number of accounts changed (e.g. the first one was added). */
export function updateBanner() {
  const n = state.accounts.length;
  if (n === state.bannerChecked) return;
  state.bannerChecked = n;
  if (n === 0) $("banner").hidden = true;
  else loadSafety().then(showBanner);
}

/** Labels the idle-lock choices in the current language ("5 min"). */
export function translateLockOptions() {
  for (const o of $("lock-minutes").options) {
    if (o.value !== "0") o.textContent = t("lock_minutes", { n: o.value });
  }
}

/** "3 accounts", "1 account", or "accounts unknown" for a backup that cannot be opened. */
export function backupAccounts(b) {
  if (b.accounts == null) return t("backup_accounts_unknown");
  return t(b.accounts === 1 ? "backup_accounts_one" : "backup_accounts", { n: b.accounts });
}

async function renderSettings() {
  const s = await loadSafety();
  if (!s) return;
  const has = s.has_recovery_password;
  const recoveryState = has ? "recovery_state_set" : s.has_accounts ? "recovery_state_unset" : "recovery_state_empty";
  $("recovery-state").textContent = t(recoveryState);
  $("recovery-set").hidden = has;
  $("recovery-set").disabled = !s.has_accounts;
  $("recovery-change").hidden = !has;
  $("recovery-remove").hidden = !has;
  // Opened with the password and the key not put back: say so, and offer it here too.
  const keyringMissing = s.has_accounts && !s.keyring_has_key;
  $("keyring-state").hidden = !keyringMissing;
  $("keyring-restore").hidden = !keyringMissing;
  $("lock-minutes").value = String(s.lock_minutes || 0);
  $("lock-minutes").disabled = !has;
  $("lock-now").disabled = !has;
  $("lock-hint").textContent = t(has ? "lock_hint" : "lock_hint_none");
  showBanner(s);
  await renderBackups();
}

async function renderBackups() {
  let items = [];
  try {
    items = await api.backups();
  } catch (e) {
    return showError(e);
  }
  $("backup-list").replaceChildren(
    ...items.map((b) => {
      const when = fmtWhen(b.created);
      const accounts = backupAccounts(b);
      const btn = el(
        "button",
        { type: "button", class: "small-btn restore", "aria-label": t("backup_restore_for", { when }) },
        t("backup_restore"),
      );
      btn.addEventListener("click", () => restoreBackup(b, when, accounts));
      return el(
        "li",
        { class: "backup", "data-id": b.id },
        el("span", { class: "when" }, when),
        el("span", { class: "muted" }, `${accounts} · ${fmtSize(b.size)}`),
        btn,
      );
    }),
  );
  $("backup-none").hidden = items.length > 0;
}

async function restoreBackup(b, when, accounts) {
  $("settings").close();
  const ok = await confirmDialog({ title: t("restore_title"), body: t("restore_body", { when, accounts }), ok: t("restore_ok") });
  if (ok) {
    try {
      await api.restoreBackup(b.id);
      state.bannerChecked = -1;
      await refresh();
      toast(t("backup_restored"));
    } catch (e) {
      showError(e);
    }
  }
  await openSettings();
}

/** Settings → About: asked once (name, version and data folder do not change while the app runs). */
async function renderAbout() {
  try {
    state.about ??= await api.about();
  } catch (e) {
    return showError(e);
  }
  $("about-name").textContent = state.about.name;
  $("about-version").textContent = state.about.version;
  $("about-data-dir").textContent = state.about.data_dir;
}

/** Opens Settings (filled afresh); with `recoveryForm`, straight at the recovery-password form. */
async function openSettings({ recoveryForm = false } = {}) {
  const d = $("settings");
  $("recovery-form").hidden = true;
  await Promise.all([renderSettings(), renderAbout(), renderAutostart(), renderDesktop()]);
  if (!$("app").hidden && !d.open) d.showModal();
  if (recoveryForm) showRecoveryForm();
  else $("settings-close").focus();
}

function showRecoveryForm() {
  const f = $("recovery-form");
  f.reset();
  f.hidden = false;
  $("recovery-error").textContent = "";
  $("recovery-new").focus();
}

async function submitRecovery(ev) {
  ev.preventDefault();
  const pw = $("recovery-new");
  const again = $("recovery-confirm");
  const err = $("recovery-error");
  err.textContent = "";
  if ([...pw.value].length < MIN_PASSWORD_CHARS || !pw.value.trim()) {
    err.textContent = t("v_pw_short", { n: MIN_PASSWORD_CHARS });
    return pw.focus();
  }
  if (pw.value !== again.value) {
    err.textContent = t("v_pw_mismatch");
    return again.focus();
  }
  try {
    await busyButton($("recovery-save"), t("recovery_saving"), () => api.setRecoveryPassword(pw.value));
  } catch (e) {
    err.textContent = e.kind === KIND.INVALID_INPUT ? t("v_pw_short", { n: MIN_PASSWORD_CHARS }) : errorText(e);
    if (e.kind === KIND.APP_LOCKED) showLock();
    return;
  }
  $("recovery-form").reset();
  $("recovery-form").hidden = true;
  toast(t("recovery_saved"));
  await renderSettings();
  $("settings-close").focus();
}

async function removeRecovery() {
  $("settings").close();
  const ok = await confirmDialog({ title: t("remove_pw_title"), body: t("remove_pw_body"), ok: t("remove_pw_ok") });
  if (ok) {
    try {
      await api.removeRecoveryPassword();
      await api.setLockMinutes(null);
      setIdleMinutes(0);
      toast(t("recovery_removed"));
    } catch (e) {
      showError(e);
    }
  }
  await openSettings();
}

async function restoreKeyring() {
  try {
    await api.restoreKeyringKey();
    toast(t("keyring_restored"));
  } catch (e) {
    showError(e);
  }
  await renderSettings();
}

async function changeLockMinutes(ev) {
  const n = Number(ev.target.value);
  try {
    setIdleMinutes(await api.setLockMinutes(n > 0 ? n : null));
  } catch (e) {
    showError(e);
  }
}

async function changeLanguage(ev) {
  const choice = ev.target.value === "system" ? null : ev.target.value;
  try {
    setLanguage(await api.setLanguage(choice));
    translatePage();
    translateLockOptions();
    render();
    renderClock();
    await renderSettings();
  } catch (e) {
    showError(e);
  }
}

/** Wires Settings' controls and the banner's buttons. */
export function initSettings() {
  $("btn-settings").addEventListener("click", () => openSettings());
  $("settings-close").addEventListener("click", () => $("settings").close());
  $("recovery-set").addEventListener("click", showRecoveryForm);
  $("recovery-change").addEventListener("click", showRecoveryForm);
  $("recovery-remove").addEventListener("click", removeRecovery);
  $("keyring-restore").addEventListener("click", restoreKeyring);
  $("recovery-cancel").addEventListener("click", () => ($("recovery-form").hidden = true));
  $("recovery-form").addEventListener("submit", submitRecovery);
  $("lock-now").addEventListener("click", () => {
    $("settings").close();
    lockNow();
  });
  $("lock-minutes").addEventListener("change", changeLockMinutes);
  $("lang").addEventListener("change", changeLanguage);
  $("banner-set").addEventListener("click", () => openSettings({ recoveryForm: true }));
  $("banner-close").addEventListener("click", () => {
    state.bannerDismissed = true;
    $("banner").hidden = true;
  });
}
