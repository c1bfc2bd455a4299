//! spse-auth-screen: scanning the enrolment QR straight off the screen (issue #4), for the CLI and
//! the app. Kept out of the core so that the core builds and tests with nothing but Rust (no
//! pipewire, xcb or D-Bus portal crates); the core only decodes the captured images ([`qr`]).
//!
//! [`capture_all`] grabs every monitor:
//! - X11, Windows and macOS through `xcap` (one image per monitor);
//! - a Wayland session (X11 grabs fail or return black there) through the xdg-desktop-portal
//!   `Screenshot` interface, non-interactive: the desktop may ask the user once for permission,
//!   then returns one image of the whole desktop as a file, which is read and deleted (it shows the
//!   enrolment QR, i.e. the secret).
//!
//! [`scan`] decodes every QR on those images. The front end hides its own window before calling
//! either (the app must not cover the browser page it scans). Missing permissions (macOS Screen
//! Recording, a refused portal request, no portal backend) are [`ErrorKind::CaptureFailed`] errors
//! whose message names the permission and where to grant it.

use image::DynamicImage;

use spse_auth_core::enrolment::Enrolment;
use spse_auth_core::error::{Error, ErrorKind, Result};
use spse_auth_core::{import, qr};

/// Enrolments from the QR codes on every monitor, as [`import::from_image`] does for one image:
/// capture with [`scan`] (the caller hides its own window first), then
/// [`import::from_payloads`].
///
/// Errors: [`ErrorKind::CaptureFailed`] (names the missing permission and where to grant it),
/// [`ErrorKind::NoQrFound`] ("no QR code found on the screen; …"), and those of
/// [`import::from_payloads`].
pub fn enrolments() -> Result<Vec<Enrolment>> {
    import::from_payloads(&scan()?)
}

/// What to suggest when the screen route fails: the route that needs no capture, in words every
/// front end can use (each adds its own way of doing it: the CLI names its command).
const OTHER_ROUTES: &str = "or use a screenshot of the page instead";

/// How the screen is captured in this session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `xcap`: X11, Windows, macOS.
    Xcap,
    /// The xdg-desktop-portal `Screenshot` interface (Wayland sessions).
    Portal,
}

/// The backend for this process's session: [`Backend::Portal`] when `WAYLAND_DISPLAY` is set or
/// `XDG_SESSION_TYPE` is `wayland` (Linux only), else [`Backend::Xcap`].
pub fn backend() -> Backend {
    let var = |k| std::env::var(k).ok();
    backend_for(
        cfg!(target_os = "linux"),
        var("WAYLAND_DISPLAY").as_deref(),
        var("XDG_SESSION_TYPE").as_deref(),
    )
}

fn backend_for(linux: bool, wayland_display: Option<&str>, session_type: Option<&str>) -> Backend {
    let wayland = wayland_display.is_some_and(|d| !d.trim().is_empty())
        || session_type.is_some_and(|t| t.trim().eq_ignore_ascii_case("wayland"));
    if linux && wayland {
        Backend::Portal
    } else {
        Backend::Xcap
    }
}

/// One image per monitor (on Wayland: one image of the whole desktop).
///
/// Errors: [`ErrorKind::CaptureFailed`], with a message naming the missing permission and where to
/// grant it, or what is missing (no display, no portal backend).
pub fn capture_all() -> Result<Vec<DynamicImage>> {
    match backend() {
        Backend::Xcap => capture_xcap(),
        Backend::Portal => portal::capture(),
    }
}

/// The text of every QR code on every monitor, each text once, in capture order.
///
/// Errors: those of [`capture_all`]; [`ErrorKind::NoQrFound`] when no monitor shows a QR code.
pub fn scan() -> Result<Vec<String>> {
    scan_images(&capture_all()?)
}

/// The text of every QR code on `screens`, each text once (a QR shown on two mirrored monitors
/// counts once; the parts of a structured-append message are joined, also across monitors).
/// [`ErrorKind::NoQrFound`] with the screen-specific advice when there is none.
pub fn scan_images(screens: &[DynamicImage]) -> Result<Vec<String>> {
    let symbols = screens.iter().flat_map(qr::decode_symbols).collect();
    let texts = qr::join_structured_append(symbols);
    if texts.is_empty() {
        return Err(Error::new(
            ErrorKind::NoQrFound,
            format!(
                "no QR code found on the screen; open the SPSE enrolment page so the QR is visible, \
                 {OTHER_ROUTES}"
            ),
        ));
    }
    Ok(texts)
}

fn capture_failed(message: String) -> Error {
    Error::new(ErrorKind::CaptureFailed, message)
}

