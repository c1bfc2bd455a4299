//! Tests of the module as a whole (detection, size cap, duplicates) and the helpers the format
//! files' tests share. Fixtures: `formats/fixtures/` (see its README.md).

use super::*;
use crate::enrolment::Warning;
use crate::otp::{Algorithm, OtpType, Params};

/// The password of every encrypted fixture (made-up).
pub(crate) const PASSWORD: &str = "kata-sandi-contoh";

/// The secrets of the shared fixture set (Base32 of made-up bytes).
pub(crate) const SECRET_A: &str = "GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2";
pub(crate) const SECRET_B: &str = "S7FAC6HGGFFZM5KBQO6D3ZHI7U3Q74RD";
pub(crate) const SECRET_C: &str = "EN4WMHW4V77PRMIFSZBG2TF7BP62K6BY";
/// 80 bits: imported with a weak-secret warning.
pub(crate) const SECRET_D: &str = "F4OS76MVHJV2MMVU";

/// The shared fixture set, as [`summary`] writes it: the formats with HOTP and per-entry
/// parameters (Aegis, 2FAS, andOTP, FreeOTP+, Key URI text) hold these seven entries (a Steam
/// Guard account, and a 5-digit TOTP imported with a short-code warning).
pub(crate) const COMMON_EXPECTED: &[&str] = &[
    "ok LPSE Kota Contoh|budi.santoso",
    "ok LPSE Kota Contoh|budi.santoso (2) renamed_from=budi.santoso",
    "ok Surel Contoh|siti@contoh.test",
    "ok Bank Contoh|andi",
    "ok Steam|pemain",
    "skip missing_secret Forum Contoh|rina",
    "ok Toko Contoh|dewi",
];

/// One line per entry: `ok ISSUER|ACCOUNT[ renamed_from=…]` or `skip KIND[:TYPE] ISSUER|ACCOUNT`.
pub(crate) fn summary(batch: &ImportBatch) -> Vec<String> {
    batch
        .entries
        .iter()
        .map(|e| match e {
            Entry::Ok {
                enrolment,
                renamed_from,
            } => {
                let renamed = renamed_from
                    .as_ref()
                    .map(|r| format!(" renamed_from={r}"))
                    .unwrap_or_default();
                format!("ok {}|{}{renamed}", enrolment.issuer, enrolment.account)
            }
            Entry::Skipped {
                issuer,
                account,
                reason,
            } => {
                let detail = match reason {
                    SkipReason::UnsupportedType { otp_type } => format!(":{otp_type}"),
                    _ => String::new(),
                };
                format!("skip {}{detail} {issuer}|{account}", reason.kind())
            }
        })
        .collect()
}

/// `field` (a Base64 or hex value inside `text`) with its character at `at` changed (`A` ↔ `B`),
/// as an attacker or a bad disk would alter a ciphertext.
pub(crate) fn with_one_char_changed(text: &str, field: &str, at: usize) -> String {
    let changed = if &field[at..=at] == "A" { "B" } else { "A" };
    let altered = format!("{}{changed}{}", &field[..at], &field[at + 1..]);
    text.replacen(field, &altered, 1)
}

/// [`read_export`] as a summary, or the error's kind.
pub(crate) fn read(bytes: &[u8], password: Option<&str>) -> Result<Vec<String>, ErrorKind> {
    read_export(bytes, password)
        .map(|b| summary(&b))
        .map_err(|e| {
            assert!(!e.message().contains(SECRET_A), "{e}");
            e.kind()
        })
}

/// Checks a fixture: detected as `format`, read as `expected`; when it is the shared set, the
/// secrets, parameters and warnings of its six enrolments too.
pub(crate) fn check_common_fixture(
    bytes: &[u8],
    password: Option<&str>,
    format: FormatId,
    expected: &[&str],
) {
    assert_eq!(detect(bytes), Some(format));
    let batch = read_export(bytes, password).expect("fixture reads");
    assert_eq!(batch.format, format);
    assert_eq!(summary(&batch), expected);
    let dbg = format!("{batch:?}");
    for s in [SECRET_A, SECRET_B, SECRET_C, SECRET_D] {
        assert!(!dbg.contains(s), "secret in Debug output");
    }
    if expected != COMMON_EXPECTED {
        return;
    }
    let list: Vec<&Enrolment> = batch.enrolments().collect();
    let totp = |algorithm, digits, period| Params {
        algorithm,
        digits,
        period,
        ..Params::default()
    };
    let want = [
        (SECRET_A, totp(Algorithm::Sha1, 6, 30)),
        (SECRET_B, totp(Algorithm::Sha1, 6, 30)),
        (SECRET_C, totp(Algorithm::Sha256, 8, 60)),
        (
            SECRET_D,
            Params {
                otp_type: OtpType::Hotp,
                counter: 7,
                ..Params::default()
            },
        ),
        (SECRET_A, Params::steam()),
        (SECRET_A, totp(Algorithm::Sha1, 5, 30)),
    ];
    assert_eq!(list.len(), want.len());
    for (e, (secret, params)) in list.iter().zip(want) {
        assert_eq!(e.secret.to_base32(), secret, "{}", e.account);
        assert_eq!(e.params, params, "{}", e.account);
    }
    assert!(list[0].warnings.is_empty());
    assert_eq!(list[3].warnings, vec![Warning::WeakSecret { bits: 80 }]);
    assert!(list[4].warnings.is_empty(), "Steam Guard's 5 characters");
    assert_eq!(list[5].warnings, vec![Warning::ShortCode { digits: 5 }]);
}

