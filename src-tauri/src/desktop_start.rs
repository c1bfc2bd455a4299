//! When the tray icon, the global shortcut and the clock check start: right after the page has
//! painted its first list (the `first_codes_shown` call), or [`AT_THE_LATEST`] after start-up when
//! no list comes (the lock screen, an error, a window WebKit does not paint); at once when started
//! hidden.
//!
//! The first two are made on the main thread, which WebKit also needs to start the page: made in
//! `setup` (the tray icon: loading libayatana-appindicator3, D-Bus registration; the shortcut: an
//! X11 grab) they held back the first paint (README, "Footprint"). The clock check's first
//! answers are events, which run script in the page through the main thread too.
//!
//! Invariants: they start exactly once; [`wait_started`] returns only once they have (or after its
//! timeout), so Settings never reports the shortcut before its registration was tried and a change
//! of shortcut never races the first registration.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};

use crate::state::lock_mutex;

/// How long after start-up the tray icon and the shortcut wait for the page's first list.
pub const AT_THE_LATEST: Duration = Duration::from_secs(2);

/// Where start-up is, managed by Tauri next to `AppState`.
#[derive(Default)]
pub struct DesktopStart {
    step: Mutex<Step>,
    changed: Condvar,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The page has not painted its first list yet.
    #[default]
    Waiting,
    /// The page painted (or waiting is pointless): start now.
    Painted,
    /// The tray icon and the shortcut have been made (successfully or not).
    Started,
}

impl DesktopStart {
    fn set(&self, to: Step) {
        let mut step = lock_mutex(&self.step);
        if *step != Step::Started {
            *step = to;
        }
        self.changed.notify_all();
    }

    /// Waits (at most `timeout`) while `busy(step)` holds.
    fn wait_while(&self, timeout: Duration, busy: impl FnMut(&mut Step) -> bool) {
        let step = lock_mutex(&self.step);
        drop(
            self.changed
                .wait_timeout_while(step, timeout, busy)
                .unwrap_or_else(|e| e.into_inner()),
        );
    }
}

/// Starts the thread that starts the clock check, makes the tray icon and registers the shortcut:
/// after the page's first paint (see [`page_painted`]) or [`AT_THE_LATEST`]; without waiting when
/// `hidden` (started at log-in into the tray: no page is painted, and the shortcut is how the
/// window comes up).
pub fn schedule(app: &AppHandle, hidden: bool) {
    let start = app.state::<DesktopStart>();
    if hidden {
        start.set(Step::Painted);
    }
    let handle = app.clone();
    std::thread::spawn(move || {
        let start = handle.state::<DesktopStart>();
        start.wait_while(AT_THE_LATEST, |s| *s == Step::Waiting);
        crate::start_clock_check(&handle);
        let on_main = handle.clone();
        let made = handle.run_on_main_thread(move || {
            if let Err(e) = crate::tray::create(&on_main) {
                eprintln!("spse-authenticator: no tray icon: {e}");
            }
            crate::shortcut::register_saved(&on_main);
            on_main.state::<DesktopStart>().set(Step::Started);
        });
        if made.is_err() {
            // The event loop is gone (the app is quitting): nobody waits for anything.
            start.set(Step::Started);
        }
    });
}

/// The page painted its first list: the tray icon and the shortcut may start.
pub fn page_painted<R: Runtime>(app: &AppHandle<R>) {
    app.state::<DesktopStart>().set(Step::Painted);
}

/// Waits until the tray icon and the shortcut have started (at most [`AT_THE_LATEST`] + 5 s).
pub fn wait_started<R: Runtime>(app: &AppHandle<R>) {
    app.state::<DesktopStart>()
        .wait_while(AT_THE_LATEST + Duration::from_secs(5), |s| {
            *s != Step::Started
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Instant;

    #[test]
    fn waiting_ends_when_the_step_changes_not_at_the_timeout() {
        let start = Arc::new(DesktopStart::default());
        let other = Arc::clone(&start);
        let t0 = Instant::now();
        let painter = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            other.set(Step::Painted);
        });
        start.wait_while(Duration::from_secs(30), |s| *s == Step::Waiting);
        painter.join().unwrap();
        assert!(t0.elapsed() < Duration::from_secs(30));
        assert!(*lock_mutex(&start.step) == Step::Painted);
    }

    #[test]
    fn started_is_final() {
        let start = DesktopStart::default();
        start.set(Step::Started);
        start.set(Step::Painted);
        assert!(*lock_mutex(&start.step) == Step::Started);
        // Nothing to wait for any more: returns at once, whatever the timeout.
        start.wait_while(Duration::from_secs(3600), |s| *s != Step::Started);
    }

    #[test]
    fn waiting_without_a_change_ends_at_the_timeout() {
        let start = DesktopStart::default();
        let t0 = Instant::now();
        start.wait_while(Duration::from_millis(100), |s| *s == Step::Waiting);
        assert!(t0.elapsed() >= Duration::from_millis(100));
        assert!(*lock_mutex(&start.step) == Step::Waiting);
    }
}
