//! Per-entry preview and add of an import batch ([`crate::import::batch`]): every entry gets an
//! outcome, in entry order — added, unchanged, replaced, needs_replace or skipped with its reason.
//!
//! Invariants: one entry never fails the whole (an entry the vault cannot hold is `Skipped`); an
//! account already in the vault gets a new key only with `replace` (else it stays as it is and
//! its outcome is `NeedsReplace`, for the front end to ask); the vault is saved once, and only
//! when something was added or replaced (an import of skipped or unchanged entries creates no
//! vault and no backup). The same identity rule and id rules as [`Store::add`].

use super::accounts::{new_stored, reenrol};
use super::{AccountInfo, AddOutcome, AddStatus, Store};
use crate::enrolment::Enrolment;
use crate::error::Result;
use crate::formats::{Entry, SkipReason};
use crate::vault::StoredAccount;

impl Store {
    /// What [`add_entries`](Self::add_entries) would do with `entries` with `replace = false`,
    /// without saving: `NeedsReplace` marks re-enrolments to confirm. Ids of accounts to be added
    /// are provisional.
    ///
    /// Errors: keyring, vault, I/O (not of entries).
    pub fn preview_entries(&mut self, entries: &[Entry]) -> Result<Vec<AddOutcome>> {
        let _g = self.lock_file(false)?;
        self.load()?;
        let mut sim: Vec<StoredAccount> = self.accounts_ref().to_vec();
        Ok(plan(&mut sim, entries, false, self.now_secs()))
    }

    /// Adds the enrolments of `entries` in one save, one outcome per entry (see the module
    /// invariants). With `replace`, an account that exists with another key is re-enrolled in
    /// place (same id); without, it is left as it is (`NeedsReplace`). Creates the vault (and
    /// its keyring key) when something is added to none.
    ///
    /// Errors: keyring, vault, I/O (not of entries); nothing is saved then.
    pub fn add_entries(&mut self, entries: &[Entry], replace: bool) -> Result<Vec<AddOutcome>> {
        let _g = self.lock_file(true)?;
        let exists = self.load()?;
        let mut accounts = self.accounts_ref().to_vec();
        let outcomes = plan(&mut accounts, entries, replace, self.now_secs());
        let changed = outcomes
            .iter()
            .any(|o| matches!(o.status, AddStatus::Added | AddStatus::Replaced));
        if changed {
            if !exists {
                self.create()?;
            }
            self.change_and_save(|l| {
                l.payload.accounts = accounts;
                Ok(())
            })?;
        }
        Ok(outcomes)
    }
}

/// Applies `entries` to `accounts` (the vault's, or a copy for a preview) and returns the
/// outcomes.
fn plan(
    accounts: &mut Vec<StoredAccount>,
    entries: &[Entry],
    replace: bool,
    now: i64,
) -> Vec<AddOutcome> {
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let (e, renamed_from) = match entry {
            Entry::Skipped {
                issuer,
                account,
                reason,
            } => {
                out.push(AddOutcome::skipped(issuer, account, reason.clone()));
                continue;
            }
            Entry::Ok {
                enrolment,
                renamed_from,
            } => (enrolment, renamed_from),
        };
        if let Some(reason) = unstorable(e) {
            out.push(AddOutcome::skipped(&e.issuer, &e.account, reason));
            continue;
        }
        let (status, i) = match Store::classify(accounts, e) {
            (AddStatus::NeedsReplace, Some(i)) if replace => {
                reenrol(&mut accounts[i], e, now);
                (AddStatus::Replaced, i)
            }
            (status, Some(i)) => (status, i),
            (status, None) => {
                let a = new_stored(e, accounts, now);
                accounts.push(a);
                (status, accounts.len() - 1)
            }
        };
        out.push(AddOutcome {
            status,
            account: AccountInfo::of(&accounts[i]),
            warnings: e.warnings.clone(),
            reason: None,
            renamed_from: renamed_from.clone(),
        });
    }
    out
}

