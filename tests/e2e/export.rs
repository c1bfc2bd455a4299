//! End-to-end tests of `spse-auth export` (real binary, real keyring, oathtool): every format is
//! imported again with `spse-auth import` into a fresh data folder and gives the same accounts
//! and the same codes as oathtool; plain-text exports need `--plaintext` and the recovery
//! password; the `--password-stdin` order; owner-only files; the independent Python decoders of
//! `src-tauri/core/src/export/decoders/` read the encrypted files. All names and secrets are
//! made up.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use spse_auth_test_support::oathtool_hotp;

const TIMES: [u64; 3] = [59, 1_111_111_109, 2_000_000_000];
const EXPORT_PW: &str = "kata-sandi-ekspor";
const VAULT_PW: &str = "kata sandi brankas uji";

/// (issuer, account, secret, type, algorithm, digits, period, counter) of the test accounts.
type Account = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u32,
    u32,
    u64,
);

const ACCOUNTS: [Account; 4] = [
    (
        "LPSE Kota Contoh",
        "budi.santoso",
        "GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2",
        "totp",
        "SHA1",
        6,
        30,
        0,
    ),
    (
        "Surel Contoh",
        "siti@contoh.test",
        "EN4WMHW4V77PRMIFSZBG2TF7BP62K6BY",
        "totp",
        "SHA256",
        8,
        60,
        0,
    ),
    (
        "Bank Contoh",
        "andi",
        "S7FAC6HGGFFZM5KBQO6D3ZHI7U3Q74RD",
        "hotp",
        "SHA1",
        6,
        30,
        5,
    ),
    (
        "LPSE Kota Lain",
        "budi.santoso",
        "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U",
        "totp",
        "SHA512",
        8,
        30,
        0,
    ),
];

fn uri(a: &Account) -> String {
    let (issuer, account, secret, t, alg, digits, period, counter) = *a;
    let issuer = issuer.replace(' ', "%20");
    format!(
        "otpauth://{t}/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm={alg}\
         &digits={digits}&period={period}&counter={counter}"
    )
}

/// A data folder with the four test accounts.
fn vault_with_accounts(dir: &Path) {
    let uris: Vec<String> = ACCOUNTS.iter().map(uri).collect();
    let mut args = vec!["add"];
    args.extend(uris.iter().map(String::as_str));
    ok(dir, &args);
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).expect("meta").permissions().mode() & 0o777
}

/// Imports `files` into a fresh data folder and checks that it holds exactly the accounts of
/// `ACCOUNTS` but `skipped` (by account name), with their parameters and oathtool's codes.
fn check_import(tmp: &Path, name: &str, files: &[&str], stdin: Option<&[u8]>, skipped: &[&str]) {
    let fresh = tmp.join(format!("fresh-{name}"));
    let mut args = vec!["--password-stdin", "import"];
    if stdin.is_none() {
        args.remove(0);
    }
    args.extend_from_slice(files);
    let out = ok_with(&fresh, &args, stdin);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let expected: Vec<&Account> = ACCOUNTS
        .iter()
        .filter(|a| !skipped.contains(&a.1))
        .collect();
    assert!(
        stdout.ends_with(&format!(
            "imported: {} added, 0 unchanged, 0 replaced, 0 skipped\n",
            expected.len()
        )),
        "{name}: {stdout}"
    );
    let list = list_json(&fresh);
    assert_eq!(list.len(), expected.len(), "{name}: {list:?}");
    for a in expected {
        let (issuer, account, secret, t, alg, digits, period, counter) = *a;
        let got = list
            .iter()
            .find(|x| x["issuer"] == issuer && x["account"] == account)
            .unwrap_or_else(|| panic!("{name}: {issuer} / {account} missing: {list:?}"));
        assert_eq!(got["type"], t, "{name} {account}");
        assert_eq!(got["algorithm"], alg, "{name} {account}");
        assert_eq!(got["digits"], digits, "{name} {account}");
        let id = got["id"].as_str().expect("id");
        if t == "totp" {
            assert_eq!(got["period"], period, "{name} {account}");
            for at in TIMES {
                let code = ok(&fresh, &["code", id, "--at", &at.to_string()]);
                assert_eq!(
                    code.trim(),
                    oathtool(secret, alg, digits, period, at),
                    "{name} {account} at {at}"
                );
            }
        } else {
            assert_eq!(got["counter"], counter, "{name} {account}");
            let code = ok(&fresh, &["code", id]);
            assert_eq!(
                code.trim(),
                oathtool_hotp(secret, digits, counter),
                "{name} {account}"
            );
        }
    }
}

