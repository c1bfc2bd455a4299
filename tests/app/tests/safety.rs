//! End to end, "never lose an account": the recovery password (settings, and the password screen
//! when the keyring loses the vault key), backups, the app lock, and a full session recorded to
//! prove that no secret and no password leaks. Run with `tests/app/run.sh safety`.
//! All names, secrets and passwords are made up.

use serde_json::{json, Value};
use spse_app_e2e::*;

const ISSUER: &str = "LPSE Kabupaten Contoh";
const ACCOUNT: &str = "KPA.BUDI-01";
const PASSWORD: &str = "kuda laut ungu berlari";
const WRONG: &str = "kuda laut hijau berjalan";
const CTRL: &str = "\u{E009}";
/// The password of the core's encrypted export fixtures (`src-tauri/core/src/formats/fixtures/`).
const EXPORT_PASSWORD: &str = "kata-sandi-contoh";
/// The secrets of the accounts those exports add.
const EXPORT_SECRETS: &[&str] = &[
    "GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2",
    "S7FAC6HGGFFZM5KBQO6D3ZHI7U3Q74RD",
    "EN4WMHW4V77PRMIFSZBG2TF7BP62K6BY",
    "F4OS76MVHJV2MMVU",
];

fn recovery_status(app: &App) -> String {
    let (ok, out, err) = app.cli(&["recovery", "status"]);
    assert!(ok, "recovery status failed: {err}");
    out
}

fn cli_accounts(app: &App) -> Vec<String> {
    let (ok, out, err) = app.cli(&["list", "--json"]);
    assert!(ok, "list failed: {err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|a| a["account"].as_str().unwrap().to_string())
        .collect()
}

/// With `SPSE_E2E_SHOTS=DIR`, saves a screenshot `DIR/NAME.png` (for looking at the UI).
fn shot(app: &App, name: &str) {
    if let Some(dir) = std::env::var_os("SPSE_E2E_SHOTS") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        // WebKit's screenshot can lag the DOM by a frame or two after a change.
        std::thread::sleep(std::time::Duration::from_secs(1));
        app.screenshot(&dir.join(format!("{name}.png")));
    }
}

#[test]
fn safety_recovery_password_in_settings() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    assert!(!app.visible("#banner"), "banner without accounts");
    app.enrol_fixture();

    // First account added: the banner recommends a recovery password.
    app.wait(10, "the banner", |a| a.visible("#banner"));
    shot(&app, "banner-en");
    assert!(app.text().contains("Reset TOTP"), "{}", app.text());
    assert!(recovery_status(&app).contains("recovery password: not set"));

    // From the banner to the form; too short and mismatched passwords are refused in the UI.
    app.click("#banner-set");
    app.wait(10, "the password form", |a| a.visible("#recovery-new"));
    app.type_into("#recovery-new", "pendek");
    app.type_into("#recovery-confirm", "pendek");
    app.click("#recovery-save");
    app.wait(5, "too short", |a| {
        a.element_text("#recovery-error")
            .contains("at least 8 characters")
    });
    app.type_into("#recovery-new", PASSWORD);
    app.type_into("#recovery-confirm", WRONG);
    app.click("#recovery-save");
    app.wait(5, "mismatch", |a| {
        a.element_text("#recovery-error").contains("not the same")
    });
    assert!(recovery_status(&app).contains("recovery password: not set"));

    app.ui_set_recovery(PASSWORD);
    // The CLI (the oracle) sees the password slot and it opens the vault.
    assert!(recovery_status(&app).contains("recovery password: set"));
    app.wait(5, "state text", |a| {
        a.element_text("#recovery-state")
            .contains("A recovery password is set")
    });
    assert_eq!(
        app.js("return document.getElementById('lock-now').disabled")
            .as_bool(),
        Some(false)
    );
    app.click("#settings-close");
    assert!(
        !app.visible("#banner"),
        "banner still shown with a password"
    );

    // Remove (keyring holds the key, so the core allows it) after a confirmation.
    app.click("#btn-settings");
    app.wait(10, "settings", |a| a.visible("#recovery-remove"));
    app.click("#recovery-remove");
    app.wait_text(5, "Remove the recovery password?");
    assert!(app.element_text("#confirm-body").contains("Reset TOTP"));
    app.click("#confirm-ok");
    app.wait_text(20, "Recovery password removed.");
    assert!(recovery_status(&app).contains("recovery password: not set"));
    app.wait(5, "lock disabled again", |a| {
        a.js("return document.getElementById('lock-now').disabled")
            .as_bool()
            == Some(true)
    });
}

