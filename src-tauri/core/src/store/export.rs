//! The accounts with their secrets, for an export the user asked for: the one way secrets leave
//! the store ([`Store::export_enrolments`]).

use super::{sort_accounts, Store};
use crate::enrolment::Enrolment;
use crate::error::Result;

impl Store {
    /// The enrolments (secrets included) of the accounts `ids`, in list order (issuer, then
    /// account, case-insensitive); every account when `ids` is empty (none when there is no
    /// vault). For an export the user asked for only: nothing else takes secrets out of the store.
    ///
    /// Errors: [`crate::ErrorKind::NotFound`] for an id that is not in the vault (nothing is
    /// returned then), and those of [`list`](Self::list).
    pub fn export_enrolments(&mut self, ids: &[String]) -> Result<Vec<Enrolment>> {
        let _g = self.lock_file(false)?;
        let loaded = self.load()?;
        let mut accounts = self.accounts_ref().to_vec();
        if let Some(missing) = ids.iter().find(|id| !accounts.iter().any(|a| &a.id == *id)) {
            return Err(super::accounts::not_found(missing));
        }
        if !loaded {
            return Ok(vec![]);
        }
        sort_accounts(&mut accounts);
        Ok(accounts
            .into_iter()
            .filter(|a| ids.is_empty() || ids.contains(&a.id))
            .map(|a| Enrolment {
                issuer: a.issuer,
                account: a.account,
                secret: a.secret,
                params: a.params,
                warnings: vec![],
            })
            .collect())
    }
}
