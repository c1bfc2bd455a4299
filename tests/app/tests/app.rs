//! End to end: the real app under Xvfb with a real Secret Service, driven through tauri-driver.
//! Run with `tests/app/run.sh` (it provides the display, the session bus and the keyring).
//! All names and secrets are made up (fixtures from `tests/data/fixtures`).

use std::process::Command;
use std::time::Duration;

use spse_app_e2e::*;

const ISSUER: &str = "LPSE Kabupaten Contoh";
const ACCOUNT: &str = "KPA.BUDI-01";
const SECRET_1: &str = "PHY72BIYX3DGZJIEAWWLOGVHJOPY6OJI"; // 01_clean_qr.png
const SECRET_2: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"; // re-enrolment ("Reset TOTP")

#[test]
fn enrol_copy_reenrol_delete_undo() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");

    // Enrol: a screenshot of the QR on the clipboard, Ctrl+V.
    let _clip = app.paste_fixture_image("01_clean_qr.png");
    app.wait_text(30, "Added");
    app.wait(5, "the new row", |a| a.find(".row .code").is_some());
    let row = app.element_text(".row .who");
    assert!(row.contains(ISSUER) && row.contains(ACCOUNT), "{row}");
    app.assert_code_matches(SECRET_1);
    // A countdown that follows the account's period (30 s here), not an HOTP button.
    let secs = app.element_text(".row .timer .secs");
    let n: u32 = secs.trim_end_matches(" s").parse().unwrap_or(0);
    assert!((1..=30).contains(&n), "countdown {secs:?}");
    assert_eq!(
        app.js("const b = document.querySelector('.row .hotp'); return !b || b.hidden")
            .as_bool(),
        Some(true),
        "a TOTP account shows a next-code (HOTP) button"
    );
    // The ring shows the part of the period left (CSS variable --left = seconds left / period).
    let left = app
        .js("return document.querySelector('.row .ring').style.getPropertyValue('--left')")
        .as_str()
        .unwrap_or_default()
        .parse::<f64>()
        .unwrap_or(-1.0);
    assert!((0.0..=1.0).contains(&left), "ring at {left}");

    // Copy: one click puts the code on the clipboard.
    app.click(".row .copy");
    app.wait_text(5, "Code copied");
    let copied = clipboard_text();
    assert!(
        oathtool_window(SECRET_1).contains(&copied),
        "clipboard holds {copied:?}"
    );

    // Re-enrol the same issuer + account with a new secret: the app asks, then replaces.
    let tmp = tempfile::tempdir().unwrap();
    let uri = format!(
        "otpauth://totp/LPSE%20Kabupaten%20Contoh:KPA.BUDI-01?secret={SECRET_2}&issuer=LPSE%20Kabupaten%20Contoh"
    );
    let _clip = clipboard_set_text(&uri, tmp.path());
    app.paste();
    app.wait_text(15, "This account already exists");
    assert!(app.text().contains("old codes stop working"));
    app.click("#confirm-ok");
    app.wait_text(10, "was replaced");
    app.wait(5, "the new code", |a| {
        oathtool_window(SECRET_2).contains(&a.first_code())
    });
    app.assert_code_matches(SECRET_2);
    assert_eq!(
        app.js("return document.querySelectorAll('.row').length")
            .as_u64(),
        Some(1)
    );

    // Delete asks (naming issuer and account, warning about SPSE), then Undo restores.
    app.click(".row .del");
    app.wait_text(5, "Delete this account?");
    let dialog = app.element_text("#confirm-body");
    assert!(
        dialog.contains(ISSUER) && dialog.contains(ACCOUNT),
        "{dialog}"
    );
    assert!(dialog.contains("does NOT disable TOTP in SPSE"), "{dialog}");
    app.click("#confirm-ok");
    app.wait_text(5, "No accounts yet");
    app.click(".toast-action");
    app.wait_text(10, "restored");
    app.wait(5, "the restored row", |a| a.find(".row .code").is_some());
    app.assert_code_matches(SECRET_2);

    // Delete again, this time by keyboard (Delete key on the focused account), and let Undo expire.
    app.js("document.querySelector('.row .copy').focus();");
    app.keys(&["\u{E017}"]);
    app.wait_text(5, "Delete this account?");
    app.click("#confirm-ok");
    app.wait_text(5, "No accounts yet");
    std::thread::sleep(Duration::from_secs(11));
    assert!(
        !app.text().contains("Undo"),
        "Undo still offered after 10 s"
    );

    // The CLI agrees: the vault is empty.
    let out = Command::new(cli_bin())
        .args(["--data-dir"])
        .arg(&app.data_dir)
        .args(["list", "--json"])
        .output()
        .expect("spse-auth binary (cargo build -p spse-auth-cli)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "spse-auth list failed: {out:?}");
    assert!(
        !stdout.contains(ACCOUNT),
        "spse-auth still lists the account: {stdout}"
    );
}

