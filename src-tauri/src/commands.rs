//! The IPC surface: one-line wrappers over [`crate::state`], [`crate::imports`] and
//! [`crate::exports`].
//!
//! Invariants:
//! - Nothing here returns a secret — only ids, issuer, account, parameters, codes and seconds
//!   left (the DTOs of [`crate::ipc`]).
//! - A command resolves with its value or rejects with an [`AppError`](crate::error::AppError)
//!   `{kind, message}`; the guarded ones reject with `app_locked` while the app lock is on.
//! - Every command here is listed in `build.rs` (`COMMANDS`, from which the `app-commands`
//!   permission set granted by `capabilities/default.json` is generated) and in `main.rs`'s
//!   `generate_handler!`; a test in [`crate::acl_check`] fails on any drift.
//! - Commands run off the main thread (`async`): the keyring, the vault's file lock and the
//!   clipboard may block.

use std::collections::BTreeMap;

use spse_auth_core::accounts::{AccountInfo, AddOutcome, BackupInfo, CodeInfo, ListDigest};
use spse_auth_core::enrolment::ManualEntry;
use spse_auth_core::export::ExportFormat;
use tauri::{AppHandle, State};

use crate::clock_check::ClockStatus;
use crate::exports::{AccountQr, FileExported, FileRequest, MigrationQrs, ReAuth};
use crate::ipc::{
    About, Bootstrap, CodesNow, Password, Preview, RemovedInfo, SafetyInfo, Unlocked,
};
use crate::main_window::DesktopStatus;
use crate::shortcut::ShortcutStatus;
use crate::state::{AppResult, AppState};

/// The language to show (`id` or `en`), without touching the vault or the keyring: the UI's
/// first call, so even the "opening…" screen is in the user's language.
#[tauri::command(async)]
pub fn ui_language(state: State<'_, AppState>) -> String {
    state.ui_language()
}

/// Language, data folder and accounts (or why the vault cannot be read).
#[tauri::command(async)]
pub fn bootstrap(state: State<'_, AppState>) -> Bootstrap {
    state.bootstrap()
}

/// Settings → About: app name, version, data folder (works while the app is locked too).
#[tauri::command(async)]
pub fn about(app: AppHandle, state: State<'_, AppState>) -> About {
    state.about(app.package_info())
}

/// The codes now of the accounts `ids` (the rows the page draws), and every account when the
/// list's digest is not `known` (call once a second).
#[tauri::command(async)]
pub fn codes(
    state: State<'_, AppState>,
    ids: Vec<String>,
    known: Option<ListDigest>,
) -> AppResult<CodesNow> {
    state.codes(&ids, known)
}

/// Copies the code of `id` (the next one when `next`) and returns it for the toast.
#[tauri::command(async)]
pub fn copy_code(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    next: bool,
) -> AppResult<String> {
    state.copy_code(&app, &id, next)
}

/// HOTP: the next code (advances the counter).
#[tauri::command(async)]
pub fn next_hotp(state: State<'_, AppState>, id: String) -> AppResult<CodeInfo> {
    state.next_hotp(&id)
}

/// Previews the enrolments in the clipboard (an image, or otpauth text), read in Rust.
#[tauri::command(async)]
pub fn import_clipboard(app: AppHandle, state: State<'_, AppState>) -> AppResult<Preview> {
    state.import_clipboard(&app)
}

/// Shows the native open-file dialog (title and filter name in the UI's language) and previews
/// the entries of the chosen files (QR images, Key URI texts, other authenticators' exports);
/// `None` when cancelled. Paths never come from the UI.
#[tauri::command(async)]
pub fn open_file(
    app: AppHandle,
    state: State<'_, AppState>,
    title: String,
    filter: String,
) -> AppResult<Option<Preview>> {
    state.open_file(&app, &title, &filter)
}

/// Reads the files of an encrypted export again (they wait in Rust under `token`, from the
/// `password_required` error of `open_file` or a drop) with the export's password, and previews
/// their entries. `wrong_password` changes nothing: the files keep waiting.
#[tauri::command(async)]
pub fn import_with_password(
    state: State<'_, AppState>,
    token: u64,
    password: Password,
) -> AppResult<Preview> {
    state.import_with_password(token, password)
}

/// Previews a manually entered account.
#[tauri::command(async)]
pub fn import_manual(state: State<'_, AppState>, entry: ManualEntry) -> AppResult<Preview> {
    state.import_manual(entry)
}