/// Why the vault cannot hold `e` (the checks [`Store::add`] makes), if it cannot.
fn unstorable(e: &Enrolment) -> Option<SkipReason> {
    if let Err(err) = e.params.validate() {
        return Some(SkipReason::InvalidParameter {
            message: err.message().to_string(),
        });
    }
    if e.issuer.trim().is_empty() && e.account.trim().is_empty() {
        return Some(SkipReason::InvalidEntry {
            message: "the entry has neither an issuer nor an account name".to_string(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::batch_from_text;
    use crate::test_support::MemKeys;

    const S1: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    const S2: &str = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";

    fn line(account: &str, secret: &str) -> String {
        format!("otpauth://totp/Kota%20Uji:{account}?secret={secret}&issuer=Kota%20Uji\n")
    }

    fn statuses(outcomes: &[AddOutcome]) -> Vec<String> {
        outcomes
            .iter()
            .map(|o| {
                let why = o.reason.as_ref().map_or("", |r| r.kind());
                format!("{} {} {why}", o.status.as_str(), o.account.account)
            })
            .collect()
    }

    #[test]
    fn every_entry_gets_an_outcome_and_replacing_needs_consent() {
        let dir = tempfile::tempdir().unwrap();
        let keys = MemKeys::new();
        let mut store = Store::with_keystore(dir.path(), Box::new(keys.clone()));
        let skipped_only = batch_from_text("otpauth://yandex/Yandex:pemain?secret=GEZDGNBV\n");
        let out = store.add_entries(&skipped_only.entries, false).unwrap();
        assert_eq!(statuses(&out), ["skipped pemain unsupported_type"]);
        assert!(!store.vault_exists(), "nothing to store: no vault");
        let first = [line("budi", S1), line("siti", S2)].concat();
        store
            .add_entries(&batch_from_text(&first).entries, false)
            .unwrap();
        let id = store.list().unwrap()[0].id.clone();
        let before = std::fs::read(store.vault_path()).unwrap();

        let text = [
            line("siti", S2),
            line("rina", S1),
            "otpauth://yandex/Yandex:pemain?secret=GEZDGNBV\n".to_string(),
            line("budi", S2),
            line("dewi", S1),
            line("dewi", S2),
        ]
        .concat();
        let batch = batch_from_text(&text);
        let want = [
            "unchanged siti ",
            "added rina ",
            "skipped pemain unsupported_type",
            "needs_replace budi ",
            "added dewi ",
            "added dewi (2) ",
        ];
        assert_eq!(
            statuses(&store.preview_entries(&batch.entries).unwrap()),
            want
        );
        assert_eq!(
            std::fs::read(store.vault_path()).unwrap(),
            before,
            "preview saves nothing"
        );
        let out = store.add_entries(&batch.entries, false).unwrap();
        assert_eq!(statuses(&out), want);
        assert_eq!(out[5].renamed_from.as_deref(), Some("dewi"));
        assert_eq!(
            out[3].account.id, id,
            "needs_replace names the stored account"
        );
        let code_of = |store: &mut Store| store.code_at(&id, 59).unwrap().code;
        let old = code_of(&mut store);
        assert_eq!(store.list().unwrap().len(), 5, "budi kept its key");

        let out = store.add_entries(&batch.entries, true).unwrap();
        assert_eq!(
            statuses(&out),
            [
                "unchanged siti ",
                "unchanged rina ",
                "skipped pemain unsupported_type",
                "replaced budi ",
                "unchanged dewi ",
                "unchanged dewi (2) ",
            ]
        );
        assert_eq!(out[3].account.id, id, "replaced in place");
        assert_ne!(code_of(&mut store), old, "the new key");
        assert_eq!(store.list().unwrap().len(), 5);
        // Nothing new: nothing saved.
        let after = std::fs::read(store.vault_path()).unwrap();
        store.add_entries(&batch.entries, true).unwrap();
        assert_eq!(std::fs::read(store.vault_path()).unwrap(), after);
    }

    #[test]
    fn outcomes_serialise_as_before_with_the_reason_of_a_skip() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::with_keystore(dir.path(), Box::new(MemKeys::new()));
        let batch = batch_from_text(&format!(
            "{}otpauth://yandex/Y:ivan?secret={S1}\n",
            line("budi", S1)
        ));
        let out = store.preview_entries(&batch.entries).unwrap();
        let json = serde_json::to_value(&out).unwrap();
        assert_eq!(json[0]["status"], "added");
        let keys: Vec<&str> = json[0]
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(
            keys,
            ["account", "status", "warnings"],
            "no new key for a plain outcome"
        );
        assert_eq!(json[1]["status"], "skipped");
        assert_eq!(json[1]["account"]["account"], "ivan");
        assert_eq!(json[1]["account"]["id"], "");
        assert_eq!(json[1]["reason"]["kind"], "unsupported_type");
        assert_eq!(json[1]["reason"]["otp_type"], "yandex");
    }

    #[test]
    fn the_lists_for_front_ends_name_every_kind() {
        let reasons = [
            SkipReason::UnsupportedType {
                otp_type: "yandex".into(),
            },
            SkipReason::MissingSecret,
            SkipReason::InvalidSecret {
                message: "x".into(),
            },
            SkipReason::UnsupportedAlgorithm {
                message: "x".into(),
            },
            SkipReason::InvalidParameter {
                message: "x".into(),
            },
            SkipReason::InvalidEntry {
                message: "x".into(),
            },
        ];
        let kinds: Vec<&str> = reasons.iter().map(SkipReason::kind).collect();
        assert_eq!(kinds, SkipReason::ALL_KINDS);
        let statuses: Vec<&str> = AddStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            statuses,
            ["added", "replaced", "unchanged", "needs_replace", "skipped"]
        );
        for s in AddStatus::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}