#[test]
fn safety_missing_keyring_key_asks_for_the_recovery_password() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    app.enrol_fixture();
    app.cli_set_recovery(PASSWORD);
    let vault_id = app.vault_id();
    let entry = keyring::Entry::new("spse-authenticator", &vault_id).unwrap();
    entry.delete_credential().expect("delete the keyring entry");

    let app = app.relaunch();
    app.wait(30, "the password screen", |a| a.visible("#unlock-password"));
    let text = app.text();
    assert!(text.contains("no longer holds the key"), "{text}");
    shot(&app, "unlock-en");
    assert!(
        app.find(".row").is_none(),
        "rows behind the password screen"
    );
    let vault = app.data_dir.join("vault.spse");
    let before = std::fs::read(&vault).unwrap();

    // Wrong password: a clear error, nothing changes, retry possible.
    app.type_into("#unlock-password", WRONG);
    app.click("#unlock-ok");
    app.wait(20, "the wrong-password error", |a| {
        a.element_text("#unlock-error").contains("wrong")
    });
    assert_eq!(std::fs::read(&vault).unwrap(), before, "vault changed");
    assert!(app.visible("#unlock-password"));

    // Right password: the codes, equal to oathtool's; then the offer to use the keyring again.
    app.type_into("#unlock-password", PASSWORD);
    app.click("#unlock-ok");
    app.wait(30, "the codes", |a| a.find(".row .code").is_some());
    app.assert_code_matches(FIXTURE_SECRET);
    assert!(app.element_text(".row .who").contains(ISSUER));
    app.wait_text(10, "Store the key in the system keyring again?");
    assert!(
        entry.get_password().is_err(),
        "keyring written before the user agreed"
    );
    app.click("#confirm-ok");
    app.wait_text(10, "back in the system keyring");
    assert!(entry.get_password().is_ok(), "no keyring entry");
    assert!(recovery_status(&app).contains("keyring: holds the vault key"));

    // Next start: no password asked.
    let app = app.relaunch();
    app.wait(30, "the codes", |a| a.find(".row .code").is_some());
    assert!(!app.visible("#unlock-password"));
    app.assert_code_matches(FIXTURE_SECRET);
}

#[test]
fn safety_unreachable_keyring_asks_for_the_recovery_password() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    app.enrol_fixture();
    app.cli_set_recovery(PASSWORD);
    let vault = app.data_dir.join("vault.spse");
    let before = std::fs::read(&vault).unwrap();

    // No Secret Service at all (no session bus for the app): not a blank window, not a new vault.
    let app = app.relaunch_env(
        |_| {},
        &[("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")],
    );
    app.wait(30, "the password screen", |a| a.visible("#unlock-password"));
    let text = app.text();
    assert!(text.contains("cannot be reached"), "{text}");
    app.type_into("#unlock-password", PASSWORD);
    app.click("#unlock-ok");
    app.wait(30, "the codes", |a| a.find(".row .code").is_some());
    app.assert_code_matches(FIXTURE_SECRET);
    // The keyring cannot take the key now: no offer to store it there.
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert!(
        !app.text()
            .contains("Store the key in the system keyring again?"),
        "offered to use an unreachable keyring"
    );
    assert_eq!(std::fs::read(&vault).unwrap(), before, "vault changed");
}

