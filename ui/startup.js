// Start-up and the full-window error screen. `start()` asks Rust for the language and the
// bootstrap facts (with the first codes), then shows exactly one of: the lock screen (app locked), the recovery-password
// screen (vault key missing from the keyring, vault has a password), the error screen (vault
// unreadable: never a blank window, never a new empty vault over the old one), or the list.

import * as api from "./api.js";
import { KIND } from "./api.js";
import { confirmDialog, dialogOpen } from "./dialogs.js";
import { $, showScreen } from "./dom.js";
import { fmtWhen } from "./format.js";
import { errorText, setLanguage, t, translatePage } from "./i18n.js";
import { focusFirstRow, startList, stopList } from "./list.js";
import { setIdleMinutes, showLock, showUnlock } from "./lock.js";
import { backupAccounts, translateLockOptions } from "./settings.js";
import { state } from "./state.js";
import { showError, toast } from "./toast.js";

/** (Re)starts the UI from Rust's current state; resolves once the first codes are drawn. */
export async function start() {
  // The first start usually finds the bootstrap in the page's HTML already: no call into Rust
  // before the first codes. (It still waits for main.js to finish wiring the page.)
  // `<html data-boot>` says which way this start got it ("served" or "asked"; tests and
  // tests/app/measure.sh read it).
  let boot = api.servedBootstrap();
  document.documentElement.dataset.boot = boot ? "served" : "asked";
  if (boot) {
    await null;
    performance.mark("bootstrap");
  } else {
    boot = await askBootstrap();
    if (!boot) return;
  }
  state.boot = boot;
  setLanguage(boot.language);
  translatePage();
  translateLockOptions();
  $("lang").value = boot.language_choice || "system";
  if (boot.locked) return showLock();
  if (boot.accounts.error) {
    const v = boot.vault.ok;
    if (v && v.exists && !v.ready && v.has_recovery_password) return showUnlock(v);
    return fatal(boot.accounts.error);
  }
  showScreen("app");
  setIdleMinutes(boot.lock_minutes);
  // The bootstrap carries every account and the first rows' codes: the first drawing needs no
  // other call.
  await startList(boot.accounts.ok);
  performance.mark("listed");
  // Focus on the first account (Enter copies its code), not in the search box: Ctrl+V there
  // pastes text into it, elsewhere it imports from the clipboard. Typing still filters.
  if (!dialogOpen() && !$("app").hidden) {
    document.activeElement?.blur?.();
    focusFirstRow();
  }
}

/**
 * The bootstrap, asked from Rust (null after showing the error screen). Opening the vault asks
 * the system keyring, which may first show its own unlock prompt: say so if it takes more than a
 * moment, instead of leaving the window blank. Both questions go out at once: the language comes
 * back at once, the bootstrap once the vault is open.
 */
async function askBootstrap() {
  let slow;
  const booting = api.bootstrap();
  booting.catch(() => {}); // awaited below; a rejection meanwhile is not "unhandled"
  try {
    setLanguage(await api.uiLanguage());
    translatePage();
    slow = setTimeout(() => ($("starting-text").hidden = false), 700);
    const boot = await booting;
    performance.mark("bootstrap");
    return boot;
  } catch (e) {
    fatal(e);
    return null;
  } finally {
    clearTimeout(slow);
  }
}

/** The full-window error screen for `err` (the vault cannot be opened). */
export function fatal(err) {
  stopList();
  showScreen("fatal");
  $("fatal-text").textContent = errorText(err);
  $("fatal-folder").textContent = state.boot ? t("error_folder", { dir: state.boot.data_dir }) : "";
  $("fatal-details").textContent = err && err.message ? t("error_details", { msg: err.message }) : "";
  $("fatal-backup").hidden = true;
  $("fatal-retry").focus();
  if (err && err.kind === KIND.VAULT_DAMAGED) offerNewestBackup();
}

/** Damaged vault: offers the newest automatic backup that opens (the damaged file becomes a backup too). */
async function offerNewestBackup() {
  let items = [];
  try {
    items = await api.backups();
  } catch {
    return; // the error screen already says what to do
  }
  const good = items.find((b) => b.accounts != null);
  if (!good) return;
  const when = fmtWhen(good.created);
  const accounts = backupAccounts(good);
  $("fatal-backup-text").textContent = t("damaged_backup_offer", { when, accounts });
  $("fatal-backup").hidden = false;
  $("fatal-backup-restore").onclick = async () => {
    const ok = await confirmDialog({
      title: t("restore_title"),
      body: t("restore_body", { when, accounts }),
      ok: t("restore_ok"),
    });
    if (!ok) return;
    try {
      await api.restoreBackup(good.id);
      toast(t("backup_restored"));
      await start();
    } catch (e) {
      showError(e);
    }
  };
  $("fatal-backup-restore").focus();
}
