//! The system-wide shortcut (default Ctrl+Alt+A, [`crate::settings::DEFAULT_SHORTCUT`]) that
//! brings the window to the front with the search field focused, on the official
//! global-shortcut plugin.
//!
//! Invariants:
//! - A shortcut is a key with at least one of Ctrl, Alt or Super (Shift alone would take a
//!   character from every other program); anything else is refused as `invalid_shortcut`.
//! - At most one shortcut is registered. Changing it registers the new one before forgetting the
//!   old one; when the system refuses the new one (`shortcut_taken`: another program holds it),
//!   the old one stays registered and saved.
//! - A failure at start-up does not stop the app: it is kept ([`ShortcutStatus::error`]) for
//!   Settings to show.
//! - On a press the window comes to the front and the page gets the event [`EVENT`].

use std::str::FromStr;
use std::sync::Mutex;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Modifiers, Shortcut, ShortcutState};

use crate::error::AppError;
use crate::state::{lock_mutex, AppResult, AppState};

/// The event sent to the page when the shortcut is pressed (no payload).
pub const EVENT: &str = "shortcut-pressed";

/// What a press does: shows the window ([`crate::main_window::show`]) and sends [`EVENT`], on
/// which the page focuses its search. The tray's "Search the N accounts…" does the same.
pub fn bring_up_search<R: Runtime>(app: &AppHandle<R>) {
    crate::main_window::show(app);
    let _ = app.emit_to("main", EVENT, ());
}

/// The global-shortcut plugin, calling [`bring_up_search`] on each press.
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_global_shortcut::Builder::new()
        .with_handler(|app, _shortcut, event| {
            if event.state == ShortcutState::Pressed {
                bring_up_search(app);
            }
        })
        .build()
}

/// Parses `text` (`"Ctrl+Alt+A"`, `"Super+Shift+F9"`: modifiers first, one key) into a
/// shortcut; refused (`invalid_shortcut`) when it does not parse or has no Ctrl, Alt or Super.
pub fn parse(text: &str) -> Result<Shortcut, AppError> {
    let shortcut =
        Shortcut::from_str(text.trim()).map_err(|e| AppError::InvalidShortcut(e.to_string()))?;
    if !shortcut
        .mods
        .intersects(Modifiers::CONTROL | Modifiers::ALT | Modifiers::SUPER)
    {
        return Err(AppError::InvalidShortcut(
            "it needs Ctrl, Alt or Super with the key".into(),
        ));
    }
    Ok(shortcut)
}

/// The shortcut in use and why the saved one could not be registered, if it could not.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ShortcutStatus {
    /// The saved shortcut as typed (`""`: none).
    pub shortcut: String,
    /// The error of registering it (`shortcut_taken`, `invalid_shortcut`), `None` when it works.
    pub error: Option<AppError>,
}

/// The registration's state, managed by Tauri next to [`AppState`].
#[derive(Default)]
pub struct Registered {
    status: Mutex<ShortcutStatus>,
}

/// Registers `text` (nothing when empty).
fn register<R: Runtime>(app: &AppHandle<R>, text: &str) -> Result<(), AppError> {
    if text.trim().is_empty() {
        return Ok(());
    }
    let shortcut = parse(text)?;
    app.global_shortcut()
        .register(shortcut)
        .map_err(|_| AppError::ShortcutTaken(text.trim().to_string()))
}

/// Registers the saved shortcut at start-up; a failure is kept for Settings.
pub fn register_saved<R: Runtime>(app: &AppHandle<R>) {
    let shortcut = app.state::<AppState>().settings_now().shortcut;
    let error = register(app, &shortcut).err();
    *lock_mutex(&app.state::<Registered>().status) = ShortcutStatus { shortcut, error };
}

/// The shortcut and its registration error, for Settings.
pub fn status<R: Runtime>(app: &AppHandle<R>) -> ShortcutStatus {
    lock_mutex(&app.state::<Registered>().status).clone()
}

/// Replaces the shortcut with `text` (`""`: none) and saves it; on an error the old one stays
/// registered and saved. Returns the new status.
pub fn change<R: Runtime>(app: &AppHandle<R>, text: &str) -> AppResult<ShortcutStatus> {
    let state = app.state::<AppState>();
    state.app_lock.guard()?;
    let text = text.trim().to_string();
    let registered = app.state::<Registered>();
    let mut status = lock_mutex(&registered.status);
    if text == status.shortcut && status.error.is_none() {
        return Ok(status.clone());
    }
    if !text.is_empty() {
        parse(&text)?;
    }
    let old = status.shortcut.clone();
    let old_works = status.error.is_none() && !old.is_empty();
    if old_works {
        // The same key combination spelled differently is still one registration.
        let _ = app.global_shortcut().unregister(parse(&old)?);
    }
    if let Err(e) = register(app, &text) {
        if old_works {
            let _ = register(app, &old);
        }
        return Err(e);
    }
    if let Err(e) = state.update_settings(|s| {
        s.shortcut = text.clone();
        Ok(())
    }) {
        let _ = app.global_shortcut().unregister_all();
        let _ = register(app, &old);
        return Err(e);
    }
    *status = ShortcutStatus {
        shortcut: text,
        error: None,
    };
    Ok(status.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shortcut_needs_ctrl_alt_or_super_and_one_key() {
        for ok in [
            "Ctrl+Alt+A",
            "ctrl+alt+a",
            " Alt+F9 ",
            "Super+Shift+K",
            "Ctrl+Digit1",
            // What ui/shortcut.js produces (tests/ui/shortcut.test.mjs).
            "Ctrl+1",
            "Shift+Super+K",
            "Ctrl+Space",
        ] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
        for bad in ["A", "Shift+A", "Ctrl+Alt", "Ctrl+A+B", "", "Ctrl+Alt+Nope"] {
            let e = parse(bad).expect_err(bad);
            assert_eq!(e.kind(), "invalid_shortcut", "{bad}");
        }
        assert_eq!(
            parse("Ctrl+Alt+A").expect("default"),
            parse(crate::settings::DEFAULT_SHORTCUT).expect("default")
        );
    }
}
