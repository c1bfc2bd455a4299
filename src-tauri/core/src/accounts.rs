//! The operations the front ends call, on one vault in one data folder.
//!
//! Every change is a read-modify-write under an exclusive lock on `vault.lock` in the data folder
//! (an OS file lock: `flock` on Unix, `LockFileEx` on Windows), so the app and the CLI can run at
//! the same time; every operation re-reads the file under the lock and compares its bytes with
//! what it holds, so a change made by another process is never missed or overwritten. A vault is
//! created only by the first `add`, and its key only when the keyring positively has no entry and
//! no vault exists; a vault whose key is missing is never re-initialised or overwritten.
//!
//! Every save first copies the previous vault file, byte for byte, to `backups/` (the newest
//! [`BACKUPS_KEPT`] are kept). A vault that does not decrypt is never written over; the error names
//! the newest backup that opens.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;

use crate::enrolment::{Enrolment, Warning};
use crate::error::{Detail, Error, ErrorKind, Result};
use crate::keystore::{DataKey, KeyStore, OsKeyring, SERVICE};
use crate::otp::{self, Algorithm, OtpType};
use crate::recovery::{self, KdfParams};
use crate::vault::{self, Header, KeySlot, Payload, StoredAccount};

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

/// Current time in Unix seconds.
pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
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
    /// `totp` or `hotp`.
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
    /// `totp` or `hotp`.
    #[serde(rename = "type")]
    pub otp_type: OtpType,
    /// The current code (TOTP at the given time; HOTP at the stored counter).
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

fn code_info(a: &StoredAccount, t: u64) -> CodeInfo {
    let p = &a.params;
    let (code, next_code, seconds_left, counter) = match p.otp_type {
        OtpType::Totp => (
            otp::code_at(&a.secret, p, t),
            Some(otp::code_at(
                &a.secret,
                p,
                t + u64::from(otp::seconds_left(p.period, t)),
            )),
            otp::seconds_left(p.period, t),
            t / u64::from(p.period.max(1)),
        ),
        OtpType::Hotp => (otp::code_at(&a.secret, p, t), None, 0, p.counter),
    };
    CodeInfo {
        id: a.id.clone(),
        issuer: a.issuer.clone(),
        account: a.account.clone(),
        otp_type: p.otp_type,
        code,
        next_code,
        seconds_left,
        period: p.period,
        counter,
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
    /// Same issuer and account with a new secret, and replacing was not allowed (preview only).
    NeedsReplace,
}

impl AddStatus {
    /// `added`, `replaced`, `unchanged` or `needs_replace`.
    pub fn as_str(self) -> &'static str {
        match self {
            AddStatus::Added => "added",
            AddStatus::Replaced => "replaced",
            AddStatus::Unchanged => "unchanged",
            AddStatus::NeedsReplace => "needs_replace",
        }
    }
}

/// One line of an `add` or `preview` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddOutcome {
    /// What happened.
    pub status: AddStatus,
    /// The account as stored (for `NeedsReplace`: the one that exists now).
    pub account: AccountInfo,
    /// Remarks on the enrolment (weak secret, incomplete export batch).
    pub warnings: Vec<Warning>,
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

fn same_identity(a: &StoredAccount, e: &Enrolment) -> bool {
    a.issuer.trim().to_lowercase() == e.issuer.trim().to_lowercase()
        && a.account.trim().to_lowercase() == e.account.trim().to_lowercase()
}

/// Sort key: issuer then account, case-insensitive, then id.
fn sort_accounts(list: &mut [StoredAccount]) {
    list.sort_by(|a, b| {
        (a.issuer.to_lowercase(), a.account.to_lowercase(), &a.id).cmp(&(
            b.issuer.to_lowercase(),
            b.account.to_lowercase(),
            &b.id,
        ))
    });
}

struct Loaded {
    header: Header,
    key: DataKey,
    payload: Payload,
    /// The exact file bytes this was decrypted from (ciphertext): compared on every operation to
    /// notice changes by other processes, and copied to `backups/` before the next save.
    raw: Vec<u8>,
}

