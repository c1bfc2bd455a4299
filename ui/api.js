// The UI's only door to Rust: every command and event name, and every error kind, is written here
// and nowhere else. One function per command; each resolves with the command's value or rejects
// with an error object `{kind, message, scheme?}` (`kind` one of ERROR_KINDS, localised by the UI;
// `message` English, shown as detail only, never parsed).
//
// Invariants: nothing here touches `window` or `document` at import time (tests/ui imports this
// file under Node), and `window.__TAURI__` is looked up on every call, not captured at load, so
// the end-to-end leak test can record every call and result by wrapping `core.invoke`.

/** Stable error kinds, by name. Use these instead of writing a kind's string. */
export const KIND = Object.freeze({
  // The core's (spse_auth_core::ErrorKind::as_str).
  INVALID_URI: "invalid_uri",
  UNSUPPORTED_OTP_TYPE: "unsupported_otp_type",
  INVALID_SECRET: "invalid_secret",
  UNSUPPORTED_ALGORITHM: "unsupported_algorithm",
  INVALID_PARAMETER: "invalid_parameter",
  NOT_OTPAUTH: "not_otpauth",
  INVALID_MIGRATION: "invalid_migration",
  NO_QR_FOUND: "no_qr_found",
  IMAGE_TOO_LARGE: "image_too_large",
  IMAGE_UNREADABLE: "image_unreadable",
  KEYRING_UNAVAILABLE: "keyring_unavailable",
  KEYRING_LOCKED: "keyring_locked",
  VAULT_KEY_MISSING: "vault_key_missing",
  WRONG_PASSWORD: "wrong_password",
  VAULT_DAMAGED: "vault_damaged",
  VAULT_UNSUPPORTED: "vault_unsupported",
  STORAGE_FULL: "storage_full",
  IO: "io",
  NOT_FOUND: "not_found",
  AMBIGUOUS: "ambiguous",
  REENROLMENT_NEEDS_CONFIRMATION: "reenrolment_needs_confirmation",
  INVALID_INPUT: "invalid_input",
  CAPTURE_FAILED: "capture_failed",
  // A dropped or opened file over the size cap (50 MiB).
  FILE_TOO_LARGE: "file_too_large",
  // Reading another authenticator's export (core `formats`).
  UNKNOWN_FORMAT: "unknown_format",
  PASSWORD_REQUIRED: "password_required",
  EXPORT_DAMAGED: "export_damaged",
  EXPORT_UNSUPPORTED: "export_unsupported",
  // The app layer's own.
  APP_LOCKED: "app_locked",
  CLIPBOARD: "clipboard",
  NO_RECOVERY_PASSWORD: "no_recovery_password",
  REMOVE_PW_REFUSED: "remove_pw_refused",
  // Exports (src-tauri/src/exports.rs).
  REAUTH_REQUIRED: "reauth_required",
  PLAINTEXT_NOT_CONFIRMED: "plaintext_not_confirmed",
  NOTHING_TO_EXPORT: "nothing_to_export",
  // The clock check's settings (src-tauri/src/clock_check.rs).
  INVALID_SERVER: "invalid_server",
  // The start-at-log-in entry (src-tauri/src/autostart.rs).
  AUTOSTART: "autostart",
  // The global shortcut (src-tauri/src/shortcut.rs).
  INVALID_SHORTCUT: "invalid_shortcut",
  SHORTCUT_TAKEN: "shortcut_taken",
});

/** Every error kind a command or event can carry (each has a localised text: tests/ui). */
export const ERROR_KINDS = Object.freeze(Object.values(KIND));

/** Not a kind Rust sends: what a malformed rejection (not `{kind, message}`) is turned into. */
export const UNKNOWN_KIND = "unknown";

/** What an entry's import did or would do (`AddOutcome.status`; Rust's `AddStatus::ALL`). */
export const STATUS = Object.freeze({
  ADDED: "added",
  REPLACED: "replaced",
  UNCHANGED: "unchanged",
  NEEDS_REPLACE: "needs_replace",
  SKIPPED: "skipped",
});

