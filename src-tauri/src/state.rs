//! The app's state and the little logic that is not the core's: settings (language, idle lock),
//! the app lock (enforced here: guarded commands answer `app_locked` while it is on), pending
//! imports (enrolments waiting for the user's confirmation, secrets kept here, never sent to the
//! UI), removed accounts kept 10 s for Undo, and the clipboard timer.
//!
//! Every `#[tauri::command]` in [`crate::commands`] is a one-line call into this module or the core.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use spse_auth_core::accounts::{
    self, AccountInfo, AddOutcome, AddStatus, BackupInfo, CodeInfo, KeyringState, Removed, Store,
    VaultStatus,
};
use spse_auth_core::enrolment::{self, Enrolment};
use spse_auth_core::error::Detail;
use spse_auth_core::{import, qr, Error, ErrorKind};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;
use zeroize::Zeroize;

/// How long a copied code stays on the clipboard.
pub const CLIPBOARD_CLEAR: Duration = Duration::from_secs(30);
/// How long "Scan screen" waits after hiding the window, so the compositor has removed it.
pub const SCAN_HIDE_DELAY: Duration = Duration::from_millis(250);
/// How long a removed account can be restored.
pub const UNDO_WINDOW: Duration = Duration::from_secs(10);

/// An error as it crosses IPC: the core's stable kind (the UI localises by it) and the English
/// message (shown as detail, never parsed).
#[derive(Debug, Clone, Serialize)]
pub struct IpcError {
    /// Snake_case kind, e.g. `no_qr_found`.
    pub kind: String,
    /// English, actionable message; never contains a secret.
    pub message: String,
    /// For `not_otpauth`: the scheme of what was found (`https://`…), quoted by the UI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
}

impl From<Error> for IpcError {
    fn from(e: Error) -> Self {
        IpcError {
            kind: e.kind().as_str().to_string(),
            message: e.message().to_string(),
            scheme: match &e.detail {
                Detail::Scheme(s) => Some(s.clone()),
                _ => None,
            },
        }
    }
}

/// Result type of every command.
pub type IpcResult<T> = Result<T, IpcError>;

/// The error every guarded command returns while the app is locked (kind `app_locked`).
pub fn app_locked() -> IpcError {
    IpcError {
        kind: "app_locked".into(),
        message: "the app is locked: unlock it with the recovery password".into(),
        scheme: None,
    }
}

/// Idle-lock delays the settings accept, in minutes.
pub const LOCK_MINUTES: [u32; 4] = [1, 5, 15, 30];

/// A password typed in the UI (recovery password): sent to Rust once, never sent back, never
/// logged. `Debug` prints `<redacted>`; the text is overwritten when dropped.
#[derive(Deserialize)]
#[serde(transparent)]
pub struct Password(String);

