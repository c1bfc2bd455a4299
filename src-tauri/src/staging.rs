//! What waits for the user: the pending import (entries previewed, not yet added), the files of
//! an encrypted export waiting for its password, and removed accounts kept for Undo.
//!
//! Invariants:
//! - Secrets held here never leave Rust: the UI gets a token and a preview without secrets.
//! - At most one import is pending. It is dropped — and its secrets zeroized (the core's
//!   `Secret` zeroizes on drop) — when it is added, cancelled, replaced by a newer import, or when
//!   the app lock turns on. A failed add keeps it, so the user can retry with the same token.
//! - At most one set of files waits for an export password, under a token of its own; a wrong
//!   password keeps it (the user types again), and it goes like the pending import (cancel, a
//!   newer one, the app lock) or once a password opened it. It holds paths only, never bytes.
//! - A removed account stays restorable for [`UNDO_WINDOW`], then is dropped (zeroized).
//! - Tokens are never reused within a run, so a stale token can never name a newer item.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use spse_auth_core::import::Entry;
use spse_auth_core::{Error, ErrorKind};

use crate::error::AppError;
use crate::state::lock_mutex;

/// How long a removed account can be restored.
pub const UNDO_WINDOW: Duration = Duration::from_secs(10);

/// Hands out the tokens of pending imports and removals: 1, 2, 3…
#[derive(Debug)]
pub struct Tokens(AtomicU64);

impl Default for Tokens {
    fn default() -> Self {
        Tokens(AtomicU64::new(1))
    }
}

impl Tokens {
    /// A token not handed out before.
    pub fn next(&self) -> u64 {
        self.0.fetch_add(1, Ordering::Relaxed)
    }
}

/// The import waiting for the user's confirmation: its token and entries (with secrets), and the
/// files waiting for an export password.
#[derive(Default)]
pub struct PendingImport {
    slot: Mutex<Option<(u64, Vec<Entry>)>>,
    locked_files: Mutex<Option<(u64, Vec<PathBuf>)>>,
}

/// `not_found`: the import of a token is gone.
fn gone() -> AppError {
    Error::new(
        ErrorKind::NotFound,
        "this import is no longer pending; import the QR code or the export again",
    )
    .into()
}

impl PendingImport {
    /// Keeps `entries` under `token`, dropping any older pending import (and files waiting for
    /// a password: they led to this import, or were abandoned).
    pub fn stage(&self, token: u64, entries: Vec<Entry>) {
        *lock_mutex(&self.locked_files) = None;
        *lock_mutex(&self.slot) = Some((token, entries));
    }

    /// Runs `add` on the entries of `token`. They stay pending unless `add` succeeds, so a
    /// failed add (a full disk, a re-enrolment not confirmed) can be retried.
    ///
    /// Errors: `not_found` when `token` is not the pending import (added, cancelled, replaced or
    /// the app was locked); else `add`'s error.
    pub fn commit<T>(
        &self,
        token: u64,
        add: impl FnOnce(&[Entry]) -> Result<T, Error>,
    ) -> Result<T, AppError> {
        let mut slot = lock_mutex(&self.slot);
        let entries = match slot.as_ref() {
            Some((t, entries)) if *t == token => entries,
            _ => return Err(gone()),
        };
        let added = add(entries)?;
        *slot = None;
        Ok(added)
    }

    /// Keeps `paths` (files of which one is an encrypted export) under `token` until a password
    /// opens them, dropping any older pending import or files.
    pub fn stage_locked_files(&self, token: u64, paths: Vec<PathBuf>) {
        *lock_mutex(&self.slot) = None;
        *lock_mutex(&self.locked_files) = Some((token, paths));
    }

    /// The files waiting under `token` (they stay until [`stage`](Self::stage), a cancel or the
    /// lock). Errors: `not_found` when `token` names no waiting files.
    pub fn locked_files(&self, token: u64) -> Result<Vec<PathBuf>, AppError> {
        match lock_mutex(&self.locked_files).as_ref() {
            Some((t, paths)) if *t == token => Ok(paths.clone()),
            _ => Err(gone()),
        }
    }

    /// Drops the entries or files of `token` (zeroizing secrets); a stale token does nothing.
    pub fn cancel(&self, token: u64) {
        // One mutex at a time (the store may be locked under `slot` in `commit`).
        {
            let mut slot = lock_mutex(&self.slot);
            if slot.as_ref().is_some_and(|(t, _)| *t == token) {
                *slot = None;
            }
        }
        let mut files = lock_mutex(&self.locked_files);
        if files.as_ref().is_some_and(|(t, _)| *t == token) {
            *files = None;
        }
    }

    /// Drops whatever is pending (when the app lock turns on).
    pub fn clear(&self) {
        *lock_mutex(&self.slot) = None;
        *lock_mutex(&self.locked_files) = None;
    }

    /// The token of the pending import, if any (for the tests).
    #[cfg(test)]
    pub fn token(&self) -> Option<u64> {
        lock_mutex(&self.slot).as_ref().map(|(t, _)| *t)
    }

    /// The token of the files waiting for a password, if any (for the tests).
    #[cfg(test)]
    pub fn locked_files_token(&self) -> Option<u64> {
        lock_mutex(&self.locked_files).as_ref().map(|(t, _)| *t)
    }
}

/// Items kept for a while so a removal can be undone (the removed accounts, with secrets).
pub struct UndoShelf<T> {
    items: Arc<Mutex<HashMap<u64, T>>>,
}

impl<T> Default for UndoShelf<T> {
    fn default() -> Self {
        UndoShelf {
            items: Arc::default(),
        }
    }
}