/// The page's first codes come in its HTML (src-tauri/src/page_html.rs): after a restart the
/// page draws them without asking Rust, they are oathtool's, the data element is gone from the
/// page, and the language the user chose comes with them.
#[test]
fn a_restart_draws_the_first_codes_from_the_page_html() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    let uri = |secret: &str, account: &str| {
        format!("otpauth://totp/{ISSUER}:{account}?secret={secret}&issuer={ISSUER}")
            .replace(' ', "%20")
    };
    let (ok, _, err) = app.cli(&[
        "add",
        &uri(SECRET_1, ACCOUNT),
        &uri(SECRET_2, "PPK.SITI-02"),
    ]);
    assert!(ok, "{err}");
    app.invoke("set_language", serde_json::json!({ "language": "id" }))
        .expect("language");

    let app = app.relaunch();
    app.wait(30, "two rows with codes", |a| {
        a.js("return document.querySelectorAll('.row .code').length;") == 2
    });
    let how = app.js("return document.documentElement.dataset.boot;");
    assert_eq!(
        how.as_str(),
        Some("served"),
        "the bootstrap was asked, not served"
    );
    assert_eq!(
        app.js("return document.getElementById('boot-data') === null;")
            .as_bool(),
        Some(true),
        "the data element is taken out"
    );
    let placeholder = app.js("return document.getElementById('search').placeholder");
    assert_eq!(
        placeholder.as_str(),
        Some("Cari LPSE atau user ID"),
        "the chosen language"
    );
    let first = app.element_text(".row .who");
    let secret = if first.contains(ACCOUNT) {
        SECRET_1
    } else {
        SECRET_2
    };
    app.assert_code_matches(secret);
}

/// `SPSE_AUTH_MEASURE <event>_unix_ms=…` from the app's `--measure` output, if printed.
fn measured(out: &str, event: &str) -> Option<u64> {
    let key = format!("SPSE_AUTH_MEASURE {event}_unix_ms=");
    let at = out.find(&key)? + key.len();
    out[at..].lines().next()?.trim().parse().ok()
}

/// How many colours the X window `id` shows (ImageMagick `import` and `identify`).
fn colours_of_x_window(id: &str) -> u64 {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "import -window {id} miff:- | identify -format %k -"
        ))
        .output()
        .expect("ImageMagick");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}

/// src-tauri/src/first_frame.rs: the web view is held out of the window's first draws and shown
/// at its page's load (not by the 3 s fallback); the tray and the clock check start after
/// it; the window then shows the page.
#[test]
fn the_web_view_is_shown_once_its_page_has_loaded() {
    let tmp = tempfile::tempdir().unwrap();
    let data_dir = tmp.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    let app = App::launch_with("en_US.UTF-8", tmp, data_dir, &[], &["--measure"]);
    app.wait_text(30, "No accounts yet");
    app.wait(10, "the web view shown and the desktop started", |a| {
        measured(&a.output(), "desktop").is_some()
    });
    let out = app.output();
    let held = measured(&out, "web_view_held").unwrap_or_else(|| panic!("not held: {out}"));
    let shown = measured(&out, "web_view_shown_at_load")
        .unwrap_or_else(|| panic!("not shown at the page's load: {out}"));
    let desktop = measured(&out, "desktop").unwrap();
    assert!(held <= shown && shown <= desktop, "{out}");
    assert!(!out.contains("web_view_shown_by_fallback"), "{out}");
    let window = wait_x_window("SPSE Authenticator", 10);
    app.wait(10, "the page drawn in the window", |_| {
        colours_of_x_window(&window) > 8
    });
}