impl Password {
    /// The password text (for the core's calls only).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

impl Drop for Password {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Settings remembered between runs (`settings.json` in the data folder).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Settings {
    /// `"id"`, `"en"`, or `None` to follow the system locale.
    #[serde(default)]
    pub language: Option<String>,
    /// Lock the app after this many idle minutes (one of [`LOCK_MINUTES`]); `None`: never.
    #[serde(default)]
    pub lock_minutes: Option<u32>,
}

/// What the UI needs at start.
#[derive(Debug, Serialize)]
pub struct Bootstrap {
    /// The language to show: `id` or `en`.
    pub language: String,
    /// The user's explicit choice, `None` when following the system.
    pub language_choice: Option<String>,
    /// The system's language (`id` or `en`).
    pub system_language: String,
    /// The data folder, for the error and password screens (Settings → About asks `about`).
    pub data_dir: String,
    /// The accounts, or why the vault cannot be read (the UI then shows a full-window explanation).
    pub accounts: Result<Vec<AccountInfo>, IpcError>,
    /// True when "Scan screen" is available (always, since issue #4; kept for the UI's slot).
    pub can_scan_screen: bool,
    /// The vault's start-up state (keyring, recovery password), or why even its header is
    /// unreadable. The UI asks for the recovery password when the vault exists, is not ready and
    /// has one.
    pub vault: Result<VaultStatus, IpcError>,
    /// The app is locked (the UI shows the lock screen; `accounts` is then `app_locked`).
    pub locked: bool,
    /// Idle-lock delay in minutes, `None` when off.
    pub lock_minutes: Option<u32>,
}

/// Settings → About: what the app is and where it keeps its files. Nothing secret.
#[derive(Debug, Serialize)]
pub struct About {
    /// The product name (`productName` in `tauri.conf.json`).
    pub name: String,
    /// The app's version: the workspace version in the top `Cargo.toml`, the same for the app,
    /// `spse-auth --version` and the bundles.
    pub version: String,
    /// The data folder: the vault, its backups and `settings.json`.
    pub data_dir: String,
}

/// After opening the vault with the recovery password.
#[derive(Debug, Serialize)]
pub struct Unlocked {
    /// The keyring is reachable but has no entry for the vault: offer to store the key again.
    pub offer_keyring: bool,
}

/// What the settings dialog shows.
#[derive(Debug, Serialize)]
pub struct SafetyInfo {
    /// The vault has a recovery password.
    pub has_recovery_password: bool,
    /// The keyring holds the vault's key (removing the password is possible only then).
    pub keyring_has_key: bool,
    /// The vault has at least one account.
    pub has_accounts: bool,
    /// Idle-lock delay in minutes, `None` when off.
    pub lock_minutes: Option<u32>,
}

/// Enrolments waiting for confirmation, with what adding them would do.
#[derive(Debug, Serialize)]
pub struct Preview {
    /// Token to pass to `commit_add`.
    pub token: u64,
    /// One line per enrolment.
    pub outcomes: Vec<AddOutcome>,
    /// True when at least one is a re-enrolment that needs the user's "replace".
    pub needs_replace: bool,
}

/// A removal that can be undone for [`UNDO_WINDOW`].
#[derive(Debug, Serialize)]
pub struct RemovedInfo {
    /// Token to pass to `undo_remove`.
    pub token: u64,
    /// The removed account.
    pub account: AccountInfo,
    /// Seconds Undo stays available.
    pub undo_seconds: u64,
}

/// Manual entry form (the secret is typed by the user; it goes to Rust once and never comes back).
/// `Debug` leaves the secret out.
#[derive(Deserialize)]
pub struct ManualEntry {
    /// Issuer (LPSE).
    pub issuer: String,
    /// Account (SPSE user ID).
    pub account: String,
    /// Base32 secret.
    pub secret: String,
    /// `totp` or `hotp`.
    #[serde(default)]
    pub otp_type: Option<String>,
    /// `SHA1`, `SHA256`, `SHA512`.
    #[serde(default)]
    pub algorithm: Option<String>,
    /// 6–10.
    #[serde(default)]
    pub digits: Option<u8>,
    /// Seconds.
    #[serde(default)]
    pub period: Option<u32>,
    /// HOTP counter.
    #[serde(default)]
    pub counter: Option<u64>,
}

impl std::fmt::Debug for ManualEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManualEntry")
            .field("issuer", &self.issuer)
            .field("account", &self.account)
            .field("secret", &"<redacted>")
            .field("otp_type", &self.otp_type)
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

/// The app's state, managed by Tauri.
pub struct AppState {
    data_dir: PathBuf,
    store: Mutex<Store>,
    settings: Mutex<Settings>,
    pending_import: Mutex<Option<(u64, Vec<Enrolment>)>>,
    removed: Mutex<HashMap<u64, Removed>>,
    tokens: AtomicU64,
    /// The app lock: while set, every command that shows codes or touches accounts refuses.
    locked: AtomicBool,
    /// The last code this app put on the clipboard (cleared from the clipboard on lock).
    last_copied: Mutex<Option<String>>,
    /// Print a timing line when the first codes are on screen (`--measure`).
    pub measure: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// `id` when the system locale is Indonesian (`id`, `id_ID`, `id-ID`, `in_ID`…), else `en`.
pub fn system_language() -> String {
    // POSIX variables first (in their precedence order), so `LANG=id_ID.UTF-8 app` works everywhere.
    let posix = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty());
    let locale = posix.or_else(sys_locale::get_locale).unwrap_or_default();
    language_of(&locale).to_string()
}

fn language_of(locale: &str) -> &'static str {
    let l = locale.to_ascii_lowercase();
    if l.starts_with("id") || l.starts_with("in_") || l.starts_with("in-") {
        "id"
    } else {
        "en"
    }
}

impl AppState {
    /// State over the vault in `data_dir` (see [`accounts::data_dir`]).
    /// Starts locked when the idle lock is on and the vault has a recovery password (restarting
    /// the app must not bypass the lock).
    pub fn new(data_dir: PathBuf, measure: bool) -> Self {
        let settings: Settings = std::fs::read(data_dir.join("settings.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let mut store = Store::new(&data_dir);
        let start_locked =
            settings.lock_minutes.is_some() && store.has_recovery_password().unwrap_or(false);
        AppState {
            locked: AtomicBool::new(start_locked),
            last_copied: Mutex::new(None),
            store: Mutex::new(store),
            data_dir,
            settings: Mutex::new(settings),
            pending_import: Mutex::new(None),
            removed: Mutex::new(HashMap::new()),
            tokens: AtomicU64::new(1),
            measure,
        }
    }

    fn token(&self) -> u64 {
        self.tokens.fetch_add(1, Ordering::Relaxed)
    }

    /// The language to show: the user's choice, else the system's (`id` or `en`).
    pub fn ui_language(&self) -> String {
        lock(&self.settings)
            .language
            .clone()
            .unwrap_or_else(system_language)
    }

    /// Opens the vault (keyring lookup, decryption) ahead of the UI's first call, so it overlaps
    /// with WebKit's start-up. Errors are left for `bootstrap` to report; nothing is written.
    pub fn warm_up(&self) {
        let _ = lock(&self.store).list();
    }

    /// `Err(app_locked)` while the app is locked.
    fn guard(&self) -> IpcResult<()> {
        if self.locked.load(Ordering::SeqCst) {
            Err(app_locked())
        } else {
            Ok(())
        }
    }

    /// Language, data folder, vault state and accounts (or the vault error, or `app_locked`).
    pub fn bootstrap(&self) -> Bootstrap {
        crate::report(self.measure, "bootstrap");
        let (choice, lock_minutes) = {
            let s = lock(&self.settings);
            (s.language.clone(), s.lock_minutes)
        };
        let system = system_language();
        let locked = self.locked.load(Ordering::SeqCst);
        let mut store = lock(&self.store);
        let vault = store.status().map_err(IpcError::from);
        let accounts = if locked {
            Err(app_locked())
        } else {
            store.list().map_err(IpcError::from)
        };
        Bootstrap {
            language: choice.clone().unwrap_or_else(|| system.clone()),
            language_choice: choice,
            system_language: system,
            data_dir: self.data_dir.display().to_string(),
            accounts,
            can_scan_screen: true,
            vault,
            locked,
            lock_minutes,
        }
    }

    /// Settings → About. Not guarded by the app lock: the name, the version and the data
    /// folder's path are no secret (the error screens show the folder too).
    pub fn about(&self, package: &tauri::PackageInfo) -> About {
        About {
            name: package.name.clone(),
            version: package.version.to_string(),
            data_dir: self.data_dir.display().to_string(),
        }
    }

    /// Codes of every account now.
    pub fn codes(&self) -> IpcResult<Vec<CodeInfo>> {
        self.guard()?;
        Ok(lock(&self.store).codes_at(accounts::now_unix())?)
    }

    /// Opens a vault whose keyring key is missing (or whose keyring is unavailable) with its
    /// recovery password; says whether to offer storing the key in the keyring again.
    pub fn unlock_vault(&self, password: Password) -> IpcResult<Unlocked> {
        let mut store = lock(&self.store);
        store.unlock_with_password(password.expose())?;
        drop(password);
        let offer_keyring = store
            .status()
            .map(|s| s.keyring == KeyringState::NoEntry)
            .unwrap_or(false);
        Ok(Unlocked { offer_keyring })
    }

    /// Stores the vault's key in the system keyring again (after [`unlock_vault`](Self::unlock_vault)).
    pub fn restore_keyring_key(&self) -> IpcResult<()> {
        self.guard()?;
        Ok(lock(&self.store).restore_keyring_key()?)
    }

    /// The settings dialog's state: recovery password, keyring, idle lock.
    pub fn safety_info(&self) -> IpcResult<SafetyInfo> {
        self.guard()?;
        let mut store = lock(&self.store);
        let st = store.status()?;
        let has_accounts = !store.list()?.is_empty();
        Ok(SafetyInfo {
            has_recovery_password: st.has_recovery_password,
            keyring_has_key: st.keyring == KeyringState::HasKey,
            has_accounts,
            lock_minutes: lock(&self.settings).lock_minutes,
        })
    }

    /// Sets or changes the recovery password (the core checks its length).
    pub fn set_recovery_password(&self, password: Password) -> IpcResult<()> {
        self.guard()?;
        Ok(lock(&self.store).set_recovery_password(password.expose())?)
    }

    /// Removes the recovery password (the core refuses unless the keyring holds the key).
    pub fn remove_recovery_password(&self) -> IpcResult<bool> {
        self.guard()?;
        Ok(lock(&self.store).remove_recovery_password()?)
    }

    /// The automatic backups, newest first.
    pub fn backups(&self) -> IpcResult<Vec<BackupInfo>> {
        self.guard()?;
        Ok(lock(&self.store).backups()?)
    }

    /// Restores backup `id` (the current vault becomes a backup first).
    pub fn restore_backup(&self, id: &str) -> IpcResult<BackupInfo> {
        self.guard()?;
        Ok(lock(&self.store).restore_backup(id)?)
    }

    /// Remembers the idle-lock delay (`None` or 0: off; else one of [`LOCK_MINUTES`]).
    pub fn set_lock_minutes(&self, minutes: Option<u32>) -> IpcResult<Option<u32>> {
        self.guard()?;
        let minutes = minutes.filter(|m| LOCK_MINUTES.contains(m));
        let mut s = lock(&self.settings);
        s.lock_minutes = minutes;
        self.save_settings(&s)?;
        Ok(minutes)
    }

    /// Locks the app (needs a recovery password to unlock): forgets the pending import and clears
    /// the clipboard if it still holds a code this app copied.
    pub fn lock_app<R: Runtime>(&self, app: &AppHandle<R>) -> IpcResult<()> {
        if !lock(&self.store).has_recovery_password()? {
            return Err(IpcError {
                kind: "no_recovery_password".into(),
                message: "the app can be locked only when a recovery password is set (it unlocks the app)".into(),
                scheme: None,
            });
        }
        self.locked.store(true, Ordering::SeqCst);
        *lock(&self.pending_import) = None;
        if let Some(code) = lock(&self.last_copied).take() {
            if app.clipboard().read_text().ok().as_deref() == Some(code.as_str()) {
                let _ = app.clipboard().clear();
            }
        }
        Ok(())
    }

    /// Unlocks the app with the recovery password (checked in Rust against the vault's slot).
    /// When the keyring key is missing too (started locked on a new machine), this also opens the
    /// vault with the password, so it is asked once.
    pub fn unlock_app(&self, password: Password) -> IpcResult<()> {
        let mut store = lock(&self.store);
        if store.status()?.ready {
            store.verify_recovery_password(password.expose())?;
        } else {
            store.unlock_with_password(password.expose())?;
        }
        self.locked.store(false, Ordering::SeqCst);
        Ok(())
    }

    fn save_settings(&self, s: &Settings) -> IpcResult<()> {
        std::fs::create_dir_all(&self.data_dir)
            .and_then(|_| {
                std::fs::write(
                    self.data_dir.join("settings.json"),
                    serde_json::to_vec_pretty(s).unwrap_or_default(),
                )
            })
            .map_err(|e| IpcError::from(Error::io("writing", &self.data_dir, &e)))
    }

    /// Remembers the user's language (`id`, `en`, or `None`/"system" to follow the system).
    pub fn set_language(&self, language: Option<String>) -> IpcResult<String> {
        let language = language.filter(|l| l == "id" || l == "en");
        let mut s = lock(&self.settings);
        s.language = language;
        self.save_settings(&s)?;
        Ok(s.language.clone().unwrap_or_else(system_language))
    }

    /// Copies the current (or, near expiry, the next) code of `id` to the clipboard, marked as
    /// secret for clipboard managers, and clears it after [`CLIPBOARD_CLEAR`] if it still holds it.
    pub fn copy_code<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        id: &str,
        next: bool,
    ) -> IpcResult<String> {
        self.guard()?;
        let info = lock(&self.store).code_at(id, accounts::now_unix())?;
        let code = match (next, info.next_code) {
            (true, Some(n)) => n,
            _ => info.code,
        };
        app.clipboard()
            .write_secret(code.clone())
            .map_err(clipboard_error)?;
        *lock(&self.last_copied) = Some(code.clone());
        let app = app.clone();
        let copied = code.clone();
        std::thread::spawn(move || {
            std::thread::sleep(CLIPBOARD_CLEAR);
            if app.clipboard().read_text().ok().as_deref() == Some(copied.as_str()) {
                let _ = app.clipboard().clear();
            }
        });
        Ok(code)
    }

    /// HOTP: advances the counter and returns the new code.
    pub fn next_hotp(&self, id: &str) -> IpcResult<CodeInfo> {
        self.guard()?;
        Ok(lock(&self.store).next_hotp(id)?)
    }

    /// Reads the clipboard (an image first, else text) and previews the enrolments in it.
    pub fn import_clipboard<R: Runtime>(&self, app: &AppHandle<R>) -> IpcResult<Preview> {
        self.guard()?;
        let enrolments = match app.clipboard().read_image() {
            Ok(img) => enrolments_from_rgba(img.rgba().to_vec(), img.width(), img.height())?,
            Err(_) => {
                let text = app.clipboard().read_text().map_err(|_| {
                    IpcError::from(Error::new(
                        ErrorKind::NoQrFound,
                        "the clipboard holds neither an image nor text; copy the QR code's screenshot or its otpauth:// text first",
                    ))
                })?;
                import::from_text(&text)?
            }
        };
        self.stage(enrolments)
    }

    /// Previews the enrolments in files (dropped or picked): images or texts of Key URIs.
    pub fn import_files(&self, paths: &[PathBuf]) -> IpcResult<Preview> {
        self.guard()?;
        let mut all = Vec::new();
        for p in paths {
            all.extend(import::from_file(p)?);
        }
        self.stage(all)
    }

    /// Native open-file dialog, then [`import_files`](Self::import_files); `None` when cancelled.
    pub fn open_file<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        title: &str,
        filter: &str,
    ) -> IpcResult<Option<Preview>> {
        self.guard()?;
        use tauri_plugin_dialog::DialogExt;
        let picked = app
            .dialog()
            .file()
            .set_title(title)
            .add_filter(filter, &["png", "jpg", "jpeg", "webp", "bmp", "gif", "txt"])
            .blocking_pick_files();
        let Some(files) = picked else { return Ok(None) };
        let paths: Vec<PathBuf> = files
            .into_iter()
            .filter_map(|f| f.into_path().ok())
            .collect();
        self.import_files(&paths).map(Some)
    }

