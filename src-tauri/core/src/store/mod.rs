//! The store: one vault in one data folder, and the operations the front ends call on it.
//!
//! Layout, by concern (data flows one way: the operation files call `file`, `keys` and
//! `backups`; `file` calls `backups` only to keep the previous file before a save):
//! - `mod.rs` (here): [`Store`], the public types, its [`Clock`], the data folder and the
//!   constants.
//! - `file.rs`: the file lock (`vault.lock`), load, and save with rollback of memory on failure.
//! - `keys.rs`: the keyring key slot, the recovery password, vault creation, start-up status.
//! - `backups.rs`: automatic backups (write, prune, list, restore a backup).
//! - `accounts.rs`: add, preview, list, codes, remove and its undo, next HOTP code, find/resolve.
//! - `export.rs`: the accounts with their secrets, for an export the user asked for.
//!
//! Invariants:
//! - Every change is a read-modify-write under an exclusive *file lock* on `vault.lock` in the data
//!   folder (an OS file lock: `flock` on Unix, `LockFileEx` on Windows; not the app's lock screen),
//!   so the app and the CLI can run at the same time; every operation re-reads the file under the
//!   lock and compares its bytes with what it holds, so a change made by another process is never
//!   missed or overwritten.
//! - What the store holds in memory equals the vault file on disk after every operation, failed or
//!   not: a change is made on the loaded state and rolled back when its save fails.
//! - A vault is created only by the first `add`, and its key only when the keyring positively has
//!   no entry and no vault exists; a vault whose key is missing is never re-initialised or
//!   overwritten.
//! - Every save first copies the previous vault file, byte for byte, to `backups/` (the newest
//!   [`BACKUPS_KEPT`] are kept). A vault that does not decrypt is never written over; the error
//!   names the newest backup that opens.
//! - Everything in the data folder is private to the user (folder 0700, files 0600 on Unix).
//! - The secret never leaves the store towards a front end: [`AccountInfo`] and [`CodeInfo`] carry
//!   metadata and codes only; [`Removed`] holds it for an undo but is never serialised. The one
//!   exception is [`Store::export_enrolments`], for an export the user asked for.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::enrolment::Warning;
use crate::error::{Error, ErrorKind, Result};
use crate::formats::SkipReason;
use crate::keystore::{DataKey, KeyStore, OsKeyring};
use crate::otp::{Algorithm, OtpType};
use crate::vault::{Header, Payload, StoredAccount};

mod accounts;
mod backups;
mod batch;
mod export;
mod file;
mod keys;
#[cfg(test)]
mod tests;

pub use accounts::resolve;

/// File name of the vault inside the data folder.
pub const VAULT_FILE: &str = "vault.spse";
/// File name of the lock file inside the data folder.
pub const LOCK_FILE: &str = "vault.lock";
/// Folder of the automatic backups inside the data folder.
pub const BACKUP_DIR: &str = "backups";
/// How many automatic backups are kept (older ones are pruned after each save).
pub const BACKUPS_KEPT: usize = 20;
/// Environment variable that overrides the data folder (tests, portable use).
pub const DATA_DIR_ENV: &str = "SPSE_AUTH_DATA_DIR";

/// The data folder: `explicit` if given, else `$SPSE_AUTH_DATA_DIR` if set and non-empty, else the
/// platform data folder (`~/.local/share/spse-authenticator` on Linux, `~/Library/Application
/// Support/spse-authenticator` on macOS, `%APPDATA%\spse-authenticator\data` on Windows).
///
/// Errors: [`ErrorKind::Io`] when no home folder can be determined.
pub fn data_dir(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "spse-authenticator")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Io,
                format!("cannot determine a data folder (no home folder); set {DATA_DIR_ENV}"),
            )
        })
}

/// Current time in Unix seconds, from the system clock (for front ends; the store itself reads
/// its [`Clock`]).
pub fn now_unix() -> u64 {
    SystemClock.now_millis() / 1000
}