#[test]
fn safety_declined_keyring_restore_keeps_the_password_and_offers_it_in_settings() {
    let app = App::launch("id_ID.UTF-8");
    app.wait_text(30, "Belum ada akun");
    app.enrol_fixture();
    app.cli_set_recovery(PASSWORD);
    let entry = keyring::Entry::new("spse-authenticator", &app.vault_id()).unwrap();
    entry.delete_credential().expect("delete the keyring entry");

    let app = app.relaunch();
    app.wait(30, "the password screen", |a| a.visible("#unlock-password"));
    assert!(
        app.text().contains("tidak lagi menyimpan kunci"),
        "{}",
        app.text()
    );
    shot(&app, "unlock-id");
    app.type_into("#unlock-password", WRONG);
    app.click("#unlock-ok");
    app.wait(20, "the wrong-password error", |a| {
        a.element_text("#unlock-error")
            .contains("Kata sandi pemulihan salah")
    });
    app.type_into("#unlock-password", PASSWORD);
    app.click("#unlock-ok");
    app.wait(30, "the codes", |a| a.find(".row .code").is_some());
    app.wait_text(10, "Simpan lagi kuncinya di keyring sistem?");
    app.click("#confirm-cancel");
    assert!(
        entry.get_password().is_err(),
        "keyring written although declined"
    );

    // Removing the password now would leave nothing that opens the vault: refused, localised.
    app.click("#btn-settings");
    app.wait(10, "settings", |a| a.visible("#keyring-restore"));
    shot(&app, "settings-id");
    app.click("#recovery-remove");
    app.wait_text(5, "Hapus kata sandi pemulihan?");
    app.click("#confirm-ok");
    app.wait_text(20, "Kata sandi pemulihan tidak dihapus");
    assert!(recovery_status(&app).contains("recovery password: set"));

    // Settings offers to put the key back.
    app.wait(10, "settings again", |a| a.visible("#keyring-restore"));
    app.click("#keyring-restore");
    app.wait_text(10, "Kunci sudah kembali tersimpan");
    assert!(entry.get_password().is_ok(), "no keyring entry");
    app.wait(10, "the button gone", |a| !a.visible("#keyring-restore"));
}

#[test]
fn safety_backups_list_and_restore() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    app.enrol_fixture();
    app.enrol_second();
    assert_eq!(cli_accounts(&app).len(), 2);

    app.click("#btn-settings");
    app.wait(10, "the backup list", |a| {
        a.find("#backup-list .backup").is_some()
    });
    let (ok, out, _) = app.cli(&["backup", "list", "--json"]);
    assert!(ok);
    let cli: Value = serde_json::from_str(&out).unwrap();
    let cli = cli.as_array().unwrap();
    let ids: Vec<String> = app
        .js("return [...document.querySelectorAll('#backup-list .backup')].map(b => b.dataset.id)")
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let cli_ids: Vec<String> = cli
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids, cli_ids,
        "UI and CLI list different backups (newest first)"
    );
    // The newest backup is the vault from before the second account: one account.
    let first = app.element_text("#backup-list .backup");
    assert!(first.contains("1 account ·"), "{first}");

    shot(&app, "settings-en");
    app.click("#backup-list .backup .restore");
    app.wait_text(5, "Restore this backup?");
    app.click("#confirm-ok");
    app.wait_text(15, "Backup restored.");
    app.wait(10, "one row", |a| {
        a.js("return document.querySelectorAll('.row').length")
            .as_u64()
            == Some(1)
    });
    assert_eq!(cli_accounts(&app), vec![ACCOUNT.to_string()]);
    app.assert_code_matches(FIXTURE_SECRET);
    // The replaced vault (two accounts) became a backup itself.
    app.wait(10, "the new backup in the list", |a| {
        a.js("return document.querySelectorAll('#backup-list .backup').length")
            .as_u64()
            == Some(cli_ids.len() as u64 + 1)
    });
    let newest = app.element_text("#backup-list .backup");
    assert!(newest.contains("2 accounts"), "{newest}");
}