/// The app's processes (the app and everything it started), each with its `comm` name.
fn app_processes(app: &App) -> Vec<(u32, String)> {
    let root = app.pid();
    let mut all = vec![(root, "spse-authenticator".to_string())];
    let mut i = 0;
    while i < all.len() {
        let parent = all[i].0;
        for e in std::fs::read_dir("/proc").unwrap().flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            // "PID (comm) STATE PPID …": the comm may hold spaces, so split after its ')'.
            let Some((head, rest)) = stat.rsplit_once(')') else {
                continue;
            };
            let ppid = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok());
            if ppid == Some(parent) {
                let comm = head.split_once('(').map(|(_, c)| c).unwrap_or_default();
                all.push((pid, comm.to_string()));
            }
        }
        i += 1;
    }
    all
}

/// The mappings of `pid` that are both writable and executable (`/proc/PID/maps` lines).
fn writable_executable_maps(pid: u32) -> Vec<String> {
    std::fs::read_to_string(format!("/proc/{pid}/maps"))
        .unwrap_or_default()
        .lines()
        .filter(|l| {
            let perms = l.split_whitespace().nth(1).unwrap_or("");
            perms.contains('w') && perms.contains('x')
        })
        .map(str::to_string)
        .collect()
}

/// The page runs without a JavaScript JIT (src-tauri/src/web_engine.rs): no process of the app
/// has writable and executable memory, which JavaScriptCore's JIT needs for the code it writes
/// (one large `rwxp` pool). `JSC_useJIT=1` set by the user wins, and then the pool is there:
/// the check sees a JIT when there is one.
#[test]
fn the_page_runs_without_a_javascript_jit() {
    for (user_setting, jit_expected) in [(None, false), (Some("1"), true)] {
        let tmp = tempfile::tempdir().unwrap();
        let data_dir = tmp.path().join("data");
        std::fs::create_dir_all(&data_dir).unwrap();
        let env: Vec<(&str, &str)> = user_setting
            .map(|v| ("JSC_useJIT", v))
            .into_iter()
            .collect();
        let app = App::launch_with("en_US.UTF-8", tmp, data_dir, &env, &[]);
        app.wait_text(30, "No accounts yet");
        let processes = app_processes(&app);
        assert!(
            processes
                .iter()
                .any(|(_, c)| c.starts_with("WebKitWebProc")),
            "no web process among {processes:?}"
        );
        let rwx: Vec<String> = processes
            .iter()
            .flat_map(|(pid, comm)| {
                writable_executable_maps(*pid)
                    .into_iter()
                    .map(move |m| format!("{comm} ({pid}): {m}"))
            })
            .collect();
        assert_eq!(
            !rwx.is_empty(),
            jit_expected,
            "JSC_useJIT={user_setting:?}: writable and executable memory: {rwx:#?}"
        );
    }
}

#[test]
fn indonesian_when_lang_is_id() {
    let app = App::launch("id_ID.UTF-8");
    app.wait_text(30, "Belum ada akun");
    app.wait_text(5, "Aktifkan TOTP");
    let placeholder = app.js("return document.getElementById('search').placeholder");
    assert_eq!(placeholder.as_str(), Some("Cari LPSE atau user ID"));
    // A paste that decodes: the question is in Indonesian (and this proves the clipboard serves
    // images in this session, so the error below is the image's, not an empty clipboard's).
    let clip = app.paste_fixture_image("12a_google_auth_export_2_accounts.png");
    app.wait_text(30, "Tambahkan akun-akun ini?");
    app.click("#confirm-cancel");
    app.wait(10, "the question closed", |a| !a.visible("#confirm"));
    drop(clip);
    // Errors are localised too: an image with no QR code.
    let _clip = app.paste_fixture_image("09_no_qr_page.png");
    app.wait_text(30, "Tidak ditemukan kode QR");
    assert!(
        !app.text().contains("Tambahkan akun-akun ini?"),
        "the earlier question is gone"
    );
}

#[test]
fn several_accounts_in_one_export_are_added_together() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    let _clip = app.paste_fixture_image("12a_google_auth_export_2_accounts.png");
    app.wait_text(30, "Add these accounts?");
    app.click("#confirm-ok");
    app.wait_text(10, "Added 2 accounts");
    assert_eq!(
        app.js("return document.querySelectorAll('.row').length")
            .as_u64(),
        Some(2)
    );
}

