//! The app lock: the lock screen's flag, enforced in Rust (not to be confused with the vault's
//! file lock in the core, or with the mutexes around the app's state).
//!
//! Invariants:
//! - While the app lock is on, every guarded command (anything that shows codes or touches
//!   accounts, imports or settings) answers [`AppError::AppLocked`] before doing anything; only
//!   start-up, About, the language and the unlock commands still work.
//! - It is turned off only after the recovery password was checked against the vault (see
//!   `AppState::unlock_app`); turning it on also forgets the pending import and clears the
//!   clipboard if it still holds a code this app copied.
//! - It starts on when the idle lock is set and the vault has a recovery password, so restarting
//!   the app does not bypass it.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::AppError;

/// The app lock's flag.
#[derive(Debug, Default)]
pub struct AppLock {
    on: AtomicBool,
}

impl AppLock {
    /// An app lock that starts on (`true`) or off.
    pub fn new(on: bool) -> Self {
        AppLock {
            on: AtomicBool::new(on),
        }
    }

    /// True while the app is locked.
    pub fn is_on(&self) -> bool {
        self.on.load(Ordering::SeqCst)
    }

    /// Locks the app.
    pub fn engage(&self) {
        self.on.store(true, Ordering::SeqCst);
    }

    /// Unlocks the app (call only once the recovery password was checked).
    pub fn release(&self) {
        self.on.store(false, Ordering::SeqCst);
    }

    /// `Err(AppLocked)` while the app is locked: the first line of every guarded command.
    pub fn guard(&self) -> Result<(), AppError> {
        if self.is_on() {
            Err(AppError::AppLocked)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guard_refuses_exactly_while_locked() {
        let lock = AppLock::new(true);
        assert!(lock.is_on());
        assert_eq!(lock.guard(), Err(AppError::AppLocked));
        lock.release();
        assert_eq!(lock.guard(), Ok(()));
        lock.engage();
        assert_eq!(lock.guard(), Err(AppError::AppLocked));
        assert!(!AppLock::default().is_on());
    }
}
