//! The app's state, [`AppState`]: the vault's [`Store`] plus the small parts in their own
//! modules ([`crate::settings`], [`crate::app_lock`], [`crate::staging`], [`crate::clipboard`]),
//! and the operations the commands call. Imports live in [`crate::imports`].
//!
//! Invariants:
//! - Secrets never cross IPC: answers are the DTOs of [`crate::ipc`].
//! - Every guarded operation starts with `self.app_lock.guard()?`; the unguarded ones are
//!   start-up (`ui_language`, `bootstrap`, `served_bootstrap`, `about`, the warm-up), the
//!   language, and the two unlock operations, which check the recovery password themselves.
//! - Each mutex guards one part; two are held together only as "pending import, then store"
//!   (in `commit_add`), never the other way round.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use spse_auth_core::accounts::{
    self, AccountInfo, BackupInfo, CodeInfo, CodesOf, KeyringState, ListDigest, Removed, Store,
    VaultStatus,
};

use crate::app_lock::AppLock;
use crate::clipboard::{Clipboard, CopiedCode, CLIPBOARD_CLEAR};
use crate::clock_check::ClockChecker;
use crate::error::AppError;
use crate::ipc::{
    About, Bootstrap, CodesNow, Listed, Password, RemovedInfo, Reply, SafetyInfo, Unlocked,
    FIRST_CODES,
};
use crate::page_html::ServedStart;
use crate::settings::{system_language, Settings};
use crate::staging::{PendingImport, Tokens, UndoShelf, UNDO_WINDOW};

/// A command's result.
pub type AppResult<T> = Result<T, AppError>;

/// Locks a mutex of the app's state, recovering it if a thread panicked while holding it (every
/// part stays consistent between statements).
pub fn lock_mutex<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The app's state, managed by Tauri.
pub struct AppState {
    pub(crate) data_dir: PathBuf,
    /// Shared with the warm-up thread ([`AppState::start_warm_up`]).
    pub(crate) store: Arc<Mutex<Store>>,
    settings: Mutex<Settings>,
    pub(crate) app_lock: AppLock,
    pub(crate) pending_import: PendingImport,
    removed: UndoShelf<Removed>,
    pub(crate) tokens: Tokens,
    copied: CopiedCode,
    /// The clock check's last result and thread ([`crate::clock_check`]).
    pub(crate) clock: Arc<ClockChecker>,
    /// The start-up state for the page's HTML ([`crate::page_html`]), prepared by the warm-up thread.
    pub(crate) served_start: Arc<ServedStart>,
    /// Print a timing line when the first codes are on screen (`--measure`).
    pub measure: bool,
}

impl AppState {
    /// State over the vault in `data_dir` (see [`accounts::data_dir`]), with the OS keyring.
    pub fn new(data_dir: PathBuf, measure: bool) -> Self {
        let store = Store::new(&data_dir);
        Self::with_store(data_dir, store, measure)
    }

    /// State over `store`. Starts with the app lock on when the idle lock is set and the vault
    /// has a recovery password (restarting the app must not bypass the lock).
    pub fn with_store(data_dir: PathBuf, mut store: Store, measure: bool) -> Self {
        let settings = Settings::load(&data_dir);
        let start_locked =
            settings.lock_minutes.is_some() && store.has_recovery_password().unwrap_or(false);
        AppState {
            app_lock: AppLock::new(start_locked),
            store: Arc::new(Mutex::new(store)),
            data_dir,
            settings: Mutex::new(settings),
            pending_import: PendingImport::default(),
            removed: UndoShelf::default(),
            tokens: Tokens::default(),
            copied: CopiedCode::default(),
            clock: Arc::default(),
            served_start: Arc::default(),
            measure,
        }
    }

    /// A copy of the current settings.
    pub fn settings_now(&self) -> Settings {
        lock_mutex(&self.settings).clone()
    }

    /// Changes the settings with `change` and saves them; on an error nothing changes.
    pub fn update_settings(
        &self,
        change: impl FnOnce(&mut Settings) -> AppResult<()>,
    ) -> AppResult<()> {
        let mut settings = lock_mutex(&self.settings);
        let mut new = settings.clone();
        change(&mut new)?;
        new.save(&self.data_dir)?;
        *settings = new;
        Ok(())
    }

