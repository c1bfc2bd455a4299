//! "Start when I log in": the official autostart plugin (`tauri-plugin-autostart`), which writes
//! the system's own entry — a desktop entry in `~/.config/autostart/` on Linux, the `Run` key of
//! the user's registry on Windows, a Launch Agent on macOS.
//!
//! Invariants:
//! - The system's entry is the one truth: nothing about it is kept in `settings.json`, so removing
//!   the entry by hand (or in the system's settings) turns the setting off in the app too.
//! - Off by default: the app never creates the entry by itself, only when the user turns it on.
//! - An autostarted launch gets [`HIDDEN_ARG`], so it can stay out of the way (in the tray).

use tauri::{AppHandle, Runtime};
use tauri_plugin_autostart::{MacosLauncher, ManagerExt};

use crate::error::AppError;

/// The argument the system's entry starts the app with: start without showing the window.
pub const HIDDEN_ARG: &str = "--hidden";

/// The plugin, registered with the app (entries start the app with [`HIDDEN_ARG`]).
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_autostart::init(MacosLauncher::LaunchAgent, Some(vec![HIDDEN_ARG]))
}

/// True when this launch came from the system's entry (or asked to start hidden).
pub fn started_hidden(args: impl IntoIterator<Item = String>) -> bool {
    args.into_iter().any(|a| a == HIDDEN_ARG)
}

/// Whether the system starts the app at log-in (its entry exists).
pub fn is_enabled<R: Runtime>(app: &AppHandle<R>) -> Result<bool, AppError> {
    app.autolaunch()
        .is_enabled()
        .map_err(|e| AppError::Autostart(e.to_string()))
}

/// Creates or removes the system's entry; returns the state it is in afterwards.
pub fn set_enabled<R: Runtime>(app: &AppHandle<R>, enabled: bool) -> Result<bool, AppError> {
    let manager = app.autolaunch();
    let done = if enabled {
        manager.enable()
    } else {
        manager.disable()
    };
    done.map_err(|e| AppError::Autostart(e.to_string()))?;
    is_enabled(app)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_hidden_argument_starts_hidden() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(started_hidden(args(&["spse-authenticator", "--hidden"])));
        assert!(!started_hidden(args(&["spse-authenticator"])));
        assert!(!started_hidden(args(&["spse-authenticator", "--measure"])));
        assert!(!started_hidden(args(&[
            "spse-authenticator",
            "--hidden=no"
        ])));
    }
}
