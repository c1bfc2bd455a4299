//! Tests of the exporters: every format read back by this app's importer to the same accounts,
//! the migration QR codes through the QR reader, and (with `SPSE_E2E=1`) the encrypted files
//! through the independent Python decoders in `decoders/`.

use super::*;
use crate::formats::{read_export, Entry, FormatId};
use crate::otp::{Algorithm, OtpType, Params, Secret};

const PASSWORD: &str = "kata-sandi-ekspor";

fn enrol(issuer: &str, account: &str, secret: &str, params: Params) -> Enrolment {
    Enrolment::new(
        issuer.into(),
        account.into(),
        Secret::from_base32(secret).expect("secret"),
        params,
    )
}

fn totp(algorithm: Algorithm, digits: u8, period: u32) -> Params {
    Params {
        otp_type: OtpType::Totp,
        algorithm,
        digits,
        period,
        counter: 0,
    }
}

fn hotp(algorithm: Algorithm, digits: u8, counter: u64) -> Params {
    Params {
        otp_type: OtpType::Hotp,
        algorithm,
        digits,
        period: 30,
        counter,
    }
}

/// Made-up accounts covering every parameter: all three types (TOTP, HOTP, Steam), every algorithm, 6/7/8 digits,
/// periods 30 and 60, an 80-bit secret, no issuer, ':' and non-ASCII in names.
fn sample() -> Vec<Enrolment> {
    vec![
        enrol(
            "LPSE Kota Contoh",
            "budi.santoso",
            "GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2",
            totp(Algorithm::Sha1, 6, 30),
        ),
        enrol(
            "Surel Contoh",
            "siti@contoh.test",
            "EN4WMHW4V77PRMIFSZBG2TF7BP62K6BY",
            totp(Algorithm::Sha256, 8, 60),
        ),
        enrol(
            "Bank Contoh",
            "andi",
            "S7FAC6HGGFFZM5KBQO6D3ZHI7U3Q74RD",
            hotp(Algorithm::Sha512, 6, 7),
        ),
        enrol(
            "",
            "akun:tanpa penerbit",
            "F4OS76MVHJV2MMVU",
            totp(Algorithm::Sha1, 6, 30),
        ),
        enrol(
            "Kabupaten Ćontoh & Co",
            "rina/ü",
            "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U",
            totp(Algorithm::Sha512, 7, 30),
        ),
        enrol(
            "Steam",
            "pemain",
            "KRUGS4ZANFZSA43UMVQW2===",
            Params::steam(),
        ),
    ]
}

/// What must survive an export: issuer, account, type, algorithm, digits, period (TOTP) or
/// counter (HOTP), secret.
fn key(e: &Enrolment) -> (String, String, Params, String) {
    let mut p = e.params;
    match p.otp_type {
        OtpType::Totp | OtpType::Steam => p.counter = 0,
        OtpType::Hotp => p.period = 30,
    }
    (e.issuer.clone(), e.account.clone(), p, e.secret.to_base32())
}

fn keys<'a>(
    list: impl IntoIterator<Item = &'a Enrolment>,
) -> Vec<(String, String, Params, String)> {
    list.into_iter().map(key).collect()
}

fn imported(bytes: &[u8], password: Option<&str>, format: FormatId) -> Vec<Enrolment> {
    let batch = read_export(bytes, password).expect("our importer reads the export");
    assert_eq!(batch.format, format);
    assert_eq!(batch.skipped(), 0, "{:?}", batch.entries);
    batch.enrolments().cloned().collect()
}

#[test]
fn format_ids_parse_and_say_what_holds_plain_secrets() {
    for f in ExportFormat::ALL {
        assert_eq!(ExportFormat::parse(f.as_str()), Some(*f));
        assert_eq!(
            serde_json::to_value(f).expect("json"),
            serde_json::json!(f.as_str())
        );
    }
    assert_eq!(
        ExportFormat::parse(" Migration-QR "),
        Some(ExportFormat::MigrationQr)
    );
    assert_eq!(ExportFormat::parse("2fas"), None);
    let plain: Vec<&str> = ExportFormat::ALL
        .iter()
        .filter(|f| f.is_plaintext())
        .map(|f| f.as_str())
        .collect();
    assert_eq!(plain, ["otpauth", "qr", "migration-qr"]);
}

