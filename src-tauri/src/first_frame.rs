//! Linux: the web view is not drawn until its page has loaded.
//!
//! WebKitGTK, asked to draw a web view whose web process has not sent a frame for its size yet,
//! waits for one on the UI thread, up to 0.5 s (`strace -f`: one timed futex wait of exactly
//! 500 ms, `ETIMEDOUT`). That thread is also the one that serves the page its HTML and modules
//! (Tauri's custom protocol), so while the page loads the web process cannot send that frame
//! and the wait runs to its end: measured on the 2-core build machine, a stall of ≈ 0.5 s before
//! the navigation in about half of all launches when the window is drawn at once, and in every
//! launch (between the HTML and the modules) when it is first drawn at the load's start. Its
//! draws skipped (a `draw` handler that stops the emission before WebKit's) until the page's load
//! event (its modules have run and drawn the first rows), the web view is drawn once, by an idle
//! web process: no stall in any launch (README, "Footprint"). Nothing else changes: the window
//! and the web view are mapped, sized and focused as before (hiding the widget instead lost the
//! keyboard focus), so the window manager, keys, the tray's Show window and close requests see
//! the same window at the same time.
//!
//! Invariants:
//! - [`hold`] holds the web view's draws only before its page has loaded, and only once.
//! - The web view is drawn again at the page's load event ([`page_loaded`]) or, should that
//!   never come, by [`fallback`], which the caller runs [`FALLBACK`] after [`hold`] (main.rs's
//!   one fallback timer, shared with the tray and the clock check); whichever comes first, the
//!   other does nothing.
//! - Elsewhere (Windows, macOS) both are no-ops: WebView2 and WKWebView do not wait this way.

#[cfg(target_os = "linux")]
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tauri::{Runtime, Webview, WebviewWindow};

/// How long the web view may stay undrawn if its page never reports its load.
pub const FALLBACK: Duration = Duration::from_secs(3);

/// The page has loaded once (set on the UI thread).
#[cfg(target_os = "linux")]
static LOADED: AtomicBool = AtomicBool::new(false);
/// The web view's draws are held by [`hold`] and not yet released.
#[cfg(target_os = "linux")]
static HELD: AtomicBool = AtomicBool::new(false);
/// `--measure`: say when the web view is held and shown, and why.
#[cfg(target_os = "linux")]
static MEASURE: AtomicBool = AtomicBool::new(false);

/// Skips the main window's web view's draws until its page has loaded. Call from `setup`, on the UI
/// thread, before the event loop first runs (Tauri then runs the closure at once, not queued).
/// With `measure` (`--measure`), prints `web_view_held`, then `web_view_shown_at_load` or
/// `web_view_shown_by_fallback` (see [`crate::report`]).
pub fn hold<R: Runtime>(window: &WebviewWindow<R>, measure: bool) {
    #[cfg(target_os = "linux")]
    {
        MEASURE.store(measure, Ordering::SeqCst);
        let _ = window.with_webview(|wv| {
            use gtk::prelude::WidgetExt;
            if !LOADED.load(Ordering::SeqCst) && !HELD.swap(true, Ordering::SeqCst) {
                // Runs before WebKit's own draw handler; stopping the emission skips it.
                wv.inner().connect_draw(|_, _| {
                    if HELD.load(Ordering::SeqCst) {
                        gtk::glib::Propagation::Stop
                    } else {
                        gtk::glib::Propagation::Proceed
                    }
                });
                crate::report(MEASURE.load(Ordering::SeqCst), "web_view_held");
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (window, measure);
}

/// The page has not reported its load [`FALLBACK`] after [`hold`]: draws the web view if it is
/// still held (`--measure`: `web_view_shown_by_fallback`).
pub fn fallback<R: Runtime>(window: &WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    let _ = window.with_webview(|wv| release(&wv.inner(), "web_view_shown_by_fallback"));
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

/// The page of `webview` has loaded (its load event): draws the web view if [`hold`] held it.
pub fn page_loaded<R: Runtime>(webview: &Webview<R>) {
    #[cfg(target_os = "linux")]
    {
        LOADED.store(true, Ordering::SeqCst);
        let _ = webview.with_webview(|wv| release(&wv.inner(), "web_view_shown_at_load"));
    }
    #[cfg(not(target_os = "linux"))]
    let _ = webview;
}

/// Draws the web view if it is held (on the UI thread); `--measure` prints `event`.
#[cfg(target_os = "linux")]
fn release(view: &webkit2gtk::WebView, event: &str) {
    use gtk::prelude::WidgetExt;
    if HELD.swap(false, Ordering::SeqCst) {
        view.queue_draw();
        crate::report(MEASURE.load(Ordering::SeqCst), event);
    }
}