/** Why an entry of an import is skipped (`AddOutcome.reason.kind`; Rust's `SkipReason::ALL_KINDS`). */
export const SKIP_REASON = Object.freeze({
  UNSUPPORTED_TYPE: "unsupported_type",
  MISSING_SECRET: "missing_secret",
  INVALID_SECRET: "invalid_secret",
  UNSUPPORTED_ALGORITHM: "unsupported_algorithm",
  INVALID_PARAMETER: "invalid_parameter",
  INVALID_ENTRY: "invalid_entry",
});

/** An enrolment's warning kinds (`AddOutcome.warnings[].kind`). */
export const WARNING = Object.freeze({
  WEAK_SECRET: "weak_secret",
  SHORT_CODE: "short_code",
  MISSING_BATCH_PARTS: "missing_batch_parts",
});

/** `VaultStatus.keyring` when the keyring is reachable but holds no key for the vault. */
export const KEYRING_NO_ENTRY = "no_entry";

/** `CodeInfo.type` of a time-based account (the other is HOTP). */
export const TOTP = "totp";
/** `CodeInfo.type` of a Steam Guard account: time-based like TOTP, 5 characters. */
export const STEAM = "steam";

/** Turns any rejection into `{kind, message, …}` (a string from Tauri itself gets UNKNOWN_KIND). */
export function asError(e) {
  if (e && typeof e === "object" && typeof e.kind === "string") return e;
  return { kind: UNKNOWN_KIND, message: e == null ? "" : String(e) };
}

/**
 * The one envelope of a value-or-error that is a field or an event payload (not a command's own
 * reply): `{ok: value}` or `{error: {kind, message, …}}`. Returns it normalised to exactly that.
 */
export function envelope(x) {
  if (x && typeof x === "object") {
    if ("ok" in x) return { ok: x.ok };
    if ("error" in x) return { error: asError(x.error) };
  }
  return { error: asError(null) };
}

function invoke(cmd, args) {
  return window.__TAURI__.core.invoke(cmd, args).catch((e) => {
    throw asError(e);
  });
}

/** The registrations of every `listen` so far (see `listening`). */
const registrations = [];

function listen(event, handler) {
  const registered = window.__TAURI__.event.listen(event, handler);
  registrations.push(registered);
  return registered;
}

// ---------- start-up, settings, about ----------

/** The language to show before the vault opens (`id` or `en`). */
export const uiLanguage = () => invoke("ui_language");

/**
 * What the UI needs at start: `{language, language_choice, system_language, data_dir, accounts,
 * vault, locked, lock_minutes}`; `accounts` (every account and the codes of the first 32, as
 * `codes` answers them) and `vault` are envelopes (see `envelope`).
 */
export async function bootstrap() {
  return bootstrapFrom(await invoke("bootstrap"));
}

const bootstrapFrom = (b) => ({ ...b, accounts: envelope(b.accounts), vault: envelope(b.vault) });

/**
 * The bootstrap Rust put into this page's HTML (`<script type="application/json"
 * id="boot-data">`, see src-tauri/src/page_html.rs), shaped as `bootstrap` answers it; null when
 * the page came without one or it was taken already (the element is removed: it serves the
 * page's first start only).
 */
export function servedBootstrap() {
  const el = document.getElementById("boot-data");
  if (!el) return null;
  el.remove();
  try {
    return bootstrapFrom(JSON.parse(el.textContent));
  } catch {
    return null;
  }
}

/** `{name, version, data_dir}`. */
export const about = () => invoke("about");

/** Remembers the language (`id`, `en`, or `null` to follow the system); resolves the one to show. */
export const setLanguage = (language) => invoke("set_language", { language });

/** `{has_recovery_password, has_accounts, keyring_has_key, lock_minutes}`. */
export const safetyInfo = () => invoke("safety_info");