/// One vault in one data folder, with the key store that holds its key.
pub struct Store {
    dir: PathBuf,
    keystore: Box<dyn KeyStore>,
    loaded: Option<Loaded>,
    /// A data key obtained with the recovery password, by vault id; used before the keyring.
    unlocked: Option<(String, DataKey)>,
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

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

struct LockGuard(fs::File);

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = self.0.unlock();
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
            unlocked: None,
        }
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

    /// Takes the data folder's lock (shared for reads, exclusive for changes). `None` for a read
    /// when the folder does not exist: there is no vault to protect then.
    fn lock(&self, exclusive: bool) -> Result<Option<LockGuard>> {
        let path = self.dir.join(LOCK_FILE);
        if exclusive {
            create_private_dir(&self.dir)?;
        } else if !self.dir.exists() {
            return Ok(None);
        }
        let mut opts = fs::OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        // Private like the vault (it holds nothing, but nothing in the folder is for others).
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let f = opts
            .open(&path)
            .map_err(|e| Error::io("opening", &path, &e))?;
        let r = if exclusive { f.lock() } else { f.lock_shared() };
        r.map_err(|e| Error::io("locking", &path, &e))?;
        Ok(Some(LockGuard(f)))
    }

    /// The vault file's bytes, `None` when there is no vault file.
    fn read_vault(&self) -> Result<Option<Vec<u8>>> {
        let path = self.vault_path();
        match fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io("reading", &path, &e)),
        }
    }

    /// Loads (or reloads, when the file's bytes changed on disk) the vault. Returns false when no
    /// vault exists. Caller holds the lock. A damaged vault's error names the newest good backup.
    fn load(&mut self) -> Result<bool> {
        let path = self.vault_path();
        let Some(bytes) = self.read_vault()? else {
            self.loaded = None;
            return Ok(false);
        };
        if let Some(l) = &self.loaded {
            if l.raw == bytes {
                return Ok(true);
            }
        }
        let opened = vault::read_header(&bytes, &path).and_then(|(header, _)| {
            let key = match self.loaded.as_ref() {
                Some(l) if l.header.vault_id == header.vault_id => l.key.clone(),
                _ => self.key_for(&header)?,
            };
            let (header, payload) = vault::open(&bytes, &key, &path)?;
            Ok((header, key, payload))
        });
        let (header, key, payload) = opened.map_err(|e| self.offer_backup(e))?;
        self.loaded = Some(Loaded {
            header,
            key,
            payload,
            raw: bytes,
        });
        Ok(true)
    }

    /// Adds the newest backup that opens to a [`ErrorKind::VaultDamaged`] error's message.
    fn offer_backup(&self, err: Error) -> Error {
        if err.kind() != ErrorKind::VaultDamaged {
            return err;
        }
        let extra = match self.newest_good_backup_unlocked() {
            Some(b) => format!(
                "; the newest backup that opens is {} ({} account(s), taken {}): restore it with \
                 `spse-auth backup restore {}` or in Settings → Backups (the damaged file is kept as a backup)",
                b.id,
                b.accounts.unwrap_or(0),
                fmt_time(b.created),
                b.id
            ),
            None => "; no backup opens with the keys available: re-enrol the accounts (SPSE \
                     \"Reset TOTP\" by e-mail for each LPSE)"
                .to_string(),
        };
        let message = format!("{}{extra}", err.message());
        Error::new(ErrorKind::VaultDamaged, message).with_detail(err.detail)
    }

    /// The key for a vault id without failing: the loaded one, the password-unlocked one, or the
    /// keyring's.
    fn try_key(&self, vault_id: &str) -> Option<DataKey> {
        if let Some(l) = &self.loaded {
            if l.header.vault_id == vault_id {
                return Some(l.key.clone());
            }
        }
        if let Some((id, k)) = &self.unlocked {
            if id == vault_id {
                return Some(k.clone());
            }
        }
        self.keystore.load(vault_id).ok().flatten()
    }

    fn key_for(&self, header: &Header) -> Result<DataKey> {
        if let Some((id, k)) = &self.unlocked {
            if *id == header.vault_id {
                return Ok(k.clone());
            }
        }
        let has_password = header.password_slot().is_some();
        let hint = if has_password {
            "; this vault has a recovery password: open it with the password (the command line \
             asks on a terminal, or reads it with --password-stdin; the app asks in its window)"
        } else {
            " (restore the keyring entry; this vault has no recovery password)"
        };
        match self.keystore.load(&header.vault_id) {
            Ok(Some(k)) => Ok(k),
            Ok(None) => Err(Error::new(
                ErrorKind::VaultKeyMissing,
                format!(
                    "vault key missing: the system keyring has no entry '{SERVICE}' / '{}' for the vault {}; \
                     the vault was left untouched and no new key was written{hint}",
                    header.vault_id,
                    self.vault_path().display()
                ),
            )
            .with_detail(Detail::Path(self.vault_path()))),
            Err(e) if has_password => {
                let message = format!("{}{hint}", e.message());
                Err(Error::new(e.kind(), message).with_detail(e.detail))
            }
            Err(e) => Err(e),
        }
    }

    /// Writes the loaded vault: the previous file becomes a backup first, then the new file
    /// replaces it atomically; stray temporary files of killed writers are removed. Caller holds
    /// the exclusive lock and has just called `load`.
    fn save(&mut self) -> Result<()> {
        let path = self.vault_path();
        remove_stray_temps(&self.dir, &format!(".{VAULT_FILE}."));
        let previous = self
            .loaded
            .as_ref()
            .map(|l| l.raw.clone())
            .unwrap_or_default();
        if !previous.is_empty() {
            self.write_backup(&previous)?;
        }
        let l = self
            .loaded
            .as_mut()
            .ok_or_else(|| Error::new(ErrorKind::Io, "internal: no vault loaded to save"))?;
        sort_accounts(&mut l.payload.accounts);
        let bytes = vault::seal(&mut l.header, &l.key, &l.payload)?;
        vault::write_atomic(&path, &bytes)?;
        l.raw = bytes;
        self.prune_backups();
        Ok(())
    }

    fn backup_dir(&self) -> PathBuf {
        self.dir.join(BACKUP_DIR)
    }

    /// Copies `bytes` (a vault file as it was on disk) to a new backup; returns its id.
    fn write_backup(&self, bytes: &[u8]) -> Result<String> {
        let dir = self.backup_dir();
        create_private_dir(&dir)?;
        remove_stray_temps(&dir, ".vault-");
        let tag = vault::read_header(bytes, Path::new(""))
            .ok()
            .and_then(|(h, _)| data_encoding::BASE64.decode(h.nonce.as_bytes()).ok())
            .filter(|n| n.len() >= 4)
            .map(|n| data_encoding::HEXLOWER.encode(&n[..4]))
            .unwrap_or_else(|| {
                use rand::RngCore;
                let mut b = [0u8; 4];
                rand::rngs::OsRng.fill_bytes(&mut b);
                data_encoding::HEXLOWER.encode(&b)
            });
        let mut stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%3fZ").to_string();
        // Two backups in one millisecond (only in tests): keep names distinct and ordered.
        while dir.join(format!("vault-{stamp}-{tag}.spse")).exists() {
            stamp.push('0');
        }
        let id = format!("{stamp}-{tag}");
        vault::write_atomic(&dir.join(format!("vault-{id}.spse")), bytes)?;
        Ok(id)
    }

    /// Backup ids, oldest first (names sort by time).
    fn backup_ids(&self) -> Vec<String> {
        let Ok(rd) = fs::read_dir(self.backup_dir()) else {
            return vec![];
        };
        let mut ids: Vec<String> = rd
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let id = name.strip_prefix("vault-")?.strip_suffix(".spse")?;
                valid_backup_id(id).then(|| id.to_string())
            })
            .collect();
        ids.sort();
        ids
    }

    fn prune_backups(&self) {
        let ids = self.backup_ids();
        if ids.len() > BACKUPS_KEPT {
            for id in &ids[..ids.len() - BACKUPS_KEPT] {
                let _ = fs::remove_file(self.backup_dir().join(format!("vault-{id}.spse")));
            }
        }
    }

    /// Describes backup `id`, decrypting it when a key is available (cached by vault id).
    fn backup_info(
        &self,
        id: &str,
        keys: &mut std::collections::HashMap<String, Option<DataKey>>,
    ) -> Option<BackupInfo> {
        let path = self.backup_dir().join(format!("vault-{id}.spse"));
        let bytes = fs::read(&path).ok()?;
        let created = id
            .find('Z')
            .and_then(|z| {
                chrono::NaiveDateTime::parse_from_str(&id[..=z], "%Y%m%dT%H%M%S%3fZ").ok()
            })
            .map(|t| t.and_utc().timestamp())
            .unwrap_or(0);
        let header = vault::read_header(&bytes, &path).ok().map(|(h, _)| h);
        let accounts = header.as_ref().and_then(|h| {
            let key = keys
                .entry(h.vault_id.clone())
                .or_insert_with(|| self.try_key(&h.vault_id))
                .clone()?;
            vault::open(&bytes, &key, &path)
                .ok()
                .map(|(_, p)| p.accounts.len())
        });
        Some(BackupInfo {
            id: id.to_string(),
            created,
            size: bytes.len() as u64,
            accounts,
            vault_id: header.map(|h| h.vault_id),
        })
    }

    fn newest_good_backup_unlocked(&self) -> Option<BackupInfo> {
        let mut keys = std::collections::HashMap::new();
        self.backup_ids()
            .iter()
            .rev()
            .filter_map(|id| self.backup_info(id, &mut keys))
            .find(|b| b.accounts.is_some())
    }

    /// Prepares a new vault in memory (first `add`): checks the keyring has no entry for a fresh
    /// vault id, stores a new key and reads it back. The caller's save writes the file, so the
    /// first vault on disk already holds the first accounts (and no empty vault is backed up).
    fn create(&mut self) -> Result<()> {
        let now = now_unix() as i64;
        let header = Header::new(now, SERVICE);
        if self.keystore.load(&header.vault_id)?.is_some() {
            return Err(Error::new(
                ErrorKind::KeyringUnavailable,
                "the system keyring already holds a key for a brand-new vault id; refusing to continue",
            ));
        }
        let key = DataKey::generate();
        self.keystore.store(&header.vault_id, &key)?;
        match self.keystore.load(&header.vault_id)? {
            Some(k) if k.as_bytes() == key.as_bytes() => {}
            _ => {
                return Err(Error::new(
                    ErrorKind::KeyringUnavailable,
                    "the system keyring did not keep the vault key (it read back differently); \
                     nothing was saved — check that your keyring stores secrets persistently",
                ))
            }
        }
        self.loaded = Some(Loaded {
            header,
            key,
            payload: Payload::default(),
            raw: Vec::new(),
        });
        Ok(())
    }

    /// Every account, sorted by issuer then account (case-insensitive). Empty when no vault exists
    /// (the keyring is not touched then).
    ///
    /// Errors: keyring errors, [`ErrorKind::VaultKeyMissing`], [`ErrorKind::VaultDamaged`], I/O.
    pub fn list(&mut self) -> Result<Vec<AccountInfo>> {
        let _g = self.lock(false)?;
        if !self.load()? {
            return Ok(vec![]);
        }
        let mut accts = self.accounts_ref().to_vec();
        sort_accounts(&mut accts);
        Ok(accts.iter().map(AccountInfo::of).collect())
    }

    fn accounts_ref(&self) -> &[StoredAccount] {
        self.loaded
            .as_ref()
            .map(|l| l.payload.accounts.as_slice())
            .unwrap_or(&[])
    }

    /// Codes of every account at `unix_seconds`, in list order. Reloads only when the vault file
    /// changed since the last call, so it is cheap to call once a second.
    pub fn codes_at(&mut self, unix_seconds: u64) -> Result<Vec<CodeInfo>> {
        let _g = self.lock(false)?;
        if !self.load()? {
            return Ok(vec![]);
        }
        let mut accts = self.accounts_ref().to_vec();
        sort_accounts(&mut accts);
        Ok(accts.iter().map(|a| code_info(a, unix_seconds)).collect())
    }

    /// The code of account `id` at `unix_seconds`. Errors: [`ErrorKind::NotFound`] and those of `list`.
    pub fn code_at(&mut self, id: &str, unix_seconds: u64) -> Result<CodeInfo> {
        let _g = self.lock(false)?;
        self.load()?;
        self.accounts_ref()
            .iter()
            .find(|a| a.id == id)
            .map(|a| code_info(a, unix_seconds))
            .ok_or_else(|| not_found(id))
    }

    fn classify(existing: &[StoredAccount], e: &Enrolment) -> (AddStatus, Option<usize>) {
        match existing.iter().position(|a| same_identity(a, e)) {
            None => (AddStatus::Added, None),
            Some(i) if existing[i].secret == e.secret && existing[i].params == e.params => {
                (AddStatus::Unchanged, Some(i))
            }
            Some(i) => (AddStatus::NeedsReplace, Some(i)),
        }
    }

    /// What [`add`](Self::add) would do with `enrolments` with `replace = false`, without saving.
    /// `NeedsReplace` marks re-enrolments the UI must confirm.
    pub fn preview(&mut self, enrolments: &[Enrolment]) -> Result<Vec<AddOutcome>> {
        let _g = self.lock(false)?;
        self.load()?;
        let mut sim: Vec<StoredAccount> = self.accounts_ref().to_vec();
        let mut out = Vec::new();
        for e in enrolments {
            let (status, idx) = Self::classify(&sim, e);
            let account = match idx {
                Some(i) => AccountInfo::of(&sim[i]),
                None => {
                    let a = new_stored(e, &sim);
                    let info = AccountInfo::of(&a);
                    sim.push(a);
                    info
                }
            };
            out.push(AddOutcome {
                status,
                account,
                warnings: e.warnings.clone(),
            });
        }
        Ok(out)
    }

    /// Adds `enrolments` in one save. Same issuer + account + secret + parameters → `Unchanged`.
    /// Same issuer + account (case-insensitive) with a different secret is a re-enrolment
    /// ("Reset TOTP"): replaced in place (same id) when `replace`, else the whole call fails with
    /// [`ErrorKind::ReenrolmentNeedsConfirmation`] and nothing changes. The same account name at
    /// different issuers are different accounts. Creates the vault (and its keyring key) on first use.
    ///
    /// Errors: [`ErrorKind::InvalidInput`] (empty issuer and account), re-enrolment, keyring, vault, I/O.
    pub fn add(&mut self, enrolments: Vec<Enrolment>, replace: bool) -> Result<Vec<AddOutcome>> {
        for e in &enrolments {
            e.params.validate()?;
            if e.issuer.trim().is_empty() && e.account.trim().is_empty() {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    "the enrolment has neither an issuer nor an account name; give at least one",
                ));
            }
        }
        let _g = self.lock(true)?;
        if !self.load()? {
            self.create()?;
        }
        let now = now_unix() as i64;
        let l = self
            .loaded
            .as_mut()
            .ok_or_else(|| Error::new(ErrorKind::Io, "internal: vault not loaded"))?;
        let mut accounts = l.payload.accounts.clone();
        let mut out = Vec::new();
        for e in enrolments {
            let (status, idx) = Self::classify(&accounts, &e);
            let status = match (status, idx) {
                (AddStatus::NeedsReplace, Some(i)) => {
                    if !replace {
                        let a = &accounts[i];
                        return Err(Error::new(
                            ErrorKind::ReenrolmentNeedsConfirmation,
                            format!(
                                "'{}' already exists with a different key; this is a re-enrolment \
                                 (SPSE \"Reset TOTP\"): run again with --replace to replace the old \
                                 key (its codes stop working once SPSE has been reset)",
                                AccountInfo::of(a).label()
                            ),
                        )
                        .with_detail(Detail::Account {
                            issuer: a.issuer.clone(),
                            account: a.account.clone(),
                        }));
                    }
                    let a = &mut accounts[i];
                    a.secret = e.secret.clone();
                    a.params = e.params;
                    a.issuer = e.issuer.clone();
                    a.account = e.account.clone();
                    a.added_at = now;
                    out.push((AddStatus::Replaced, i, e.warnings));
                    continue;
                }
                (s, Some(i)) => {
                    out.push((s, i, e.warnings));
                    continue;
                }
                (s, None) => s,
            };
            let mut a = new_stored(&e, &accounts);
            a.added_at = now;
            accounts.push(a);
            out.push((status, accounts.len() - 1, e.warnings));
        }
        let outcomes: Vec<AddOutcome> = out
            .into_iter()
            .map(|(status, i, warnings)| AddOutcome {
                status,
                account: AccountInfo::of(&accounts[i]),
                warnings,
            })
            .collect();
        if outcomes.iter().any(|o| o.status != AddStatus::Unchanged) {
            let before = std::mem::replace(&mut l.payload.accounts, accounts);
            if let Err(e) = self.save() {
                if let Some(l) = self.loaded.as_mut() {
                    l.payload.accounts = before;
                }
                return Err(e);
            }
        }
        Ok(outcomes)
    }

    /// Removes account `id` and returns it (for undo). Errors: [`ErrorKind::NotFound`], vault, I/O.
    pub fn remove(&mut self, id: &str) -> Result<Removed> {
        let _g = self.lock(true)?;
        if !self.load()? {
            return Err(not_found(id));
        }
        let l = self
            .loaded
            .as_mut()
            .ok_or_else(|| Error::new(ErrorKind::Io, "internal: vault not loaded"))?;
        let i = l
            .payload
            .accounts
            .iter()
            .position(|a| a.id == id)
            .ok_or_else(|| not_found(id))?;
        let removed = l.payload.accounts.remove(i);
        if let Err(e) = self.save() {
            if let Some(l) = self.loaded.as_mut() {
                l.payload.accounts.insert(i, removed);
            }
            return Err(e);
        }
        Ok(Removed(removed))
    }

    /// Puts back an account taken out by [`remove`](Self::remove) (undo), with its id. If an account
    /// with the same issuer and account was enrolled meanwhile, that one is kept and this fails with
    /// [`ErrorKind::ReenrolmentNeedsConfirmation`].
    pub fn restore(&mut self, removed: Removed) -> Result<AccountInfo> {
        let _g = self.lock(true)?;
        if !self.load()? {
            self.create()?;
        }
        let l = self
            .loaded
            .as_mut()
            .ok_or_else(|| Error::new(ErrorKind::Io, "internal: vault not loaded"))?;
        let mut a = removed.0;
        if l.payload.accounts.iter().any(|x| {
            x.issuer.to_lowercase() == a.issuer.to_lowercase()
                && x.account.to_lowercase() == a.account.to_lowercase()
        }) {
            return Err(Error::new(
                ErrorKind::ReenrolmentNeedsConfirmation,
                format!(
                    "'{}' was enrolled again meanwhile; the removed copy was not restored",
                    AccountInfo::of(&a).label()
                ),
            ));
        }
        if l.payload.accounts.iter().any(|x| x.id == a.id) {
            a.id = fresh_id(&l.payload.accounts);
        }
        let info = AccountInfo::of(&a);
        l.payload.accounts.push(a);
        if let Err(e) = self.save() {
            if let Some(l) = self.loaded.as_mut() {
                l.payload.accounts.retain(|x| x.id != info.id);
            }
            return Err(e);
        }
        Ok(info)
    }

    /// HOTP: moves account `id` to its next counter and returns the new code (the counter is saved
    /// first, so a code is never shown twice). Errors: [`ErrorKind::InvalidInput`] for TOTP accounts.
    pub fn next_hotp(&mut self, id: &str) -> Result<CodeInfo> {
        let _g = self.lock(true)?;
        self.load()?;
        let l = self.loaded.as_mut().ok_or_else(|| not_found(id))?;
        let a = l
            .payload
            .accounts
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or_else(|| not_found(id))?;
        if a.params.otp_type != OtpType::Hotp {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "only HOTP (counter-based) accounts have a next code",
            ));
        }
        a.params.counter = a.params.counter.saturating_add(1);
        let info = code_info(a, 0);
        self.save()?;
        Ok(info)
    }

    /// Resolves a user's query: an exact id, a unique id prefix, or a case-insensitive substring
    /// of "issuer account". Errors: [`ErrorKind::NotFound`]; [`ErrorKind::Ambiguous`] with
    /// `Detail::Candidates` listing "issuer account (id)".
    pub fn find(&mut self, query: &str) -> Result<AccountInfo> {
        let all = self.list()?;
        resolve(&all, query).cloned()
    }

    /// Reloads the vault when another process changed it (byte comparison, so two saves within
    /// one file-time tick are noticed too). Returns true when it changed since the last call of
    /// any operation — the app then refreshes its list. Cheap: one small file read.
    pub fn refresh(&mut self) -> Result<bool> {
        let _g = self.lock(false)?;
        let before = self.loaded.as_ref().map(|l| l.raw.clone());
        self.load()?;
        Ok(before != self.loaded.as_ref().map(|l| l.raw.clone()))
    }

    /// Start-up state, without decrypting anything and without ever writing: does a vault exist,
    /// does the keyring hold its key, does it have a recovery password. The app calls this first:
    /// `ready` → go on; `!ready && has_recovery_password` → ask for the password
    /// ([`unlock_with_password`](Self::unlock_with_password)); `!ready` without one → show the
    /// "vault key missing" error (re-enrol, or restore the keyring entry).
    ///
    /// Errors: [`ErrorKind::VaultDamaged`] (with the newest good backup named) when even the
    /// header is unreadable, [`ErrorKind::VaultUnsupported`], I/O.
    pub fn status(&mut self) -> Result<VaultStatus> {
        let _g = self.lock(false)?;
        let backups = self.backup_ids().len();
        let Some(bytes) = self.read_vault()? else {
            return Ok(VaultStatus {
                exists: false,
                vault_id: None,
                has_recovery_password: false,
                keyring: KeyringState::NotChecked,
                unlocked_with_password: false,
                ready: true,
                backups,
            });
        };
        let (header, _) =
            vault::read_header(&bytes, &self.vault_path()).map_err(|e| self.offer_backup(e))?;
        let keyring = match self.keystore.load(&header.vault_id) {
            Ok(Some(_)) => KeyringState::HasKey,
            Ok(None) => KeyringState::NoEntry,
            Err(e) if e.kind() == ErrorKind::KeyringLocked => KeyringState::Locked,
            Err(_) => KeyringState::Unavailable,
        };
        let unlocked = matches!(&self.unlocked, Some((id, _)) if *id == header.vault_id);
        Ok(VaultStatus {
            exists: true,
            has_recovery_password: header.password_slot().is_some(),
            keyring,
            unlocked_with_password: unlocked,
            ready: unlocked || keyring == KeyringState::HasKey,
            vault_id: Some(header.vault_id),
            backups,
        })
    }

    /// True when the vault exists and has a recovery-password slot (reads only the header).
    pub fn has_recovery_password(&mut self) -> Result<bool> {
        let _g = self.lock(false)?;
        let Some(bytes) = self.read_vault()? else {
            return Ok(false);
        };
        let (header, _) = vault::read_header(&bytes, &self.vault_path())?;
        Ok(header.password_slot().is_some())
    }

    /// Opens the vault with its recovery password (when the keyring entry is missing or the keyring
    /// is unavailable). On success this `Store` keeps the key in memory for its lifetime and every
    /// operation works; the keyring is not touched — call
    /// [`restore_keyring_key`](Self::restore_keyring_key) to store the key there again (ask the
    /// user first). Takes about half a second (Argon2id).
    ///
    /// Errors: [`ErrorKind::WrongPassword`] (nothing changed), [`ErrorKind::VaultKeyMissing`]
    /// when the vault has no recovery password, [`ErrorKind::NotFound`] when there is no vault,
    /// [`ErrorKind::VaultDamaged`], I/O.
    pub fn unlock_with_password(&mut self, password: &str) -> Result<()> {
        let _g = self.lock(false)?;
        let path = self.vault_path();
        let bytes = self.read_vault()?.ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                "there is no vault yet: nothing to unlock",
            )
        })?;
        let (header, _) = vault::read_header(&bytes, &path).map_err(|e| self.offer_backup(e))?;
        let slot = header.password_slot().ok_or_else(|| {
            Error::new(
                ErrorKind::VaultKeyMissing,
                format!(
                    "vault key missing: the vault {} has no recovery password, so a password cannot \
                     open it; restore its keyring entry '{SERVICE}' / '{}'",
                    path.display(),
                    header.vault_id
                ),
            )
        })?;
        let key = recovery::unwrap(password, slot, &header.vault_id)?;
        let (header, payload) =
            vault::open(&bytes, &key, &path).map_err(|e| self.offer_backup(e))?;
        self.unlocked = Some((header.vault_id.clone(), key.clone()));
        self.loaded = Some(Loaded {
            header,
            key,
            payload,
            raw: bytes,
        });
        Ok(())
    }

    /// Checks `password` against the vault's recovery-password slot without changing anything
    /// (the app's lock screen uses it). Takes about half a second (Argon2id).
    ///
    /// Errors: [`ErrorKind::WrongPassword`], [`ErrorKind::VaultKeyMissing`] when the vault has no
    /// recovery password, [`ErrorKind::NotFound`] when there is no vault, [`ErrorKind::VaultDamaged`],
    /// I/O.
    pub fn verify_recovery_password(&mut self, password: &str) -> Result<()> {
        let _g = self.lock(false)?;
        let path = self.vault_path();
        let bytes = self
            .read_vault()?
            .ok_or_else(|| Error::new(ErrorKind::NotFound, "there is no vault yet"))?;
        let (header, _) = vault::read_header(&bytes, &path)?;
        let slot = header.password_slot().ok_or_else(|| {
            Error::new(
                ErrorKind::VaultKeyMissing,
                "the vault has no recovery password to check",
            )
        })?;
        recovery::unwrap(password, slot, &header.vault_id).map(|_| ())
    }

    /// Stores the vault's key (as opened, e.g. with the recovery password) in the OS keyring again
    /// and reads it back. After this the vault opens without a password.
    ///
    /// Errors: keyring errors ([`ErrorKind::KeyringUnavailable`], [`ErrorKind::KeyringLocked`]),
    /// [`ErrorKind::VaultKeyMissing`] when the key is not known, vault errors.
    pub fn restore_keyring_key(&mut self) -> Result<()> {
        let _g = self.lock(false)?;
        if !self.load()? {
            return Err(Error::new(ErrorKind::NotFound, "there is no vault yet"));
        }
        let l = self
            .loaded
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::Io, "internal: vault not loaded"))?;
        let id = l.header.vault_id.clone();
        let key = l.key.clone();
        self.keystore.store(&id, &key)?;
        match self.keystore.load(&id)? {
            Some(k) if k.as_bytes() == key.as_bytes() => Ok(()),
            _ => Err(Error::new(
                ErrorKind::KeyringUnavailable,
                "the system keyring did not keep the vault key (it read back differently)",
            )),
        }
    }

    /// Sets or changes the recovery password: the data key is wrapped with an Argon2id-derived key
    /// ([`KdfParams::DEFAULT`]) in the vault header. Only the slot changes (the file is saved
    /// again, the previous one kept as a backup). Needs the vault open (keyring key, or unlocked).
    ///
    /// Errors: [`ErrorKind::InvalidInput`] (shorter than [`recovery::MIN_PASSWORD_CHARS`]),
    /// [`ErrorKind::NotFound`] when there is no vault yet, and those of `list`.
    pub fn set_recovery_password(&mut self, password: &str) -> Result<()> {
        recovery::check_new_password(password)?;
        let _g = self.lock(true)?;
        if !self.load()? {
            return Err(Error::new(
                ErrorKind::NotFound,
                "there is no vault yet: add an account first, then set the recovery password",
            ));
        }
        let l = self
            .loaded
            .as_mut()
            .ok_or_else(|| Error::new(ErrorKind::Io, "internal: vault not loaded"))?;
        let slot = recovery::wrap(password, &l.key, &l.header.vault_id, KdfParams::DEFAULT)?;
        let before = l.header.slots.clone();
        l.header
            .slots
            .retain(|s| !matches!(s, KeySlot::Password { .. }));
        l.header.slots.push(slot);
        if let Err(e) = self.save() {
            if let Some(l) = self.loaded.as_mut() {
                l.header.slots = before;
            }
            return Err(e);
        }
        Ok(())
    }

    /// Removes the recovery password. Refused unless the keyring holds this vault's key right now
    /// (otherwise the vault could no longer be opened at all). Returns false when there was none.
    ///
    /// Errors: [`ErrorKind::VaultKeyMissing`] (keyring has no or another key), keyring errors,
    /// and those of `list`.
    pub fn remove_recovery_password(&mut self) -> Result<bool> {
        let _g = self.lock(true)?;
        if !self.load()? {
            return Ok(false);
        }
        let l = self
            .loaded
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::Io, "internal: vault not loaded"))?;
        if l.header.password_slot().is_none() {
            return Ok(false);
        }
        match self.keystore.load(&l.header.vault_id)? {
            Some(k) if k.as_bytes() == l.key.as_bytes() => {}
            _ => {
                return Err(Error::new(
                    ErrorKind::VaultKeyMissing,
                    "the system keyring does not hold this vault's key, so without the recovery \
                     password nothing could open the vault; store the key in the keyring again \
                     first (nothing was changed)",
                ))
            }
        }
        let l = self
            .loaded
            .as_mut()
            .ok_or_else(|| Error::new(ErrorKind::Io, "internal: vault not loaded"))?;
        let before = l.header.slots.clone();
        l.header
            .slots
            .retain(|s| !matches!(s, KeySlot::Password { .. }));
        if let Err(e) = self.save() {
            if let Some(l) = self.loaded.as_mut() {
                l.header.slots = before;
            }
            return Err(e);
        }
        Ok(true)
    }

    /// The automatic backups, newest first, each with its account count when it opens with a key
    /// available now (the keyring's, or the one unlocked with the recovery password).
    pub fn backups(&mut self) -> Result<Vec<BackupInfo>> {
        let _g = self.lock(false)?;
        let mut keys = std::collections::HashMap::new();
        Ok(self
            .backup_ids()
            .iter()
            .rev()
            .filter_map(|id| self.backup_info(id, &mut keys))
            .collect())
    }

    /// The newest backup that opens with a key available now (what a damaged-vault error offers).
    pub fn newest_good_backup(&mut self) -> Result<Option<BackupInfo>> {
        let _g = self.lock(false)?;
        Ok(self.newest_good_backup_unlocked())
    }

    /// Restores backup `id`: it must open with a key available now; the current vault file (even a
    /// damaged one) becomes a backup first, then the backup's bytes replace it atomically.
    ///
    /// Errors: [`ErrorKind::NotFound`] (no such backup), [`ErrorKind::VaultDamaged`] /
    /// [`ErrorKind::VaultKeyMissing`] when the backup does not open (nothing changed), I/O.
    pub fn restore_backup(&mut self, id: &str) -> Result<BackupInfo> {
        let _g = self.lock(true)?;
        let not_found = || {
            Error::new(
                ErrorKind::NotFound,
                format!("no backup '{id}' (see `spse-auth backup list`)"),
            )
        };
        if !valid_backup_id(id) {
            return Err(not_found());
        }
        let path = self.backup_dir().join(format!("vault-{id}.spse"));
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(not_found()),
            Err(e) => return Err(Error::io("reading", &path, &e)),
        };
        let (header, _) = vault::read_header(&bytes, &path)?;
        let key = match self.try_key(&header.vault_id) {
            Some(k) => k,
            None => self.key_for(&header)?,
        };
        let (header, payload) = vault::open(&bytes, &key, &path)?;
        remove_stray_temps(&self.dir, &format!(".{VAULT_FILE}."));
        if let Some(current) = self.read_vault()? {
            if current != bytes {
                self.write_backup(&current)?;
            }
        }
        vault::write_atomic(&self.vault_path(), &bytes)?;
        let info = BackupInfo {
            id: id.to_string(),
            created: 0,
            size: bytes.len() as u64,
            accounts: Some(payload.accounts.len()),
            vault_id: Some(header.vault_id.clone()),
        };
        self.loaded = Some(Loaded {
            header,
            key,
            payload,
            raw: bytes,
        });
        self.prune_backups();
        let mut keys = std::collections::HashMap::new();
        Ok(self.backup_info(id, &mut keys).unwrap_or(info))
    }
}