    /// The language to show: the user's choice, else the system's (`id` or `en`).
    pub fn ui_language(&self) -> String {
        lock_mutex(&self.settings).ui_language()
    }

    /// Opens the vault (keyring lookup, decryption) on a thread of its own, ahead of the UI's
    /// first call, so it overlaps with GTK's and WebKit's start-up, and prepares the first codes
    /// for the page's HTML ([`crate::page_html`]). Errors are left for `bootstrap` to report;
    /// nothing is written. Call once, as early as possible.
    pub fn start_warm_up(&self) -> std::thread::JoinHandle<()> {
        let (store, served) = (Arc::clone(&self.store), Arc::clone(&self.served_start));
        std::thread::spawn(move || {
            let mut store = lock_mutex(&store);
            let accounts = first_codes(&mut store).into();
            served.prepare(accounts, store.status().into());
        })
    }

    /// The start-up state for the page's HTML: what `bootstrap` would answer now, from the
    /// vault's answers the warm-up thread prepared (taken once, while fresh), as JSON escaped
    /// for a `<script>` element; `None` when nothing fresh is prepared (the page asks). Never
    /// waits for the vault. `--measure` prints its `bootstrap` line when it is taken.
    pub fn served_bootstrap(&self) -> Option<String> {
        let prepared = self.served_start.take_fresh()?;
        let boot = self.bootstrap_from(prepared.accounts, prepared.vault);
        let json = serde_json::to_string(&boot).ok()?;
        crate::report(self.measure, "bootstrap");
        Some(crate::page_html::escape_for_script(&json))
    }

    /// Language, data folder, vault state and every account with its codes now (or the vault
    /// error, or `app_locked`): the page draws its first codes from this answer.
    pub fn bootstrap(&self) -> Bootstrap {
        crate::report(self.measure, "bootstrap");
        let mut store = lock_mutex(&self.store);
        let vault = store.status().into();
        let accounts = first_codes(&mut store).into();
        drop(store);
        self.bootstrap_from(accounts, vault)
    }