#[test]
fn safety_damaged_vault_offers_the_newest_backup_that_opens() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    app.enrol_fixture();
    app.enrol_second();
    // Flip one byte of the ciphertext while the app is closed.
    let mut damaged = Vec::new();
    let app = app.relaunch_with(|dir| {
        let vault = dir.join("vault.spse");
        let mut bytes = std::fs::read(&vault).unwrap();
        let last = bytes.len() - 5;
        bytes[last] ^= 0x40;
        std::fs::write(&vault, &bytes).unwrap();
        damaged = bytes;
    });
    app.wait(30, "the damaged-vault screen", |a| {
        a.visible("#fatal-backup-restore")
    });
    let text = app.text();
    assert!(text.contains("damaged"), "{text}");
    assert!(text.contains("(1 account)"), "{text}");
    assert_eq!(
        std::fs::read(app.data_dir.join("vault.spse")).unwrap(),
        damaged,
        "the damaged vault was changed before the user chose anything"
    );
    app.click("#fatal-backup-restore");
    app.wait_text(5, "Restore this backup?");
    app.click("#confirm-ok");
    app.wait(20, "the codes", |a| a.find(".row .code").is_some());
    app.assert_code_matches(FIXTURE_SECRET);
    assert_eq!(cli_accounts(&app).len(), 1, "spse-auth list disagrees");
    // The damaged file was kept as a backup, not thrown away.
    let kept = std::fs::read_dir(app.data_dir.join("backups"))
        .unwrap()
        .any(|f| std::fs::read(f.unwrap().path()).unwrap() == damaged);
    assert!(kept, "the damaged vault is not among the backups");
}

#[test]
fn safety_lock_hides_codes_and_rust_refuses_them() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    app.enrol_fixture();
    // Without a recovery password the app cannot lock.
    app.keys(&[CTRL, "l"]);
    app.wait_text(10, "Set a recovery password first");
    assert!(app.find(".row .code").is_some());

    app.cli_set_recovery(PASSWORD);
    let shown = app.first_code();
    // A code the app copied is cleared from the clipboard on lock.
    app.click(".row .copy");
    app.wait_text(5, "Code copied");
    let copied = clipboard_text();
    assert!(
        oathtool_window(FIXTURE_SECRET).contains(&copied),
        "{copied:?}"
    );
    app.keys(&[CTRL, "l"]);
    app.wait(10, "the lock screen", |a| a.visible("#lock-password"));
    let html = app
        .js("return document.documentElement.outerHTML")
        .as_str()
        .unwrap()
        .to_string();
    assert!(app.find(".row").is_none(), "rows left in the DOM");
    shot(&app, "locked-en");
    for code in oathtool_window(FIXTURE_SECRET).iter().chain([&shown]) {
        assert!(!html.contains(code.as_str()), "code {code} in the DOM");
        let grouped = format!("{} {}", &code[..3], &code[3..]);
        assert!(!html.contains(&grouped), "code {grouped} in the DOM");
    }
    assert!(!html.contains(ACCOUNT), "account name in the DOM");
    assert_ne!(
        clipboard_text(),
        copied,
        "the copied code is still on the clipboard"
    );
    // Enforced in Rust: the commands refuse.
    for (cmd, args) in [
        ("codes", json!({"ids": []})),
        ("backups", json!({})),
        ("import_clipboard", json!({})),
        ("remove_account", json!({"id": "x"})),
    ] {
        let err = app.invoke(cmd, args).expect_err(cmd);
        assert_eq!(err["kind"], "app_locked", "{cmd}: {err}");
    }

    app.type_into("#lock-password", WRONG);
    app.click("#lock-ok");
    app.wait(20, "the wrong-password error", |a| {
        a.element_text("#lock-error").contains("wrong")
    });
    assert_eq!(
        app.invoke("codes", json!({"ids": []}))
            .expect_err("still locked")["kind"],
        "app_locked"
    );
    app.type_into("#lock-password", PASSWORD);
    app.click("#lock-ok");
    app.wait(20, "the codes", |a| a.find(".row .code").is_some());
    app.assert_code_matches(FIXTURE_SECRET);
    assert!(app.invoke("codes", json!({"ids": []})).is_ok());

    // Idle lock setting is remembered, and a restart does not bypass the lock.
    app.click("#btn-settings");
    app.wait(10, "settings", |a| a.visible("#lock-minutes"));
    app.js("const s = document.getElementById('lock-minutes'); s.value = '5'; s.dispatchEvent(new Event('change'));");
    app.wait(5, "settings.json", |a| {
        std::fs::read_to_string(a.data_dir.join("settings.json"))
            .unwrap_or_default()
            .contains("\"lock_minutes\": 5")
    });
    let app = app.relaunch();
    app.wait(30, "the lock screen", |a| a.visible("#lock-password"));
    assert!(app.find(".row").is_none());
    app.type_into("#lock-password", PASSWORD);
    app.click("#lock-ok");
    app.wait(20, "the codes", |a| a.find(".row .code").is_some());
}