// ---------- accounts and codes ----------

/**
 * The current (and, near expiry, next) codes and seconds left of the accounts `ids` (the rows
 * drawn), as `{list_digest, accounts, codes}`: `codes` in list order (ids no longer in the vault
 * left out); `accounts` every account in list order (`{id, issuer, account, type, period}`), or
 * null when the list's digest is still `known` (the last `list_digest` the page got).
 */
export const codes = (ids, known) => invoke("codes", { ids, known });

/** Tells Rust the first codes are on screen (start-up time measurement), with the page's `marks` (name → ms). */
export const firstCodesShown = (marks) => invoke("first_codes_shown", { marks });

/** Copies the code of account `id` (the next one when `next`); Rust clears it after 30 s. */
export const copyCode = (id, next = false) => invoke("copy_code", { id, next });

/** HOTP: advances the counter of account `id`. */
export const nextHotp = (id) => invoke("next_hotp", { id });

/** Removes account `id`; resolves `{token, account, undo_seconds}`. */
export const removeAccount = (id) => invoke("remove_account", { id });

/** Puts a removed account back (within its undo time); resolves the account. */
export const undoRemove = (token) => invoke("undo_remove", { token });

// ---------- enrolment (imports resolve a preview `{token, outcomes, needs_replace}`) ----------
// Each outcome: `{status, account, warnings, reason?, renamed_from?}`. A file import of an
// encrypted export rejects with `{kind: "password_required", message, token}`: the files wait in
// Rust under `token` for `importWithPassword`.

/** Reads the clipboard (an image or otpauth text) in Rust. */
export const importClipboard = () => invoke("import_clipboard");

/** Shows the native open dialog (QR images and exports); resolves a preview, or `null` when cancelled. */
export const openFile = (title, filter) => invoke("open_file", { title, filter });

/** Reads the export waiting under `token` with its `password`; rejects `wrong_password` (it keeps waiting). */
export const importWithPassword = (token, password) => invoke("import_with_password", { token, password });

/** Previews a manually entered account `{issuer, account, secret, otp_type, algorithm, digits, period, counter}`. */
export const importManual = (entry) => invoke("import_manual", { entry });

/** Hides the window, captures the screen and reads the QR codes on it. */
export const scanScreen = () => invoke("scan_screen");

/** Adds the staged import `token` (replacing keys when `replace`); resolves its outcomes. */
export const commitAdd = (token, replace) => invoke("commit_add", { token, replace });

/**
 * Drops the staged import (or waiting export) `token` (the user dismissed it, so its secrets go). Fire and
 * forget: never rejects, as the user could do nothing about a failure here.
 */
export function cancelImport(token) {
  invoke("cancel_import", { token }).catch(() => {});
}

// ---------- recovery password, keyring, backups, lock ----------

/** Opens the vault with the recovery password (keyring key missing); resolves `{offer_keyring}`. */
export const unlockVault = (password) => invoke("unlock_vault", { password });

/** Stores the vault key in the system keyring again. */
export const restoreKeyringKey = () => invoke("restore_keyring_key");

/** Sets or changes the recovery password. */
export const setRecoveryPassword = (password) => invoke("set_recovery_password", { password });

/** Removes the recovery password (refused, `remove_pw_refused`, while the keyring lacks the key). */
export const removeRecoveryPassword = () => invoke("remove_recovery_password");

/** The automatic backups, newest first. */
export const backups = () => invoke("backups");

/** Restores backup `id` (the current vault becomes a backup first). */
export const restoreBackup = (id) => invoke("restore_backup", { id });

/** Sets the idle-lock delay (`null`: off); resolves the delay kept. */
export const setLockMinutes = (minutes) => invoke("set_lock_minutes", { minutes });

/** Locks the app now. */
export const lockApp = () => invoke("lock_app");

/** Unlocks the app with the recovery password. */
export const unlockApp = (password) => invoke("unlock_app", { password });