#[test]
fn manual_entry_validates_and_adds_an_8_digit_sha256_account() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    app.click("#btn-manual");
    app.wait_text(5, "Enter key manually");
    app.type_into("#manual-form input[name=issuer]", "LPSE Kota Fiktif");
    app.type_into("#manual-form input[name=account]", "PP.DEWI-11");
    app.type_into("#manual-form input[name=secret]", "not base32 1890");
    app.click("#manual-form button[type=submit]");
    app.wait_text(5, "only letters A–Z and digits 2–7");
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    app.type_into("#manual-form input[name=secret]", secret);
    app.js(
        "const f = document.getElementById('manual-form'); f.querySelector('details').open = true;",
    );
    app.js("document.querySelector('#manual-form select[name=algorithm]').value = 'SHA256';");
    // Digits and period are text fields: what is not a whole number is refused by the page.
    app.type_into("#manual-form input[name=digits]", "8");
    app.type_into("#manual-form input[name=period]", "1e3");
    app.click("#manual-form button[type=submit]");
    app.wait_text(5, "The period must be between 1 and 86400 seconds.");
    app.type_into("#manual-form input[name=period]", "60");
    app.click("#manual-form button[type=submit]");
    app.wait_text(10, "Added");
    app.wait(5, "the new row", |a| a.find(".row .code").is_some());
    let shown = app.first_code();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let expected: Vec<String> = [now - 60, now, now + 60]
        .iter()
        .map(|t| oathtool_totp(secret, *t, 8, 60, "SHA256"))
        .collect();
    assert!(
        expected.contains(&shown),
        "shown {shown}, oathtool {expected:?}"
    );
    assert_eq!(
        app.element_text(".row .code").len(),
        9,
        "8 digits grouped as 4 + 4"
    );
}

#[test]
fn scan_screen_reads_the_qr_shown_by_another_window() {
    const SECRET_3: &str = "BFO6RWS7NVDPN2MQRYF4WEIQMXXIA2KO"; // 02_screenshot_1920x1080.png
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    // The button is visible and has an accessible name.
    assert_eq!(
        app.js("const b = document.getElementById('btn-scan'); return !b.hidden && b.getClientRects().length > 0 ? b.getAttribute('aria-label') : null;")
            .as_str(),
        Some("Scan screen")
    );

    // Nothing on the screen but the app: the app hides itself, finds nothing, explains and offers
    // the other routes.
    app.click("#btn-scan");
    app.wait_text(30, "No QR code was found on the screen");
    assert!(app.text().contains("Open the SPSE enrolment page"));
    assert!(app.find("#scan-none-open").is_some() && app.find("#scan-none-paste").is_some());
    app.click("#scan-none-close");

    // SPSE's enrolment page (a full-screen screenshot) in another X window.
    let _page = show_on_screen(&fixture("02_screenshot_1920x1080.png"));
    app.click("#btn-scan");
    app.wait(30, "the preview or the new row", |a| {
        a.text().contains("PPK.SITI-02")
    });
    // One new account: added straight away like an imported image; a preview dialog (if any) is confirmed.
    if app
        .js("return document.getElementById('confirm').open")
        .as_bool()
        == Some(true)
    {
        let preview = app.element_text("#confirm-list");
        assert!(
            preview.contains(ISSUER) && preview.contains("PPK.SITI-02"),
            "{preview}"
        );
        app.click("#confirm-ok");
    }
    app.wait_text(10, "Added");
    app.wait(5, "the new row", |a| a.find(".row .code").is_some());
    let row = app.element_text(".row .who");
    assert!(row.contains(ISSUER) && row.contains("PPK.SITI-02"), "{row}");
    app.assert_code_matches(SECRET_3);
    // The window is back (shown again after the capture).
    assert_eq!(
        app.js("return document.visibilityState").as_str(),
        Some("visible")
    );

    // Ctrl+Shift+S scans too: the same account again is "already in the list".
    app.keys(&["\u{E009}", "\u{E008}", "s"]);
    app.wait_text(30, "is already in the list");
}
