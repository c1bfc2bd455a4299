//! The account operations: list, codes, preview, add (and re-enrolment), remove and its undo,
//! the next HOTP code, find/resolve.
//!
//! Invariants: one identity rule decides "the same account"
//! ([`crate::enrolment::same_identity`]); an id is 8 hex digits, unique in the vault and kept
//! across re-enrolment and undo when free; the list is sorted by issuer then account
//! (case-insensitive), then id.

use super::{
    list_order, sorted_accounts, AccountInfo, AddOutcome, AddStatus, CodeInfo, CodesOf, ListDigest,
    Removed, Store,
};
use crate::enrolment::{same_identity, Enrolment};
use crate::error::{Detail, Error, ErrorKind, Result};
use crate::otp::{self, OtpType};
use crate::vault::StoredAccount;

impl Store {
    /// Every account, sorted by issuer then account (case-insensitive). Empty when no vault exists
    /// (the keyring is not touched then).
    ///
    /// Errors: keyring errors, [`ErrorKind::VaultKeyMissing`], [`ErrorKind::VaultDamaged`], I/O.
    pub fn list(&mut self) -> Result<Vec<AccountInfo>> {
        Ok(self.list_with_digest()?.0)
    }

    /// [`list`](Self::list) with its [`ListDigest`], read together (the digest is this list's,
    /// even when another process changes the vault meanwhile). Errors: those of `list`.
    pub fn list_with_digest(&mut self) -> Result<(Vec<AccountInfo>, ListDigest)> {
        let _g = self.lock_file(false)?;
        if !self.load()? {
            return Ok((vec![], ListDigest::of(&[])));
        }
        let list = sorted_accounts(self.accounts_ref())
            .into_iter()
            .map(AccountInfo::of)
            .collect();
        Ok((list, ListDigest::of(self.accounts_ref())))
    }

    pub(super) fn accounts_ref(&self) -> &[StoredAccount] {
        self.loaded
            .as_ref()
            .map(|l| l.payload.accounts.as_slice())
            .unwrap_or(&[])
    }

    /// Codes of every account at `unix_seconds`, in list order. Reloads only when the vault file
    /// changed since the last call, so it is cheap to call once a second.
    pub fn codes_at(&mut self, unix_seconds: u64) -> Result<Vec<CodeInfo>> {
        let _g = self.lock_file(false)?;
        if !self.load()? {
            return Ok(vec![]);
        }
        Ok(sorted_accounts(self.accounts_ref())
            .into_iter()
            .map(|a| code_info(a, unix_seconds))
            .collect())
    }

    /// What a page that draws only some rows of a long list needs once a second: the codes at
    /// `unix_seconds` of the accounts in `ids` (in list order; an id no longer in the vault is left
    /// out) and the list's digest ([`ListDigest`]), so the list itself is fetched again
    /// ([`list`](Self::list)) only when it changed. Reloads only when the vault file changed.
    /// Errors: those of `list`.
    pub fn codes_of(&mut self, ids: &[String], unix_seconds: u64) -> Result<CodesOf> {
        let _g = self.lock_file(false)?;
        if !self.load()? {
            return Ok(CodesOf {
                list_digest: ListDigest::of(&[]),
                codes: vec![],
            });
        }
        let all = self.accounts_ref();
        let mut wanted: Vec<&StoredAccount> = all.iter().filter(|a| ids.contains(&a.id)).collect();
        wanted.sort_by_cached_key(|a| list_order(a));
        Ok(CodesOf {
            list_digest: ListDigest::of(all),
            codes: wanted
                .into_iter()
                .map(|a| code_info(a, unix_seconds))
                .collect(),
        })
    }

    /// The code of account `id` at `unix_seconds`. Errors: [`ErrorKind::NotFound`] and those of `list`.
    pub fn code_at(&mut self, id: &str, unix_seconds: u64) -> Result<CodeInfo> {
        let _g = self.lock_file(false)?;
        self.load()?;
        self.accounts_ref()
            .iter()
            .find(|a| a.id == id)
            .map(|a| code_info(a, unix_seconds))
            .ok_or_else(|| not_found(id))
    }