/// Resolves `query` against `accounts` (see [`Store::find`]).
pub fn resolve<'a>(accounts: &'a [AccountInfo], query: &str) -> Result<&'a AccountInfo> {
    if let Some(a) = accounts.iter().find(|a| a.id == query) {
        return Ok(a);
    }
    let q = query.to_lowercase();
    let matches: Vec<&AccountInfo> = accounts
        .iter()
        .filter(|a| {
            a.id.starts_with(&q)
                || format!("{} {}", a.issuer, a.account)
                    .to_lowercase()
                    .contains(&q)
        })
        .collect();
    match matches.as_slice() {
        [] => Err(not_found(query)),
        [one] => Ok(one),
        many => {
            let cands: Vec<String> = many
                .iter()
                .map(|a| format!("{} ({})", a.label(), a.id))
                .collect();
            Err(Error::new(
                ErrorKind::Ambiguous,
                format!(
                    "'{query}' matches {} accounts: {}; use an id or a longer query",
                    cands.len(),
                    cands.join(", ")
                ),
            )
            .with_detail(Detail::Candidates(cands)))
        }
    }
}

/// Creates `dir` (and parents); on Unix the data folder itself is made private (0700).
fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(|e| Error::io("creating", dir, &e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| Error::io("securing", dir, &e))?;
    }
    Ok(())
}

