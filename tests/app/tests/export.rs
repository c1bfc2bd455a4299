//! End to end, exports (issue 10): an account's QR code after re-authentication (wrong recovery
//! password refused, the image decoded by `spse-auth decode` to the account's Key URI, hidden
//! when the window really loses the X focus), Google Authenticator's transfer QR codes, and an
//! encrypted Aegis file saved through GTK's real save dialog and read back by the independent
//! Python decoder. Run with `tests/app/run.sh export`. All names, secrets and passwords are
//! made up. (The 60-second timer is tested with fake timers in tests/ui/qrguard.test.mjs.)

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use spse_app_e2e::*;

const PASSWORD: &str = "kuda laut ungu berlari";
const WRONG: &str = "kuda laut hijau berjalan";
const EXPORT_PW: &str = "sandi ekspor rahasia";

/// The `src` of the QR image while the QR dialog shows one, else `None`.
fn qr_src(app: &App) -> Option<String> {
    app.js("const i = document.getElementById('qr-img');
         return document.getElementById('qr-view').open && !i.hidden && i.getAttribute('src');")
        .as_str()
        .map(str::to_string)
}

/// The texts `spse-auth decode` reads from a PNG data URL (saved to a temporary file).
fn decode_data_url(app: &App, url: &str, dir: &Path) -> Vec<String> {
    let png = dir.join("qr.png");
    std::fs::write(&png, png_of_data_url(url)).unwrap();
    let (ok, out, err) = app.cli(&["decode", png.to_str().unwrap()]);
    assert!(ok, "decode failed: {err}");
    out.lines().map(str::to_string).collect()
}

/// The `secret` parameter of a Key URI.
fn secret_of(uri: &str) -> String {
    uri.split(['?', '&'])
        .find_map(|p| p.strip_prefix("secret="))
        .unwrap_or_else(|| panic!("no secret in the decoded URI"))
        .to_string()
}

#[test]
fn export_an_accounts_qr_needs_the_recovery_password_and_hides_on_focus_loss() {
    let tmp = tempfile::tempdir().unwrap();
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    app.enrol_fixture();
    app.ui_set_recovery(PASSWORD);
    app.click("#settings-close");
    // Another X window to give the focus to later (ImageMagick's viewer).
    let _other = show_on_screen(&fixture("01_clean_qr.png"));
    let other = wait_x_window("spse-e2e-fixture", 20);

    // A wrong recovery password: refused, no image.
    app.click(".row .qr");
    app.wait(10, "the re-authentication", |a| a.visible("#export-auth"));
    assert!(app.text().contains("Whoever sees this QR code"));
    app.type_into("#export-auth", WRONG);
    app.click("#export-ok");
    app.wait(20, "the wrong-password error", |a| {
        a.element_text("#export-error").contains("wrong")
    });
    assert_eq!(qr_src(&app), None, "an image after a wrong password");
    assert_eq!(
        app.js("return document.getElementById('qr-img').hasAttribute('src')")
            .as_bool(),
        Some(false)
    );

    // The right one: the image is the account's Key URI, whose codes are oathtool's.
    app.type_into("#export-auth", PASSWORD);
    app.click("#export-ok");
    app.wait(20, "the QR code", |a| qr_src(a).is_some());
    let url = qr_src(&app).unwrap();
    assert!(
        !url.to_uppercase().contains(&FIXTURE_SECRET[..16]),
        "the secret as text"
    );
    let texts = decode_data_url(&app, &url, tmp.path());
    assert_eq!(texts.len(), 1, "{} QR codes", texts.len());
    assert!(texts[0].starts_with("otpauth://totp/"), "not a Key URI");
    let secret = secret_of(&texts[0]);
    assert_eq!(secret, FIXTURE_SECRET);
    assert!(oathtool_window(&secret).contains(&app.first_code()));
    // The password field was emptied when the dialog closed.
    assert_eq!(
        app.js("return document.getElementById('export-auth').value")
            .as_str(),
        Some("")
    );

    // Still shown a moment later; gone as soon as another X window takes the focus (the app's
    // window has it first: with no window manager under Xvfb, nothing gives it the focus).
    let mine = app.x_windows();
    xdotool(&["windowfocus", "--sync", &mine[0]]);
    app.wait(10, "the app window to have the focus", |a| {
        a.x_windows().contains(&focused_x_window())
    });
    std::thread::sleep(Duration::from_secs(1));
    assert!(qr_src(&app).is_some(), "hidden too early");
    xdotool(&["windowfocus", "--sync", &other]);
    app.wait(10, "the QR code to go on focus loss", |a| {
        qr_src(a).is_none()
    });
    assert_eq!(
        app.js("return document.getElementById('qr-img').hasAttribute('src')")
            .as_bool(),
        Some(false),
        "the image stays in the page"
    );
    assert!(app.text().contains("The QR code was hidden."));
}

#[test]
fn export_migration_codes_after_confirmation_decode_to_both_accounts() {
    let tmp = tempfile::tempdir().unwrap();
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    app.enrol_fixture();
    app.enrol_second();
    // No recovery password: an explicit confirmation instead.
    app.click("#btn-export");
    app.wait(10, "the export dialog", |a| a.visible("#export-confirm"));
    assert!(!app.visible("#export-auth"));
    app.click("#export-ok");
    app.wait(5, "the confirmation asked", |a| {
        a.element_text("#export-error").contains("Tick the box")
    });
    app.click("#export-confirm");
    app.click("#export-ok");
    app.wait(20, "the QR code", |a| qr_src(a).is_some());
    let texts = decode_data_url(&app, &qr_src(&app).unwrap(), tmp.path());
    assert_eq!(texts.len(), 1);
    assert!(texts[0].starts_with("otpauth-migration://offline?data="));
    // The CLI reads it back (a dry run into a fresh data folder) to both accounts.
    let list = tmp.path().join("migration.txt");
    std::fs::write(&list, format!("{}\n", texts[0])).unwrap();
    let fresh = tmp.path().join("fresh");
    let out = Command::new(cli_bin())
        .arg("--data-dir")
        .arg(&fresh)
        .args(["import", "--dry-run"])
        .arg(&list)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("KPA.BUDI-01") && stdout.contains("PPK.SITI-02"),
        "{stdout}"
    );
    assert!(stdout.contains("2 added"), "{stdout}");
    app.click("#qr-close");
    app.wait(5, "closed", |a| qr_src(a).is_none());
}

