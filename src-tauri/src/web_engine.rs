//! Linux: how WebKitGTK runs this app's page — set through the environment, which WebKitGTK and
//! JavaScriptCore read in this process and pass on to the web process they start.
//!
//! The app's page is a small, fixed UI of its own (no web content, no WebGL, no heavy scripts),
//! so it asks for the leanest engine that still draws it:
//! - `WEBKIT_DISABLE_COMPOSITING_MODE=1`: no GPU compositing. With it on (WebKitGTK's default)
//!   the web process loads Mesa and keeps compositing buffers: measured 211 MB PSS with 100
//!   accounts against 117 MB without. It also avoids the blank windows some GPU drivers give.
//! - `WEBKIT_DISABLE_DMABUF_RENDERER=1`: the web process hands its frames over in shared memory,
//!   not as DMA-BUF buffers (which need an EGL display in both processes): −3 MB PSS measured.
//!   It is also WebKitGTK's documented way round blank windows on some drivers.
//! - `JSC_useJIT=0`: JavaScriptCore interprets the page's scripts instead of compiling them to
//!   machine code at run time: −9 MB PSS measured (no JIT code or compiler heaps), the first code
//!   no slower (the page runs ≈ 100 ms of script at start, then one short tick a second), and less
//!   attack surface — the same trade Microsoft Edge's enhanced security mode makes, and right for
//!   an app that holds secrets. README, "Footprint", has the numbers.
//!
//! Invariants:
//! - A variable the user has set is never changed (`WEBKIT_DISABLE_COMPOSITING_MODE=0`,
//!   `WEBKIT_DISABLE_DMABUF_RENDERER=0` or `JSC_useJIT=1` turn each one back).
//! - [`configure`] runs first in `main`, while the process has one thread: nothing reads the
//!   environment while it is written.
//! - Elsewhere (Windows, macOS) nothing is set: WebView2 and WKWebView read none of these.

/// The variables [`configure`] sets, with the value it sets (each only when unset).
pub const DEFAULTS: [(&str, &str); 3] = [
    ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
    ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
    ("JSC_useJIT", "0"),
];

/// Sets each of [`DEFAULTS`] that the environment does not set yet (Linux only). Call first in
/// `main`, before any other thread starts.
pub fn configure() {
    if !cfg!(target_os = "linux") {
        return;
    }
    for (name, value) in DEFAULTS {
        if std::env::var_os(name).is_none() {
            // Still single-threaded here: nothing else reads the environment concurrently.
            std::env::set_var(name, value);
        }
    }
}
