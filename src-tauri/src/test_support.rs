//! Test helpers: temporary data folders and an [`AppState`] over an in-memory key store, so the
//! app's operations run without a Tauri runtime or an OS keyring.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub use spse_auth_core::test_support::MemKeys;

use spse_auth_core::accounts::{CodeInfo, Store};

use crate::clipboard::Clipboard;
use crate::error::AppError;
use crate::state::{lock_mutex, AppResult, AppState};

/// A not yet existing data folder inside a fresh temporary directory (removed on drop).
pub struct TempDir(pub PathBuf, #[allow(dead_code)] tempfile::TempDir);

impl TempDir {
    /// A new data folder path; `name` prefixes the temporary directory, for debugging.
    pub fn new(name: &str) -> TempDir {
        let guard = tempfile::Builder::new()
            .prefix(&format!("spse-app-test-{name}-"))
            .tempdir()
            .expect("temporary directory");
        TempDir(guard.path().join("data"), guard)
    }
}

/// An app state over a vault in `dir` whose key lives in `keys`.
pub fn app_state(dir: &TempDir, keys: &MemKeys) -> AppState {
    let store = Store::with_keystore(&dir.0, Box::new(keys.clone()));
    AppState::with_store(dir.0.clone(), store, false)
}

impl AppState {
    /// Every account's code now, in list order, asked through `codes` as a page drawing every
    /// row would.
    pub fn all_codes(&self) -> AppResult<Vec<CodeInfo>> {
        let list = self.codes(&[], None)?.accounts.unwrap_or_default();
        let ids: Vec<String> = list.into_iter().map(|a| a.id).collect();
        Ok(self.codes(&ids, None)?.codes)
    }
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