#[test]
fn aegis_export_reads_back_the_same_accounts_and_refuses_wrong_passwords() {
    let all = sample();
    assert!(ExportFormat::Aegis.skipped(&all).is_empty());
    let bytes = aegis::write_encrypted(&all, PASSWORD).expect("export");
    let text = std::str::from_utf8(&bytes).expect("utf-8");
    for e in &all {
        assert!(
            !text.contains(&e.secret.to_base32()),
            "a secret in the clear"
        );
        assert!(!text.contains(&e.account) || e.account.is_empty());
    }
    assert_eq!(
        keys(&imported(&bytes, Some(PASSWORD), FormatId::Aegis)),
        keys(&all)
    );
    let wrong = read_export(&bytes, Some("kata-sandi-lain")).expect_err("wrong password");
    assert_eq!(wrong.kind(), ErrorKind::WrongPassword);
    let v: Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(v["header"]["slots"][0]["n"], 32768);
    assert_eq!(
        v["header"]["slots"][0]["salt"].as_str().map(str::len),
        Some(64)
    );
    // Fresh salt, nonces and master key every time.
    let again = aegis::write_encrypted(&all, PASSWORD).expect("export");
    assert_ne!(bytes, again);
}

#[test]
fn short_export_passwords_are_refused() {
    for short in ["", "       ", "pendek"] {
        for kind in [
            aegis::write_encrypted(&sample(), short)
                .expect_err("short")
                .kind(),
            proton::write_encrypted(&sample(), short)
                .expect_err("short")
                .kind(),
            check_export_password(short).expect_err("short").kind(),
        ] {
            assert_eq!(kind, ErrorKind::InvalidInput);
        }
    }
    let err = check_export_password("abc").expect_err("short");
    assert!(
        err.message().contains("export password"),
        "{}",
        err.message()
    );
    assert!(check_export_password("delapan8").is_ok());
}

#[test]
fn proton_export_reads_back_and_skips_what_proton_cannot_hold() {
    let mut all = sample();
    all.push(enrol(
        "Jam Contoh",
        "lama",
        "GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2",
        totp(Algorithm::Sha1, 6, 86_400),
    ));
    let skipped = ExportFormat::Proton.skipped(&all);
    let names: Vec<(&str, &str)> = skipped
        .iter()
        .map(|s| (s.account.as_str(), s.reason.kind()))
        .collect();
    assert_eq!(
        names,
        [("andi", "unsupported_type"), ("lama", "invalid_parameter")]
    );
    let bytes = proton::write_encrypted(&all, PASSWORD).expect("export");
    let kept: Vec<&Enrolment> = all
        .iter()
        .filter(|e| !skipped.iter().any(|s| s.account == e.account))
        .collect();
    assert_eq!(
        keys(&imported(&bytes, Some(PASSWORD), FormatId::Proton)),
        keys(kept)
    );
    let wrong = read_export(&bytes, Some("kata-sandi-lain")).expect_err("wrong password");
    assert_eq!(wrong.kind(), ErrorKind::WrongPassword);
}

#[test]
fn otpauth_text_reads_back_the_same_accounts() {
    let all = sample();
    let text = otpauth::write(&all);
    assert_eq!(text.lines().count(), all.len());
    assert!(text.ends_with('\n'));
    assert_eq!(
        keys(&imported(text.as_bytes(), None, FormatId::OtpauthText)),
        keys(&all)
    );
}