/// Where a [`Store`] reads the time (when an account was added, a vault created, a backup taken).
/// [`SystemClock`] unless another is given with [`Store::with_clock`], so tests run on a clock of
/// their own and never wait for the real one.
pub trait Clock: Send + Sync {
    /// The current time in Unix milliseconds.
    fn now_millis(&self) -> u64;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_millis(&self) -> u64 {
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or(0)
    }
}

/// What the UIs may know of an account: metadata, never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountInfo {
    /// Short id, 8 hex digits.
    pub id: String,
    /// Issuer (LPSE).
    pub issuer: String,
    /// Account name (SPSE user ID).
    pub account: String,
    /// `totp`, `hotp` or `steam`.
    #[serde(rename = "type")]
    pub otp_type: OtpType,
    /// Hash algorithm.
    pub algorithm: Algorithm,
    /// Number of digits.
    pub digits: u8,
    /// TOTP period in seconds.
    pub period: u32,
    /// HOTP counter of the next code (0 for TOTP).
    pub counter: u64,
    /// Length of the secret in bits; under 128 is noted as weak.
    pub secret_bits: usize,
    /// When it was added or last re-enrolled, Unix seconds.
    pub added_at: i64,
}

impl AccountInfo {
    fn of(a: &StoredAccount) -> Self {
        AccountInfo {
            id: a.id.clone(),
            issuer: a.issuer.clone(),
            account: a.account.clone(),
            otp_type: a.params.otp_type,
            algorithm: a.params.algorithm,
            digits: a.params.digits,
            period: a.params.period,
            counter: a.params.counter,
            secret_bits: a.secret.bits(),
            added_at: a.added_at,
        }
    }

    /// "issuer account" (or just the account), as shown in lists and messages.
    pub fn label(&self) -> String {
        if self.issuer.is_empty() {
            self.account.clone()
        } else {
            format!("{} {}", self.issuer, self.account)
        }
    }
}

/// A code to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeInfo {
    /// Account id.
    pub id: String,
    /// Issuer (LPSE).
    pub issuer: String,
    /// Account name.
    pub account: String,
    /// `totp`, `hotp` or `steam` (time-based like TOTP: every field below as for TOTP).
    #[serde(rename = "type")]
    pub otp_type: OtpType,
    /// The current code (TOTP and Steam at the given time; HOTP at the stored counter). Steam
    /// Guard: 5 characters of [`crate::otp::STEAM_ALPHABET`].
    pub code: String,
    /// TOTP: the code of the next period (shown near expiry); HOTP: `None`.
    pub next_code: Option<String>,
    /// TOTP: seconds until `code` changes, 1..=period; HOTP: 0.
    pub seconds_left: u32,
    /// TOTP period in seconds.
    pub period: u32,
    /// HOTP: the counter `code` was computed at; TOTP: the time step `floor(t / period)`.
    pub counter: u64,
}

/// [`Store::codes_of`]'s answer: some accounts' codes and the digest of the whole list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodesOf {
    /// The list's digest now (see [`ListDigest`]).
    pub list_digest: ListDigest,
    /// The codes of the accounts asked for that are in the vault, in list order.
    pub codes: Vec<CodeInfo>,
}

/// A digest of what a list of accounts shows (each account's id, issuer, account name, type and
/// period, in the vault's order): it changes whenever one of them does (an account added,
/// removed, re-enrolled with other parameters, renamed), so a page knows without fetching the
/// list again. A 53-bit number (exact in JavaScript); equal lists give equal digests in the same
/// build of the program, nothing more is promised (never stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ListDigest(pub u64);

impl ListDigest {
    /// The digest of `accounts`.
    fn of(accounts: &[StoredAccount]) -> Self {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        accounts.len().hash(&mut h);
        for a in accounts {
            (
                &a.id,
                &a.issuer,
                &a.account,
                a.params.otp_type,
                a.params.period,
            )
                .hash(&mut h);
        }
        ListDigest(h.finish() & ((1 << 53) - 1))
    }
}