#[test]
fn export_an_encrypted_aegis_file_through_the_save_dialog() {
    let tmp = tempfile::tempdir().unwrap();
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    app.enrol_fixture();
    app.enrol_second();

    app.click("#btn-export");
    app.wait(10, "the export dialog", |a| a.visible("#export-format"));
    app.js("const s = document.getElementById('export-format'); s.value = 'aegis'; s.dispatchEvent(new Event('change'));");
    app.wait(5, "the password fields", |a| a.visible("#export-pw"));
    // Too short, then not the same: refused in the page, no dialog.
    app.type_into("#export-pw", "pendek");
    app.type_into("#export-pw2", "pendek");
    app.click("#export-confirm");
    app.click("#export-ok");
    app.wait(5, "too short", |a| {
        a.element_text("#export-error").contains("too short")
    });
    app.type_into("#export-pw", EXPORT_PW);
    app.type_into("#export-pw2", "sandi ekspor lain");
    app.click("#export-ok");
    app.wait(5, "not the same", |a| {
        a.element_text("#export-error").contains("not the same")
    });
    app.type_into("#export-pw2", EXPORT_PW);
    app.click("#export-ok");

    // GTK's save dialog: the name field has the focus; a full path typed there is used.
    let path = std::fs::canonicalize(tmp.path())
        .unwrap()
        .join("pindah.json");
    save_in_dialog("Save export", &path);
    app.wait_text(30, "Saved 2 accounts to pindah.json.");
    assert!(!app.visible("#export-pw"), "the dialog stays open");

    let bytes = std::fs::read(&path).expect("the export file");
    let text = String::from_utf8_lossy(&bytes).to_uppercase();
    assert!(!text.contains(&FIXTURE_SECRET[..16]) && !text.contains(&SECOND_SECRET[..16]));
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "not owner-only");
    }
    // The independent decoder (Python, Aegis's documented format) reads both accounts back.
    let decoder = spse_auth_test_support::repo_root()
        .join("src-tauri/core/src/export/decoders/aegis_decrypt.py");
    let mut child = Command::new("/usr/bin/python3")
        .arg(&decoder)
        .arg(&path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{EXPORT_PW}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rows: Vec<Vec<String>> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    rows.sort();
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r[1].as_str(), r[2].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Kota Fiktif", "PPK.SITI-02", SECOND_SECRET),
            ("LPSE Kabupaten Contoh", "KPA.BUDI-01", FIXTURE_SECRET),
        ]
    );
}
