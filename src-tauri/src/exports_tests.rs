//! Tests of [`crate::exports`] without a Tauri runtime: re-authentication, the QR images read
//! back by the core's QR reader, the files read back by the core's importer.

use super::*;
use crate::test_support::{app_state, password, FakeClipboard, MemKeys, TempDir};
use spse_auth_core::{formats, import, qr, uri};

const PW: &str = "kuda benar baterai staples";
const EXPORT_PW: &str = "kata sandi ekspor";
const S1: &str = "AWS7VRHGRHH3KXDQBVRAQE25BMTQAWHH";
const S2: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const S3: &str = "GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2";

/// Made-up accounts: two Google can carry, and one with a 60-second period it cannot.
fn uris() -> Vec<String> {
    vec![
        format!("otpauth://totp/LPSE%20Kota%20Uji:budi?secret={S1}&issuer=LPSE%20Kota%20Uji"),
        format!("otpauth://totp/LPSE%20Kab%20Contoh:siti?secret={S2}&issuer=LPSE%20Kab%20Contoh&digits=8&algorithm=SHA256"),
        format!("otpauth://totp/Surel%20Contoh:rina?secret={S3}&issuer=Surel%20Contoh&period=60"),
    ]
}

/// A state holding `uris` (and the recovery password [`PW`] when `with_password`).
fn state_with(dir: &TempDir, keys: &MemKeys, uris: &[String], with_password: bool) -> AppState {
    let s = app_state(dir, keys);
    let enrolments = uris.iter().map(|u| uri::parse(u).expect("uri")).collect();
    lock_mutex(&s.store).add(enrolments, false).expect("add");
    if with_password {
        s.set_recovery_password(password(PW)).expect("set password");
    }
    s
}

fn with_pw(text: &str) -> ReAuth {
    ReAuth {
        password: Some(password(text)),
        confirmed: false,
    }
}

fn confirmed() -> ReAuth {
    ReAuth {
        password: None,
        confirmed: true,
    }
}

fn id_of(s: &AppState, account: &str) -> String {
    lock_mutex(&s.store)
        .list()
        .expect("list")
        .into_iter()
        .find(|a| a.account == account)
        .expect("account")
        .id
}

/// The texts of the QR codes in a PNG data URL.
fn decode(url: &PngDataUrl) -> Vec<String> {
    let b64 = url
        .as_str()
        .strip_prefix("data:image/png;base64,")
        .expect("a PNG data URL");
    let png = data_encoding::BASE64
        .decode(b64.as_bytes())
        .expect("base64");
    let img = image::load_from_memory_with_format(&png, image::ImageFormat::Png).expect("a PNG");
    qr::decode(&img)
}

/// Issuer, account, secret and parameters: what an export must keep.
fn key(e: &Enrolment) -> (String, String, String, String) {
    (
        e.issuer.clone(),
        e.account.clone(),
        e.secret.to_base32(),
        format!("{:?}", e.params),
    )
}

fn keys_of<'a>(
    it: impl IntoIterator<Item = &'a Enrolment>,
) -> Vec<(String, String, String, String)> {
    let mut v: Vec<_> = it.into_iter().map(key).collect();
    v.sort();
    v
}

fn file_req(format: ExportFormat, pw: Option<&str>, unencrypted: bool) -> FileRequest {
    FileRequest {
        format,
        password: pw.map(password),
        unencrypted,
    }
}

#[test]
fn the_qr_needs_the_recovery_password_and_holds_the_key_uri() {
    let (dir, keys) = (TempDir::new("qr"), MemKeys::default());
    let s = state_with(&dir, &keys, &uris(), true);
    let id = id_of(&s, "budi");
    let refused = |auth: ReAuth| s.show_account_qr(&id, &auth).expect_err("refused").kind();
    assert_eq!(refused(with_pw("kuda salah")), "wrong_password");
    assert_eq!(refused(ReAuth::default()), "reauth_required");
    // With a recovery password set, a confirmation does not replace it.
    assert_eq!(refused(confirmed()), "reauth_required");

    let qr = s.show_account_qr(&id, &with_pw(PW)).expect("qr");
    let texts = decode(&qr.image);
    assert_eq!(texts.len(), 1, "{texts:?}");
    let expected = uri::parse(&uris()[0]).expect("uri");
    assert_eq!(texts[0], uri::format(&expected));
    assert_eq!(key(&uri::parse(&texts[0]).expect("uri")), key(&expected));
    // On the wire: only the data URL; never the secret as text.
    let json = serde_json::to_value(&qr).expect("json");
    let url = json["image"].as_str().expect("image");
    assert!(url.starts_with("data:image/png;base64,"), "{url:.40}");
    assert_eq!(json.as_object().expect("object").len(), 1);
    assert!(!url.to_uppercase().contains(&S1[..16]));
    assert!(!format!("{qr:?}").contains("base64"), "Debug is redacted");
    assert_eq!(
        s.show_account_qr("no-such-id", &with_pw(PW))
            .expect_err("unknown")
            .kind(),
        "not_found"
    );
}

