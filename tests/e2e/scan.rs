//! End-to-end tests of `spse-auth scan`: the real binary captures a real X server (Xvfb) on which
//! a real X client (ImageMagick's `display`) shows a fixture page, as a browser would show the SPSE
//! enrolment page.
//!
//! They need `Xvfb`, ImageMagick's `display`, `oathtool`, and a D-Bus session with an unlocked
//! Secret Service for the runs that save (`.ci/test` provides all of it and opts in with
//! `SPSE_E2E=1`; without it they are skipped, saying why). `.ci/windows` runs them
//! again against the Windows build under Wine (see `common`): its capture path (xcap over GDI)
//! then reads the same Xvfb screen through Wine's X11 driver. All names and secrets are made up.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use spse_auth_test_support::fixture;

fn payload(name: &str) -> String {
    let txt = fixture(name).with_extension("txt");
    std::fs::read_to_string(&txt).unwrap_or_else(|e| panic!("{}: {e}", txt.display()))
}

/// A query parameter of an `otpauth://` URI (the fixtures' values need no decoding but spaces).
fn param(uri: &str, key: &str) -> String {
    let query = uri.split_once('?').expect("query").1;
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("no {key}"))
        .replace("%20", " ")
}

/// Xvfb on a display number it picks itself (`-displayfd`), plus the X clients shown on it; all
/// killed on drop, also when a test fails. Xvfb's and each client's stderr go to files in `logs`,
/// so a window that never shows says why.
struct Screen {
    display: String,
    xvfb: Child,
    clients: Vec<Child>,
    logs: tempfile::TempDir,
}

