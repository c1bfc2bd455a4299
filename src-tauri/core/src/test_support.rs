//! Test doubles shared by the tests of this crate and (feature `test-support`, through the
//! `spse-auth-test-support` crate) of the other crates. Compiled only for tests.
//!
//! Invariant: nothing here touches the OS keyring or the disk.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{Error, ErrorKind, Result};
use crate::keystore::{DataKey, KeyStore};

/// An in-memory key store; clones share their keys, so a test keeps one clone to look inside
/// while a store owns another. [`MemKeys::set_down`] makes it "unavailable" like a stopped keyring.
#[derive(Clone, Default)]
pub struct MemKeys {
    keys: Arc<Mutex<HashMap<String, [u8; 32]>>>,
    down: Arc<AtomicBool>,
}

impl MemKeys {
    /// An empty, available key store.
    pub fn new() -> Self {
        Self::default()
    }

    /// While `down`, loading and storing fail with [`ErrorKind::KeyringUnavailable`] (deleting
    /// still works).
    pub fn set_down(&self, down: bool) {
        self.down.store(down, Ordering::SeqCst);
    }

    /// The number of keys held.
    pub fn len(&self) -> usize {
        self.keys.lock().expect("lock").len()
    }

    /// True when no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn check_up(&self) -> Result<()> {
        if self.down.load(Ordering::SeqCst) {
            return Err(Error::new(ErrorKind::KeyringUnavailable, "down"));
        }
        Ok(())
    }
}

impl KeyStore for MemKeys {
    fn load(&self, id: &str) -> Result<Option<DataKey>> {
        self.check_up()?;
        Ok(self
            .keys
            .lock()
            .expect("lock")
            .get(id)
            .map(|k| DataKey::from_bytes(*k)))
    }
    fn store(&self, id: &str, key: &DataKey) -> Result<()> {
        self.check_up()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_keys_and_down_refuses() {
        let a = MemKeys::new();
        let b = a.clone();
        let k = DataKey::generate();
        a.store("v1", &k).expect("store");
        assert_eq!(b.len(), 1);
        assert_eq!(
            b.load("v1").expect("load").expect("some").as_bytes(),
            k.as_bytes()
        );
        b.set_down(true);
        assert_eq!(
            a.load("v1").err().map(|e| e.kind()),
            Some(ErrorKind::KeyringUnavailable)
        );
        assert!(a.store("v2", &k).is_err());
        a.delete("v1").expect("delete");
        assert!(b.is_empty());
    }
}