#[test]
fn without_a_recovery_password_an_explicit_confirmation_is_needed() {
    let (dir, keys) = (TempDir::new("confirm"), MemKeys::default());
    let s = state_with(&dir, &keys, &uris(), false);
    let id = id_of(&s, "budi");
    for auth in [ReAuth::default(), with_pw(PW)] {
        assert_eq!(
            s.show_account_qr(&id, &auth).expect_err("refused").kind(),
            "reauth_required"
        );
        assert_eq!(
            s.show_migration_qrs(&auth).expect_err("refused").kind(),
            "reauth_required"
        );
    }
    let qr = s.show_account_qr(&id, &confirmed()).expect("qr");
    assert_eq!(decode(&qr.image).len(), 1);
}

#[test]
fn the_migration_codes_parse_back_to_the_accounts_and_list_the_skipped() {
    let (dir, keys) = (TempDir::new("migration"), MemKeys::default());
    let s = state_with(&dir, &keys, &uris(), true);
    assert_eq!(
        s.show_migration_qrs(&with_pw("kuda salah"))
            .expect_err("refused")
            .kind(),
        "wrong_password"
    );
    let out = s.show_migration_qrs(&with_pw(PW)).expect("codes");
    assert_eq!(out.images.len(), 1);
    assert_eq!((out.images[0].index, out.images[0].count), (1, 1));
    let texts = decode(&out.images[0].image);
    assert_eq!(texts.len(), 1);
    assert!(texts[0].starts_with("otpauth-migration://offline?data="));
    let back = import::from_payloads(&texts).expect("parse");
    let expected: Vec<Enrolment> = uris()[..2]
        .iter()
        .map(|u| uri::parse(u).expect("uri"))
        .collect();
    assert_eq!(keys_of(&back), keys_of(&expected));
    // The 60-second account is skipped, with its reason; no secret in the answer's text.
    assert_eq!(out.skipped.len(), 1);
    assert_eq!(out.skipped[0].account, "rina");
    let json = serde_json::to_value(&out).expect("json");
    assert_eq!(json["skipped"][0]["reason"]["kind"], "invalid_parameter");
    assert_eq!(json["images"][0]["index"], 1);
    let text = json.to_string().to_uppercase();
    for secret in [S1, S2, S3] {
        assert!(!text.contains(&secret[..16]), "secret in the answer");
    }
}

#[test]
fn encrypted_files_are_read_back_by_the_importer_with_the_export_password() {
    let (dir, keys) = (TempDir::new("file"), MemKeys::default());
    let s = state_with(&dir, &keys, &uris(), true);
    let expected: Vec<Enrolment> = uris().iter().map(|u| uri::parse(u).expect("uri")).collect();
    for (format, name) in [
        (ExportFormat::Aegis, "a.json"),
        (ExportFormat::Proton, "p.json"),
    ] {
        let path = out(&dir, name);
        let done = s
            .export_file_to(
                &file_req(format, Some(EXPORT_PW), false),
                &with_pw(PW),
                &path,
            )
            .expect("export");
        assert_eq!((done.file_name.as_str(), done.accounts), (name, 3));
        assert!(done.skipped.is_empty());
        let batch = formats::read_export_file(&path, Some(EXPORT_PW)).expect("read back");
        assert_eq!(
            keys_of(batch.enrolments()),
            keys_of(&expected),
            "{format:?}"
        );
        assert_eq!(
            formats::read_export_file(&path, Some("kata sandi lain"))
                .expect_err("wrong password")
                .kind()
                .as_str(),
            "wrong_password"
        );
        let bytes = std::fs::read(&path).expect("file");
        let text = String::from_utf8_lossy(&bytes).to_uppercase();
        assert!(
            !text.contains(&S1[..16]),
            "{format:?} holds the secret in the clear"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{format:?}");
        }
    }
}