/// Adds the previewed entries of `token` (skipped ones stay out); `replace` confirms
/// re-enrolments. On failure they
/// stay pending, so the same token can be retried.
#[tauri::command(async)]
pub fn commit_add(
    state: State<'_, AppState>,
    token: u64,
    replace: bool,
) -> AppResult<Vec<AddOutcome>> {
    state.commit_add(token, replace)
}

/// Forgets the previewed enrolments of `token` (the user closed the preview); resolves also when
/// the token is stale.
#[tauri::command(async)]
pub fn cancel_import(state: State<'_, AppState>, token: u64) {
    state.cancel_import(token)
}

/// Removes an account (Undo available for 10 s).
#[tauri::command(async)]
pub fn remove_account(state: State<'_, AppState>, id: String) -> AppResult<RemovedInfo> {
    state.remove_account(&id)
}

/// Restores the account removed with `token`.
#[tauri::command(async)]
pub fn undo_remove(state: State<'_, AppState>, token: u64) -> AppResult<AccountInfo> {
    state.undo_remove(token)
}

/// Remembers the language (`id`, `en`, or null for the system's); returns the one to show.
#[tauri::command(async)]
pub fn set_language(state: State<'_, AppState>, language: Option<String>) -> AppResult<String> {
    state.set_language(language)
}

/// The UI calls this once the first codes are painted (prints timing lines with `--measure`:
/// this moment, and the page's own start-up `marks`, name → ms).
#[tauri::command(async)]
pub fn first_codes_shown(state: State<'_, AppState>, marks: Option<BTreeMap<String, f64>>) {
    crate::report(state.measure, "first_code_visible");
    crate::report_marks(state.measure, &marks.unwrap_or_default());
}

/// "Scan screen": hides the window, captures every monitor, shows the window again and previews
/// the enrolments found (like an imported image).
#[tauri::command(async)]
pub fn scan_screen(app: AppHandle, state: State<'_, AppState>) -> AppResult<Preview> {
    state.scan_screen(&app)
}

/// Opens a vault whose keyring key is missing with its recovery password (≈ 0.5 s, Argon2id).
#[tauri::command(async)]
pub fn unlock_vault(state: State<'_, AppState>, password: Password) -> AppResult<Unlocked> {
    state.unlock_vault(password)
}

/// Stores the vault's key in the system keyring again (after `unlock_vault`; the user agreed).
#[tauri::command(async)]
pub fn restore_keyring_key(state: State<'_, AppState>) -> AppResult<()> {
    state.restore_keyring_key()
}

/// Recovery password set?, keyring holds the key?, any accounts?, idle-lock delay.
#[tauri::command(async)]
pub fn safety_info(state: State<'_, AppState>) -> AppResult<SafetyInfo> {
    state.safety_info()
}

/// Sets or changes the recovery password (at least 8 characters).
#[tauri::command(async)]
pub fn set_recovery_password(state: State<'_, AppState>, password: Password) -> AppResult<()> {
    state.set_recovery_password(password)
}

/// Removes the recovery password (refused with `remove_pw_refused` unless the keyring holds the
/// key).
#[tauri::command(async)]
pub fn remove_recovery_password(state: State<'_, AppState>) -> AppResult<bool> {
    state.remove_recovery_password()
}

/// The automatic backups, newest first.
#[tauri::command(async)]
pub fn backups(state: State<'_, AppState>) -> AppResult<Vec<BackupInfo>> {
    state.backups()
}

/// Restores backup `id`; the current vault becomes a backup first.
#[tauri::command(async)]
pub fn restore_backup(state: State<'_, AppState>, id: String) -> AppResult<BackupInfo> {
    state.restore_backup(&id)
}

/// Remembers the idle-lock delay in minutes (`null`: off).
#[tauri::command(async)]
pub fn set_lock_minutes(
    state: State<'_, AppState>,
    minutes: Option<u32>,
) -> AppResult<Option<u32>> {
    state.set_lock_minutes(minutes)
}

/// Locks the app now (idle timer or Ctrl+L); needs a recovery password.
#[tauri::command(async)]
pub fn lock_app(app: AppHandle, state: State<'_, AppState>) -> AppResult<()> {
    state.lock_app(&app)
}

/// Unlocks the app with the recovery password.
#[tauri::command(async)]
pub fn unlock_app(state: State<'_, AppState>, password: Password) -> AppResult<()> {
    state.unlock_app(password)
}

