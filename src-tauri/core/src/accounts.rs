//! The operations the front ends call, on one vault in one data folder.
//!
//! Every change is a read-modify-write under an exclusive lock on `vault.lock` in the data folder,
//! so the app and the CLI can run at the same time. A vault is created only by the first `add`,
//! and its key only when the keyring positively has no entry and no vault exists; a vault whose
//! key is missing is never re-initialised or overwritten.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;

use crate::error::{Detail, Error, ErrorKind, Result};
use crate::keystore::{DataKey, KeyStore, OsKeyring, SERVICE};
use crate::otp::{self, Algorithm, OtpType};
use crate::uri::{Enrolment, Warning};
use crate::vault::{self, Header, Payload, StoredAccount};

/// File name of the vault inside the data folder.
pub const VAULT_FILE: &str = "vault.spse";
/// File name of the lock file inside the data folder.
pub const LOCK_FILE: &str = "vault.lock";
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
    stamp: Option<(SystemTime, u64)>,
}

/// One vault in one data folder, with the key store that holds its key.
pub struct Store {
    dir: PathBuf,
    keystore: Box<dyn KeyStore>,
    loaded: Option<Loaded>,
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
        let f = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io("opening", &path, &e))?;
        let r = if exclusive { f.lock() } else { f.lock_shared() };
        r.map_err(|e| Error::io("locking", &path, &e))?;
        Ok(Some(LockGuard(f)))
    }

    fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
        let m = fs::metadata(path).ok()?;
        Some((m.modified().ok()?, m.len()))
    }

    /// Loads (or reloads, when the file changed on disk) the vault. Returns false when no vault
    /// exists. Caller holds the lock.
    fn load(&mut self) -> Result<bool> {
        let path = self.vault_path();
        let stamp = Self::stamp(&path);
        if stamp.is_none() {
            self.loaded = None;
            return Ok(false);
        }
        if let Some(l) = &self.loaded {
            if l.stamp == stamp {
                return Ok(true);
            }
        }
        let bytes = fs::read(&path).map_err(|e| Error::io("reading", &path, &e))?;
        let (header, _) = vault::read_header(&bytes, &path)?;
        let key = match self.loaded.as_ref() {
            Some(l) if l.header.vault_id == header.vault_id => l.key.clone(),
            _ => self.key_for(&header)?,
        };
        let (header, payload) = vault::open(&bytes, &key, &path)?;
        self.loaded = Some(Loaded {
            header,
            key,
            payload,
            stamp,
        });
        Ok(true)
    }

    fn key_for(&self, header: &Header) -> Result<DataKey> {
        match self.keystore.load(&header.vault_id)? {
            Some(k) => Ok(k),
            None => Err(Error::new(
                ErrorKind::VaultKeyMissing,
                format!(
                    "vault key missing: the system keyring has no entry '{SERVICE}' / '{}' for the vault {}; \
                     the vault was left untouched and no new key was written (restore the keyring entry, \
                     or open it with the recovery password if you set one)",
                    header.vault_id,
                    self.vault_path().display()
                ),
            )
            .with_detail(Detail::Path(self.vault_path()))),
        }
    }

    fn save(&mut self) -> Result<()> {
        let path = self.vault_path();
        let l = self
            .loaded
            .as_mut()
            .ok_or_else(|| Error::new(ErrorKind::Io, "internal: no vault loaded to save"))?;
        sort_accounts(&mut l.payload.accounts);
        let bytes = vault::seal(&mut l.header, &l.key, &l.payload)?;
        vault::write_atomic(&path, &bytes)?;
        l.stamp = Self::stamp(&path);
        Ok(())
    }

    /// Creates a new vault (first `add`): checks the keyring has no entry for a fresh vault id,
    /// stores a new key, reads it back, and only then writes the (empty) vault file.
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
            stamp: None,
        });
        self.save()
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