/// What `add` did (or, from `preview`, would do) with one enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AddStatus {
    /// A new account.
    Added,
    /// Same issuer and account with a new secret: the old secret was replaced (re-enrolment).
    Replaced,
    /// Same issuer, account, secret and parameters: nothing to do.
    Unchanged,
    /// Same issuer and account with a new secret, and replacing was not allowed (preview; and
    /// [`Store::add_entries`] without `replace`, which leaves that account as it is).
    NeedsReplace,
    /// An entry of an import that cannot be stored; [`AddOutcome::reason`] says why (per-entry
    /// imports only: [`Store::preview_entries`], [`Store::add_entries`]).
    Skipped,
}

impl AddStatus {
    /// Every status, for front ends that must have a string for each (the UI's test).
    pub const ALL: &'static [AddStatus] = &[
        AddStatus::Added,
        AddStatus::Replaced,
        AddStatus::Unchanged,
        AddStatus::NeedsReplace,
        AddStatus::Skipped,
    ];

    /// `added`, `replaced`, `unchanged`, `needs_replace` or `skipped` (the serialised form).
    pub fn as_str(self) -> &'static str {
        match self {
            AddStatus::Added => "added",
            AddStatus::Replaced => "replaced",
            AddStatus::Unchanged => "unchanged",
            AddStatus::NeedsReplace => "needs_replace",
            AddStatus::Skipped => "skipped",
        }
    }
}

/// One line of an `add` or `preview` result.
///
/// Serialised as before for plain enrolments; `reason` and `renamed_from` appear only when set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddOutcome {
    /// What happened.
    pub status: AddStatus,
    /// The account as stored (for `NeedsReplace`: the one that exists now). For `Skipped`: only
    /// its issuer and account are meaningful (as far as the entry named them); its id is empty.
    pub account: AccountInfo,
    /// Remarks on the enrolment (weak secret, incomplete export batch).
    pub warnings: Vec<Warning>,
    /// `Skipped` only: why the entry was not imported (stable `kind`, English `message`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<SkipReason>,
    /// The account name the entry had in its export, when it got a suffix (`budi (2)`) because
    /// an earlier entry of the same import has the same issuer and account but another key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

impl AddOutcome {
    /// The outcome of an entry that is not imported, for `reason`.
    pub(crate) fn skipped(issuer: &str, account: &str, reason: SkipReason) -> Self {
        let p = crate::otp::Params::default();
        AddOutcome {
            status: AddStatus::Skipped,
            account: AccountInfo {
                id: String::new(),
                issuer: issuer.to_string(),
                account: account.to_string(),
                otp_type: p.otp_type,
                algorithm: p.algorithm,
                digits: p.digits,
                period: p.period,
                counter: p.counter,
                secret_bits: 0,
                added_at: 0,
            },
            warnings: vec![],
            reason: Some(reason),
            renamed_from: None,
        }
    }
}

/// An account taken out by [`Store::remove`], kept only in memory so that the UI can undo.
/// Holds the secret: never serialised; `Debug` redacts it.
#[derive(Debug, Clone)]
pub struct Removed(StoredAccount);

impl Removed {
    /// The removed account's metadata.
    pub fn info(&self) -> AccountInfo {
        AccountInfo::of(&self.0)
    }
}

struct Loaded {
    header: Header,
    key: DataKey,
    payload: Payload,
    /// The exact file bytes this was decrypted from (ciphertext): compared on every operation to
    /// notice changes by other processes, and copied to `backups/` before the next save.
    raw: Vec<u8>,
}