    /// "Scan screen": hides the main window (so it does not cover the page with the QR), waits
    /// [`SCAN_HIDE_DELAY`] for the compositor, captures every monitor, then shows and focuses the
    /// window again (also on error) and previews the enrolments like an imported image.
    pub fn scan_screen<R: Runtime>(&self, app: &AppHandle<R>) -> IpcResult<Preview> {
        self.guard()?;
        let window = app.get_webview_window("main");
        if let Some(w) = &window {
            let _ = w.hide();
            std::thread::sleep(SCAN_HIDE_DELAY);
        }
        let found = spse_auth_screen::enrolments();
        if let Some(w) = &window {
            let _ = w.show();
            let _ = w.unminimize();
            let _ = w.set_focus();
        }
        self.stage(found?)
    }

    /// Previews a manually entered account, validating every field.
    pub fn import_manual(&self, m: ManualEntry) -> IpcResult<Preview> {
        self.guard()?;
        self.stage(vec![manual_enrolment(&m)?])
    }

    fn stage(&self, enrolments: Vec<Enrolment>) -> IpcResult<Preview> {
        self.guard()?;
        let outcomes = lock(&self.store).preview(&enrolments)?;
        let token = self.token();
        *lock(&self.pending_import) = Some((token, enrolments));
        Ok(Preview {
            token,
            needs_replace: outcomes.iter().any(|o| o.status == AddStatus::NeedsReplace),
            outcomes,
        })
    }