#[test]
fn a_file_export_is_refused_before_anything_is_written() {
    let (dir, keys) = (TempDir::new("refused"), MemKeys::default());
    let s = state_with(&dir, &keys, &uris(), true);
    let path = out(&dir, "out");
    let refused = |req: FileRequest, auth: ReAuth| {
        let e = s.export_file_to(&req, &auth, &path).expect_err("refused");
        assert!(!path.exists(), "{e:?}: a file was written");
        e.kind()
    };
    let aegis = |pw| file_req(ExportFormat::Aegis, pw, false);
    // The export password: too short, blank or missing.
    for pw in [Some("pendek"), Some("          "), None] {
        assert_eq!(refused(aegis(pw), with_pw(PW)), "invalid_input");
    }
    // Re-authentication: a wrong or missing recovery password.
    assert_eq!(
        refused(aegis(Some(EXPORT_PW)), with_pw("kuda salah")),
        "wrong_password"
    );
    assert_eq!(
        refused(aegis(Some(EXPORT_PW)), confirmed()),
        "reauth_required"
    );
    // Plain text only with the explicit choice; QR codes never go to a file.
    let plain = |unencrypted| file_req(ExportFormat::Otpauth, None, unencrypted);
    assert_eq!(
        refused(plain(false), with_pw(PW)),
        "plaintext_not_confirmed"
    );
    for format in [ExportFormat::Qr, ExportFormat::MigrationQr] {
        assert_eq!(
            refused(file_req(format, None, true), with_pw(PW)),
            "invalid_input"
        );
    }
    // The app lock comes first.
    let id = id_of(&s, "budi");
    s.lock_app(&FakeClipboard::default()).expect("lock");
    assert_eq!(refused(aegis(Some(EXPORT_PW)), with_pw(PW)), "app_locked");
    assert_eq!(
        s.show_account_qr(&id, &with_pw(PW))
            .expect_err("locked")
            .kind(),
        "app_locked"
    );
    assert_eq!(
        s.show_migration_qrs(&with_pw(PW))
            .expect_err("locked")
            .kind(),
        "app_locked"
    );
}

/// A path beside the data folder, in the test's temporary directory.
fn out(dir: &TempDir, name: &str) -> PathBuf {
    dir.0.parent().expect("temporary directory").join(name)
}

#[test]
fn the_plain_list_is_written_only_when_chosen() {
    let (dir, keys) = (TempDir::new("plain"), MemKeys::default());
    let s = state_with(&dir, &keys, &uris(), false);
    let path = out(&dir, "list.txt");
    let req = file_req(ExportFormat::Otpauth, None, true);
    assert_eq!(
        s.export_file_to(&req, &ReAuth::default(), &path)
            .expect_err("not confirmed")
            .kind(),
        "reauth_required"
    );
    let done = s.export_file_to(&req, &confirmed(), &path).expect("export");
    assert_eq!((done.file_name.as_str(), done.accounts), ("list.txt", 3));
    let text = std::fs::read_to_string(&path).expect("file");
    let back = import::from_text(&text).expect("parse");
    let expected: Vec<Enrolment> = uris().iter().map(|u| uri::parse(u).expect("uri")).collect();
    assert_eq!(keys_of(&back), keys_of(&expected));
}

#[test]
fn an_empty_vault_has_nothing_to_export() {
    let (dir, keys) = (TempDir::new("empty"), MemKeys::default());
    let s = app_state(&dir, &keys);
    let path = out(&dir, "x.json");
    assert_eq!(
        s.show_migration_qrs(&confirmed())
            .expect_err("empty")
            .kind(),
        "nothing_to_export"
    );
    let req = file_req(ExportFormat::Aegis, Some(EXPORT_PW), false);
    assert_eq!(
        s.export_file_to(&req, &confirmed(), &path)
            .expect_err("empty")
            .kind(),
        "nothing_to_export"
    );
    assert!(!path.exists());
}

#[test]
fn re_auth_arguments_deserialize_as_the_ui_sends_them() {
    let a: ReAuth =
        serde_json::from_str(r#"{"password":"x y z","confirmed":false}"#).expect("json");
    assert_eq!(a.password.as_ref().map(Password::expose), Some("x y z"));
    let b: ReAuth = serde_json::from_str(r#"{"confirmed":true}"#).expect("json");
    assert!(b.confirmed && b.password.is_none());
    let f: ExportFormat = serde_json::from_str(r#""aegis""#).expect("format");
    assert_eq!(f, ExportFormat::Aegis);
}