impl Screen {
    fn new(width: u32, height: u32) -> Screen {
        let logs = tempfile::tempdir().expect("tempdir");
        let mut xvfb = Command::new("Xvfb")
            .args(["-displayfd", "1", "-nolisten", "tcp", "-br", "-screen", "0"])
            .arg(format!("{width}x{height}x24"))
            .stdout(Stdio::piped())
            .stderr(log_file(&logs, "xvfb"))
            .spawn()
            .expect("Xvfb is installed (apt-get install xvfb)");
        // Xvfb writes its display number once it accepts connections.
        let mut line = String::new();
        BufReader::new(xvfb.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the display number");
        let n: u32 = line.trim().parse().unwrap_or_else(|_| {
            panic!(
                "Xvfb did not start: {line:?}; its stderr: {}",
                read_log(&logs, "xvfb")
            )
        });
        Screen {
            display: format!(":{n}"),
            xvfb,
            clients: Vec::new(),
            logs,
        }
    }

    /// Shows `image` at the top-left corner in a new window (on top of the earlier ones) and waits
    /// until the window is viewable, at most 60 s. A `display` that exits before its window shows
    /// is started again (twice at most); the panic names what each part printed.
    fn show(&mut self, image: &Path) {
        let title = format!("spse-scan-test-{}", self.clients.len());
        let spawn = |attempt: u32| {
            Command::new("display")
                .args(["-geometry", "+0+0", "-title", &title])
                .arg(image)
                .env("DISPLAY", &self.display)
                .stdout(Stdio::null())
                .stderr(log_file(&self.logs, &format!("{title}.{attempt}")))
                .spawn()
                .expect("ImageMagick's display is installed (apt-get install imagemagick)")
        };
        let mut attempt = 0;
        let mut child = spawn(attempt);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let info = Command::new("xwininfo")
                .args(["-display", &self.display, "-name", &title])
                .output()
                .expect("xwininfo is installed (apt-get install x11-utils)");
            if String::from_utf8_lossy(&info.stdout).contains("IsViewable") {
                self.clients.push(child);
                return;
            }
            let exited = child.try_wait().expect("display's status");
            if let (Some(status), true) = (exited, attempt < 2) {
                eprintln!(
                    "{title}: display exited ({status}) before its window showed: {}; again",
                    read_log(&self.logs, &format!("{title}.{attempt}"))
                );
                attempt += 1;
                child = spawn(attempt);
                continue;
            }
            if Instant::now() >= deadline || exited.is_some() {
                let _ = child.kill();
                panic!(
                    "{title} ({}) never became viewable on {}: display {}, its stderr: {:?}; \
                     xwininfo: {:?}; Xvfb {}, its stderr: {:?}",
                    image.display(),
                    self.display,
                    exited.map_or("still running".into(), |s| s.to_string()),
                    read_log(&self.logs, &format!("{title}.{attempt}")),
                    String::from_utf8_lossy(&info.stderr),
                    match self.xvfb.try_wait() {
                        Ok(Some(s)) => format!("exited ({s})"),
                        _ => "running".into(),
                    },
                    read_log(&self.logs, "xvfb"),
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs `spse-auth --data-dir DIR ARGS…` on this screen.
    fn run(&self, dir: &Path, args: &[&str]) -> Output {
        common::command(dir, args)
            .env("DISPLAY", &self.display)
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("XDG_SESSION_TYPE")
            .stdin(Stdio::null())
            .output()
            .expect("run spse-auth")
    }

    /// `run` until `done` accepts the result (the window is viewable before it is painted), at most
    /// 30 s; returns the accepted output and how long that last run took.
    fn run_until(
        &self,
        dir: &Path,
        args: &[&str],
        done: impl Fn(&Output) -> bool,
    ) -> (Output, Duration) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let start = Instant::now();
            let out = self.run(dir, args);
            let took = start.elapsed();
            if done(&out) {
                return (out, took);
            }
            assert!(
                Instant::now() < deadline,
                "spse-auth {args:?} on {}: exit {:?}, stdout {} stderr {}",
                self.display,
                out.status.code(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        for c in self
            .clients
            .iter_mut()
            .chain(std::iter::once(&mut self.xvfb))
        {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A new file `logs/NAME.log` for a child's stderr.
fn log_file(logs: &tempfile::TempDir, name: &str) -> std::fs::File {
    std::fs::File::create(logs.path().join(format!("{name}.log"))).expect("log file")
}

/// What a child wrote to `logs/NAME.log` so far (trimmed; empty when nothing).
fn read_log(logs: &tempfile::TempDir, name: &str) -> String {
    std::fs::read_to_string(logs.path().join(format!("{name}.log")))
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `oathtool`'s code for the fixtures' parameters (SHA1, 6 digits, 30 s) at `t`.
fn oathtool(secret_b32: &str, t: u64) -> String {
    spse_auth_test_support::oathtool_totp(secret_b32, "SHA1", 6, 30, t)
}

/// `scan --dry-run` of `name` shown full screen on a `width`×`height` Xvfb: one `would-add` line
/// with the fixture's issuer and account, no data folder created. Prints the time of the run.
fn dry_run_finds(name: &str, width: u32, height: u32) {
    if !common::e2e_enabled("Xvfb and ImageMagick's display") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let mut screen = Screen::new(width, height);
    screen.show(&fixture(name));
    let (out, took) = screen.run_until(&dir, &["scan", "--dry-run"], |o| o.status.success());
    let uri = payload(name);
    let issuer = param(&uri, "issuer");
    let account = uri
        .split_once('?')
        .expect("query")
        .0
        .rsplit_once(':')
        .expect("label")
        .1
        .to_string();
    assert_eq!(
        stdout(&out),
        format!("would-add - {issuer} {account}\n"),
        "{name}"
    );
    assert!(!dir.exists(), "{name}: --dry-run created the data folder");
    eprintln!("scan --dry-run of {name} on {width}x{height}: {took:?} (whole process)");
}

#[test]
fn scan_dry_run_then_add_then_a_page_without_qr() {
    if !common::keyring_test("Xvfb, ImageMagick's display and oathtool") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let name = "02_screenshot_1920x1080.png";
    let secret = param(&payload(name), "secret");
    let mut screen = Screen::new(1920, 1080);
    screen.show(&fixture(name));

    let (out, took) = screen.run_until(&dir, &["scan", "--dry-run"], |o| o.status.success());
    assert_eq!(
        stdout(&out),
        "would-add - LPSE Kabupaten Contoh PPK.SITI-02\n"
    );
    assert!(!dir.exists(), "--dry-run created the data folder");
    eprintln!("scan --dry-run of {name} on 1920x1080: {took:?} (whole process)");

    let out = screen.run(&dir, &["scan"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let added = stdout(&out);
    let fields: Vec<&str> = added.trim_end().splitn(3, ' ').collect();
    assert_eq!(fields[0], "added", "{added}");
    assert_eq!(fields[2], "LPSE Kabupaten Contoh PPK.SITI-02");
    let id = fields[1];
    for t in [59, 1_111_111_109, 2_000_000_000u64] {
        let out = screen.run(&dir, &["code", id, "--at", &t.to_string()]);
        assert_eq!(stdout(&out).trim(), oathtool(&secret, t), "at {t}");
    }
    assert!(!added.contains(&secret), "secret printed");

    // Scanning again changes nothing, and the dry run says so with the id.
    let out = screen.run(&dir, &["scan", "--dry-run"]);
    assert_eq!(
        stdout(&out),
        format!("unchanged {id} LPSE Kabupaten Contoh PPK.SITI-02\n")
    );
    let before = std::fs::read(dir.join("vault.spse")).expect("vault");

    // The same page with the QR missing, drawn over the first: exit 1, the screen advice, no change.
    screen.show(&fixture("09_no_qr_page.png"));
    let (out, _) = screen.run_until(&dir, &["scan"], |o| o.status.code() == Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no QR code found on the screen")
            && err.contains("open the SPSE enrolment page"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one actionable line: {err}");
    assert!(stdout(&out).is_empty());
    assert_eq!(
        std::fs::read(dir.join("vault.spse")).expect("vault"),
        before
    );
}

#[test]
fn scan_finds_the_qr_on_a_dark_page() {
    dry_run_finds("05a_dark_mode_screenshot_1920x1080.png", 1920, 1080);
}

#[test]
fn scan_finds_the_qr_on_a_hidpi_screen() {
    dry_run_finds("03a_screenshot_3840x2160_hidpi.png", 3840, 2160);
}

#[test]
fn no_display_is_a_capture_error() {
    if common::skip_under_wine(
        "Wine itself needs an X display; there is no 'no display' on Windows",
    ) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path().join("d");
    let d = d.to_str().expect("path");
    let out = common::command(Path::new(d), &["scan", "--dry-run"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("XDG_SESSION_TYPE")
        .output()
        .expect("run spse-auth");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot capture the screen") && err.contains("no graphical session"),
        "{err}"
    );
    // A display that does not exist is named.
    let out = common::command(Path::new(d), &["scan"])
        .env("DISPLAY", ":4093")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("XDG_SESSION_TYPE")
        .output()
        .expect("run spse-auth");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the X display :4093"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!tmp.path().join("d").exists());
}