// ---------- the clock check (crate::clock_check): runs on its own thread ----------

/// The clock check's setting, state and last result (banner or not).
#[tauri::command(async)]
pub fn clock_status(state: State<'_, AppState>) -> ClockStatus {
    state.clock_status()
}

/// "Check clock": starts a check now; its result comes as the event `clock-checked`.
#[tauri::command(async)]
pub fn check_clock(state: State<'_, AppState>) -> ClockStatus {
    state.check_clock()
}

/// Switches the clock check on or off and sets its time servers (`HOST[:PORT]`; none: the
/// defaults); refused with `invalid_server`.
#[tauri::command(async)]
pub fn set_clock_check(
    state: State<'_, AppState>,
    enabled: bool,
    servers: Vec<String>,
) -> AppResult<ClockStatus> {
    state.set_clock_check(enabled, &servers)
}

// ---------- start with the system (crate::autostart) ----------

/// Whether the system starts the app at log-in (its entry exists).
#[tauri::command(async)]
pub fn autostart_status(app: AppHandle) -> AppResult<bool> {
    crate::autostart::is_enabled(&app)
}

/// "Start when I log in": creates or removes the system's entry; returns the state afterwards.
#[tauri::command(async)]
pub fn set_autostart(app: AppHandle, state: State<'_, AppState>, enabled: bool) -> AppResult<bool> {
    state.app_lock.guard()?;
    crate::autostart::set_enabled(&app, enabled)
}

// ---------- the desktop: close to tray, hide, quit, global shortcut ----------

/// Settings → Desktop: what closing the window does and the global shortcut's state.
#[tauri::command(async)]
pub fn desktop_status(app: AppHandle, state: State<'_, AppState>) -> DesktopStatus {
    DesktopStatus {
        close_to_tray: state.settings_now().closes_to_tray(),
        shortcut: crate::shortcut::status(&app),
    }
}

/// Remembers what closing the window does (`true`: hide to the tray).
#[tauri::command(async)]
pub fn set_close_to_tray(state: State<'_, AppState>, enabled: bool) -> AppResult<()> {
    state.set_close_to_tray(enabled)
}

/// Hides the window to the tray (Esc, or after the first hide's explanation, which is then
/// remembered as seen).
#[tauri::command(async)]
pub fn hide_window(app: AppHandle, state: State<'_, AppState>) -> AppResult<()> {
    crate::main_window::hide(&app);
    state.tray_hint_seen()
}

/// Quits the app (the close dialog's "Quit").
#[tauri::command(async)]
pub fn quit_app(app: AppHandle) {
    app.exit(0);
}

/// Replaces the global shortcut (`""`: none); refused with `invalid_shortcut` or
/// `shortcut_taken`, the old one kept.
#[tauri::command(async)]
pub fn set_shortcut(app: AppHandle, shortcut: String) -> AppResult<ShortcutStatus> {
    crate::shortcut::change(&app, &shortcut)
}

// ---------- exports (crate::exports): re-authenticated, no secret as text ----------

/// Account `id`'s enrolment QR code as a PNG data URL, after re-authentication (`auth`: the
/// recovery password, or the confirmation when none is set).
#[tauri::command(async)]
pub fn show_account_qr(
    state: State<'_, AppState>,
    id: String,
    auth: ReAuth,
) -> AppResult<AccountQr> {
    state.show_account_qr(&id, &auth)
}

/// Google Authenticator's "Transfer accounts" QR codes of every account (PNG data URLs) and the
/// accounts skipped, after re-authentication.
#[tauri::command(async)]
pub fn show_migration_qrs(state: State<'_, AppState>, auth: ReAuth) -> AppResult<MigrationQrs> {
    state.show_migration_qrs(&auth)
}

/// Writes every account to a file chosen in the native save dialog (title in the UI's
/// language): `aegis` or `proton` encrypted with `password`, or `otpauth` when `unencrypted`;
/// after re-authentication. `None` when the dialog is cancelled. Paths never come from the UI.
#[tauri::command(async)]
pub fn export_file(
    app: AppHandle,
    state: State<'_, AppState>,
    format: ExportFormat,
    password: Option<Password>,
    unencrypted: bool,
    auth: ReAuth,
    title: String,
) -> AppResult<Option<FileExported>> {
    let req = FileRequest {
        format,
        password,
        unencrypted,
    };
    state.export_file(&app, &req, &auth, &title)
}