/// One vault in one data folder, with the key store that holds its key and the clock it reads.
/// Operations take `&mut self`: a front end keeps one behind a mutex; other processes are kept in
/// step by the file lock and the byte comparison on every operation (see the module doc).
pub struct Store {
    dir: PathBuf,
    keystore: Box<dyn KeyStore>,
    loaded: Option<Loaded>,
    /// A data key obtained with the recovery password, by vault id; used before the keyring.
    password_key: Option<(String, DataKey)>,
    /// Where the time comes from.
    clock: Box<dyn Clock>,
}

/// Whether the OS keyring holds the vault's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyringState {
    /// The keyring holds a key for the vault id.
    HasKey,
    /// The keyring is reachable and has no entry for the vault id (new machine, keyring reset).
    NoEntry,
    /// The keyring cannot be reached.
    Unavailable,
    /// The keyring is locked.
    Locked,
    /// Not asked: there is no vault yet.
    NotChecked,
}

/// What a front end needs to know at start-up (see [`Store::status`]). No secret in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VaultStatus {
    /// A vault file exists.
    pub exists: bool,
    /// Its id (also the keyring user name), when it exists.
    pub vault_id: Option<String>,
    /// It has a recovery-password slot.
    pub has_recovery_password: bool,
    /// Whether the keyring holds its key.
    pub keyring: KeyringState,
    /// This `Store` holds the key obtained with the recovery password.
    pub unlocked_with_password: bool,
    /// The vault opens now without asking anything (keyring key present, or unlocked).
    pub ready: bool,
    /// Number of automatic backups.
    pub backups: usize,
}

/// One automatic backup (see [`Store::backups`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupInfo {
    /// The id to restore it by, e.g. `20261129T174745123Z-1a2b3c4d` (UTC time of the backup, then
    /// the start of the backed-up file's nonce).
    pub id: String,
    /// When the backup was taken (the time that version was replaced), Unix seconds.
    pub created: i64,
    /// File size in bytes.
    pub size: u64,
    /// Number of accounts in it, when it opens with a key available now; `None` otherwise.
    pub accounts: Option<usize>,
    /// Its vault id, when its header is readable.
    pub vault_id: Option<String>,
}

impl BackupInfo {
    /// The backup's file name inside `backups/`.
    pub fn file_name(&self) -> String {
        format!("vault-{}.spse", self.id)
    }
}

/// The list order: issuer, then account (both case-insensitive), then id.
fn list_order(a: &StoredAccount) -> (String, String, String) {
    (
        a.issuer.to_lowercase(),
        a.account.to_lowercase(),
        a.id.clone(),
    )
}

fn sort_accounts(list: &mut [StoredAccount]) {
    list.sort_by_cached_key(list_order);
}

/// `list` in list order, by reference: nothing copied (no secret either), each key made once.
/// `codes_at` runs this every second for every account.
fn sorted_accounts(list: &[StoredAccount]) -> Vec<&StoredAccount> {
    let mut refs: Vec<&StoredAccount> = list.iter().collect();
    refs.sort_by_cached_key(|a| list_order(a));
    refs
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// A store over `dir` using the OS keyring. Touches nothing until an operation needs it.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self::with_keystore(dir, Box::new(OsKeyring))
    }

    /// A store over `dir` using `keystore` for the key slot.
    pub fn with_keystore(dir: impl Into<PathBuf>, keystore: Box<dyn KeyStore>) -> Self {
        Store {
            dir: dir.into(),
            keystore,
            loaded: None,
            password_key: None,
            clock: Box::new(SystemClock),
        }
    }

    /// This store, reading the time from `clock` instead of the system clock.
    pub fn with_clock(mut self, clock: Box<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The store's current time in Unix seconds.
    fn now_secs(&self) -> i64 {
        i64::try_from(self.clock.now_millis() / 1000).unwrap_or(i64::MAX)
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Path of the vault file.
    pub fn vault_path(&self) -> PathBuf {
        self.dir.join(VAULT_FILE)
    }

    /// True when a vault file exists.
    pub fn vault_exists(&self) -> bool {
        self.vault_path().exists()
    }
}
