//! End to end, "Import from another app": other authenticators' exports through the native open
//! dialog and a real X drag-and-drop, entry by entry. An encrypted export asks for its password
//! (a wrong one is said in the dialog and changes nothing), skipped entries are listed with their
//! reason, two accounts with one name are kept apart, and the codes shown are `oathtool`'s. Run
//! with `tests/app/run.sh` (display, session bus, keyring). The exports are the core's fixtures
//! (`src-tauri/core/src/formats/fixtures/`, made-up accounts, password `kata-sandi-contoh`).

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use spse_app_e2e::*;

const PASSWORD: &str = "kata-sandi-contoh";

/// An export fixture of the core.
fn export(name: &str) -> PathBuf {
    spse_auth_test_support::data(&format!("../../src-tauri/core/src/formats/fixtures/{name}"))
}

/// The accounts every export fixture adds: issuer, account, secret, digits, period, algorithm
/// (the HOTP account `Bank Contoh / andi` is checked by its row only).
const TOTP_ACCOUNTS: &[(&str, &str, &str, u8, u32, &str)] = &[
    (
        "LPSE Kota Contoh",
        "budi.santoso",
        "GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2",
        6,
        30,
        "SHA1",
    ),
    (
        "LPSE Kota Contoh",
        "budi.santoso (2)",
        "S7FAC6HGGFFZM5KBQO6D3ZHI7U3Q74RD",
        6,
        30,
        "SHA1",
    ),
    (
        "Surel Contoh",
        "siti@contoh.test",
        "EN4WMHW4V77PRMIFSZBG2TF7BP62K6BY",
        8,
        60,
        "SHA256",
    ),
];

/// `(issuer, account, code)` of every row.
fn rows(app: &App) -> Vec<(String, String, String)> {
    let v = app.js("return [...document.querySelectorAll('.row')].map(r => [\
           r.querySelector('.issuer').textContent, r.querySelector('.account').textContent, \
           (r.querySelector('.code')?.textContent ?? '').replace(/ /g, '')]);");
    v.as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            let s = |i: usize| r[i].as_str().unwrap_or_default().to_string();
            (s(0), s(1), s(2))
        })
        .collect()
}

/// Asserts the rows: the three TOTP accounts with `oathtool`'s codes (this period or a
/// neighbouring one), the 5-digit account with the last 5 digits of oathtool's 6-digit code
/// (x mod 10^5 is the last five digits of x mod 10^6), the HOTP account and the Steam Guard account
/// (5 characters of Steam's alphabet; its codes are checked against steam-totp by the CLI's e2e
/// tests), nothing else.
fn assert_rows_match_oathtool(app: &App) {
    app.wait(10, "six rows with codes", |a| {
        let r = rows(a);
        r.len() == 6 && r.iter().all(|(_, _, c)| !c.is_empty())
    });
    let shown = rows(app);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    for (issuer, account, secret, digits, period, algo) in TOTP_ACCOUNTS {
        let (_, _, code) = shown
            .iter()
            .find(|(i, a, _)| i == issuer && a == account)
            .unwrap_or_else(|| panic!("no row {issuer} / {account}: {shown:?}"));
        let p = u64::from(*period);
        let expected: Vec<String> = [now - p, now, now + p]
            .iter()
            .map(|t| oathtool_totp(secret, *t, *digits, *period, algo))
            .collect();
        assert!(
            expected.contains(code),
            "{account}: shown {code}, oathtool says {expected:?}"
        );
    }
    assert!(
        shown
            .iter()
            .any(|(i, a, _)| i == "Bank Contoh" && a == "andi"),
        "{shown:?}"
    );
    let code_of = |issuer: &str, account: &str| {
        shown
            .iter()
            .find(|(i, a, _)| i == issuer && a == account)
            .map(|(_, _, c)| c.clone())
            .unwrap_or_else(|| panic!("no row {issuer} / {account}: {shown:?}"))
    };
    let short = code_of("Toko Contoh", "dewi");
    let expected: Vec<String> = [now - 30, now, now + 30]
        .iter()
        .map(|t| {
            oathtool_totp("GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2", *t, 6, 30, "SHA1")[1..].to_string()
        })
        .collect();
    assert!(
        expected.contains(&short),
        "dewi: shown {short}, oathtool says {expected:?}"
    );
    let steam = code_of("Steam", "pemain");
    assert!(
        steam.len() == 5
            && steam
                .chars()
                .all(|c| "23456789BCDFGHJKMNPQRTVWXY".contains(c)),
        "Steam Guard code {steam:?}"
    );
}

