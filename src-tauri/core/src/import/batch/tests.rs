//! The batch rules: one bad entry is a skip, duplicates are kept apart, files are recognised by
//! content and read with their caps. All names and secrets are made up.

use super::*;
use crate::enrolment::Warning;
use crate::formats::tests::{summary, COMMON_EXPECTED, PASSWORD, SECRET_A, SECRET_B};
use crate::migration::tests::{entry, uri as migration_uri};

fn key_uri(account: &str, secret: &str) -> String {
    format!("otpauth://totp/Kota%20Uji:{account}?secret={secret}&issuer=Kota%20Uji")
}

#[test]
fn a_text_list_keeps_the_good_lines_and_skips_the_bad_ones() {
    let text = [
        key_uri("satu", SECRET_A),
        format!("otpauth://motp/Motp:pemain?secret={SECRET_A}&issuer=Motp"),
        "otpauth:/rusak".to_string(),
        String::new(),
        format!("otpauth://yandex/Yandex:ivan?secret={SECRET_A}"),
        "ini bukan URI".to_string(),
        key_uri("dua", SECRET_B),
        format!("otpauth://totp/Kota%20Uji:tiga?secret={SECRET_A}&digits=99"),
    ]
    .join("\n");
    let batch = batch_from_text(&text);
    assert_eq!(batch.format, FormatId::OtpauthText);
    assert_eq!(
        summary(&batch),
        [
            "ok Kota Uji|satu",
            "skip unsupported_type:motp Motp|pemain",
            "skip invalid_entry |",
            "skip unsupported_type:yandex Yandex|ivan",
            "skip invalid_entry |",
            "ok Kota Uji|dua",
            "skip invalid_parameter Kota Uji|tiga",
        ]
    );
    // The skipped line is named by its number, never by its text.
    let Entry::Skipped { reason, .. } = &batch.entries[4] else {
        panic!("skipped");
    };
    assert!(
        reason.message().starts_with("line 6:"),
        "{}",
        reason.message()
    );
    assert!(!reason.message().contains("bukan"), "{}", reason.message());
    // The same text through the file path (first line not a Key URI: still read as text).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daftar.txt");
    std::fs::write(&path, format!("Akun saya:\n{text}\n")).unwrap();
    let from_file = batch_from_file(&path, None).unwrap();
    assert_eq!(from_file.entries.len(), 8, "{:?}", summary(&from_file));
    assert_eq!(summary(&from_file)[1..], summary(&batch)[..]);
    // The all-or-nothing API still fails on the first broken enrolment URI.
    assert_eq!(
        super::super::from_text(&text).unwrap_err().kind(),
        ErrorKind::UnsupportedOtpType
    );
}

#[test]
fn same_name_different_keys_in_one_text_are_both_kept() {
    let text = [
        key_uri("budi", SECRET_A),
        key_uri("budi", SECRET_B),
        key_uri("budi", SECRET_A),
        key_uri("BUDI", "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"),
    ]
    .join("\n");
    assert_eq!(
        summary(&batch_from_text(&text)),
        [
            "ok Kota Uji|budi",
            "ok Kota Uji|budi (2) renamed_from=budi",
            "ok Kota Uji|budi",
            "ok Kota Uji|BUDI (3) renamed_from=BUDI",
        ]
    );
    // The all-or-nothing API applies the same rule.
    let accounts: Vec<String> = super::super::from_text(&text)
        .unwrap()
        .into_iter()
        .map(|e| e.account)
        .collect();
    assert_eq!(accounts, ["budi", "budi (2)", "budi", "BUDI (3)"]);
    // Across inputs (several files of one import) too, keeping the first original name.
    let mut all = batch_from_text(&key_uri("budi", SECRET_A)).entries;
    all.extend(batch_from_text(&text).entries);
    keep_entries_apart(&mut all);
    assert_eq!(
        summary(&ImportBatch {
            format: FormatId::OtpauthText,
            entries: all
        })[..3],
        [
            "ok Kota Uji|budi",
            "ok Kota Uji|budi",
            "ok Kota Uji|budi (2) renamed_from=budi"
        ]
    );
}

#[test]
fn a_google_migration_batch_with_duplicates_keeps_both() {
    // A real Google Authenticator export can hold two accounts of one name with different keys.
    let export = migration_uri(
        &[
            entry(&[1; 20], "budi", "LPSE Uji", 1, 1, 2),
            entry(&[2; 20], "budi", "LPSE Uji", 1, 1, 2),
            entry(&[3; 20], "siti", "LPSE Uji", 1, 1, 2),
        ],
        1,
    );
    let batch = batch_from_payloads(&[export.as_str()]).unwrap();
    assert_eq!(batch.format, FormatId::QrCodes);
    assert_eq!(
        summary(&batch),
        [
            "ok LPSE Uji|budi",
            "ok LPSE Uji|budi (2) renamed_from=budi",
            "ok LPSE Uji|siti",
        ]
    );
    // A single-part batch is complete: no "missing part" warning.
    assert!(batch.enrolments().all(|e| e.warnings.is_empty()));
    // Part 1 of 2 alone keeps its warning.
    let part = migration_uri(&[entry(&[3; 20], "siti", "LPSE Uji", 1, 1, 2)], 2);
    let batch = batch_from_text(&part);
    assert!(matches!(
        batch.enrolments().next().unwrap().warnings[..],
        [Warning::MissingBatchParts { .. }]
    ));
}