    /// Adds the staged enrolments of `token` (all together); `replace` confirms re-enrolments.
    pub fn commit_add(&self, token: u64, replace: bool) -> IpcResult<Vec<AddOutcome>> {
        self.guard()?;
        let staged = lock(&self.pending_import).take();
        match staged {
            Some((t, enrolments)) if t == token => Ok(lock(&self.store).add(enrolments, replace)?),
            other => {
                *lock(&self.pending_import) = other;
                Err(Error::new(
                    ErrorKind::NotFound,
                    "this import is no longer pending; import the QR code again",
                )
                .into())
            }
        }
    }

    /// Removes `id` from the vault and keeps it in memory for [`UNDO_WINDOW`].
    pub fn remove_account<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        id: &str,
    ) -> IpcResult<RemovedInfo> {
        self.guard()?;
        let removed = lock(&self.store).remove(id)?;
        let token = self.token();
        let account = removed.info();
        lock(&self.removed).insert(token, removed);
        let app = app.clone();
        std::thread::spawn(move || {
            std::thread::sleep(UNDO_WINDOW);
            // Dropping `Removed` zeroizes its secret: the account is now gone for good.
            lock(&app.state::<AppState>().removed).remove(&token);
        });
        Ok(RemovedInfo {
            token,
            account,
            undo_seconds: UNDO_WINDOW.as_secs(),
        })
    }

