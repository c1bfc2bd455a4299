//! Copying codes to the system clipboard, and taking them off again.
//!
//! Invariants:
//! - Only codes are copied (never a secret), marked as secret for clipboard managers.
//! - A copied code is cleared after [`CLIPBOARD_CLEAR`], and when the app lock turns on — but
//!   only if the clipboard still holds that very code: whatever the user copied since is left
//!   alone.
//! - The logic works on the [`Clipboard`] trait, so it is tested without a Tauri runtime.

use std::sync::Mutex;
use std::time::Duration;

use tauri::{AppHandle, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::error::AppError;
use crate::state::lock_mutex;

/// How long a copied code stays on the clipboard.
pub const CLIPBOARD_CLEAR: Duration = Duration::from_secs(30);

/// The few clipboard operations the app needs.
pub trait Clipboard: Clone + Send + 'static {
    /// The clipboard's text, `None` when it holds none (or cannot be read).
    fn read_text(&self) -> Option<String>;
    /// Puts `text` on the clipboard, marked as secret for clipboard managers.
    fn write_secret(&self, text: String) -> Result<(), AppError>;
    /// Empties the clipboard.
    fn clear(&self);
}

impl<R: Runtime> Clipboard for AppHandle<R> {
    fn read_text(&self) -> Option<String> {
        self.clipboard().read_text().ok()
    }

    fn write_secret(&self, text: String) -> Result<(), AppError> {
        self.clipboard()
            .write_secret(text)
            .map_err(|e| AppError::Clipboard(e.to_string()))
    }

    fn clear(&self) {
        let _ = self.clipboard().clear();
    }
}

/// Empties `clipboard` if it still holds `code`.
fn clear_if_holds<C: Clipboard>(clipboard: &C, code: &str) {
    if clipboard.read_text().as_deref() == Some(code) {
        clipboard.clear();
    }
}

/// Remembers the last code this app copied, to clear it when the app lock turns on.
#[derive(Default)]
pub struct CopiedCode {
    last: Mutex<Option<String>>,
}

impl CopiedCode {
    /// Copies `code` and clears it after `clear_after` if the clipboard still holds it (a timer
    /// thread).
    pub fn copy<C: Clipboard>(
        &self,
        clipboard: &C,
        code: String,
        clear_after: Duration,
    ) -> Result<(), AppError> {
        clipboard.write_secret(code.clone())?;
        *lock_mutex(&self.last) = Some(code.clone());
        let clipboard = clipboard.clone();
        std::thread::spawn(move || {
            std::thread::sleep(clear_after);
            clear_if_holds(&clipboard, &code);
        });
        Ok(())
    }

    /// Clears the clipboard if it still holds the last code copied (the app lock turned on).
    pub fn clear_on_lock<C: Clipboard>(&self, clipboard: &C) {
        if let Some(code) = lock_mutex(&self.last).take() {
            clear_if_holds(clipboard, &code);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::FakeClipboard as Fake;

    #[test]
    fn a_copied_code_is_cleared_after_the_delay() {
        let clip = Fake::default();
        let copied = CopiedCode::default();
        copied
            .copy(&clip, "123456".into(), Duration::from_millis(20))
            .expect("copy");
        assert_eq!(clip.read_text().as_deref(), Some("123456"));
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(clip.read_text(), None);
    }

    #[test]
    fn what_the_user_copied_since_is_left_alone() {
        let clip = Fake::default();
        let copied = CopiedCode::default();
        copied
            .copy(&clip, "123456".into(), Duration::from_millis(20))
            .expect("copy");
        clip.set("the user's own text");
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(clip.read_text().as_deref(), Some("the user's own text"));
        copied.clear_on_lock(&clip);
        assert_eq!(clip.read_text().as_deref(), Some("the user's own text"));
    }

    #[test]
    fn the_app_lock_clears_our_code() {
        let clip = Fake::default();
        let copied = CopiedCode::default();
        copied
            .copy(&clip, "654321".into(), Duration::from_secs(60))
            .expect("copy");
        copied.clear_on_lock(&clip);
        assert_eq!(clip.read_text(), None);
    }

    #[test]
    fn a_clipboard_failure_is_the_clipboard_kind() {
        let clip = Fake {
            broken: true,
            ..Fake::default()
        };
        let err = CopiedCode::default()
            .copy(&clip, "123456".into(), CLIPBOARD_CLEAR)
            .expect_err("broken");
        assert_eq!(err.kind(), "clipboard");
    }
}
