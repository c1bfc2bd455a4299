//! End to end, the desktop integration of the real app (Xvfb, real Secret Service, tauri-driver):
//! the clipboard is cleared after 30 s only if it still holds the code, the language choice is
//! remembered, a second launch focuses the first instance, the native open dialog and a real X
//! drag-and-drop import a QR image. Run with `tests/app/run.sh` (display, session bus, keyring).
//! All names and secrets are made up (fixtures from `tests/data/fixtures`).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use spse_app_e2e::*;

const SECRET_1: &str = "PHY72BIYX3DGZJIEAWWLOGVHJOPY6OJI"; // 01_clean_qr.png
const URI_1: &str = "otpauth://totp/LPSE%20Kabupaten%20Contoh:KPA.BUDI-01?secret=PHY72BIYX3DGZJIEAWWLOGVHJOPY6OJI&issuer=LPSE%20Kabupaten%20Contoh";

fn enrol_by_paste(app: &App, dir: &Path) {
    let _clip = clipboard_set_text(URI_1, dir);
    app.paste();
    app.wait_text(30, "Added");
    app.wait(5, "the new row", |a| a.find(".row .code").is_some());
}

#[test]
fn clipboard_is_cleared_after_30_s_only_if_it_still_holds_the_code() {
    let tmp = tempfile::tempdir().unwrap();
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    enrol_by_paste(&app, tmp.path());

    // Copied, still there well before 30 s, gone after.
    app.click(".row .copy");
    let copied_at = Instant::now();
    app.wait(5, "the code on the clipboard", |_| {
        oathtool_window(SECRET_1).contains(&clipboard_text())
    });
    let copied = clipboard_text();
    std::thread::sleep(Duration::from_secs(20).saturating_sub(copied_at.elapsed()));
    assert_eq!(
        clipboard_text(),
        copied,
        "the clipboard was cleared before 30 s"
    );
    std::thread::sleep(Duration::from_secs(34).saturating_sub(copied_at.elapsed()));
    let after = clipboard_text();
    assert!(
        after.is_empty(),
        "the clipboard still holds {after:?} 34 s after the copy"
    );

    // Copied, then the user copies something else: that is left alone.
    app.click(".row .copy");
    let copied_at = Instant::now();
    app.wait(5, "the code on the clipboard", |_| {
        oathtool_window(SECRET_1).contains(&clipboard_text())
    });
    let _mine = clipboard_set_text("catatan rapat pokja", tmp.path());
    assert_eq!(clipboard_text(), "catatan rapat pokja");
    std::thread::sleep(Duration::from_secs(34).saturating_sub(copied_at.elapsed()));
    assert_eq!(
        clipboard_text(),
        "catatan rapat pokja",
        "the app cleared a clipboard the user had reused"
    );
}

fn choose_language(app: &App, value: &str) {
    app.js(&format!(
        "const s = document.getElementById('lang'); s.value = '{value}'; \
         s.dispatchEvent(new Event('change')); return null;"
    ));
}

#[test]
fn language_choice_is_remembered_across_launches() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    choose_language(&app, "id");
    app.wait_text(5, "Belum ada akun");
    let settings = std::fs::read_to_string(app.data_dir.join("settings.json")).unwrap();
    assert!(settings.contains("\"id\""), "settings.json: {settings}");

    // Reopened on an English system: still Indonesian, and the selector says so.
    let app = app.relaunch();
    app.wait_text(30, "Belum ada akun");
    assert_eq!(
        app.js("return document.getElementById('lang').value")
            .as_str(),
        Some("id")
    );

    // Back to "follow the system": English on this English system, also after reopening.
    choose_language(&app, "system");
    app.wait_text(5, "No accounts yet");
    let app = app.relaunch();
    app.wait_text(30, "No accounts yet");
    assert_eq!(
        app.js("return document.getElementById('lang').value")
            .as_str(),
        Some("system")
    );
}

/// Waits up to `secs` for `child` to exit and returns its status (kills it on timeout).
fn wait_exit(mut child: Child, secs: u64) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the second instance did not exit within {secs} s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_second_launch_focuses_the_first_instance_and_exits() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    let first = app.pid();
    let app_windows = app.x_windows();
    assert!(!app_windows.is_empty(), "the app has no visible X window");

    // Another window takes the keyboard focus (an image viewer, a real X client).
    let _other = show_on_screen(&fixture("09_no_qr_page.png"));
    let viewer = xdotool(&["search", "--onlyvisible", "--name", "spse-e2e-fixture"]);
    let viewer = viewer
        .lines()
        .next()
        .expect("the viewer's window")
        .to_string();
    xdotool(&["windowfocus", "--sync", &viewer]);
    assert!(
        !app_windows.contains(&focused_x_window()),
        "the app still has the focus"
    );

    // The second launch (same user, same data folder) hands over to the first and exits.
    let second = Command::new(app_bin())
        .env("SPSE_AUTH_DATA_DIR", &app.data_dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let status = wait_exit(second, 30);
    assert!(status.success(), "second instance: {status}");
    app.wait(10, "the first window to get the focus", |a| {
        a.x_windows().contains(&focused_x_window())
    });
    assert_eq!(app_pids(), vec![first], "one app process, the first");
    assert!(
        app.text().contains("No accounts yet"),
        "the first still works"
    );
}

fn wait_x_window_gone(id: &str, secs: u64) {
    let start = Instant::now();
    while xdotool(&["search", "--onlyvisible", "--name", "."])
        .lines()
        .any(|w| w == id)
    {
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "window {id} is still open"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn the_open_dialog_imports_the_chosen_image_and_cancel_changes_nothing() {
    // en_US.UTF-8 is not installed on Debian's minimal images, so GTK falls back to the C locale:
    // there, a dialog title that is not ASCII ("…") kept GTK's file chooser from ever appearing.
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");

    // Cancel: the native dialog closes, nothing is added, no error.
    app.click("#btn-open");
    let dialog = wait_x_window("Open QR image", 30);
    xdotool(&["windowfocus", "--sync", &dialog]);
    xdotool(&["key", "--clearmodifiers", "Escape"]);
    wait_x_window_gone(&dialog, 10);
    std::thread::sleep(Duration::from_secs(1));
    assert!(app.find(".toast.error").is_none(), "{}", app.text());
    assert!(app.text().contains("No accounts yet"));

    // Choose the screenshot by typing its path (GTK's location field), then Enter.
    app.click("#btn-open");
    let path = std::fs::canonicalize(fixture("01_clean_qr.png")).unwrap();
    open_in_dialog("Open QR image", &path);
    app.wait_text(30, "Added");
    app.wait(5, "the new row", |a| a.find(".row .code").is_some());
    let row = app.element_text(".row .who");
    assert!(
        row.contains("LPSE Kabupaten Contoh") && row.contains("KPA.BUDI-01"),
        "{row}"
    );
    app.assert_code_matches(SECRET_1);
}

#[test]
fn dropping_a_screenshot_file_on_the_window_adds_the_account() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    drag_file_onto(&app, &fixture("02_screenshot_1920x1080.png"));
    app.wait_text(30, "Added");
    app.wait(5, "the new row", |a| a.find(".row .code").is_some());
    let expected = std::fs::read_to_string(fixture("02_screenshot_1920x1080.txt")).unwrap();
    let secret = expected
        .split("secret=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .expect("a secret in the fixture's payload")
        .to_string();
    app.assert_code_matches(&secret);
}