/// Removes temporary files (`{prefix}…tmp`) left in `dir` by a writer that was killed mid-save.
/// Only called under the exclusive lock, when no other writer can be writing one.
fn remove_stray_temps(dir: &Path, prefix: &str) {
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(prefix) && name.ends_with(".tmp") {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// A backup id is `YYYYMMDDTHHMMSSmmmZ-xxxxxxxx`: digits, `T`, `Z`, `-`, hex. Anything else (and so
/// any path) is refused.
fn valid_backup_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, 'T' | 'Z' | '-' | 'a'..='f'))
}

/// `2026-11-29 17:47:45 UTC`.
fn fmt_time(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| "?".into())
}

fn not_found(query: &str) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!("no account matches '{query}' (see `spse-auth list`)"),
    )
}

fn fresh_id(existing: &[StoredAccount]) -> String {
    use rand::RngCore;
    loop {
        let mut b = [0u8; 4];
        rand::rngs::OsRng.fill_bytes(&mut b);
        let id = data_encoding::HEXLOWER.encode(&b);
        if !existing.iter().any(|a| a.id == id) {
            return id;
        }
    }
}

fn new_stored(e: &Enrolment, existing: &[StoredAccount]) -> StoredAccount {
    StoredAccount {
        id: fresh_id(existing),
        issuer: e.issuer.trim().to_string(),
        account: e.account.trim().to_string(),
        secret: e.secret.clone(),
        params: e.params,
        added_at: now_unix() as i64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};

    /// An in-memory key store shared by clones; `down` makes it "unavailable".
    #[derive(Clone, Default)]
    struct MemKeys {
        keys: Arc<Mutex<HashMap<String, [u8; 32]>>>,
        down: Arc<AtomicBool>,
    }

    impl KeyStore for MemKeys {
        fn load(&self, id: &str) -> Result<Option<DataKey>> {
            if self.down.load(Ordering::SeqCst) {
                return Err(Error::new(ErrorKind::KeyringUnavailable, "down"));
            }
            Ok(self
                .keys
                .lock()
                .expect("lock")
                .get(id)
                .map(|k| DataKey::from_bytes(*k)))
        }
        fn store(&self, id: &str, key: &DataKey) -> Result<()> {
            if self.down.load(Ordering::SeqCst) {
                return Err(Error::new(ErrorKind::KeyringUnavailable, "down"));
            }
            self.keys
                .lock()
                .expect("lock")
                .insert(id.into(), *key.as_bytes());
            Ok(())
        }
        fn delete(&self, id: &str) -> Result<()> {
            self.keys.lock().expect("lock").remove(id);
            Ok(())
        }
    }

    fn enrol(account: &str, secret: &str) -> Enrolment {
        let uri = format!(
            "otpauth://totp/Kota%20Uji:{account}?secret={secret}&issuer=Kota%20Uji&period=30"
        );
        crate::uri::parse(&uri).expect("valid uri")
    }

    const S1: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    const S2: &str = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";

    fn store(dir: &Path, keys: &MemKeys) -> Store {
        Store::with_keystore(dir, Box::new(keys.clone()))
    }

    #[cfg(unix)]
    #[test]
    fn the_data_folder_and_everything_in_it_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("data");
        let keys = MemKeys::default();
        let mut a = store(&dir, &keys);
        a.add(vec![enrol("satu", S1)], false).expect("add");
        a.add(vec![enrol("dua", S2)], false).expect("add");
        let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join(LOCK_FILE)), 0o600, "vault.lock");
        assert_eq!(mode(&a.vault_path()), 0o600, "vault");
        for f in fs::read_dir(dir.join("backups")).expect("backups") {
            assert_eq!(mode(&f.expect("entry").path()), 0o600, "backup");
        }
    }

    /// Windows: the default data folder is `%APPDATA%\spse-authenticator\data` (the roaming
    /// profile, whose ACL gives access to the user, SYSTEM and administrators only; nothing in
    /// it is widened), and a store works there with Windows' file locking and replacing.
    #[cfg(windows)]
    #[test]
    fn the_windows_data_folder_is_in_appdata() {
        if std::env::var_os(DATA_DIR_ENV).is_some() {
            eprintln!("skipped: {DATA_DIR_ENV} is set");
            return;
        }
        let appdata = PathBuf::from(std::env::var_os("APPDATA").expect("APPDATA is set"));
        assert_eq!(
            data_dir(None).expect("data dir"),
            appdata.join("spse-authenticator").join("data")
        );
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("data");
        let keys = MemKeys::default();
        let mut a = store(&dir, &keys);
        a.add(vec![enrol("satu", S1)], false).expect("add");
        let mut b = store(&dir, &keys);
        b.add(vec![enrol("dua", S2)], false).expect("add");
        assert_eq!(a.list().expect("list").len(), 2);
        assert!(dir.join(LOCK_FILE).exists() && a.vault_path().exists());
    }

    #[test]
    fn another_store_sees_changes_even_with_the_same_mtime_and_size() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let keys = MemKeys::default();
        let mut a = store(tmp.path(), &keys);
        let mut b = store(tmp.path(), &keys);
        a.add(vec![enrol("satu", S1)], false).expect("add");
        assert_eq!(b.list().expect("list").len(), 1);
        let before = fs::metadata(a.vault_path()).expect("meta");
        let (mtime, len) = (before.modified().expect("mtime"), before.len());
        // Same size (a rename changes only the account's letters), then the old mtime put back:
        // a stamp check would miss this change.
        let id = a.list().expect("list")[0].id.clone();
        a.remove(&id).expect("remove");
        a.add(vec![enrol("abcd", S1)], false).expect("add");
        let f = fs::File::options()
            .write(true)
            .open(a.vault_path())
            .expect("open");
        f.set_modified(mtime).expect("set mtime");
        assert_eq!(fs::metadata(a.vault_path()).expect("meta").len(), len);
        assert!(b.refresh().expect("refresh"));
        let names: Vec<String> = b
            .list()
            .expect("list")
            .into_iter()
            .map(|x| x.account)
            .collect();
        assert_eq!(names, vec!["abcd".to_string()]);
        assert!(!b.refresh().expect("refresh"));
    }

    #[test]
    fn verify_recovery_password_accepts_only_the_right_one_and_changes_nothing() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let keys = MemKeys::default();
        let mut s = store(tmp.path(), &keys);
        s.add(vec![enrol("satu", S1)], false).expect("add");
        assert_eq!(
            s.verify_recovery_password("kuda lari kencang")
                .expect_err("no slot")
                .kind(),
            ErrorKind::VaultKeyMissing
        );
        s.set_recovery_password("kuda lari kencang").expect("set");
        let before = fs::read(s.vault_path()).expect("read");
        s.verify_recovery_password("kuda lari kencang")
            .expect("right");
        assert_eq!(
            s.verify_recovery_password("kuda lari pelan")
                .expect_err("wrong")
                .kind(),
            ErrorKind::WrongPassword
        );
        assert_eq!(fs::read(s.vault_path()).expect("read"), before);
    }

    #[test]
    fn recovery_password_opens_a_vault_whose_keyring_entry_is_gone() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let keys = MemKeys::default();
        let mut s = store(tmp.path(), &keys);
        s.add(vec![enrol("satu", S1)], false).expect("add");
        assert!(!s.status().expect("status").has_recovery_password);
        assert_eq!(
            s.set_recovery_password("short").expect_err("short").kind(),
            ErrorKind::InvalidInput
        );
        s.set_recovery_password("kuda benar baterai staples")
            .expect("set");
        let id = s.status().expect("status").vault_id.expect("id");
        keys.delete(&id).expect("delete");

        let mut fresh = store(tmp.path(), &keys);
        let st = fresh.status().expect("status");
        assert_eq!(st.keyring, KeyringState::NoEntry);
        assert!(st.has_recovery_password && !st.ready);
        let err = fresh.list().expect_err("key missing");
        assert_eq!(err.kind(), ErrorKind::VaultKeyMissing);
        assert!(err.message().contains("recovery password"), "{err}");
        let before = fs::read(fresh.vault_path()).expect("vault");
        let err = fresh
            .unlock_with_password("kuda salah baterai staples")
            .expect_err("wrong");
        assert_eq!(err.kind(), ErrorKind::WrongPassword);
        assert_eq!(fs::read(fresh.vault_path()).expect("vault"), before);
        assert!(keys.load(&id).expect("load").is_none());
        fresh
            .unlock_with_password("kuda benar baterai staples")
            .expect("unlock");
        assert!(fresh.status().expect("status").ready);
        assert_eq!(fresh.list().expect("list").len(), 1);
        // Works for changes too, and removing the password is refused while the keyring lacks the key.
        fresh.add(vec![enrol("dua", S2)], false).expect("add");
        assert_eq!(
            fresh
                .remove_recovery_password()
                .expect_err("refused")
                .kind(),
            ErrorKind::VaultKeyMissing
        );
        fresh.restore_keyring_key().expect("restore");
        assert_eq!(store(tmp.path(), &keys).list().expect("list").len(), 2);
        // Keyring unavailable: the password still opens it.
        keys.down.store(true, Ordering::SeqCst);
        let mut off = store(tmp.path(), &keys);
        assert_eq!(
            off.status().expect("status").keyring,
            KeyringState::Unavailable
        );
        assert_eq!(
            off.list().expect_err("down").kind(),
            ErrorKind::KeyringUnavailable
        );
        off.unlock_with_password("kuda benar baterai staples")
            .expect("unlock");
        assert_eq!(off.list().expect("list").len(), 2);
        keys.down.store(false, Ordering::SeqCst);
        assert!(fresh.remove_recovery_password().expect("removed"));
        assert!(!fresh.has_recovery_password().expect("header"));
        assert_eq!(
            store(tmp.path(), &keys)
                .unlock_with_password("kuda benar baterai staples")
                .expect_err("no slot")
                .kind(),
            ErrorKind::VaultKeyMissing
        );
    }

    #[test]
    fn every_save_keeps_a_backup_pruned_to_twenty_and_restorable() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let keys = MemKeys::default();
        let mut s = store(tmp.path(), &keys);
        for i in 0..25 {
            s.add(vec![enrol(&format!("akun{i:02}"), S1)], false)
                .expect("add");
        }
        let list = s.backups().expect("backups");
        assert_eq!(list.len(), BACKUPS_KEPT);
        // Newest first: the newest backup is the vault before the 25th add (24 accounts).
        assert_eq!(list[0].accounts, Some(24));
        assert_eq!(list[19].accounts, Some(5));
        assert!(list.windows(2).all(|w| w[0].id > w[1].id));
        let oldest = list[19].id.clone();
        let info = s.restore_backup(&oldest).expect("restore");
        assert_eq!(info.accounts, Some(5));
        assert_eq!(s.list().expect("list").len(), 5);
        let after = s.backups().expect("backups");
        assert_eq!(
            after[0].accounts,
            Some(25),
            "the current vault became a backup"
        );
        assert_eq!(
            s.restore_backup("../vault").expect_err("bad id").kind(),
            ErrorKind::NotFound
        );
        // Stray temp files of a killed writer are removed by the next save.
        fs::write(tmp.path().join(".vault.spse.99999.tmp"), b"x").expect("write");
        s.add(vec![enrol("baru", S2)], false).expect("add");
        assert!(!tmp.path().join(".vault.spse.99999.tmp").exists());
    }

    #[test]
    fn damaged_vault_is_never_written_and_names_the_newest_good_backup() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let keys = MemKeys::default();
        let mut s = store(tmp.path(), &keys);
        s.add(vec![enrol("satu", S1)], false).expect("add");
        s.add(vec![enrol("dua", S2)], false).expect("add");
        let newest = s.backups().expect("backups")[0].id.clone();
        let path = s.vault_path();
        let mut bytes = fs::read(&path).expect("vault");
        let n = bytes.len();
        bytes[n - 3] ^= 0x10;
        fs::write(&path, &bytes).expect("write");
        for damaged in [bytes.clone(), Vec::new()] {
            fs::write(&path, &damaged).expect("write");
            let mut s = store(tmp.path(), &keys);
            let err = s.add(vec![enrol("tiga", S1)], false).expect_err("damaged");
            assert_eq!(err.kind(), ErrorKind::VaultDamaged);
            assert!(err.message().starts_with("vault damaged"), "{err}");
            assert!(
                err.message()
                    .contains(&format!("spse-auth backup restore {newest}")),
                "{err}"
            );
            assert_eq!(fs::read(&path).expect("vault"), damaged, "file untouched");
            assert_eq!(
                s.newest_good_backup().expect("newest").expect("some").id,
                newest
            );
        }
        let mut s = store(tmp.path(), &keys);
        s.restore_backup(&newest).expect("restore");
        assert_eq!(s.list().expect("list").len(), 1);
        let kept = s.backups().expect("backups");
        assert_eq!(
            kept[0].accounts, None,
            "the damaged file was kept as a backup"
        );
        assert_eq!(kept[0].size, 0);
    }
}
