//! Harness for the desktop app's end-to-end tests: starts `tauri-driver` (which starts
//! WebKitWebDriver and the real app binary) with a private data folder and drives the app through
//! a tiny W3C WebDriver client over HTTP (`ureq` + `serde_json`).
//!
//! The tests expect a display (`DISPLAY`, e.g. Xvfb) and an unlocked Secret Service on the session
//! bus: `tests/app/run.sh` sets both up, with a throw-away keyring, and says so with `SPSE_E2E=1
//! SPSE_E2E_PRIVATE_KEYRING=1`. Without those [`App::launch`] refuses to start (the app would
//! write into the session's keyring, which on a desktop is the user's login keyring). Binaries: `SPSE_APP_BIN` (default
//! `$CARGO_TARGET_DIR/debug/spse-authenticator`), `SPSE_CLI_BIN` (default `…/debug/spse-auth`),
//! `TAURI_DRIVER` (default `tauri-driver` on `PATH` or in `~/.cargo/bin`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use spse_auth_test_support::note_retry;

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// `tests/app` of the checkout whose tests run ([`spse_auth_test_support::repo_root`]).
pub fn manifest_dir() -> PathBuf {
    spse_auth_test_support::repo_root().join("tests/app")
}

/// The Cargo target folder the binaries were built into.
pub fn target_dir() -> PathBuf {
    if let Ok(d) = std::env::var("CARGO_TARGET_DIR") {
        return PathBuf::from(d);
    }
    spse_auth_test_support::repo_root().join("target")
}

/// The app binary under test.
pub fn app_bin() -> PathBuf {
    std::env::var_os("SPSE_APP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/spse-authenticator"))
}

/// The CLI binary (`spse-auth`).
pub fn cli_bin() -> PathBuf {
    std::env::var_os("SPSE_CLI_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/spse-auth"))
}