#[test]
fn account_qr_codes_read_back_through_the_qr_reader() {
    for e in sample() {
        let png = qr::account_png(&e).expect("png");
        assert!(png.starts_with(b"\x89PNG"));
        let texts = crate::qr::decode_bytes(&png, "test").expect("a QR code");
        assert_eq!(texts.len(), 1);
        assert_eq!(
            keys([&crate::uri::parse(&texts[0]).expect("Key URI")]),
            keys([&e])
        );
    }
}

#[test]
fn migration_qr_codes_are_batched_numbered_and_read_back() {
    let mut all = Vec::new();
    for i in 0..23u64 {
        let params = if i % 5 == 4 {
            hotp(Algorithm::Sha256, 8, 1000 + i)
        } else {
            totp(Algorithm::Sha1, 6, 30)
        };
        all.push(enrol(
            &format!("Kota {i}"),
            &format!("u{i}"),
            "GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2",
            params,
        ));
    }
    all.extend(sample());
    let export = migration_qr::pngs(&all).expect("pngs");
    let skipped: Vec<(&str, &str)> = export
        .skipped
        .iter()
        .map(|s| (s.account.as_str(), s.reason.kind()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("siti@contoh.test", "invalid_parameter"),
            ("rina/ü", "invalid_parameter"),
            ("pemain", "unsupported_type")
        ]
    );
    assert!(export.skipped[0].reason.message().contains("60 seconds"));
    assert!(export.skipped[1].reason.message().contains("7"));
    let count = export.images.len();
    assert_eq!(count, 3, "26 short accounts, 2 skipped: at most 10 a code");
    let mut back = Vec::new();
    let mut batch_ids = Vec::new();
    for (i, image) in export.images.iter().enumerate() {
        assert_eq!((image.index, image.count), (i + 1, count));
        let texts = crate::qr::decode_bytes(&image.png, "test").expect("a QR code");
        assert_eq!(texts.len(), 1);
        assert!(texts[0].len() < 1200, "{} characters", texts[0].len());
        let batch = crate::migration::parse(&texts[0]).expect("a migration payload");
        assert_eq!(
            (batch.batch_index, batch.batch_size),
            (i as i32, count as i32)
        );
        assert!(batch.enrolments.len() <= migration_qr::MAX_PER_CODE);
        batch_ids.push(batch.batch_id);
        back.extend(batch.enrolments);
    }
    batch_ids.dedup();
    assert_eq!(batch_ids.len(), 1, "one batch id for every code");
    let kept: Vec<&Enrolment> = all
        .iter()
        .filter(|e| !export.skipped.iter().any(|s| s.account == e.account))
        .collect();
    assert_eq!(keys(&back), keys(kept.iter().copied()));
    // The import of all codes together: one entry per account, no "missing part" left.
    let texts: Vec<String> = export
        .images
        .iter()
        .flat_map(|i| crate::qr::decode_bytes(&i.png, "test").expect("qr"))
        .collect();
    let batch = crate::import::batch_from_payloads(&texts).expect("batch");
    assert_eq!(batch.entries.len(), kept.len());
    for e in &batch.entries {
        let Entry::Ok { enrolment, .. } = e else {
            panic!("skipped: {e:?}");
        };
        assert!(enrolment
            .warnings
            .iter()
            .all(|w| !matches!(w, crate::enrolment::Warning::MissingBatchParts { .. })));
    }
    assert!(!format!("{export:?}").contains("GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2"));
}

#[test]
fn long_names_get_codes_of_their_own_and_huge_ones_are_skipped() {
    let long = "n".repeat(400);
    let all = vec![
        enrol(
            "A",
            &long,
            "GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2",
            totp(Algorithm::Sha1, 6, 30),
        ),
        enrol(
            "B",
            &long,
            "GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2",
            totp(Algorithm::Sha1, 6, 30),
        ),
        enrol(
            "C",
            &"x".repeat(5000),
            "GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2",
            totp(Algorithm::Sha1, 6, 30),
        ),
    ];
    let export = migration_qr::pngs(&all).expect("pngs");
    assert_eq!(export.images.len(), 2);
    assert_eq!(export.skipped.len(), 1);
    assert_eq!(export.skipped[0].issuer, "C");
    assert!(migration_qr::pngs(&[]).expect("empty").images.is_empty());
}