/// Types `password` into the export-password dialog and submits it.
fn submit_password(app: &App, password: &str) {
    app.type_into("#import-pw-input", password);
    app.click("#import-pw-ok");
}

fn vault_bytes(app: &App) -> Option<Vec<u8>> {
    std::fs::read(app.data_dir.join("vault.spse")).ok()
}

#[test]
fn an_encrypted_aegis_export_opens_with_its_password_and_skipped_entries_are_listed() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    let before = vault_bytes(&app);

    // "Import from another app": GTK's open dialog, the export's path typed into it.
    app.click("#btn-import");
    let path = std::fs::canonicalize(export("aegis_encrypted.json")).unwrap();
    open_in_dialog("Import from another app", &path);

    // Encrypted: the password dialog. A wrong password is said there, the field stays, nothing
    // changes.
    app.wait_text(30, "This export is encrypted");
    submit_password(&app, "kata-sandi-salah");
    app.wait_text(30, "Wrong password for this export — nothing was imported");
    assert!(app.visible("#import-pw-input"), "the field stays");
    assert_eq!(vault_bytes(&app), before, "the vault changed");
    assert!(app.find(".row").is_none(), "{}", app.text());

    // The right one: the preview lists every entry, the skipped ones with their reason.
    submit_password(&app, PASSWORD);
    app.wait_text(30, "Add these accounts?");
    assert!(
        !app.visible("#import-pw-input"),
        "the password dialog closed"
    );
    let body = app.element_text("#confirm-body");
    assert!(
        body.contains("holds 6 accounts") && body.contains("1 of the entries cannot be imported"),
        "{body}"
    );
    let list = app.element_text("#confirm-list");
    for needle in [
        "Steam pemain (new)",
        "Forum Contoh rina (skipped) the entry has no secret key",
        "Toko Contoh dewi (new) ⚠ short codes (5 digits)",
        "budi.santoso (2) (new) named so because the import has another “budi.santoso”",
        "Surel Contoh siti@contoh.test (new)",
        "Bank Contoh andi (new)",
    ] {
        assert!(
            list.contains(needle),
            "{needle:?} not in the preview:\n{list}"
        );
    }
    assert!(!list.contains(PASSWORD));

    app.click("#confirm-ok");
    app.wait_text(15, "Added 6 accounts.");
    assert_rows_match_oathtool(&app);
    let (ok, out, err) = app.cli(&["list", "--json"]);
    assert!(ok, "{err}");
    let listed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(6), "{out}");
}

#[test]
fn a_dropped_encrypted_2fas_export_asks_in_indonesian_and_cancel_changes_nothing() {
    let app = App::launch("id_ID.UTF-8");
    app.wait_text(30, "Belum ada akun");
    let before = vault_bytes(&app);

    // Cancelled at the password: nothing changes, no error.
    drag_file_onto(&app, &export("2fas_encrypted.2fas"));
    app.wait_text(30, "Ekspor ini terenkripsi");
    app.click("#import-pw-cancel");
    std::thread::sleep(Duration::from_secs(1));
    assert!(app.find(".toast.error").is_none(), "{}", app.text());
    assert!(!app.visible("#import-pw-input"));
    assert_eq!(vault_bytes(&app), before);

    // Dropped again: a wrong password, then the right one.
    drag_file_onto(&app, &export("2fas_encrypted.2fas"));
    app.wait_text(30, "Ekspor ini terenkripsi");
    submit_password(&app, "bukan-kata-sandinya");
    app.wait_text(30, "Kata sandi ekspor ini salah");
    assert_eq!(vault_bytes(&app), before, "the vault changed");
    submit_password(&app, PASSWORD);
    app.wait_text(30, "Tambahkan akun-akun ini?");
    let list = app.element_text("#confirm-list");
    for needle in [
        "Steam pemain (baru)",
        "Forum Contoh rina (dilewati) entri ini tidak memiliki kunci rahasia",
        "Toko Contoh dewi (baru) ⚠ kode pendek (5 digit)",
    ] {
        assert!(list.contains(needle), "{needle:?} not in {list}");
    }
    app.click("#confirm-ok");
    app.wait_text(15, "6 akun ditambahkan.");
    assert_rows_match_oathtool(&app);
}
