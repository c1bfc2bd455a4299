//! The main window's life on the desktop: brought to the front (tray, shortcut, a second
//! launch), hidden to the tray instead of closed, and the choice between the two.
//!
//! Invariants:
//! - Closing the window quits only when the user chose so ([`Settings::closes_to_tray`] is
//!   `Some(false)`). Otherwise the close is turned into a hide; when the choice was never made
//!   (not Windows) or the first hide has not yet said where the app went, the page is asked
//!   first with the event [`CLOSE_EVENT`] (`{ask}`: `true` to offer "keep in tray" or "quit",
//!   `false` to explain), and the page answers with `set_close_to_tray`, `hide_window` or
//!   `quit_app`.
//! - A hidden window comes back with the tray's Show window, the global shortcut, or starting the
//!   app again (single instance); the explanation names all three.

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime, Window};

use crate::settings::Settings;
use crate::state::{AppResult, AppState};

/// The event asking the page what closing the window should do: payload [`CloseRequest`].
pub const CLOSE_EVENT: &str = "close-requested";

/// What the page shows when the window is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CloseRequest {
    /// `true`: ask "keep running in the tray, or quit?" (not chosen yet); `false`: say where
    /// the app goes, then hide (the first hide).
    pub ask: bool,
}

/// Settings → Desktop.
#[derive(Debug, Clone, Serialize)]
pub struct DesktopStatus {
    /// What closing the window does: `true` hide to the tray, `false` quit, `None` not chosen
    /// yet (asked at the first close).
    pub close_to_tray: Option<bool>,
    /// The global shortcut and its registration error.
    pub shortcut: crate::shortcut::ShortcutStatus,
}

/// What to do with a close request under `settings`: `None` close (quit), `Some(None)` hide
/// without a word, `Some(Some(request))` hide after the page's dialog.
pub fn on_close(settings: &Settings) -> Option<Option<CloseRequest>> {
    match settings.closes_to_tray() {
        Some(false) => None,
        None => Some(Some(CloseRequest { ask: true })),
        Some(true) if !settings.tray_hint_shown => Some(Some(CloseRequest { ask: false })),
        Some(true) => Some(None),
    }
}

/// Shows, unminimises and focuses the main window.
pub fn show<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// Hides the main window (it keeps running in the tray).
pub fn hide<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.hide();
    }
}

/// The window's close button: quits, hides, or asks the page first (see the module's
/// invariants). Called from `on_window_event`; `prevent` stops the close.
pub fn close_requested<R: Runtime>(window: &Window<R>, prevent: impl FnOnce()) {
    let app = window.app_handle();
    let settings = app.state::<AppState>().settings_now();
    match on_close(&settings) {
        None => {}
        Some(None) => {
            prevent();
            let _ = window.hide();
        }
        Some(Some(request)) => {
            prevent();
            let _ = app.emit_to("main", CLOSE_EVENT, request);
        }
    }
}

impl AppState {
    /// Remembers what closing the window does (`true`: hide to the tray).
    pub fn set_close_to_tray(&self, enabled: bool) -> AppResult<()> {
        self.update_settings(|s| {
            s.close_to_tray = Some(enabled);
            Ok(())
        })
    }

    /// Notes that the user has been told where a hidden window goes.
    pub fn tray_hint_seen(&self) -> AppResult<()> {
        if self.settings_now().tray_hint_shown {
            return Ok(());
        }
        self.update_settings(|s| {
            s.tray_hint_shown = true;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_quits_only_by_choice_and_explains_the_first_hide() {
        let mut s = Settings::default();
        let first = on_close(&s);
        if cfg!(windows) {
            assert_eq!(first, Some(Some(CloseRequest { ask: false })));
        } else {
            assert_eq!(first, Some(Some(CloseRequest { ask: true })), "asked once");
        }
        s.close_to_tray = Some(true);
        assert_eq!(on_close(&s), Some(Some(CloseRequest { ask: false })));
        s.tray_hint_shown = true;
        assert_eq!(on_close(&s), Some(None), "later hides say nothing");
        s.close_to_tray = Some(false);
        assert_eq!(on_close(&s), None, "quit");
    }
}