    pub(super) fn classify(
        existing: &[StoredAccount],
        e: &Enrolment,
    ) -> (AddStatus, Option<usize>) {
        match existing
            .iter()
            .position(|a| same_identity(&a.issuer, &a.account, &e.issuer, &e.account))
        {
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
        let _g = self.lock_file(false)?;
        self.load()?;
        let mut sim: Vec<StoredAccount> = self.accounts_ref().to_vec();
        let mut out = Vec::new();
        for e in enrolments {
            let (status, idx) = Self::classify(&sim, e);
            let account = match idx {
                Some(i) => AccountInfo::of(&sim[i]),
                None => {
                    let a = new_stored(e, &sim, self.now_secs());
                    let info = AccountInfo::of(&a);
                    sim.push(a);
                    info
                }
            };
            out.push(AddOutcome {
                status,
                account,
                warnings: e.warnings.clone(),
                reason: None,
                renamed_from: None,
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
        let _g = self.lock_file(true)?;
        if !self.load()? {
            self.create()?;
        }
        let now = self.now_secs();
        let mut accounts = self.accounts_ref().to_vec();
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
                                 (SPSE \"Reset TOTP\"), and its old key is replaced only when the \
                                 replacement is confirmed (its codes stop working once SPSE has \
                                 been reset)",
                                AccountInfo::of(a).label()
                            ),
                        )
                        .with_detail(Detail::Account {
                            issuer: a.issuer.clone(),
                            account: a.account.clone(),
                        }));
                    }
                    reenrol(&mut accounts[i], &e, now);
                    out.push((AddStatus::Replaced, i, e.warnings));
                    continue;
                }
                (s, Some(i)) => {
                    out.push((s, i, e.warnings));
                    continue;
                }
                (s, None) => s,
            };
            accounts.push(new_stored(&e, &accounts, now));
            out.push((status, accounts.len() - 1, e.warnings));
        }
        let outcomes: Vec<AddOutcome> = out
            .into_iter()
            .map(|(status, i, warnings)| AddOutcome {
                status,
                account: AccountInfo::of(&accounts[i]),
                warnings,
                reason: None,
                renamed_from: None,
            })
            .collect();
        if outcomes.iter().any(|o| o.status != AddStatus::Unchanged) {
            self.change_and_save(|l| {
                l.payload.accounts = accounts;
                Ok(())
            })?;
        }
        Ok(outcomes)
    }

    /// Removes account `id` and returns it (for undo). Errors: [`ErrorKind::NotFound`], vault, I/O.
    pub fn remove(&mut self, id: &str) -> Result<Removed> {
        let _g = self.lock_file(true)?;
        if !self.load()? {
            return Err(not_found(id));
        }
        let removed = self.change_and_save(|l| {
            let i = l
                .payload
                .accounts
                .iter()
                .position(|a| a.id == id)
                .ok_or_else(|| not_found(id))?;
            Ok(l.payload.accounts.remove(i))
        })?;
        Ok(Removed(removed))
    }

    /// Puts back an account taken out by [`remove`](Self::remove) (undo), with its id. If an account
    /// with the same issuer and account was enrolled meanwhile, that one is kept and this fails with
    /// [`ErrorKind::ReenrolmentNeedsConfirmation`].
    pub fn undo_remove(&mut self, removed: Removed) -> Result<AccountInfo> {
        let _g = self.lock_file(true)?;
        if !self.load()? {
            self.create()?;
        }
        self.change_and_save(|l| {
            let mut a = removed.0;
            if l.payload
                .accounts
                .iter()
                .any(|x| same_identity(&x.issuer, &x.account, &a.issuer, &a.account))
            {
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
            Ok(info)
        })
    }

    /// HOTP: moves account `id` to its next counter and returns the new code (the counter is saved
    /// first, so a code is never shown twice). Errors: [`ErrorKind::InvalidInput`] for TOTP accounts.
    pub fn next_hotp(&mut self, id: &str) -> Result<CodeInfo> {
        let _g = self.lock_file(true)?;
        if !self.load()? {
            return Err(not_found(id));
        }
        self.change_and_save(|l| {
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
            Ok(code_info(a, 0))
        })
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

pub(super) fn not_found(query: &str) -> Error {
    Error::new(ErrorKind::NotFound, format!("no account matches '{query}'"))
}

pub(super) fn fresh_id(existing: &[StoredAccount]) -> String {
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

/// A new stored account for `e`, with a fresh id, added at `now` (Unix seconds).
pub(super) fn new_stored(e: &Enrolment, existing: &[StoredAccount], now: i64) -> StoredAccount {
    StoredAccount {
        id: fresh_id(existing),
        issuer: e.issuer.trim().to_string(),
        account: e.account.trim().to_string(),
        secret: e.secret.clone(),
        params: e.params,
        added_at: now,
    }
}

/// Gives account `a` the key and parameters of its re-enrolment `e` (same id), at `now`.
pub(super) fn reenrol(a: &mut StoredAccount, e: &Enrolment, now: i64) {
    a.secret = e.secret.clone();
    a.params = e.params;
    a.issuer = e.issuer.clone();
    a.account = e.account.clone();
    a.added_at = now;
}

fn code_info(a: &StoredAccount, t: u64) -> CodeInfo {
    let p = &a.params;
    let (code, next_code, seconds_left, counter) = match p.otp_type {
        OtpType::Totp | OtpType::Steam => (
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