    /// Puts back the account removed with `token`, if Undo is still available.
    pub fn undo_remove(&self, token: u64) -> IpcResult<AccountInfo> {
        self.guard()?;
        let removed = lock(&self.removed).remove(&token).ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                "the account can no longer be restored (Undo lasts 10 seconds)",
            )
        })?;
        Ok(lock(&self.store).undo_remove(removed)?)
    }
}

fn clipboard_error(e: tauri_plugin_clipboard_manager::Error) -> IpcError {
    IpcError {
        kind: "clipboard".into(),
        message: format!("the clipboard cannot be used: {e}"),
        scheme: None,
    }
}

/// Enrolments from the QR codes in an RGBA image from the clipboard, with the same limits and
/// messages as an image file (`qr::MAX_SIDE`, `qr::MAX_PIXELS`).
fn enrolments_from_rgba(rgba: Vec<u8>, w: u32, h: u32) -> Result<Vec<Enrolment>, Error> {
    if w > qr::MAX_SIDE || h > qr::MAX_SIDE || u64::from(w) * u64::from(h) > qr::MAX_PIXELS {
        return Err(Error::new(
            ErrorKind::ImageTooLarge,
            format!("the image on the clipboard is too large ({w}×{h} pixels); crop it to the QR code and try again"),
        )
        .with_detail(Detail::Size(w, h)));
    }
    let img = image::RgbaImage::from_raw(w, h, rgba).ok_or_else(|| {
        Error::new(
            ErrorKind::ImageUnreadable,
            "the image on the clipboard is damaged; copy it again",
        )
    })?;
    let texts = qr::decode(&image::DynamicImage::ImageRgba8(img));
    if texts.is_empty() {
        return Err(Error::new(
            ErrorKind::NoQrFound,
            "no QR code found in the clipboard image; make sure the whole code is visible, sharp and not cut off, then try again",
        ));
    }
    import::from_payloads(&texts)
}

/// The enrolment the manual-entry form describes (validated in the core).
fn manual_enrolment(m: &ManualEntry) -> Result<Enrolment, Error> {
    Enrolment::manual(&enrolment::ManualEntry {
        issuer: &m.issuer,
        account: &m.account,
        secret: &m.secret,
        otp_type: m.otp_type.as_deref(),
        algorithm: m.algorithm.as_deref(),
        digits: m.digits,
        period: m.period,
        counter: m.counter,
    })
}