/// A fixture image or text from `tests/data/fixtures` (or `$SPSE_FIXTURES_DIR`).
pub fn fixture(name: &str) -> PathBuf {
    match std::env::var_os("SPSE_FIXTURES_DIR") {
        Some(dir) => PathBuf::from(dir).join(name),
        None => spse_auth_test_support::fixture(name),
    }
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let cargo_bin = home.join(".cargo/bin/tauri-driver");
    if cargo_bin.exists() {
        cargo_bin
    } else {
        PathBuf::from("tauri-driver")
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port")
}

/// Starts `tauri-driver` on two free ports with the app's environment and waits (up to 20 s) until
/// it answers; returns it and its base URL. Its stderr goes to `DIR/tauri-driver-N.log`. When it
/// exits before answering (one of its ports taken between [`free_port`] and its bind: once in CI
/// it did not start, and its output was not kept), it is started again on new ports, up to 3
/// times; the panic names its exit status and the end of its log.
fn start_driver(data_dir: &Path, lang: &str, xdg: &Path, dir: &Path) -> (Child, String) {
    let mut last = String::new();
    for attempt in 1..=3 {
        let port = free_port();
        let native_port = loop {
            let p = free_port();
            if p != port {
                break p;
            }
        };
        let log_path = dir.join(format!("tauri-driver-{attempt}.log"));
        let log = std::fs::File::create(&log_path).expect("tauri-driver log");
        let mut driver = Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("SPSE_AUTH_DATA_DIR", data_dir)
            .env("LANG", lang)
            .env("LC_ALL", lang)
            .env("LANGUAGE", "")
            .env("XDG_CONFIG_HOME", xdg.join("config"))
            .env("XDG_CACHE_HOME", xdg.join("cache"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("tauri-driver not found: cargo install tauri-driver --version '^2' --locked");
        let base = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        let tail = || last_lines(&log_path, 5);
        loop {
            if http().get(&format!("{base}/status")).call().is_ok() {
                return (driver, base);
            }
            if let Ok(Some(status)) = driver.try_wait() {
                last = format!(
                    "exited ({status}) on ports {port}/{native_port}: {}",
                    tail()
                );
                note_retry(&format!(
                    "tauri-driver {last}; starting it again (attempt {attempt} of 3)"
                ));
                break;
            }
            if start.elapsed() >= Duration::from_secs(20) {
                stop_driver(&mut driver);
                panic!(
                    "tauri-driver did not answer within 20 s on port {port}: {}",
                    tail()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    panic!("tauri-driver did not start: {last}");
}

/// Starts tauri-driver ([`start_driver`]) and a WebDriver session on the app started by `wrapper`;
/// returns the driver, its base URL and the session id. When the session does not start (once in
/// CI the request timed out after 90 s, and nothing said why), the panic or the retry message
/// carries [`launch_state`]: the app's output, its threads' states and tauri-driver's log. The
/// session is tried twice, each time with a new tauri-driver and no app instance left running.
fn start_session(
    data_dir: &Path,
    lang: &str,
    xdg: &Path,
    dir: &Path,
    wrapper: &Path,
    app_log: &Path,
) -> (Child, String, String) {
    let caps = json!({"capabilities": {"alwaysMatch": {
        "browserName": "wry",
        "tauri:options": {"application": wrapper}
    }}});
    for attempt in 1..=2 {
        let (mut driver, base) = start_driver(data_dir, lang, xdg, dir);
        let result = http()
            .post(&format!("{base}/session"))
            .send_json(caps.clone());
        match result {
            Ok(resp) => {
                let resp: Value = resp.into_json().expect("a JSON session reply");
                let session = resp["value"]["sessionId"]
                    .as_str()
                    .unwrap_or_else(|| panic!("no session id in {resp}"))
                    .to_string();
                return (driver, base, session);
            }
            Err(e) => {
                let what = format!(
                    "cannot start a WebDriver session: {}; {}",
                    describe(e),
                    launch_state(app_log, dir)
                );
                stop_driver(&mut driver);
                end_app_instances();
                if attempt == 2 {
                    panic!("{what}");
                }
                note_retry(&format!(
                    "{what}\nstarting tauri-driver and the app again (attempt 2 of 2)"
                ));
            }
        }
    }
    unreachable!("the loop returns or panics")
}

/// The last `n` lines of the text file `path`, joined with " | " (empty when it cannot be read).
fn last_lines(path: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

/// What a failed launch left: the end of the app's output, each running app process's threads
/// (name, state, kernel wait channel) and the end of every tauri-driver log in `dir`. No secret is
/// in any of them (the app never prints one).
fn launch_state(app_log: &Path, dir: &Path) -> String {
    let mut out = format!("app output: [{}]", last_lines(app_log, 15));
    let pids = app_pids();
    if pids.is_empty() {
        out += "; no app process runs";
    }
    for pid in pids {
        let mut threads = Vec::new();
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
            for task in tasks.filter_map(|t| t.ok()) {
                let read = |f: &str| {
                    std::fs::read_to_string(task.path().join(f))
                        .unwrap_or_default()
                        .trim()
                        .to_string()
                };
                let state = read("status")
                    .lines()
                    .find(|l| l.starts_with("State:"))
                    .unwrap_or("")
                    .trim_start_matches("State:")
                    .trim()
                    .to_string();
                threads.push(format!("{} {} {}", read("comm"), state, read("wchan")));
            }
        }
        out += &format!("; app pid {pid} threads: [{}]", threads.join(", "));
    }
    for n in 1..=3 {
        let path = dir.join(format!("tauri-driver-{n}.log"));
        if path.exists() {
            out += &format!("; tauri-driver-{n}.log: [{}]", last_lines(&path, 10));
        }
    }
    out
}

/// `oathtool --totp` for `secret` at Unix time `t` (the independent reference).
pub fn oathtool_totp(secret: &str, t: u64, digits: u8, period: u32, algo: &str) -> String {
    spse_auth_test_support::oathtool_totp(secret, algo, u32::from(digits), period, t)
}

/// The codes `oathtool` gives for the previous, current and next period.
pub fn oathtool_window(secret: &str) -> Vec<String> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    [now - 30, now, now + 30]
        .iter()
        .map(|t| oathtool_totp(secret, *t, 6, 30, "SHA1"))
        .collect()
}

/// The background `xclip` serving the clipboard; stopped (and reaped) when dropped.
pub struct Clip(Child);

impl Drop for Clip {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Puts `file` on the X clipboard with MIME type `mime` (xclip keeps serving it in the background).
pub fn clipboard_set_file(file: &Path, mime: &str) -> Clip {
    let child = Command::new("xclip")
        .args(["-selection", "clipboard", "-t", mime, "-i"])
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("xclip not installed (apt-get install xclip)");
    std::thread::sleep(Duration::from_millis(300));
    Clip(child)
}

/// Puts `text` on the X clipboard as plain text.
pub fn clipboard_set_text(text: &str, dir: &Path) -> Clip {
    let f = dir.join("clip.txt");
    std::fs::write(&f, text).unwrap();
    clipboard_set_file(&f, "UTF8_STRING")
}

/// The X clipboard's text (empty when it holds none).
pub fn clipboard_text() -> String {
    // `timeout`: a clipboard owner that never answers must fail the test, not hang it.
    let out = Command::new("timeout")
        .args(["10", "xclip", "-selection", "clipboard", "-o"])
        .output()
        .expect("xclip");
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// An image shown on the test's X display by ImageMagick's `display` (a real X client); the
/// window is closed (process killed and reaped) when dropped.
pub struct Shown(Child);

impl Drop for Shown {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Shows `file` at the top left corner of the display, unscaled, on top of the windows already
/// there, and waits (up to 30 s) until the screen shows it: until its window is mapped
/// (`xwininfo`) and the window's pixels, read back from the X server, are the picture's, pixel
/// for pixel (ImageMagick's `compare -metric AE` against `x:` the window's id). It used to wait a
/// fixed 3 s, a guess: in one CI run the scan that followed found no QR on the screen, most
/// likely because `display` had not painted yet. Panics if the picture never appears.
pub fn show_on_screen(file: &Path) -> Shown {
    const TITLE: &str = "spse-e2e-fixture";
    let child = Command::new("display")
        .args(["-geometry", "+0+0", "-title", TITLE])
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("ImageMagick `display` not installed (apt-get install imagemagick)");
    let shown = Shown(child);
    let start = Instant::now();
    while !shows_picture(TITLE, file) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{} was not on the screen 30 s after starting `display`",
            file.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    shown
}

/// Whether the X window titled `title` is mapped and shows exactly the picture in `file`.
fn shows_picture(title: &str, file: &Path) -> bool {
    let info = Command::new("xwininfo")
        .args(["-name", title])
        .output()
        .expect("xwininfo not installed (apt-get install x11-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    let id = info
        .split_whitespace()
        .skip_while(|w| *w != "id:")
        .nth(1)
        .filter(|id| id.starts_with("0x"));
    let (Some(id), true) = (id, info.contains("Map State: IsViewable")) else {
        return false;
    };
    // By id, never by name: `x:` with a name no window has waits for a click on a window.
    // Exit status 0: no pixel differs. `timeout`: a stuck read fails the poll, not the test run.
    Command::new("timeout")
        .args(["10", "compare", "-metric", "AE"])
        .arg(file)
        .arg(format!("x:{id}"))
        .arg("null:")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("timeout (coreutils)")
        .success()
}

/// One running app under WebDriver, with its private data folder.
pub struct App {
    driver: Child,
    base: String,
    session: String,
    /// Data folder of the vault (`SPSE_AUTH_DATA_DIR`).
    pub data_dir: PathBuf,
    /// The app's standard output and error (appended across relaunches in the same folder).
    pub log: PathBuf,
    lang: String,
    tmp: Option<tempfile::TempDir>,
}

impl App {
    /// Starts the app with the given `LANG` and an empty data folder.
    pub fn launch(lang: &str) -> App {
        let tmp = tempfile::tempdir().unwrap();
        let data_dir = tmp.path().join("data");
        std::fs::create_dir_all(&data_dir).unwrap();
        Self::launch_in(lang, tmp, data_dir)
    }

    /// Starts the app over `data_dir` (inside `tmp`, which also holds the webview's XDG folders).
    pub fn launch_in(lang: &str, tmp: tempfile::TempDir, data_dir: PathBuf) -> App {
        Self::launch_in_env(lang, tmp, data_dir, &[])
    }

    /// Like [`launch_in`](Self::launch_in), with extra environment variables for the app process
    /// only (not for tauri-driver or WebKitWebDriver), e.g. an unreachable session bus.
    pub fn launch_in_env(
        lang: &str,
        tmp: tempfile::TempDir,
        data_dir: PathBuf,
        app_env: &[(&str, &str)],
    ) -> App {
        Self::launch_with(lang, tmp, data_dir, app_env, &[])
    }

    /// Like [`launch_in_env`](Self::launch_in_env), the app started with `args` too (e.g.
    /// `--hidden`, as the start-at-log-in entry does).
    pub fn launch_with(
        lang: &str,
        tmp: tempfile::TempDir,
        data_dir: PathBuf,
        app_env: &[(&str, &str)],
        args: &[&str],
    ) -> App {
        // Before anything else (ending app instances, starting the app): only in the private
        // session tests/app/run.sh sets up, never on the user's desktop and login keyring.
        spse_auth_test_support::require_e2e_private_keyring(
            "the desktop app's end-to-end tests (Xvfb, a private keyring, tauri-driver)",
        );
        // The app is single-instance: a previous test's app still exiting would take the new
        // launch's place (the new process only focuses it and quits), and WebDriver would wait
        // forever for a window.
        end_app_instances();
        let xdg = tmp.path().join("xdg");
        // The app is started through a wrapper that keeps its output (the leak test reads it);
        // `exec` keeps the app's own pid and executable, so `app_pids` still finds it.
        let log = tmp.path().join("app-output.log");
        let wrapper = tmp.path().join("run-app.sh");
        std::fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\n{}exec '{}' \"$@\"{} >>'{}' 2>&1\n",
                app_env
                    .iter()
                    .map(|(k, v)| format!("export {k}='{v}'\n"))
                    .collect::<String>(),
                app_bin().display(),
                args.iter().map(|a| format!(" '{a}'")).collect::<String>(),
                log.display()
            ),
        )
        .unwrap();
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let (driver, base, session) =
            start_session(&data_dir, lang, &xdg, tmp.path(), &wrapper, &log);
        let app = App {
            driver,
            base,
            session,
            data_dir,
            log,
            lang: lang.to_string(),
            tmp: Some(tmp),
        };
        // The page's event listeners are registrations in Rust (IPC): an event sent before they
        // are done (a close request right after the first screen, a shortcut press) is lost.
        app.wait(30, "the page's event listeners", |a| {
            a.js("return document.documentElement.dataset.events || '';") == "on"
        });
        app
    }

    /// Quits this app and starts it again over the same data folder (and the same `LANG`).
    pub fn relaunch(self) -> App {
        self.relaunch_with(|_| {})
    }

    /// Quits this app, runs `between` on the data folder (e.g. to damage the vault while no app
    /// runs), then starts the app again over it.
    pub fn relaunch_with(self, between: impl FnOnce(&Path)) -> App {
        self.relaunch_env(between, &[])
    }

    /// [`relaunch_with`](Self::relaunch_with), the new app process getting `app_env` too.
    pub fn relaunch_env(mut self, between: impl FnOnce(&Path), app_env: &[(&str, &str)]) -> App {
        let tmp = self.tmp.take().expect("temporary folder");
        let (lang, data_dir) = (self.lang.clone(), self.data_dir.clone());
        drop(self);
        end_app_instances();
        between(&data_dir);
        Self::launch_in_env(&lang, tmp, data_dir, app_env)
    }

    /// Everything the app printed so far (standard output and error).
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The vault id (also the keyring entry's user name), read from the vault file's header.
    pub fn vault_id(&self) -> String {
        let bytes = std::fs::read(self.data_dir.join("vault.spse")).expect("vault file");
        let text = String::from_utf8_lossy(&bytes);
        let start = text
            .find("\"vault_id\":\"")
            .expect("vault_id in the header")
            + 12;
        text[start..start + 32].to_string()
    }

    /// Runs `spse-auth --data-dir <data dir> ARGS…`; returns (success, stdout, stderr).
    pub fn cli(&self, args: &[&str]) -> (bool, String, String) {
        let out = Command::new(cli_bin())
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("spse-auth binary (cargo build -p spse-auth-cli)");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    }

    /// Enrols the fixture QR `01_clean_qr.png` by pasting it (Ctrl+V) and waits for its row. The
    /// first vault write of a test binary that starts right after another one sometimes meets
    /// gnome-keyring answering "locked" (NoStorageAccess) under load; the app then offers "Try
    /// again" ("Not saved yet"), which is pressed as a user would (up to 3 times).
    pub fn enrol_fixture(&self) {
        let _clip = self.paste_fixture_image("01_clean_qr.png");
        for _ in 0..3 {
            self.wait(30, "the new row or a retry", |a| {
                a.find(".row .code").is_some() || a.text().contains("Not saved yet")
            });
            if self.find(".row .code").is_some() {
                return;
            }
            std::thread::sleep(Duration::from_secs(2));
            self.click("#confirm-ok");
        }
        self.wait(30, "the new row", |a| a.find(".row .code").is_some());
    }

    /// Enrols a second, made-up account ([`SECOND_SECRET`]) from an otpauth:// text on the
    /// clipboard and waits for two rows.
    pub fn enrol_second(&self) {
        let tmp = tempfile::tempdir().unwrap();
        let uri = format!(
            "otpauth://totp/Kota%20Fiktif:PPK.SITI-02?secret={SECOND_SECRET}&issuer=Kota%20Fiktif"
        );
        let _clip = clipboard_set_text(&uri, tmp.path());
        wait_clipboard_serves(&tmp.path().join("clip.txt"), "UTF8_STRING");
        self.paste();
        self.wait(30, "two rows", |a| {
            a.js("return document.querySelectorAll('.row').length")
                .as_u64()
                == Some(2)
        });
    }

    /// Sets the recovery password through Settings (the form opens from the banner or the
    /// gear); Settings stays open.
    pub fn ui_set_recovery(&self, password: &str) {
        if !self.visible("#recovery-new") {
            self.click("#btn-settings");
            self.wait(10, "settings", |a| a.visible("#recovery-set"));
            self.click("#recovery-set");
        }
        self.wait(5, "the password form", |a| a.visible("#recovery-new"));
        self.type_into("#recovery-new", password);
        self.type_into("#recovery-confirm", password);
        self.click("#recovery-save");
        self.wait_text(20, "Recovery password saved.");
    }

    /// Sets the vault's recovery password with `spse-auth --password-stdin recovery set`, as a
    /// test shortcut (Settings' own form is tested in safety.rs); panics when it fails.
    pub fn cli_set_recovery(&self, password: &str) {
        use std::io::Write;
        let mut child = Command::new(cli_bin())
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(["--password-stdin", "recovery", "set"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spse-auth");
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "recovery set failed: {out:?}");
    }

    /// Whether the element for `css` exists and is not hidden (no `hidden` on it or an ancestor).
    pub fn visible(&self, css: &str) -> bool {
        let css = serde_json::to_string(css).unwrap();
        self.js(&format!(
            "const e = document.querySelector({css}); return !!e && !e.closest('[hidden]') && !(e.closest('dialog') && !e.closest('dialog').open);"
        ))
        .as_bool()
            == Some(true)
    }

    /// The pid of the running app process (started by WebKitWebDriver).
    pub fn pid(&self) -> u32 {
        let pids = app_pids();
        assert_eq!(pids.len(), 1, "expected one app process, found {pids:?}");
        pids[0]
    }

    /// The app's top-level X windows (`xdotool search --pid`), visible ones only.
    pub fn x_windows(&self) -> Vec<String> {
        xdotool(&["search", "--onlyvisible", "--pid", &self.pid().to_string()])
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// The main window's X ids ("SPSE Authenticator", mapped) — unlike
    /// [`x_windows`](Self::x_windows), never the tray icon's own small window.
    fn main_x_windows(&self) -> String {
        xdotool(&[
            "search",
            "--all",
            "--onlyvisible",
            "--pid",
            &self.pid().to_string(),
            "--name",
            "^SPSE Authenticator$",
        ])
    }

    /// Whether the main window is mapped (see [`main_x_window`](Self::main_x_window)).
    pub fn window_shown(&self) -> bool {
        !self.main_x_windows().is_empty()
    }

    /// The main window's X id (it must be shown): the window to send keys or a close request to.
    /// [`x_windows`](Self::x_windows)`[0]` may be the tray icon's window, depending on the order
    /// X lists them in.
    pub fn main_x_window(&self) -> String {
        let ids = self.main_x_windows();
        ids.lines()
            .next()
            .unwrap_or_else(|| panic!("the main window is not shown"))
            .to_string()
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{}", self.base, self.session, path)
    }

    fn post(&self, path: &str, body: Value) -> Value {
        let r: Value = http()
            .post(&self.url(path))
            .send_json(body)
            .unwrap_or_else(|e| panic!("WebDriver POST {path}: {}", describe(e)))
            .into_json()
            .unwrap();
        r["value"].clone()
    }

    fn get(&self, path: &str) -> Value {
        let r: Value = http()
            .get(&self.url(path))
            .call()
            .unwrap_or_else(|e| panic!("WebDriver GET {path}: {}", describe(e)))
            .into_json()
            .unwrap();
        r["value"].clone()
    }

    /// Runs `script` (a function body) in the page and returns its value.
    pub fn js(&self, script: &str) -> Value {
        self.post("/execute/sync", json!({"script": script, "args": []}))
    }

    /// Runs `script` (a function body) as an asynchronous script: it must call
    /// `arguments[arguments.length - 1](value)` once done; returns that value.
    pub fn js_async(&self, script: &str) -> Value {
        self.post("/execute/async", json!({"script": script, "args": []}))
    }

    /// Calls app command `cmd` with `args` from the page, as the UI would: `Ok(result)` or
    /// `Err({kind, message})`.
    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let script = format!(
            "const done = arguments[arguments.length - 1];
             window.__TAURI__.core.invoke({}, {}).then(r => done({{ok: r ?? null}}), e => done({{err: e}}));",
            serde_json::to_string(cmd).unwrap(),
            args
        );
        let v = self.js_async(&script);
        match v.get("err") {
            Some(e) => Err(e.clone()),
            None => Ok(v["ok"].clone()),
        }
    }

    /// Saves a PNG screenshot of the window to `path`.
    pub fn screenshot(&self, path: &Path) {
        use std::io::Write;
        let b64 = self.get("/screenshot");
        let png = base64_decode(b64.as_str().unwrap_or_default());
        std::fs::File::create(path)
            .and_then(|mut f| f.write_all(&png))
            .unwrap();
    }

    /// The page's visible text.
    pub fn text(&self) -> String {
        self.js("return document.body.innerText;")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits up to `secs` for `cond`, panicking with `what` and the page text on timeout.
    pub fn wait(&self, secs: u64, what: &str, mut cond: impl FnMut(&App) -> bool) {
        let start = Instant::now();
        while !cond(self) {
            if start.elapsed() > Duration::from_secs(secs) {
                panic!("timed out waiting for {what}; page text:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Waits until the visible text contains `needle`.
    pub fn wait_text(&self, secs: u64, needle: &str) {
        self.wait(secs, &format!("text {needle:?}"), |a| {
            a.text().contains(needle)
        });
    }

    /// The WebDriver element for `css`, if any.
    pub fn find(&self, css: &str) -> Option<String> {
        let r = http()
            .post(&self.url("/element"))
            .send_json(json!({"using": "css selector", "value": css}))
            .ok()?;
        let v: Value = r.into_json().ok()?;
        v["value"][ELEMENT_KEY].as_str().map(str::to_string)
    }

    /// Clicks the element for `css` (a real WebDriver click). An element that is briefly not
    /// interactable (a dialog still opening or scrolling) is retried for up to 5 s.
    pub fn click(&self, css: &str) {
        let start = Instant::now();
        loop {
            let id = self
                .find(css)
                .unwrap_or_else(|| panic!("no element {css}; page:\n{}", self.text()));
            match http()
                .post(&self.url(&format!("/element/{id}/click")))
                .send_json(json!({}))
            {
                Ok(_) => return,
                Err(ureq::Error::Status(400, r)) if start.elapsed() < Duration::from_secs(5) => {
                    let body = r.into_string().unwrap_or_default();
                    assert!(
                        body.contains("not interactable") || body.contains("stale"),
                        "WebDriver click {css}: {body}"
                    );
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => panic!("WebDriver click {css}: {}", describe(e)),
            }
        }
    }

    /// Types `text` into the element for `css` (WebDriver "element send keys").
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self
            .find(css)
            .unwrap_or_else(|| panic!("no element {css}; page:\n{}", self.text()));
        self.post(&format!("/element/{id}/clear"), json!({}));
        self.post(&format!("/element/{id}/value"), json!({"text": text}));
    }

    /// Text of the element for `css`.
    pub fn element_text(&self, css: &str) -> String {
        let id = self
            .find(css)
            .unwrap_or_else(|| panic!("no element {css}; page:\n{}", self.text()));
        self.get(&format!("/element/{id}/text"))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Presses a key chord through WebDriver key actions, e.g. `&["\u{E009}", "v"]` for Ctrl+V.
    pub fn keys(&self, chord: &[&str]) {
        let mut actions = Vec::new();
        for k in chord {
            actions.push(json!({"type": "keyDown", "value": k}));
        }
        for k in chord.iter().rev() {
            actions.push(json!({"type": "keyUp", "value": k}));
        }
        self.post(
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        );
        let _ = http().delete(&self.url("/actions")).call();
    }

    /// Ctrl+V.
    pub fn paste(&self) {
        self.keys(&["\u{E009}", "v"]);
    }

    /// Puts the fixture image `name` (PNG) on the clipboard, waits until the clipboard serves
    /// it, and pastes it (Ctrl+V). Keep the returned [`Clip`] while the app may still read it.
    pub fn paste_fixture_image(&self, name: &str) -> Clip {
        let file = fixture(name);
        let clip = clipboard_set_file(&file, "image/png");
        wait_clipboard_serves(&file, "image/png");
        self.paste();
        clip
    }

    /// Asserts that the first visible account's code is `oathtool`'s for `secret` (6 digits,
    /// 30 s, SHA1) now or in the neighbouring period, and returns it.
    pub fn assert_code_matches(&self, secret: &str) -> String {
        let shown = self.first_code();
        let expected = oathtool_window(secret);
        assert!(
            expected.contains(&shown),
            "shown {shown}, oathtool says {expected:?}"
        );
        shown
    }

    /// The displayed code of the first visible account, without the grouping space.
    pub fn first_code(&self) -> String {
        self.element_text(".row:not([hidden]) .code")
            .replace(' ', "")
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = http().delete(&self.url("")).call();
        stop_driver(&mut self.driver);
    }
}

/// Stops tauri-driver: SIGTERM (not SIGKILL, so that it stops WebKitWebDriver too), then SIGKILL
/// if it has not exited within 5 s; reaped either way.
fn stop_driver(driver: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &driver.id().to_string()])
        .status();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(_)) = driver.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = driver.kill();
    let _ = driver.wait();
}

/// The X window (id) whose name is exactly `name`, waiting up to `secs` for it.
pub fn wait_x_window(name: &str, secs: u64) -> String {
    let start = Instant::now();
    loop {
        let found = xdotool(&["search", "--onlyvisible", "--name", &format!("^{name}$")]);
        if let Some(id) = found.lines().next() {
            return id.to_string();
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let all: Vec<String> = xdotool(&["search", "--onlyvisible", "--name", "."])
                .lines()
                .map(|w| xdotool(&["getwindowname", w]))
                .collect();
            panic!("no window named {name:?}; visible windows: {all:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Window position and size: (x, y, w, h).
pub fn geometry(window: &str) -> (i64, i64, i64, i64) {
    let out = xdotool(&["getwindowgeometry", "--shell", window]);
    let get = |k: &str| -> i64 {
        out.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {k} in {out}"))
    };
    (get("X"), get("Y"), get("WIDTH"), get("HEIGHT"))
}

/// Stops the drag source window when dropped.
struct Source(Child);

impl Drop for Source {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Drags `file` onto the app's window with a real X drag-and-drop (XDND), as from a file manager:
/// a GTK window (`tests/app/drag_source.py`) placed right of the app offers the file as
/// `text/uri-list`; `xdotool` presses on it, moves in steps onto the app and releases.
pub fn drag_file_onto(app: &App, file: &Path) {
    let target = app.main_x_window();
    let (ax, ay, aw, ah) = geometry(&target);
    let script = manifest_dir().join("drag_source.py");
    let file = std::fs::canonicalize(file).unwrap();
    // Debian's Python (its python3-gi), not one that a version manager puts first on PATH.
    let _source = Source(
        Command::new("/usr/bin/python3")
            .arg(&script)
            .arg(&file)
            .arg((ax + aw + 40).to_string())
            .arg("100")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("/usr/bin/python3 (apt-get install python3-gi gir1.2-gtk-3.0)"),
    );
    let source = wait_x_window("spse-e2e-drag-source", 30);
    std::thread::sleep(Duration::from_millis(500));
    let (sx, sy, sw, sh) = geometry(&source);
    let (x0, y0) = (sx + sw / 2, sy + sh / 2);
    let (x1, y1) = (ax + aw / 2, ay + ah / 2);
    xdotool(&["mousemove", "--sync", &x0.to_string(), &y0.to_string()]);
    xdotool(&["mousedown", "1"]);
    for i in 1..=20 {
        let x = x0 + (x1 - x0) * i / 20;
        let y = y0 + (y1 - y0) * i / 20;
        xdotool(&["mousemove", &x.to_string(), &y.to_string()]);
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    xdotool(&["mouseup", "1"]);
    // Let the drop be delivered before the source window goes away.
    std::thread::sleep(Duration::from_millis(500));
}

/// Runs `xdotool` (Debian `xdotool`) with `args` and returns its standard output; empty when it
/// finds nothing.
pub fn xdotool(args: &[&str]) -> String {
    let out = Command::new("timeout")
        .arg("20")
        .arg("xdotool")
        .args(args)
        .output()
        .expect("xdotool not installed (apt-get install xdotool)");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The X window that has the keyboard focus (`xdotool getwindowfocus`).
pub fn focused_x_window() -> String {
    xdotool(&["getwindowfocus", "-f"])
}

/// Pids of running processes whose executable is the app binary.
pub fn app_pids() -> Vec<u32> {
    let bin = std::fs::canonicalize(app_bin()).unwrap_or_else(|_| app_bin());
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return vec![];
    };
    procs
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_link(format!("/proc/{pid}/exe"))
                .ok()
                .as_deref()
                == Some(&bin)
        })
        .collect()
}

/// Waits (up to 10 s) until no instance of the app runs, then kills any that still does. A test
/// that sets up the display before launching (e.g. grabs a shortcut as another program) calls
/// this first: the previous test's app may still be exiting and holding its X grabs.
pub fn end_app_instances() {
    let start = Instant::now();
    while !app_pids().is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    for pid in app_pids() {
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    }
    let start = Instant::now();
    while !app_pids().is_empty() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The HTTP client for WebDriver calls, with timeouts: a stuck WebKitWebDriver makes the test fail
/// with a message instead of hanging CI.
fn http() -> &'static ureq::Agent {
    static AGENT: std::sync::OnceLock<ureq::Agent> = std::sync::OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(10))
            .timeout(Duration::from_secs(90))
            .build()
    })
}

fn describe(e: ureq::Error) -> String {
    match e {
        ureq::Error::Status(code, r) => {
            format!("HTTP {code}: {}", r.into_string().unwrap_or_default())
        }
        other => other.to_string(),
    }
}

/// Standard Base64 (WebDriver screenshots), without a dependency.
fn base64_decode(s: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let Some(v) = A.iter().position(|&x| x == c) else {
            continue;
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// The PNG bytes of a `data:image/png;base64,…` URL (an export's QR code); panics on anything
/// else, and when the bytes are not a PNG.
pub fn png_of_data_url(url: &str) -> Vec<u8> {
    let b64 = url
        .strip_prefix("data:image/png;base64,")
        .unwrap_or_else(|| panic!("not a PNG data URL: {:.40}", url));
    let png = base64_decode(b64);
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    png
}

/// Waits for GTK's save dialog titled `title`, types `path` into its name field (which takes a
/// full path) and presses Enter.
pub fn save_in_dialog(title: &str, path: &Path) {
    type_path_in_dialog(title, "ctrl+a", path);
}

/// Waits for GTK's open dialog titled `title`, opens its location field (Ctrl+L), types `path`
/// and presses Enter.
pub fn open_in_dialog(title: &str, path: &Path) {
    type_path_in_dialog(title, "ctrl+l", path);
}

/// Focuses the GTK file dialog titled `title`, presses `select` (the field to type into), types
/// `path` and presses Enter.
fn type_path_in_dialog(title: &str, select: &str, path: &Path) {
    let dialog = wait_x_window(title, 30);
    xdotool(&["windowfocus", "--sync", &dialog]);
    xdotool(&["key", "--clearmodifiers", select]);
    std::thread::sleep(Duration::from_millis(500));
    xdotool(&[
        "type",
        "--clearmodifiers",
        "--delay",
        "20",
        path.to_str().expect("a UTF-8 path"),
    ]);
    std::thread::sleep(Duration::from_millis(500));
    xdotool(&["key", "--clearmodifiers", "Return"]);
}

/// Waits until the X clipboard serves `file`'s bytes as `mime`: under load a new `xclip` can
/// take longer than the harness's pause, and the previous test's content would be pasted.
pub fn wait_clipboard_serves(file: &Path, mime: &str) {
    let want = std::fs::read(file).unwrap();
    let start = Instant::now();
    loop {
        let out = Command::new("timeout")
            .args(["5", "xclip", "-selection", "clipboard", "-t", mime, "-o"])
            .output()
            .unwrap();
        if out.stdout == want {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the clipboard never held {file:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Waits (at most 10 s) until the clipboard holds `secret`'s current code (oathtool's, or the
/// neighbouring period's) and returns it.
pub fn wait_clipboard_code(secret: &str) -> String {
    let start = Instant::now();
    loop {
        let clip = clipboard_text();
        if oathtool_window(secret).contains(&clip) {
            return clip;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "clipboard {clip:?}, oathtool says {:?}",
            oathtool_window(secret)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A made-up 32-character Base32 secret (160 bits), different for each `i` (long lists of
/// accounts in the tests).
pub fn made_up_secret(i: usize) -> String {
    const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    (0..32)
        .map(|j| B32[(i * 7 + j * 13 + i * j + 5) % 32] as char)
        .collect()
}

/// The secret of the fixture `01_clean_qr.png` ([`App::enrol_fixture`]).
pub const FIXTURE_SECRET: &str = "PHY72BIYX3DGZJIEAWWLOGVHJOPY6OJI";
/// The secret of the made-up second account ([`App::enrol_second`]).
pub const SECOND_SECRET: &str = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";