impl<T: Send + 'static> UndoShelf<T> {
    /// Keeps `item` under `token` for `window`, then drops it (a timer thread).
    pub fn keep(&self, token: u64, item: T, window: Duration) {
        lock_mutex(&self.items).insert(token, item);
        let items = Arc::clone(&self.items);
        std::thread::spawn(move || {
            std::thread::sleep(window);
            // Dropping a removed account zeroizes its secret: it is now gone for good.
            lock_mutex(&items).remove(&token);
        });
    }

    /// Takes back the item of `token`. Errors: `not_found` once its window has passed (or it
    /// was taken already).
    pub fn take(&self, token: u64) -> Result<T, AppError> {
        lock_mutex(&self.items).remove(&token).ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!(
                    "the account can no longer be restored (Undo lasts {} seconds)",
                    UNDO_WINDOW.as_secs()
                ),
            )
            .into()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spse_auth_core::enrolment::{Enrolment, ManualEntry};
    use zeroize::Zeroizing;

    fn enrolment(account: &str) -> Entry {
        Entry::Ok {
            enrolment: Enrolment::manual(&ManualEntry {
                account: account.into(),
                secret: Zeroizing::new("AWS7VRHGRHH3KXDQBVRAQE25BMTQAWHH".into()),
                ..ManualEntry::default()
            })
            .expect("valid"),
            renamed_from: None,
        }
    }

    fn account(e: &Entry) -> String {
        match e {
            Entry::Ok { enrolment, .. } => enrolment.account.clone(),
            Entry::Skipped { account, .. } => account.clone(),
        }
    }

    fn not_found(e: AppError) -> bool {
        e.kind() == "not_found"
    }

    #[test]
    fn a_commit_adds_the_staged_enrolments_once() {
        let p = PendingImport::default();
        p.stage(1, vec![enrolment("budi"), enrolment("sari")]);
        let added = p
            .commit(1, |e| Ok(e.iter().map(account).collect::<Vec<_>>()))
            .expect("added");
        assert_eq!(added, ["budi", "sari"]);
        assert_eq!(p.token(), None);
        assert!(not_found(p.commit(1, |_| Ok(())).expect_err("gone")));
    }

    #[test]
    fn a_failed_commit_keeps_the_import_for_a_retry() {
        let p = PendingImport::default();
        p.stage(7, vec![enrolment("budi")]);
        let err = p
            .commit(7, |_| -> Result<(), Error> {
                Err(Error::new(ErrorKind::StorageFull, "the disk is full"))
            })
            .expect_err("save failed");
        assert_eq!(err.kind(), "storage_full");
        assert_eq!(p.token(), Some(7), "still pending");
        let n = p.commit(7, |e| Ok(e.len())).expect("retry");
        assert_eq!(n, 1);
        assert_eq!(p.token(), None);
    }

    #[test]
    fn cancel_drops_the_import_and_a_stale_token_is_harmless() {
        let p = PendingImport::default();
        p.stage(1, vec![enrolment("budi")]);
        p.cancel(99);
        assert_eq!(p.token(), Some(1), "another token cancels nothing");
        p.cancel(1);
        assert_eq!(p.token(), None);
        assert!(not_found(p.commit(1, |_| Ok(())).expect_err("cancelled")));
        p.cancel(1); // already gone: still fine
    }

    #[test]
    fn a_newer_import_or_the_app_lock_replaces_the_pending_one() {
        let p = PendingImport::default();
        p.stage(1, vec![enrolment("budi")]);
        p.stage(2, vec![enrolment("sari")]);
        assert!(not_found(p.commit(1, |_| Ok(())).expect_err("replaced")));
        assert_eq!(p.token(), Some(2));
        p.clear();
        assert_eq!(p.token(), None);
    }

    #[test]
    fn files_wait_for_their_password_until_an_import_is_staged() {
        let p = PendingImport::default();
        p.stage(1, vec![enrolment("budi")]);
        p.stage_locked_files(2, vec![PathBuf::from("/tmp/ekspor.json")]);
        assert_eq!(p.token(), None, "the older import is dropped");
        assert!(not_found(p.locked_files(1).expect_err("another token")));
        // Asked again and again (a wrong password), the files stay.
        for _ in 0..2 {
            assert_eq!(
                p.locked_files(2).expect("waiting"),
                [PathBuf::from("/tmp/ekspor.json")]
            );
        }
        // The right password: the preview is staged and the files are done.
        p.stage(3, vec![enrolment("budi")]);
        assert_eq!((p.token(), p.locked_files_token()), (Some(3), None));
        p.stage_locked_files(4, vec![PathBuf::from("/tmp/ekspor.json")]);
        p.cancel(4);
        assert!(not_found(p.locked_files(4).expect_err("cancelled")));
        p.stage_locked_files(5, vec![PathBuf::from("/tmp/ekspor.json")]);
        p.clear();
        assert_eq!(p.locked_files_token(), None, "the lock forgets them");
    }

    #[test]
    fn tokens_are_never_reused() {
        let t = Tokens::default();
        let (a, b) = (t.next(), t.next());
        assert!(a >= 1 && b > a);
    }

    #[test]
    fn undo_works_within_the_window_only() {
        let shelf = UndoShelf::default();
        shelf.keep(1, "budi".to_string(), Duration::from_secs(60));
        shelf.keep(2, "sari".to_string(), Duration::from_millis(20));
        assert_eq!(shelf.take(1).expect("in time"), "budi");
        assert!(not_found(shelf.take(1).expect_err("taken already")));
        std::thread::sleep(Duration::from_millis(300));
        let late = shelf.take(2).expect_err("too late");
        assert!(not_found(late.clone()));
        assert!(late.message().contains("10 seconds"), "{late}");
    }
}
