//! Test helpers: temporary data folders and an [`AppState`] over an in-memory key store, so the
//! app's operations run without a Tauri runtime or an OS keyring.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use spse_auth_core::accounts::Store;
use spse_auth_core::keystore::{DataKey, KeyStore};

use crate::clipboard::Clipboard;
use crate::error::AppError;
use crate::state::{lock_mutex, AppState};

/// A fresh directory under the system's temp folder, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A new, not yet existing directory named after `name`.
    pub fn new(name: &str) -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "spse-app-test-{}-{name}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An in-memory key store shared by clones.
#[derive(Clone, Default)]
pub struct MemKeys(Arc<Mutex<HashMap<String, [u8; 32]>>>);

impl KeyStore for MemKeys {
    fn load(&self, id: &str) -> spse_auth_core::Result<Option<DataKey>> {
        Ok(lock_mutex(&self.0).get(id).map(|k| DataKey::from_bytes(*k)))
    }
    fn store(&self, id: &str, key: &DataKey) -> spse_auth_core::Result<()> {
        lock_mutex(&self.0).insert(id.into(), *key.as_bytes());
        Ok(())
    }
    fn delete(&self, id: &str) -> spse_auth_core::Result<()> {
        lock_mutex(&self.0).remove(id);
        Ok(())
    }
}

/// An app state over a vault in `dir` whose key lives in `keys`.
pub fn app_state(dir: &TempDir, keys: &MemKeys) -> AppState {
    let store = Store::with_keystore(&dir.0, Box::new(keys.clone()));
    AppState::with_store(dir.0.clone(), store, false)
}

/// An in-memory clipboard shared by clones; `broken` makes writing fail.
#[derive(Clone, Default)]
pub struct FakeClipboard {
    pub text: Arc<Mutex<Option<String>>>,
    pub broken: bool,
}

impl FakeClipboard {
    /// Puts `text` on it, as the user copying something would.
    pub fn set(&self, text: &str) {
        *lock_mutex(&self.text) = Some(text.into());
    }
}

impl Clipboard for FakeClipboard {
    fn read_text(&self) -> Option<String> {
        lock_mutex(&self.text).clone()
    }
    fn write_secret(&self, text: String) -> Result<(), AppError> {
        if self.broken {
            return Err(AppError::Clipboard("no display".into()));
        }
        self.set(&text);
        Ok(())
    }
    fn clear(&self) {
        *lock_mutex(&self.text) = None;
    }
}

/// A password as the UI sends it.
pub fn password(text: &str) -> crate::ipc::Password {
    serde_json::from_value(serde_json::Value::String(text.into())).expect("password")
}