#[test]
fn safety_idle_lock_after_one_minute() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    app.enrol_fixture();
    app.cli_set_recovery(PASSWORD);
    app.click("#btn-settings");
    app.wait(10, "the lock setting enabled", |a| {
        a.js("return document.getElementById('lock-minutes').disabled")
            .as_bool()
            == Some(false)
    });
    app.js("const s = document.getElementById('lock-minutes'); s.value = '1'; s.dispatchEvent(new Event('change'));");
    app.click("#settings-close");
    let start = std::time::Instant::now();
    // No input from now on (WebDriver scripts are not user input): the app locks itself.
    app.wait(80, "the idle lock", |a| a.visible("#lock-password"));
    let waited = start.elapsed().as_secs();
    assert!(waited >= 50, "locked after only {waited} s");
    assert!(app.find(".row").is_none());
    assert_eq!(
        app.invoke("codes", json!({"ids": []})).expect_err("locked")["kind"],
        "app_locked"
    );
}

const EXPORT_PW: &str = "sandi ekspor rahasia";

/// Shows the account's QR code and the Google Authenticator codes (each closed again), then
/// saves an encrypted Aegis export into `dir` through GTK's save dialog.
fn export_session(app: &App, dir: &tempfile::TempDir) {
    let qr_shown = |a: &App| {
        a.js("return document.getElementById('qr-img').hasAttribute('src')")
            .as_bool()
            == Some(true)
    };
    // The account's QR code (its row's button), then the migration codes (the toolbar's export
    // dialog, whose default is the migration QR codes): each after the recovery password.
    for (button, what) in [
        (".row .qr", "the account's QR code"),
        ("#btn-export", "the migration QR code"),
    ] {
        app.click(button);
        app.wait(10, "the re-authentication", |a| a.visible("#export-auth"));
        app.type_into("#export-auth", PASSWORD);
        app.click("#export-ok");
        app.wait(20, what, qr_shown);
        app.click("#qr-close");
        app.wait(5, "the QR code gone", |a| !qr_shown(a));
    }
    app.click("#btn-export");
    app.wait(10, "the export dialog", |a| a.visible("#export-format"));
    app.js("const s = document.getElementById('export-format'); s.value = 'aegis'; s.dispatchEvent(new Event('change'));");
    app.type_into("#export-pw", EXPORT_PW);
    app.type_into("#export-pw2", EXPORT_PW);
    app.type_into("#export-auth", PASSWORD);
    app.click("#export-ok");
    let path = std::fs::canonicalize(dir.path())
        .unwrap()
        .join("aegis.json");
    save_in_dialog("Save export", &path);
    app.wait_text(30, "Saved 1 account to aegis.json.");
    assert!(path.exists());
}