fn capture_xcap() -> Result<Vec<DynamicImage>> {
    #[cfg(target_os = "macos")]
    macos_check_permission()?;
    // Where the capture goes, for messages: the X display on Linux.
    let screen = if cfg!(target_os = "linux") {
        match std::env::var("DISPLAY") {
            Ok(d) if !d.trim().is_empty() => format!("the X display {d}"),
            _ => {
                return Err(capture_failed(format!(
                    "cannot capture the screen: no graphical session (neither DISPLAY nor \
                     WAYLAND_DISPLAY is set); run it inside your desktop session, {OTHER_ROUTES}"
                )))
            }
        }
    } else {
        "the screen".to_string()
    };
    let monitors = xcap::Monitor::all().map_err(|e| {
        capture_failed(format!(
            "cannot capture the screen: the monitors of {screen} cannot be listed ({e}); run \
             it inside your desktop session, {OTHER_ROUTES}"
        ))
    })?;
    if monitors.is_empty() {
        return Err(capture_failed(format!(
            "cannot capture the screen: {screen} has no monitor; {OTHER_ROUTES}"
        )));
    }
    monitors
        .iter()
        .map(|m| {
            m.capture_image()
                .map(DynamicImage::ImageRgba8)
                .map_err(|e| {
                    capture_failed(format!(
                        "cannot capture the monitor {} of {screen}: {e}; {OTHER_ROUTES}",
                        m.name().unwrap_or_else(|_| "?".into()),
                    ))
                })
        })
        .collect()
}

/// macOS returns the bare desktop (no windows) without the Screen Recording permission, so ask
/// first: the request shows the system prompt once and lists the app in the settings.
#[cfg(target_os = "macos")]
fn macos_check_permission() -> Result<()> {
    use objc2_core_graphics::{CGPreflightScreenCaptureAccess, CGRequestScreenCaptureAccess};
    if CGPreflightScreenCaptureAccess() || CGRequestScreenCaptureAccess() {
        return Ok(());
    }
    Err(capture_failed(format!(
        "scanning the screen needs the Screen Recording permission: allow SPSE Authenticator (for \
         the command line: the terminal app it runs in) in System Settings → Privacy & Security → Screen Recording, \
         then quit and reopen it; {OTHER_ROUTES}"
    )))
}

/// `file:///a/b%20c.png` → `/a/b c.png`. Only local `file:` URIs (empty host or `localhost`).
pub fn file_uri_to_path(uri: &str) -> Result<std::path::PathBuf> {
    let bad = || {
        capture_failed(format!(
            "the screenshot portal returned an address this app cannot read ({}); {OTHER_ROUTES}",
            uri.chars().take(80).collect::<String>()
        ))
    };
    let rest = uri
        .get(..7)
        .filter(|s| s.eq_ignore_ascii_case("file://"))
        .map(|_| &uri[7..])
        .ok_or_else(bad)?;
    let path = if let Some(p) = rest.strip_prefix("localhost/") {
        format!("/{p}")
    } else if rest.starts_with('/') {
        rest.to_string()
    } else {
        return Err(bad());
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(path).collect();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Ok(std::ffi::OsString::from_vec(bytes).into())
    }
    #[cfg(not(unix))]
    {
        Ok(String::from_utf8(bytes).map_err(|_| bad())?.into())
    }
}

#[cfg(target_os = "linux")]
mod portal {
    //! xdg-desktop-portal `Screenshot` (org.freedesktop.portal.Screenshot), through ashpd on
    //! zbus's own executor thread: no async runtime in the callers.
    //!
    //! Invariant: the screenshot file the portal writes (it shows the enrolment QR, i.e. the
    //! secret) is deleted whatever happens: it is held as a [`Shot`], which deletes it when
    //! dropped — after reading it, or on the request's own thread when the answer comes after the
    //! wait gave up (a late answer is dropped there, or with the channel nobody reads any more).

    use std::sync::mpsc;
    use std::time::Duration;

    use ashpd::desktop::screenshot::Screenshot;
    use ashpd::desktop::ResponseError;
    use image::DynamicImage;

    use super::{capture_failed, file_uri_to_path, OTHER_ROUTES};
    use spse_auth_core::error::Result;

    /// Long enough for a user to answer the desktop's permission dialog.
    const TIMEOUT: Duration = Duration::from_secs(120);

    /// The portal's screenshot file, by the URI it returned; deleted when dropped.
    pub(super) struct Shot {
        uri: String,
    }

    impl Drop for Shot {
        fn drop(&mut self) {
            // Nothing else can be done about a file that cannot be deleted here.
            let _ = delete_file_uri(&self.uri);
        }
    }