/// Asserts that no secret of `ACCOUNTS` is in `text`.
fn no_secret_in(text: &str) {
    for a in &ACCOUNTS {
        assert!(!text.contains(a.2), "a secret was printed: {text}");
    }
}

#[test]
fn every_format_imports_again_to_the_same_accounts_and_codes() {
    if !keyring_test("oathtool and python3 (cryptography, argon2)")
        || skip_under_wine("Unix paths and modes")
    {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    vault_with_accounts(&dir);
    let pw = format!("{EXPORT_PW}\n");

    // Aegis: every account.
    let aegis = tmp.path().join("ekspor-aegis.json");
    let out = ok_with(
        &dir,
        &[
            "--password-stdin",
            "export",
            "--format",
            "aegis",
            "--output",
            path(&aegis),
        ],
        Some(pw.as_bytes()),
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "written {}\nexported: 4 accounts, 0 skipped\n",
            aegis.display()
        )
    );
    no_secret_in(&text(&out));
    #[cfg(unix)]
    assert_eq!(mode(&aegis), 0o600);
    check_import(
        tmp.path(),
        "aegis",
        &[path(&aegis)],
        Some(pw.as_bytes()),
        &[],
    );

    // Proton: no HOTP in Proton Authenticator.
    let proton = tmp.path().join("ekspor-proton.json");
    let out = ok_with(
        &dir,
        &[
            "--password-stdin",
            "export",
            "--format",
            "proton",
            "--output",
            path(&proton),
        ],
        Some(pw.as_bytes()),
    );
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        stdout.starts_with("skipped Bank Contoh andi unsupported_type: "),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(&format!(
            "written {}\nexported: 3 accounts, 1 skipped\n",
            proton.display()
        )),
        "{stdout}"
    );
    #[cfg(unix)]
    assert_eq!(mode(&proton), 0o600);
    check_import(
        tmp.path(),
        "proton",
        &[path(&proton)],
        Some(pw.as_bytes()),
        &["andi"],
    );

    // Key URIs (no recovery password set: --plaintext is enough).
    let text_file = tmp.path().join("ekspor.txt");
    let out = ok(
        &dir,
        &[
            "export",
            "--format",
            "otpauth",
            "--plaintext",
            "--output",
            path(&text_file),
        ],
    );
    assert_eq!(
        out,
        format!(
            "written {}\nexported: 4 accounts, 0 skipped\n",
            text_file.display()
        )
    );
    #[cfg(unix)]
    assert_eq!(mode(&text_file), 0o600);
    check_import(tmp.path(), "otpauth", &[path(&text_file)], None, &[]);

    // One QR code per account, into a new folder.
    let qr_dir = tmp.path().join("qr");
    let out = ok(
        &dir,
        &[
            "export",
            "--format",
            "qr",
            "--plaintext",
            "--output",
            path(&qr_dir),
        ],
    );
    let written: Vec<PathBuf> = out
        .lines()
        .filter_map(|l| l.strip_prefix("written "))
        .map(PathBuf::from)
        .collect();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "Bank_Contoh-andi.png",
            "LPSE_Kota_Contoh-budi.santoso.png",
            "LPSE_Kota_Lain-budi.santoso.png",
            "Surel_Contoh-siti_contoh.test.png"
        ]
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&qr_dir), 0o700);
        for p in &written {
            assert_eq!(mode(p), 0o600);
        }
    }
    let files: Vec<&str> = written.iter().map(|p| path(p)).collect();
    check_import(tmp.path(), "qr", &files, None, &[]);

    // Google Authenticator transfer codes: no 60-second TOTP.
    let ga_dir = tmp.path().join("google");
    let out = ok(
        &dir,
        &[
            "export",
            "--format",
            "migration-qr",
            "--plaintext",
            "--output",
            path(&ga_dir),
        ],
    );
    assert!(
        out.starts_with("skipped Surel Contoh siti@contoh.test invalid_parameter: "),
        "{out}"
    );
    assert!(out.contains("60 seconds"), "{out}");
    let png = ga_dir.join("google-authenticator-1-of-1.png");
    assert!(
        out.ends_with(&format!(
            "written {}\nexported: 3 accounts, 1 skipped\n",
            png.display()
        )),
        "{out}"
    );
    check_import(
        tmp.path(),
        "migration-qr",
        &[path(&png)],
        None,
        &["siti@contoh.test"],
    );

    // The independent decoders open the encrypted files.
    let decoders = data("../../src-tauri/core/src/export/decoders");
    let run_decoder = |script: &str, file: &Path| -> String {
        let mut child = std::process::Command::new("/usr/bin/python3")
            .arg(decoders.join(script))
            .arg(file)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("python3");
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(pw.as_bytes())
            .expect("pw");
        let out = child.wait_with_output().expect("decoder");
        assert!(
            out.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    // Both decoders print one line per account: type, issuer, account, secret, algorithm, digits,
    // then the period (TOTP) or the counter (HOTP).
    let all_accounts_listed = |lines: &str| {
        for a in &ACCOUNTS {
            let (issuer, account, secret, t, alg, digits, period, counter) = *a;
            let last = if t == "hotp" {
                counter
            } else {
                u64::from(period)
            };
            let line = format!("{t}\t{issuer}\t{account}\t{secret}\t{alg}\t{digits}\t{last}");
            assert!(lines.lines().any(|l| l == line), "{line} not in {lines}");
        }
        assert_eq!(lines.lines().count(), 4);
    };
    all_accounts_listed(&run_decoder("aegis_decrypt.py", &aegis));
    // The Key URI list, read with Python's URL parsing and Base32 (not our parser).
    all_accounts_listed(&run_decoder("otpauth_read.py", &text_file));
    let lines = run_decoder("proton_decrypt.py", &proton);
    assert_eq!(lines.lines().count(), 3, "{lines}");
    for a in ACCOUNTS.iter().filter(|a| a.3 == "totp") {
        let l = lines
            .lines()
            .find(|l| l.contains(&format!("secret={}", a.2)))
            .unwrap_or_else(|| panic!("{} not in {lines}", a.1));
        assert!(
            l.starts_with(&format!("Totp {}\totpauth://totp/", a.1)),
            "{l}"
        );
    }
}

#[test]
fn plain_exports_need_plaintext_and_the_recovery_password() {
    if !keyring_test("") || skip_under_wine("Unix paths") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let file = tmp.path().join("uris.txt");
    let f = path(&file);
    // No account yet: refused before any password is asked.
    let err = fails(&dir, &["export", "--format", "aegis", "--output", f], 1);
    assert!(err.contains("no accounts to export"), "{err}");
    vault_with_accounts(&dir);

    let err = fails(&dir, &["export", "--format", "otpauth", "--output", f], 1);
    assert!(
        err.contains("--plaintext") && err.contains("nothing was written"),
        "{err}"
    );
    let err = fails(&dir, &["export", "--format", "qr", "--output", f], 1);
    assert!(err.contains("--plaintext"), "{err}");
    assert!(!file.exists());
    // Usage errors: exit 2.
    fails(&dir, &["export", "--format", "2fas", "--output", f], 2);
    fails(&dir, &["export", "--format", "otpauth", "--plaintext"], 2);

    ok_with(
        &dir,
        &["--password-stdin", "recovery", "set"],
        Some(format!("{VAULT_PW}\n").as_bytes()),
    );
    // No terminal, no --password-stdin: refused.
    let err = fails(
        &dir,
        &[
            "export",
            "--format",
            "otpauth",
            "--plaintext",
            "--output",
            f,
        ],
        1,
    );
    assert!(
        err.contains("recovery password") && err.contains("--password-stdin"),
        "{err}"
    );
    // A wrong recovery password: nothing written.
    let out = run_in(
        &dir,
        &[
            "--password-stdin",
            "export",
            "--format",
            "otpauth",
            "--plaintext",
            "--output",
            f,
        ],
        Some(b"salah sekali\n"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(!file.exists());
    let out = run_in(
        &dir,
        &[
            "--password-stdin",
            "export",
            "--format",
            "migration-qr",
            "--plaintext",
            "--output",
            path(&tmp.path().join("ga")),
        ],
        Some(b"salah sekali\n"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(!tmp.path().join("ga").exists());
    // The right one; only the account the query names.
    let out = ok_with(
        &dir,
        &[
            "--password-stdin",
            "export",
            "--format",
            "otpauth",
            "--plaintext",
            "--output",
            f,
            "siti",
        ],
        Some(format!("{VAULT_PW}\n").as_bytes()),
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).ends_with("exported: 1 accounts, 0 skipped\n"),
        "{}",
        text(&out)
    );
    let uris = std::fs::read_to_string(&file).expect("file");
    assert_eq!(uris.lines().count(), 1);
    assert!(
        uris.contains("EN4WMHW4V77PRMIFSZBG2TF7BP62K6BY"),
        "the account of the query"
    );
    // An ambiguous or unknown query fails, and writes nothing.
    std::fs::remove_file(&file).expect("rm");
    let out = run_in(
        &dir,
        &[
            "--password-stdin",
            "export",
            "--format",
            "otpauth",
            "--plaintext",
            "--output",
            f,
            "budi",
        ],
        Some(format!("{VAULT_PW}\n").as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("matches 2 accounts"),
        "{}",
        text(&out)
    );
    assert!(!file.exists());
}

#[test]
fn password_stdin_lines_come_vault_then_recovery_then_export() {
    if !keyring_test("") || skip_under_wine("Unix paths") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    vault_with_accounts(&dir);
    ok_with(
        &dir,
        &["--password-stdin", "recovery", "set"],
        Some(format!("{VAULT_PW}\n").as_bytes()),
    );
    let aegis = tmp.path().join("a.json");
    let a = path(&aegis);

    // Encrypted export, no terminal, no --password-stdin: refused.
    let err = fails(&dir, &["export", "--format", "aegis", "--output", a], 1);
    assert!(
        err.contains("needs a password") && err.contains("--password-stdin"),
        "{err}"
    );
    // A short export password: refused.
    let out = run_in(
        &dir,
        &[
            "--password-stdin",
            "export",
            "--format",
            "aegis",
            "--output",
            a,
        ],
        Some(b"pendek\n"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("at least 8 characters"),
        "{}",
        text(&out)
    );
    assert!(!aegis.exists());

    // The keyring lost the key: the vault's recovery password, then the export password.
    keyring_delete(&vault_id(&dir));
    let out = run_in(
        &dir,
        &[
            "--password-stdin",
            "export",
            "--format",
            "aegis",
            "--output",
            a,
        ],
        Some(format!("{VAULT_PW}\n").as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no more password lines"),
        "{}",
        text(&out)
    );
    assert!(!aegis.exists());
    keyring_delete(&vault_id(&dir));
    let out = ok_with(
        &dir,
        &[
            "--password-stdin",
            "export",
            "--format",
            "aegis",
            "--output",
            a,
        ],
        Some(format!("{VAULT_PW}\n{EXPORT_PW}\n").as_bytes()),
    );
    no_secret_in(&text(&out));
    check_import(
        tmp.path(),
        "aegis-order",
        &[a],
        Some(format!("{EXPORT_PW}\n").as_bytes()),
        &[],
    );

    // A plain export: vault password, then the recovery password again for the confirmation.
    keyring_delete(&vault_id(&dir));
    let uris = tmp.path().join("u.txt");
    let out = run_in(
        &dir,
        &[
            "--password-stdin",
            "export",
            "--format",
            "otpauth",
            "--plaintext",
            "--output",
            path(&uris),
        ],
        Some(format!("{VAULT_PW}\nsalah sekali\n").as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(!uris.exists());
    keyring_delete(&vault_id(&dir));
    let out = ok_with(
        &dir,
        &[
            "--password-stdin",
            "export",
            "--format",
            "otpauth",
            "--plaintext",
            "--output",
            path(&uris),
        ],
        Some(format!("{VAULT_PW}\n{VAULT_PW}\n").as_bytes()),
    );
    no_secret_in(&text(&out));
    assert_eq!(
        std::fs::read_to_string(&uris)
            .expect("uris")
            .lines()
            .count(),
        4
    );
}