/// Records every IPC call (arguments, result or error) and every app event from the page.
const RECORDER: &str = r#"
window.__ipcLog = [];
const core = window.__TAURI__.core;
const orig = core.invoke;
const wrapped = async (cmd, args, options) => {
  const entry = { cmd, args: JSON.stringify(args ?? null) };
  window.__ipcLog.push(entry);
  try {
    const r = await orig(cmd, args, options);
    entry.result = JSON.stringify(r ?? null);
    return r;
  } catch (e) {
    entry.error = JSON.stringify(e ?? null);
    throw e;
  }
};
window.__TAURI__ = Object.assign({}, window.__TAURI__, { core: Object.assign({}, core, { invoke: wrapped }) });
window.__TAURI__.event.listen("import-dropped", (ev) =>
  window.__ipcLog.push({ cmd: "event:import-dropped", result: JSON.stringify(ev.payload) }));
return true;
"#;

#[test]
fn safety_full_session_leaks_no_secret_and_no_password() {
    let export_dir = tempfile::tempdir().unwrap();
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    assert_eq!(app.js(RECORDER).as_bool(), Some(true));

    app.enrol_fixture();
    let shown = app.assert_code_matches(FIXTURE_SECRET);
    app.click(".row .copy");
    app.wait_text(5, "Code copied");
    app.ui_set_recovery(PASSWORD);
    app.js("const s = document.getElementById('lock-minutes'); s.value = '5'; s.dispatchEvent(new Event('change'));");
    app.click("#settings-close");
    app.keys(&[CTRL, "l"]);
    app.wait(10, "the lock screen", |a| a.visible("#lock-password"));
    app.type_into("#lock-password", WRONG);
    app.click("#lock-ok");
    app.wait(20, "the wrong-password error", |a| {
        a.element_text("#lock-error").contains("wrong")
    });
    app.type_into("#lock-password", PASSWORD);
    app.click("#lock-ok");
    app.wait(20, "the codes", |a| a.find(".row .code").is_some());
    // Exports: the account's QR code, the Google Authenticator codes, an encrypted Aegis file.
    export_session(&app, &export_dir);
    app.click("#btn-settings");
    app.wait(10, "the backup list", |a| {
        a.find("#backup-list .backup").is_some()
    });
    app.click("#settings-close");
    app.click(".row .del");
    app.wait_text(5, "Delete this account?");
    app.click("#confirm-ok");
    app.wait_text(5, "No accounts yet");
    app.click(".toast-action");
    app.wait_text(10, "restored");
    // A real drop of the same QR: its preview reaches the UI as the `import-dropped` event.
    drag_file_onto(&app, &fixture("01_clean_qr.png"));
    app.wait_text(30, "is already in the list");
    // An encrypted export: its password typed in the import dialog, a wrong one first.
    drag_file_onto(
        &app,
        &spse_auth_test_support::data(
            "../../src-tauri/core/src/formats/fixtures/2fas_encrypted.2fas",
        ),
    );
    app.wait_text(30, "This export is encrypted");
    app.type_into("#import-pw-input", WRONG);
    app.click("#import-pw-ok");
    app.wait_text(30, "Wrong password for this export");
    app.type_into("#import-pw-input", EXPORT_PASSWORD);
    app.click("#import-pw-ok");
    app.wait_text(30, "Add these accounts?");
    app.click("#confirm-ok");
    app.wait_text(15, "Added 6 accounts.");

    let log: Vec<Value> = serde_json::from_str(
        app.js("return JSON.stringify(window.__ipcLog)")
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let calls: Vec<&str> = log.iter().map(|e| e["cmd"].as_str().unwrap()).collect();
    // The recorder saw the session: a `codes` result with the code shown, and every step.
    assert!(
        log.iter()
            .any(|e| e["cmd"] == "codes" && e["result"].as_str().unwrap_or("").contains(&shown)),
        "no codes result with {shown} recorded"
    );
    for cmd in [
        "import_clipboard",
        "commit_add",
        "copy_code",
        "set_recovery_password",
        "set_lock_minutes",
        "lock_app",
        "unlock_app",
        "backups",
        "remove_account",
        "undo_remove",
        "event:import-dropped",
        "import_with_password",
        "show_account_qr",
        "show_migration_qrs",
        "export_file",
    ] {
        assert!(calls.contains(&cmd), "{cmd} not recorded: {calls:?}");
    }
    // The password travels UI → Rust (in these calls' arguments) and nowhere else.
    // The exports carry it too (re-authentication), and `export_file` the export password.
    let carries_password = [
        "set_recovery_password",
        "unlock_app",
        "unlock_vault",
        "import_with_password",
        "show_account_qr",
        "show_migration_qrs",
        "export_file",
    ];
    assert!(log
        .iter()
        .any(|e| e["cmd"] == "export_file" && e["args"].as_str().unwrap().contains(EXPORT_PW)));
    // The QR codes travel as PNG data URLs only.
    let mut images = 0;
    for e in log
        .iter()
        .filter(|e| e["cmd"] == "show_account_qr" || e["cmd"] == "show_migration_qrs")
    {
        let result: Value = serde_json::from_str(e["result"].as_str().unwrap()).unwrap();
        let urls: Vec<&Value> = match result.get("images") {
            Some(list) => list
                .as_array()
                .unwrap()
                .iter()
                .map(|i| &i["image"])
                .collect(),
            None => vec![&result["image"]],
        };
        for url in urls {
            png_of_data_url(url.as_str().unwrap());
            images += 1;
        }
    }
    assert_eq!(images, 2, "one account QR and one migration QR");
    assert!(log
        .iter()
        .any(|e| e["cmd"] == "set_recovery_password"
            && e["args"].as_str().unwrap().contains(PASSWORD)));

    let secret_lower = FIXTURE_SECRET.to_lowercase();
    let leaks = |hay: &str, what: &str, password_too: bool| {
        let low = hay.to_lowercase();
        assert!(!low.contains(&secret_lower), "secret found in {what}");
        assert!(
            !low.contains(&secret_lower[..16]),
            "half of the secret found in {what}"
        );
        for s in EXPORT_SECRETS {
            assert!(
                !low.contains(&s.to_lowercase()),
                "an export's secret found in {what}"
            );
        }
        if password_too {
            assert!(!hay.contains(PASSWORD), "recovery password found in {what}");
            assert!(!hay.contains(WRONG), "typed password found in {what}");
            assert!(
                !hay.contains(EXPORT_PASSWORD),
                "export password found in {what}"
            );
            assert!(!hay.contains(EXPORT_PW), "export password found in {what}");
        }
    };
    for e in &log {
        let cmd = e["cmd"].as_str().unwrap();
        let args = e["args"].as_str().unwrap_or("");
        let out = format!(
            "{}{}",
            e["result"].as_str().unwrap_or(""),
            e["error"].as_str().unwrap_or("")
        );
        leaks(&out, &format!("the result of {cmd}"), true);
        leaks(
            args,
            &format!("the arguments of {cmd}"),
            !carries_password.contains(&cmd),
        );
    }
    let output = app.output();
    assert!(app.log.exists(), "the app's output was not captured");
    leaks(&output, "the app's output", true);
    let settings = std::fs::read_to_string(app.data_dir.join("settings.json")).unwrap();
    assert!(settings.contains("lock_minutes"), "{settings}");
    leaks(&settings, "settings.json", true);
    let mut files = vec![app.data_dir.join("vault.spse")];
    for f in std::fs::read_dir(app.data_dir.join("backups")).unwrap() {
        files.push(f.unwrap().path());
    }
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        leaks(
            &String::from_utf8_lossy(&bytes),
            &f.display().to_string(),
            true,
        );
    }
}