#[test]
fn qr_payloads_skip_broken_enrolments_and_ignore_foreign_codes() {
    let good = key_uri("satu", SECRET_A);
    let batch = batch_from_payloads(&[
        "https://contoh.test/unduh-aplikasi",
        good.as_str(),
        "otpauth://totp/X:y?secret=1!",
        "otpauth-migration://offline?data=",
    ])
    .unwrap();
    assert_eq!(
        summary(&batch),
        [
            "ok Kota Uji|satu",
            "skip invalid_secret X|y",
            "skip invalid_entry |"
        ]
    );
    // No enrolment at all: the first foreign code is the error, as for one scanned QR.
    let err = batch_from_payloads(&["https://contoh.test/", "WIFI:S:x;;"]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotOtpauth);
    // The all-or-nothing API keeps failing on a broken enrolment URI next to a good one.
    assert_eq!(
        super::super::from_payloads(&[good.as_str(), "otpauth://totp/X:y?secret=1!"])
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidSecret
    );
}

#[test]
fn files_are_recognised_by_content_and_read_with_their_caps() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let aegis = write(
        "cadangan.bin",
        include_bytes!("../../formats/fixtures/aegis_encrypted.json"),
    );
    let kind = |r: Result<ImportBatch>| r.unwrap_err().kind();
    assert_eq!(
        kind(batch_from_file(&aegis, None)),
        ErrorKind::PasswordRequired
    );
    assert_eq!(
        kind(batch_from_file(&aegis, Some("salah"))),
        ErrorKind::WrongPassword
    );
    let batch = batch_from_file(&aegis, Some(PASSWORD)).unwrap();
    assert_eq!(
        (batch.format, summary(&batch)),
        (
            FormatId::Aegis,
            COMMON_EXPECTED.iter().map(|s| s.to_string()).collect()
        )
    );
    // An image: its QR codes.
    let png = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/fixtures/01_clean_qr.png"
    ))
    .unwrap();
    let image = write("layar.dat", &png);
    let batch = batch_from_file(&image, None).unwrap();
    assert_eq!((batch.format, batch.entries.len()), (FormatId::QrCodes, 1));
    // Not an image, export or text of Key URIs.
    let other = write("catatan.txt", b"hanya catatan\n");
    assert_eq!(
        kind(batch_from_file(&other, None)),
        ErrorKind::UnknownFormat
    );
    let binary = write("acak.bin", &[0xff, 0xfe, 0x00, 0x01, 0x80]);
    assert_eq!(
        kind(batch_from_file(&binary, None)),
        ErrorKind::UnknownFormat
    );
    // Over 10 MiB and no image: too large for an export; over 50 MiB: never read.
    let big = dir.path().join("besar.json");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(formats::MAX_EXPORT_BYTES as u64 + 1).unwrap();
    assert_eq!(kind(batch_from_file(&big, None)), ErrorKind::FileTooLarge);
    f.set_len(2 * 1024 * 1024 * 1024).unwrap();
    assert_eq!(kind(batch_from_file(&big, None)), ErrorKind::FileTooLarge);
    assert_eq!(
        kind(batch_from_file(&dir.path().join("tidak-ada"), None)),
        ErrorKind::Io
    );
}

#[test]
fn clipboard_pixels_have_the_file_limits() {
    use crate::error::Detail;
    let err = batch_from_rgba(Vec::new(), qr::MAX_SIDE + 1, 1, "clipboard image").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ImageTooLarge);
    assert_eq!(err.detail, Detail::Size(qr::MAX_SIDE + 1, 1));
    let err = batch_from_rgba(vec![0; 7], 2, 2, "clipboard image").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ImageUnreadable);
    let err = batch_from_rgba(vec![255; 64 * 64 * 4], 64, 64, "clipboard image").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NoQrFound);
    assert!(err.message().contains("clipboard image"), "{err}");
    // The pixels of a screenshot with the enrolment QR: its one entry.
    let png = image::load_from_memory(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/data/fixtures/01_clean_qr.png"
        ))
        .unwrap(),
    )
    .unwrap()
    .to_rgba8();
    let (w, h) = png.dimensions();
    let batch = batch_from_rgba(png.into_raw(), w, h, "clipboard image").unwrap();
    assert_eq!((batch.format, batch.entries.len()), (FormatId::QrCodes, 1));
}