#[cfg(unix)]
#[test]
fn private_files_are_owner_only_and_replaced_atomically() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("ekspor.json");
    std::fs::write(&path, b"old").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    write_private_file(&path, b"new").expect("write");
    assert_eq!(std::fs::read(&path).expect("read"), b"new");
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
    let missing = dir.path().join("no-such-folder").join("x.json");
    assert_eq!(
        write_private_file(&missing, b"x")
            .expect_err("no folder")
            .kind(),
        ErrorKind::Io
    );
}

/// Runs `decoders/NAME` on `file` with `password` on its standard input; its stdout lines.
#[cfg(unix)]
fn python_decoder(name: &str, file: &std::path::Path, password: &str) -> Vec<String> {
    use std::io::Write;
    let script = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/export/decoders")
        .join(name);
    let mut child = std::process::Command::new("/usr/bin/python3")
        .arg(&script)
        .arg(file)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run /usr/bin/python3");
    writeln!(child.stdin.take().expect("stdin"), "{password}").expect("password");
    let out = child.wait_with_output().expect("decoder");
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(str::to_string)
        .collect()
}

/// Unix only: the Windows build of these tests runs under Wine, without a Python.
#[cfg(unix)]
#[test]
fn independent_python_decoders_read_the_encrypted_exports() {
    if !spse_auth_test_support::e2e_enabled("python3 with python3-cryptography and python3-argon2")
    {
        return;
    }
    let all = sample();
    let dir = tempfile::tempdir().expect("tempdir");

    let aegis_file = dir.path().join("aegis.json");
    write_private_file(
        &aegis_file,
        &aegis::write_encrypted(&all, PASSWORD).expect("aegis"),
    )
    .expect("write");
    let expected: Vec<String> = all
        .iter()
        .map(|e| {
            let p = &e.params;
            let last = match p.otp_type {
                OtpType::Totp | OtpType::Steam => p.period.to_string(),
                OtpType::Hotp => p.counter.to_string(),
            };
            [
                p.otp_type.as_str(),
                &e.issuer,
                &e.account,
                &e.secret.to_base32(),
                p.algorithm.as_str(),
                &p.digits.to_string(),
                &last,
            ]
            .join("\t")
        })
        .collect();
    assert_eq!(
        python_decoder("aegis_decrypt.py", &aegis_file, PASSWORD),
        expected
    );

    let proton_file = dir.path().join("proton.json");
    write_private_file(
        &proton_file,
        &proton::write_encrypted(&all, PASSWORD).expect("proton"),
    )
    .expect("write");
    let lines = python_decoder("proton_decrypt.py", &proton_file, PASSWORD);
    let kept: Vec<&Enrolment> = all
        .iter()
        .filter(|e| proton::skip_reason(e).is_none())
        .collect();
    assert_eq!(lines.len(), kept.len());
    let mut back = Vec::new();
    for (line, e) in lines.iter().zip(&kept) {
        let (head, uri) = line.split_once('\t').expect("tab");
        if e.params.otp_type == OtpType::Steam {
            // Proton writes a Steam entry as `steam://` + the Base32 secret.
            assert_eq!(head, format!("Steam {}", e.account));
            assert_eq!(uri, format!("steam://{}", e.secret.to_base32()));
            back.push((*e).clone());
            continue;
        }
        assert_eq!(head, format!("Totp {}", e.account));
        back.push(crate::uri::parse(uri).expect("Key URI"));
    }
    assert_eq!(keys(&back), keys(kept));

    // A wrong password: the decoders refuse too.
    let out = std::process::Command::new("/usr/bin/python3")
        .arg(
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("src/export/decoders/aegis_decrypt.py"),
        )
        .arg(&aegis_file)
        .stdin(std::fs::File::open("/dev/null").expect("null"))
        .output()
        .expect("decoder");
    assert!(!out.status.success());
}