// ---------- exports (`auth`: `{password}` when a recovery password is set, else `{confirmed: true}`) ----------

/** Account `id`'s enrolment QR code: resolves `{image}` (a PNG data URL). */
export const showAccountQr = (id, auth) => invoke("show_account_qr", { id, auth });

/** Google Authenticator's transfer QR codes of every account: `{images: [{index, count, image}], skipped}`. */
export const showMigrationQrs = (auth) => invoke("show_migration_qrs", { auth });

/**
 * Writes every account to a file chosen in the native save dialog (`format`: aegis, proton with
 * `password`; otpauth with `unencrypted`): resolves `{file_name, accounts, skipped}`, or `null`
 * when the user cancels.
 */
export const exportFile = (format, password, unencrypted, auth, title) =>
  invoke("export_file", { format, password, unencrypted, auth, title });

// ---------- the clock check (runs in Rust on its own thread) ----------
// A status: `{enabled, servers, default_servers, checking, last: null|{offset_secs, banner:
// null|{offset_secs, threshold_secs}}, os}` (os: windows, macos or linux).

/** The clock check's setting, state and last result. */
export const clockStatus = () => invoke("clock_status");

/** Starts a clock check now; resolves the status (the result comes with `onClockChecked`). */
export const checkClock = () => invoke("check_clock");

/** Switches the clock check on or off with these servers (`[]`: the defaults); rejects `invalid_server`. */
export const setClockCheck = (enabled, servers) => invoke("set_clock_check", { enabled, servers });

// ---------- start with the system ----------

/** Whether the system starts the app at log-in. */
export const autostartStatus = () => invoke("autostart_status");

/** Creates or removes the start-at-log-in entry; resolves the state afterwards. */
export const setAutostart = (enabled) => invoke("set_autostart", { enabled });

// ---------- the desktop: tray, close, global shortcut ----------

/** `{close_to_tray: true|false|null, shortcut: {shortcut, error}}` for Settings. */
export const desktopStatus = () => invoke("desktop_status");

/** What closing the window does from now on (`true`: hide to the tray). */
export const setCloseToTray = (enabled) => invoke("set_close_to_tray", { enabled });

/** Hides the window to the tray (and notes that the user knows where it went). */
export const hideWindow = () => invoke("hide_window");

/** Quits the app. */
export const quitApp = () => invoke("quit_app");

/** Replaces the global shortcut (`""`: none); resolves `{shortcut, error}`, rejects `invalid_shortcut`/`shortcut_taken`. */
export const setShortcut = (shortcut) => invoke("set_shortcut", { shortcut });

// ---------- events ----------

/**
 * Resolves once every listener asked for so far is registered in Rust: events sent before that
 * (a close request, a shortcut press) would not reach the page.
 */
export const listening = () => Promise.all(registrations);

/** The window's close button was pressed: `handler({ask})` (see ui/desktop.js). */
export const onCloseRequested = (handler) => listen("close-requested", (ev) => handler(ev.payload));

/** The global shortcut brought the window to the front: `handler()`. */
export const onShortcutPressed = (handler) => listen("shortcut-pressed", () => handler());

/** The tray's Lock locked the app: `handler()`. */
export const onAppLocked = (handler) => listen("app-locked", () => handler());

/** A clock check started or ended: `handler(status)`. */
export const onClockChecked = (handler) => listen("clock-checked", (ev) => handler(ev.payload));

/** Files dropped on the window are read in Rust: `handler(envelope)` gets the preview or the error. */
export const onImportDropped = (handler) => listen("import-dropped", (ev) => handler(envelope(ev.payload)));

/** A drag enters the window. */
export const onDragEnter = (handler) => listen("tauri://drag-enter", handler);

/** A drag leaves the window, or is dropped on it. */
export function onDragEnd(handler) {
  listen("tauri://drag-leave", handler);
  listen("tauri://drag-drop", handler);
}