    /// The bootstrap around the vault's answers: settings, language, the app lock (while it is
    /// on, `accounts` is the `app_locked` error instead).
    fn bootstrap_from(&self, accounts: Reply<CodesNow>, vault: Reply<VaultStatus>) -> Bootstrap {
        let settings = lock_mutex(&self.settings).clone();
        let system = system_language();
        let locked = self.app_lock.is_on();
        let accounts = match self.app_lock.guard() {
            Ok(()) => accounts,
            Err(e) => Reply::Error(e),
        };
        Bootstrap {
            language: settings.language.clone().unwrap_or_else(|| system.clone()),
            language_choice: settings.language,
            system_language: system,
            data_dir: self.data_dir.display().to_string(),
            accounts,
            vault,
            locked,
            lock_minutes: settings.lock_minutes,
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

    /// The codes now of the accounts `ids` (the rows the page draws), with the whole list when
    /// its digest is not `known` (the page's last one).
    pub fn codes(&self, ids: &[String], known: Option<ListDigest>) -> AppResult<CodesNow> {
        self.app_lock.guard()?;
        let mut store = lock_mutex(&self.store);
        let now = store.codes_of(ids, accounts::now_unix())?;
        codes_now(&mut store, now, known)
    }

    /// Copies the current (or, near expiry, the next) code of `id` to the clipboard and returns
    /// it; it is cleared after [`CLIPBOARD_CLEAR`] if the clipboard still holds it.
    pub fn copy_code<C: Clipboard>(
        &self,
        clipboard: &C,
        id: &str,
        next: bool,
    ) -> AppResult<String> {
        self.app_lock.guard()?;
        let info = lock_mutex(&self.store).code_at(id, accounts::now_unix())?;
        let code = match (next, info.next_code) {
            (true, Some(n)) => n,
            _ => info.code,
        };
        self.copied.copy(clipboard, code.clone(), CLIPBOARD_CLEAR)?;
        Ok(code)
    }

    /// HOTP: advances the counter and returns the new code.
    pub fn next_hotp(&self, id: &str) -> AppResult<CodeInfo> {
        self.app_lock.guard()?;
        Ok(lock_mutex(&self.store).next_hotp(id)?)
    }

    /// Removes `id` from the vault and keeps it in memory for [`UNDO_WINDOW`].
    pub fn remove_account(&self, id: &str) -> AppResult<RemovedInfo> {
        self.app_lock.guard()?;
        let removed = lock_mutex(&self.store).remove(id)?;
        let token = self.tokens.next();
        let account = removed.info();
        self.removed.keep(token, removed, UNDO_WINDOW);
        Ok(RemovedInfo {
            token,
            account,
            undo_seconds: UNDO_WINDOW.as_secs(),
        })
    }

    /// Puts back the account removed with `token`, if Undo is still available.
    pub fn undo_remove(&self, token: u64) -> AppResult<AccountInfo> {
        self.app_lock.guard()?;
        let removed = self.removed.take(token)?;
        Ok(lock_mutex(&self.store).undo_remove(removed)?)
    }

    /// Opens a vault whose keyring key is missing (or whose keyring is unavailable) with its
    /// recovery password; says whether to offer storing the key in the keyring again.
    pub fn unlock_vault(&self, password: Password) -> AppResult<Unlocked> {
        let mut store = lock_mutex(&self.store);
        store.unlock_with_password(password.expose())?;
        drop(password);
        let offer_keyring = store
            .status()
            .map(|s| s.keyring == KeyringState::NoEntry)
            .unwrap_or(false);
        Ok(Unlocked { offer_keyring })
    }

    /// Stores the vault's key in the system keyring again (after [`unlock_vault`](Self::unlock_vault)).
    pub fn restore_keyring_key(&self) -> AppResult<()> {
        self.app_lock.guard()?;
        Ok(lock_mutex(&self.store).restore_keyring_key()?)
    }

    /// The settings dialog's state: recovery password, keyring, idle lock.
    pub fn safety_info(&self) -> AppResult<SafetyInfo> {
        self.app_lock.guard()?;
        let mut store = lock_mutex(&self.store);
        let st = store.status()?;
        let has_accounts = !store.list()?.is_empty();
        Ok(SafetyInfo {
            has_recovery_password: st.has_recovery_password,
            keyring_has_key: st.keyring == KeyringState::HasKey,
            has_accounts,
            lock_minutes: lock_mutex(&self.settings).lock_minutes,
        })
    }

    /// Sets or changes the recovery password (the core checks its length).
    pub fn set_recovery_password(&self, password: Password) -> AppResult<()> {
        self.app_lock.guard()?;
        Ok(lock_mutex(&self.store).set_recovery_password(password.expose())?)
    }

    /// Removes the recovery password; refused (`remove_pw_refused`) unless the keyring holds the
    /// vault's key.
    pub fn remove_recovery_password(&self) -> AppResult<bool> {
        self.app_lock.guard()?;
        lock_mutex(&self.store)
            .remove_recovery_password()
            .map_err(AppError::from_remove_password)
    }

    /// The automatic backups, newest first.
    pub fn backups(&self) -> AppResult<Vec<BackupInfo>> {
        self.app_lock.guard()?;
        Ok(lock_mutex(&self.store).backups()?)
    }

    /// Restores backup `id` (the current vault becomes a backup first).
    pub fn restore_backup(&self, id: &str) -> AppResult<BackupInfo> {
        self.app_lock.guard()?;
        Ok(lock_mutex(&self.store).restore_backup(id)?)
    }

    /// Remembers the user's language (`id`, `en`, or `None`/"system" to follow the system);
    /// returns the one to show.
    pub fn set_language(&self, language: Option<String>) -> AppResult<String> {
        let mut settings = lock_mutex(&self.settings);
        settings.set_language(language);
        settings.save(&self.data_dir)?;
        Ok(settings.ui_language())
    }

    /// Remembers the idle-lock delay (`None` or 0: off; else one of
    /// [`LOCK_MINUTES`](crate::settings::LOCK_MINUTES)); returns the delay kept.
    pub fn set_lock_minutes(&self, minutes: Option<u32>) -> AppResult<Option<u32>> {
        self.app_lock.guard()?;
        let mut settings = lock_mutex(&self.settings);
        settings.set_lock_minutes(minutes);
        settings.save(&self.data_dir)?;
        Ok(settings.lock_minutes)
    }

    /// Turns the app lock on (only with a recovery password, which unlocks it): forgets the
    /// pending import and clears the clipboard if it still holds a code this app copied.
    pub fn lock_app<C: Clipboard>(&self, clipboard: &C) -> AppResult<()> {
        if !lock_mutex(&self.store).has_recovery_password()? {
            return Err(AppError::NoRecoveryPassword);
        }
        self.app_lock.engage();
        self.pending_import.clear();
        self.copied.clear_on_lock(clipboard);
        Ok(())
    }

    /// Turns the app lock off with the recovery password (checked in Rust against the vault's
    /// slot). When the keyring key is missing too (started locked on a new machine), this also
    /// opens the vault with the password, so it is asked once.
    pub fn unlock_app(&self, password: Password) -> AppResult<()> {
        let mut store = lock_mutex(&self.store);
        if store.status()?.ready {
            store.verify_recovery_password(password.expose())?;
        } else {
            store.unlock_with_password(password.expose())?;
        }
        self.app_lock.release();
        Ok(())
    }
}

/// The bootstrap's accounts: every account, with the codes of the first [`FIRST_CODES`] (the
/// list read once, then those codes).
fn first_codes(store: &mut Store) -> AppResult<CodesNow> {
    let (list, list_digest) = store.list_with_digest()?;
    let first: Vec<String> = list
        .iter()
        .take(FIRST_CODES)
        .map(|a| a.id.clone())
        .collect();
    let now = store.codes_of(&first, accounts::now_unix())?;
    Ok(CodesNow {
        list_digest,
        accounts: Some(list.into_iter().map(Listed::from).collect()),
        codes: now.codes,
    })
}

/// `now` as the page gets it: with the list when its digest is not `known`. The list and its
/// digest are read together, after the codes: when another process changed the vault in
/// between, the page gets the new list, and the next second's codes follow it.
fn codes_now(store: &mut Store, now: CodesOf, known: Option<ListDigest>) -> AppResult<CodesNow> {
    if known == Some(now.list_digest) {
        return Ok(CodesNow {
            list_digest: now.list_digest,
            accounts: None,
            codes: now.codes,
        });
    }
    let (list, list_digest) = store.list_with_digest()?;
    Ok(CodesNow {
        list_digest,
        accounts: Some(list.into_iter().map(Listed::from).collect()),
        codes: now.codes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{app_state, password, FakeClipboard, MemKeys, TempDir};
    use spse_auth_core::enrolment::ManualEntry;
    use zeroize::Zeroizing;

    const PW: &str = "kuda benar baterai staples";

    fn manual(account: &str) -> ManualEntry {
        ManualEntry {
            issuer: "Kota Uji".into(),
            account: account.into(),
            secret: Zeroizing::new("AWS7VRHGRHH3KXDQBVRAQE25BMTQAWHH".into()),
            ..ManualEntry::default()
        }
    }

    /// A state with one account ("budi") and a recovery password.
    fn with_account_and_password(dir: &TempDir, keys: &MemKeys) -> AppState {
        let s = app_state(dir, keys);
        let p = s.import_manual(manual("budi")).expect("preview");
        s.commit_add(p.token, false).expect("add");
        s.set_recovery_password(password(PW)).expect("set password");
        s
    }

    #[test]
    fn the_app_lock_needs_a_recovery_password() {
        let (dir, keys) = (TempDir::new("lock-no-pw"), MemKeys::default());
        let s = app_state(&dir, &keys);
        let err = s
            .lock_app(&FakeClipboard::default())
            .expect_err("no password");
        assert_eq!(err, AppError::NoRecoveryPassword);
        assert!(!s.app_lock.is_on());
    }

    #[test]
    fn guarded_operations_refuse_while_the_app_is_locked() {
        let (dir, keys) = (TempDir::new("lock"), MemKeys::default());
        let s = with_account_and_password(&dir, &keys);
        let clip = FakeClipboard::default();
        let id = s.all_codes().expect("codes")[0].id.clone();
        let code = s.copy_code(&clip, &id, false).expect("copy");
        let pending = s.import_manual(manual("sari")).expect("preview");

        s.lock_app(&clip).expect("lock");
        assert_eq!(clip.read_text(), None, "our code was cleared: {code}");
        assert_eq!(
            s.pending_import.token(),
            None,
            "the pending import is forgotten"
        );
        let locked = |r: Result<(), AppError>| assert_eq!(r, Err(AppError::AppLocked));
        locked(s.all_codes().map(drop));
        locked(s.copy_code(&clip, &id, false).map(drop));
        locked(s.import_manual(manual("sari")).map(drop));
        locked(s.commit_add(pending.token, false).map(drop));
        locked(s.remove_account(&id).map(drop));
        locked(s.safety_info().map(drop));
        locked(s.backups().map(drop));
        locked(s.set_lock_minutes(Some(5)).map(drop));
        locked(s.remove_recovery_password().map(drop));
        let boot = serde_json::to_value(s.bootstrap()).expect("json");
        assert_eq!(boot["accounts"]["error"]["kind"], "app_locked");
        assert!(boot["vault"]["ok"].is_object(), "{boot}");
        assert_eq!(boot["locked"], true);

        let wrong = s.unlock_app(password("salah sekali")).expect_err("wrong");
        assert_eq!(wrong.kind(), "wrong_password");
        assert!(s.app_lock.is_on());
        s.unlock_app(password(PW)).expect("unlock");
        assert_eq!(s.all_codes().expect("codes").len(), 1);
    }

    #[test]
    fn bootstrap_carries_every_account_and_the_first_codes() {
        let (dir, keys) = (TempDir::new("boot"), MemKeys::default());
        let s = with_account_and_password(&dir, &keys);
        let boot = serde_json::to_value(s.bootstrap()).expect("json");
        let ok = &boot["accounts"]["ok"];
        let first = &ok["codes"][0];
        let now = serde_json::to_value(s.all_codes().expect("codes")).expect("json");
        assert_eq!(ok["accounts"].as_array().map(Vec::len), Some(1));
        assert_eq!(ok["accounts"][0]["id"], now[0]["id"]);
        assert_eq!(ok["accounts"][0].get("secret"), None);
        assert_eq!(first["id"], now[0]["id"]);
        assert_eq!(first["code"].as_str().map(str::len), Some(6), "{first}");
        assert!(first["seconds_left"].as_u64().is_some(), "{first}");
        assert_eq!(boot["locked"], false);
    }

    #[test]
    fn bootstrap_carries_the_codes_of_the_first_32_of_40() {
        let (dir, keys) = (TempDir::new("boot40"), MemKeys::default());
        let s = app_state(&dir, &keys);
        for i in 0..40 {
            let p = s
                .import_manual(manual(&format!("user{i:02}")))
                .expect("preview");
            s.commit_add(p.token, false).expect("add");
        }
        let boot = serde_json::to_value(s.bootstrap()).expect("json");
        let ok = &boot["accounts"]["ok"];
        assert_eq!(ok["accounts"].as_array().map(Vec::len), Some(40));
        let codes = ok["codes"].as_array().expect("codes");
        assert_eq!(codes.len(), FIRST_CODES);
        for (c, a) in codes.iter().zip(ok["accounts"].as_array().expect("list")) {
            assert_eq!(
                c["id"], a["id"],
                "the first codes are the list's first accounts"
            );
        }
    }

    #[test]
    fn the_warm_up_prepares_the_page_html_bootstrap_once_and_the_lock_is_read_when_served() {
        let (dir, keys) = (TempDir::new("served"), MemKeys::default());
        let s = with_account_and_password(&dir, &keys);
        assert_eq!(s.served_bootstrap(), None, "nothing before the warm-up");
        s.start_warm_up().join().expect("warm-up");
        let served = s.served_bootstrap().expect("prepared");
        assert_eq!(s.served_bootstrap(), None, "taken once");
        let served: serde_json::Value = serde_json::from_str(&served).expect("JSON");
        let asked = serde_json::to_value(s.bootstrap()).expect("json");
        let (sa, aa) = (&served["accounts"]["ok"], &asked["accounts"]["ok"]);
        assert_eq!(sa["accounts"], aa["accounts"]);
        assert_eq!(sa["list_digest"], aa["list_digest"]);
        assert_eq!(sa["codes"][0]["id"], aa["accounts"][0]["id"]);
        for key in [
            "language",
            "language_choice",
            "data_dir",
            "locked",
            "vault",
            "lock_minutes",
        ] {
            assert_eq!(served[key], asked[key], "{key}");
        }

        // Locked after the warm-up: the served bootstrap says so, without names or codes.
        s.start_warm_up().join().expect("warm-up");
        s.lock_app(&FakeClipboard::default()).expect("lock");
        let locked: serde_json::Value =
            serde_json::from_str(&s.served_bootstrap().expect("prepared")).expect("JSON");
        assert_eq!(locked["locked"], true);
        assert_eq!(locked["accounts"]["error"]["kind"], "app_locked");
        assert!(!locked.to_string().contains("budi"), "{locked}");
    }

    #[test]
    fn codes_sends_the_list_only_when_it_changed() {
        let (dir, keys) = (TempDir::new("codes"), MemKeys::default());
        let s = with_account_and_password(&dir, &keys);
        let first = s.codes(&[], None).expect("codes");
        let list = first.accounts.expect("the page has no list yet: sent");
        assert!(first.codes.is_empty(), "no code asked, none computed");
        let ids = vec![list[0].id.clone()];
        let again = s.codes(&ids, Some(first.list_digest)).expect("codes");
        assert!(again.accounts.is_none(), "the same list is not sent again");
        assert_eq!(again.codes.len(), 1);
        assert_eq!(again.codes[0].id, ids[0]);
        s.remove_account(&ids[0]).expect("remove");
        let after = s.codes(&ids, Some(first.list_digest)).expect("codes");
        assert_eq!(after.accounts.map(|a| a.len()), Some(0), "changed: sent");
        assert!(after.codes.is_empty());
        assert_ne!(after.list_digest, first.list_digest);
    }

    #[test]
    fn a_restart_keeps_the_app_locked_when_the_idle_lock_is_on() {
        let (dir, keys) = (TempDir::new("restart"), MemKeys::default());
        let s = with_account_and_password(&dir, &keys);
        assert_eq!(s.set_lock_minutes(Some(5)).expect("set"), Some(5));
        assert_eq!(s.set_language(Some("en".into())).expect("set"), "en");
        drop(s);
        let again = app_state(&dir, &keys);
        assert!(again.app_lock.is_on());
        assert_eq!(again.ui_language(), "en");
        assert_eq!(again.safety_info().map(drop), Err(AppError::AppLocked));
    }

    #[test]
    fn a_removed_account_comes_back_with_undo() {
        let (dir, keys) = (TempDir::new("undo"), MemKeys::default());
        let s = with_account_and_password(&dir, &keys);
        let id = s.all_codes().expect("codes")[0].id.clone();
        let removed = s.remove_account(&id).expect("remove");
        assert_eq!(removed.undo_seconds, 10);
        assert!(s.all_codes().expect("codes").is_empty());
        assert_eq!(s.undo_remove(removed.token).expect("undo").id, id);
        assert_eq!(
            s.undo_remove(removed.token).expect_err("once").kind(),
            "not_found"
        );
        assert_eq!(s.all_codes().expect("codes").len(), 1);
    }

    #[test]
    fn removing_the_password_without_the_keyring_key_is_refused() {
        let (dir, keys) = (TempDir::new("remove-pw"), MemKeys::default());
        drop(with_account_and_password(&dir, &keys));
        // A new machine: the keyring lost the key; the recovery password opens the vault.
        let fresh_keys = MemKeys::default();
        let s = app_state(&dir, &fresh_keys);
        assert!(s.unlock_vault(password(PW)).expect("unlock").offer_keyring);
        let err = s.remove_recovery_password().expect_err("refused");
        assert_eq!(err.kind(), "remove_pw_refused");
        assert!(err.message().contains("keyring"), "{err}");
        s.restore_keyring_key().expect("restore");
        assert!(s.remove_recovery_password().expect("removed"));
    }
}