#[test]
fn detect_recognises_no_format_in_foreign_content() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
    for bytes in [
        &png[..],
        b"",
        b"{}",
        b"[]",
        b"[1, 2, 3]",
        br#"{"name": "budi", "items": 3}"#,
        br#"{"version": 1, "entries": [{"id": 1}]}"#,
        b"hello\nworld\n",
        b"name,login_username\nKota,budi\n",
        b"\xff\xfe\x00garbage",
    ] {
        assert_eq!(detect(bytes), None, "{:?}", String::from_utf8_lossy(bytes));
        let kind = read(bytes, None).unwrap_err();
        assert_eq!(
            kind,
            ErrorKind::UnknownFormat,
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    assert_eq!(
        read(b"{\"version\": 1, \"head", None),
        Err(ErrorKind::ExportDamaged)
    );
}

#[test]
fn a_2_gb_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("besar.json");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(2 * 1024 * 1024 * 1024).unwrap(); // sparse: no disk used
    let err = read_export_file(&path, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::FileTooLarge);
    assert_eq!(
        read(&vec![b' '; MAX_EXPORT_BYTES + 1], None),
        Err(ErrorKind::FileTooLarge)
    );
    assert_eq!(detect(&vec![b' '; MAX_EXPORT_BYTES + 1]), None);
    let small = dir.path().join("andotp.json");
    std::fs::write(&small, include_bytes!("fixtures/andotp.json")).unwrap();
    let batch = read_export_file(&small, None).unwrap();
    assert_eq!((batch.format, batch.entries.len()), (FormatId::AndOtp, 7));
    let missing = read_export_file(&dir.path().join("tidak-ada.json"), None).unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::Io);
}

#[test]
fn same_name_different_keys_are_both_kept_and_told_apart() {
    let line = |secret: &str, account: &str| {
        format!("otpauth://totp/Kota%20Uji:{account}?secret={secret}&issuer=Kota%20Uji\n")
    };
    let text = [
        line(SECRET_A, "budi"),
        line(SECRET_A, "BUDI "), // the same account, same key: left for the store
        line(SECRET_B, "budi"),
        line(SECRET_C, "budi (2)"), // the name the second got: renamed again
        line(SECRET_D, "budi"),
    ]
    .concat();
    assert_eq!(
        read(text.as_bytes(), None).unwrap(),
        [
            "ok Kota Uji|budi",
            "ok Kota Uji|BUDI",
            "ok Kota Uji|budi (2) renamed_from=budi",
            "ok Kota Uji|budi (2) (2) renamed_from=budi (2)",
            "ok Kota Uji|budi (3) renamed_from=budi",
        ]
    );
}

#[test]
fn format_ids_are_stable() {
    let all = [
        (FormatId::Aegis, "aegis"),
        (FormatId::TwoFas, "two_fas"),
        (FormatId::Proton, "proton"),
        (FormatId::Ente, "ente"),
        (FormatId::Bitwarden, "bitwarden"),
        (FormatId::AndOtp, "and_otp"),
        (FormatId::FreeOtpPlus, "free_otp_plus"),
        (FormatId::OtpauthText, "otpauth_text"),
    ];
    for (id, s) in all {
        assert_eq!(id.as_str(), s);
        assert_eq!(serde_json::to_value(id).unwrap(), s);
        assert!(!id.name().is_empty());
    }
    let reason = SkipReason::unsupported_type("YANDEX");
    assert_eq!(
        serde_json::to_value(&reason).unwrap(),
        serde_json::json!({"kind": "unsupported_type", "otp_type": "yandex"})
    );
    assert_eq!(
        reason.message(),
        "unsupported type yandex: this app generates only TOTP, HOTP and Steam Guard codes"
    );
}