    /// Deletes the local file that the `file://` `uri` names; a file already gone is fine.
    ///
    /// Errors: [`spse_auth_core::ErrorKind::CaptureFailed`] when `uri` is not a local `file:`
    /// URI, or the file cannot be deleted.
    pub(super) fn delete_file_uri(uri: &str) -> Result<()> {
        let path = file_uri_to_path(uri)?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(capture_failed(format!(
                "the screenshot {} could not be deleted: {e}; delete it yourself (it shows the \
                 enrolment QR code)",
                path.display()
            ))),
        }
    }

    pub(super) fn capture() -> Result<Vec<DynamicImage>> {
        let shot = wait_for(
            || pollster::block_on(request()).map(|uri| Shot { uri }),
            TIMEOUT,
        )?;
        let path = file_uri_to_path(&shot.uri)?;
        let img = image::ImageReader::open(&path)
            .and_then(|r| r.with_guessed_format())
            .map_err(|e| e.to_string())
            .and_then(|r| r.decode().map_err(|e| e.to_string()));
        // The file shows the enrolment QR, i.e. the secret: do not leave it behind.
        drop(shot);
        let img = img.map_err(|e| {
            capture_failed(format!(
                "the screenshot portal's image {} cannot be read: {e}; {OTHER_ROUTES}",
                path.display()
            ))
        })?;
        Ok(vec![img])
    }

    /// Runs `request` on a thread of its own and waits at most `timeout` for its answer. When the
    /// wait gives up, the thread carries on: a [`Shot`] it gets later is dropped there (the send
    /// fails, or the value dies with the channel), which deletes the file.
    pub(super) fn wait_for(
        request: impl FnOnce() -> Result<Shot> + Send + 'static,
        timeout: Duration,
    ) -> Result<Shot> {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(request());
        });
        match rx.recv_timeout(timeout) {
            Ok(answer) => answer,
            Err(_) => Err(capture_failed(format!(
                "the screenshot portal did not answer within {} s; check that \
                 xdg-desktop-portal and the backend for your desktop are running, {OTHER_ROUTES}",
                timeout.as_secs()
            ))),
        }
    }

    async fn request() -> Result<String> {
        let response = Screenshot::request()
            .interactive(false)
            .send()
            .await
            .and_then(|r| r.response());
        match response {
            Ok(shot) => Ok(shot.uri().as_str().to_string()),
            Err(e) => Err(capture_failed(message(&e))),
        }
    }

    fn message(e: &ashpd::Error) -> String {
        match e {
            ashpd::Error::Response(ResponseError::Cancelled)
            | ashpd::Error::Portal(ashpd::PortalError::Cancelled(_))
            | ashpd::Error::Portal(ashpd::PortalError::NotAllowed(_)) => format!(
                "the desktop refused the screenshot (the xdg-desktop-portal Screenshot permission): \
                 allow it in the dialog your desktop shows; if it was refused for good, allow \
                 screenshots for SPSE Authenticator in your desktop's app permissions (GNOME: \
                 Settings → Apps), {OTHER_ROUTES}"
            ),
            _ => format!(
                "cannot capture the screen on Wayland: the xdg-desktop-portal Screenshot interface \
                 failed ({e}); install xdg-desktop-portal and the portal backend for your desktop \
                 (xdg-desktop-portal-gnome, -kde or -wlr) and log in again, {OTHER_ROUTES}"
            ),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use spse_auth_core::ErrorKind;
        use std::path::{Path, PathBuf};
        use std::time::Instant;

        /// A made-up screenshot file in `dir` and its `file://` URI (a space, percent-encoded).
        fn screenshot(dir: &Path) -> (PathBuf, String) {
            let path = dir.join("Screenshot from 2026.png");
            std::fs::write(&path, b"not really a PNG").expect("write");
            let uri = format!("file://{}", path.display()).replace(' ', "%20");
            (path, uri)
        }

        fn gone_within(path: &Path, limit: Duration) -> bool {
            let t0 = Instant::now();
            while path.exists() {
                if t0.elapsed() > limit {
                    return false;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            true
        }

        #[test]
        fn a_file_uri_is_deleted_and_a_missing_file_is_fine() {
            let tmp = tempfile::tempdir().expect("tempdir");
            let (path, uri) = screenshot(tmp.path());
            delete_file_uri(&uri).expect("delete");
            assert!(!path.exists(), "the screenshot is still there");
            delete_file_uri(&uri).expect("already gone is fine");
            let e = delete_file_uri("https://example.invalid/a.png").unwrap_err();
            assert_eq!(e.kind(), ErrorKind::CaptureFailed);
        }

        #[test]
        fn an_answer_in_time_is_read_and_then_deleted() {
            let tmp = tempfile::tempdir().expect("tempdir");
            let (path, uri) = screenshot(tmp.path());
            let shot = wait_for(move || Ok(Shot { uri }), Duration::from_secs(10)).expect("shot");
            assert!(path.exists(), "deleted before it was read");
            drop(shot);
            assert!(!path.exists(), "the screenshot is still there");
        }

        /// Defect 4: the wait gives up, the portal answers later: its file is deleted all the same.
        #[test]
        fn a_late_answer_is_deleted() {
            let tmp = tempfile::tempdir().expect("tempdir");
            let (path, uri) = screenshot(tmp.path());
            let late = move || {
                std::thread::sleep(Duration::from_millis(300));
                Ok(Shot { uri })
            };
            let e = wait_for(late, Duration::from_millis(20))
                .err()
                .expect("the wait gives up");
            assert_eq!(e.kind(), ErrorKind::CaptureFailed);
            assert!(e.message().contains("did not answer"), "{}", e.message());
            assert!(
                gone_within(&path, Duration::from_secs(10)),
                "the late screenshot was left behind"
            );
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod portal {
    use image::DynamicImage;

    use spse_auth_core::error::Result;

    pub(super) fn capture() -> Result<Vec<DynamicImage>> {
        unreachable!("the portal backend is chosen only on Linux")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wayland_sessions_use_the_portal() {
        assert_eq!(backend_for(true, Some("wayland-0"), None), Backend::Portal);
        assert_eq!(backend_for(true, None, Some("wayland")), Backend::Portal);
        assert_eq!(backend_for(true, None, Some("Wayland ")), Backend::Portal);
        assert_eq!(backend_for(true, Some(""), Some("x11")), Backend::Xcap);
        assert_eq!(backend_for(true, None, Some("tty")), Backend::Xcap);
        assert_eq!(backend_for(true, None, None), Backend::Xcap);
        // WAYLAND_DISPLAY may name any socket, not only "wayland-N".
        assert_eq!(
            backend_for(true, Some("/run/user/1000/w"), None),
            Backend::Portal
        );
        assert_eq!(
            backend_for(false, Some("wayland-0"), Some("wayland")),
            Backend::Xcap
        );
    }

    #[test]
    fn portal_file_uris_become_paths() {
        let p = |u: &str| file_uri_to_path(u).map(|p| p.display().to_string());
        assert_eq!(
            p("file:///home/u/Pictures/Screenshot%20from%202026.png").unwrap(),
            "/home/u/Pictures/Screenshot from 2026.png"
        );
        assert_eq!(p("file://localhost/tmp/a.png").unwrap(), "/tmp/a.png");
        assert_eq!(p("FILE:///tmp/%C3%A9.png").unwrap(), "/tmp/é.png");
        assert_eq!(p("file:///tmp/a.png?x=1").unwrap(), "/tmp/a.png");
        for bad in [
            "https://example.invalid/a.png",
            "file://host/a.png",
            "/tmp/a.png",
            "file:",
        ] {
            let e = file_uri_to_path(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::CaptureFailed, "{bad}");
        }
    }

    #[test]
    fn a_blank_screen_says_no_qr_on_the_screen() {
        let blank = DynamicImage::new_rgba8(640, 400);
        let e = scan_images(&[blank.clone(), blank]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NoQrFound);
        assert!(e.message().starts_with("no QR code found on the screen;"));
        assert!(e.message().ends_with(OTHER_ROUTES), "{}", e.message());
        // No front end's own keys or commands: each adds its own hint by the kind.
        for words in ["Ctrl+", "spse-auth", "--"] {
            assert!(!e.message().contains(words), "{}", e.message());
        }
        assert_eq!(scan_images(&[]).unwrap_err().kind(), ErrorKind::NoQrFound);
    }

    fn fixture(name: &str) -> (DynamicImage, String) {
        let path = spse_auth_test_support::fixture(name);
        let img = image::open(&path).expect("fixture image");
        let txt = std::fs::read_to_string(path.with_extension("txt")).expect("sidecar");
        (img, txt)
    }

    #[test]
    fn every_monitor_is_scanned_and_each_code_counts_once() {
        let (page, uri) = fixture("02_screenshot_1920x1080.png");
        let (blank_page, _) = fixture("09_no_qr_page.png");
        // The QR on the second monitor only; then mirrored on both.
        assert_eq!(
            scan_images(&[blank_page, page.clone()]).unwrap(),
            vec![uri.clone()]
        );
        assert_eq!(
            scan_images(&[page.clone(), page]).unwrap(),
            vec![uri.clone()]
        );
        // Two codes on one monitor plus the same enrolment on another.
        let (two, _) = fixture("08_two_qr_codes.png");
        let (other, other_uri) = fixture("05a_dark_mode_screenshot_1920x1080.png");
        let got = scan_images(&[two, other]).unwrap();
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got.contains(&other_uri));
    }
}
