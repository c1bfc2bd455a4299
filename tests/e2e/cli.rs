//! End-to-end tests of the real `spse-auth` binary against a real keyring.
//!
//! On Linux they need a D-Bus session with an unlocked gnome-keyring (`.ci/test` provides one
//! through `dbus-run-session` and `gnome-keyring-daemon --unlock`); `.ci/windows` runs them again
//! against the Windows build under Wine, with Wine's Credential Manager (see `common`). Both need
//! `oathtool` for independent codes and the fixture images in `tests/data/fixtures/`. Those tests
//! run only when the CI scripts opt in (`SPSE_E2E=1`, see `common::keyring_test`); the `decode`
//! tests need nothing but the binary and always run. All names and secrets are made up.

mod common;

use common::*;

use spse_auth_core::otp::Secret;

const TIMES: [u64; 3] = [59, 1_111_111_109, 2_000_000_000];

#[test]
fn screenshot_enrol_list_code_remove() {
    if !keyring_test("oathtool") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let secret = "BFO6RWS7NVDPN2MQRYF4WEIQMXXIA2KO";
    let shot = data("fixtures/02_screenshot_1920x1080.png");
    let added = ok(&dir, &["add", shot.to_str().expect("path")]);
    let fields: Vec<&str> = added.trim_end().splitn(3, ' ').collect();
    assert_eq!(fields[0], "added", "{added}");
    assert_eq!(fields[2], "LPSE Kabupaten Contoh PPK.SITI-02");
    let id = fields[1].to_string();
    assert_eq!(id.len(), 8);

    let list = list_json(&dir);
    assert_eq!(list.len(), 1);
    let a = &list[0];
    assert_eq!(a["id"], id.as_str());
    assert_eq!(a["issuer"], "LPSE Kabupaten Contoh");
    assert_eq!(a["account"], "PPK.SITI-02");
    assert_eq!(a["type"], "totp");
    assert_eq!(a["algorithm"], "SHA1");
    assert_eq!(a["digits"], 6);
    assert_eq!(a["period"], 30);
    assert_eq!(a["counter"], 0);

    let mut printed = added.clone();
    for t in TIMES {
        let code = ok(&dir, &["code", "PPK.SITI", "--at", &t.to_string()]);
        assert_eq!(code.trim(), oathtool(secret, "SHA1", 6, 30, t), "at {t}");
        printed.push_str(&code);
    }
    let all = ok(&dir, &["code", "--json", "--at", "1700000000"]);
    let codes: serde_json::Value = serde_json::from_str(&all).expect("json");
    assert_eq!(
        codes[0]["code"],
        oathtool(secret, "SHA1", 6, 30, 1_700_000_000)
    );
    assert_eq!(codes[0]["seconds_left"], 10);
    assert_eq!(codes[0]["period"], 30);
    let table = ok(&dir, &["code", "--at", "1700000000"]);
    assert!(
        table.starts_with("LPSE Kabupaten Contoh  PPK.SITI-02  "),
        "{table}"
    );
    printed.push_str(&all);
    printed.push_str(&table);
    printed.push_str(&ok(&dir, &["list"]));

    // Nothing stored or printed in plain text.
    let bytes = std::fs::read(vault_file(&dir)).expect("vault exists");
    let raw = Secret::from_base32(secret).expect("valid");
    assert!(
        !contains(&bytes, secret.as_bytes()),
        "Base32 secret in the vault file"
    );
    assert!(
        !contains(&bytes, raw.as_bytes()),
        "raw secret bytes in the vault file"
    );
    assert!(!printed.contains(secret), "secret printed: {printed}");

    let removed = ok(&dir, &["remove", &id, "--yes"]);
    assert_eq!(
        removed.trim(),
        format!("removed {id} LPSE Kabupaten Contoh PPK.SITI-02")
    );
    assert!(list_json(&dir).is_empty());
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Every fixture image enrols exactly as `manifest.json` says (a fresh vault each, since several
/// fixtures re-use one account with different secrets).
#[test]
fn every_fixture_image_enrols_as_its_manifest_says() {
    if !keyring_test("oathtool") {
        return;
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data("fixtures/manifest.json")).expect("manifest"))
            .expect("json");
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut checked = 0;
    for (i, f) in manifest["fixtures"]
        .as_array()
        .expect("list")
        .iter()
        .enumerate()
    {
        let file = f["file"].as_str().expect("file");
        let path = data(&format!("fixtures/{file}"));
        let dir = tmp.path().join(format!("v{i}"));
        let p = path.to_str().expect("path");
        let expected: Vec<serde_json::Value> = if let Some(t) = f.get("totp") {
            vec![t.clone()]
        } else if let Some(m) = f.get("migration") {
            m["accounts"].as_array().expect("accounts").clone()
        } else {
            vec![]
        };
        if expected.is_empty() {
            let err = fails(&dir, &["add", p], 1);
            let payload = std::fs::read_to_string(path.with_extension("txt")).expect("txt");
            if payload.is_empty() {
                assert!(err.contains("no QR code found in"), "{file}: {err}");
            } else {
                assert!(
                    err.contains("not an authenticator enrolment; it contains")
                        && err.contains("https://")
                        && err.contains(file),
                    "{file}: {err}"
                );
            }
            assert!(!vault_file(&dir).exists(), "{file}: a vault was created");
            checked += 1;
            continue;
        }
        let out = ok(&dir, &["add", p]);
        assert_eq!(out.lines().count(), expected.len(), "{file}: {out}");
        let list = list_json(&dir);
        assert_eq!(list.len(), expected.len(), "{file}");
        for e in &expected {
            let issuer = e["issuer"].as_str().expect("issuer");
            let account = e
                .get("account")
                .or_else(|| e.get("name"))
                .and_then(|v| v.as_str())
                .expect("account");
            let got = list
                .iter()
                .find(|a| a["issuer"] == issuer && a["account"] == account)
                .unwrap_or_else(|| panic!("{file}: {issuer} / {account} not in {list:?}"));
            let algorithm = e["algorithm"].as_str().unwrap_or("SHA1");
            let digits = e["digits"].as_u64().unwrap_or(6) as u32;
            let period = e["period"].as_u64().unwrap_or(30) as u32;
            assert_eq!(got["algorithm"], algorithm, "{file}");
            assert_eq!(got["digits"], digits, "{file}");
            assert_eq!(got["period"], period, "{file}");
            let secret = e["secret"].as_str().expect("secret");
            let id = got["id"].as_str().expect("id");
            for t in TIMES {
                let code = ok(&dir, &["code", id, "--at", &t.to_string()]);
                assert_eq!(
                    code.trim(),
                    oathtool(secret, algorithm, digits, period, t),
                    "{file} at {t}"
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 24, "every fixture was checked");
}

#[test]
fn reenrolment_needs_replace_and_issuers_keep_accounts_apart() {
    if !keyring_test("oathtool") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let old = "otpauth://totp/LPSE%20Kota%20Fiktif:PENYEDIA.UJI?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=LPSE%20Kota%20Fiktif";
    let new = "otpauth://totp/LPSE%20Kota%20Fiktif:PENYEDIA.UJI?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=LPSE%20Kota%20Fiktif";
    let other = "otpauth://totp/LPSE%20Provinsi%20Fiktif:PENYEDIA.UJI?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=LPSE%20Provinsi%20Fiktif";
    let first = ok(dir, &["add", old]);
    let id = first.split(' ').nth(1).expect("id").to_string();
    assert!(ok(dir, &["add", old]).starts_with(&format!("unchanged {id} ")));
    let before = std::fs::read(vault_file(dir)).expect("vault");
    let err = fails(dir, &["add", new], 1);
    assert!(
        err.contains("--replace") && err.contains("Reset TOTP"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(vault_file(dir)).expect("vault"),
        before,
        "vault changed"
    );
    let replaced = ok(dir, &["add", "--replace", new]);
    assert_eq!(
        replaced.trim(),
        format!("replaced {id} LPSE Kota Fiktif PENYEDIA.UJI")
    );
    let code = ok(dir, &["code", &id, "--at", "1234567890"]);
    assert_eq!(
        code.trim(),
        oathtool(
            "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U",
            "SHA1",
            6,
            30,
            1_234_567_890
        )
    );
    assert!(ok(dir, &["add", other]).starts_with("added "));
    let list = list_json(dir);
    assert_eq!(list.len(), 2, "same user ID at two LPSE = two accounts");
    assert_eq!(list[0]["issuer"], "LPSE Kota Fiktif");
    assert_eq!(list[1]["issuer"], "LPSE Provinsi Fiktif");
    // Ambiguous query lists the candidates; exit 1.
    let err = fails(dir, &["code", "penyedia"], 1);
    assert!(
        err.contains("matches 2 accounts") && err.contains(&id),
        "{err}"
    );
    // No account: exit 1; usage error: exit 2.
    assert!(fails(dir, &["code", "nonexistent-lpse"], 1).contains("no account matches"));
    fails(dir, &["frobnicate"], 2);
    fails(dir, &["code", "--at", "soon"], 2);
}

#[test]
fn inputs_from_stdin_text_files_and_exports() {
    if !keyring_test("") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("d");
    let text = "otpauth://totp/Kota%20Uji:satu?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Kota%20Uji\n\notpauth://hotp/Kota%20Uji:dua?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Kota%20Uji&counter=3\n";
    let out = run_env(&dir, &["add", "-"], Some(text.as_bytes()), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    // HOTP code at the stored counter (RFC 4226 Appendix D: counter 3 → 969429).
    assert_eq!(ok(&dir, &["code", "dua"]).trim(), "969429");
    let file = tmp.path().join("uris.txt");
    std::fs::write(
        &file,
        std::fs::read(data("fixtures/12a_google_auth_export_2_accounts.txt")).expect("txt"),
    )
    .expect("write");
    let out = ok(&dir, &["add", file.to_str().expect("path")]);
    assert_eq!(
        out.lines().filter(|l| l.starts_with("added ")).count(),
        2,
        "{out}"
    );
    assert_eq!(list_json(&dir).len(), 4);
    let err = fails(&dir, &["add", "https://lpse.example/login"], 1);
    assert!(err.contains("neither a file nor"), "{err}");
    let err = fails(
        &dir,
        &["add", "otpauth://totp/X:y?secret=JBSW1Y3DP8EHPK0&issuer=X"],
        1,
    );
    assert!(
        err.contains("invalid secret") && !err.contains("JBSW1Y3DP8EHPK0"),
        "{err}"
    );
    let err = fails(
        &dir,
        &[
            "add",
            "otpauth://totp/X:y?secret=GEZDGNBVGY3TQOJQ&algorithm=MD5",
        ],
        1,
    );
    assert!(err.contains("unsupported algorithm"), "{err}");
}

#[test]
fn remove_asks_or_refuses_without_a_terminal() {
    if !keyring_test("") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(dir, &["add", "otpauth://totp/Kota%20Uji:hapus?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Kota%20Uji"]);
    let err = fails(dir, &["remove", "hapus"], 1);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(list_json(dir).len(), 1);
    ok(dir, &["remove", "hapus", "--yes"]);
    assert!(list_json(dir).is_empty());
}

#[test]
fn decode_prints_every_qr_and_touches_no_vault() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("none");
    let two = data("fixtures/08_two_qr_codes.png");
    let out = ok(&dir, &["decode", two.to_str().expect("path")]);
    let mut got: Vec<&str> = out.lines().collect();
    got.sort_unstable();
    let a = std::fs::read_to_string(data("fixtures/08_two_qr_codes.txt")).expect("txt");
    let b = std::fs::read_to_string(data("fixtures/08_two_qr_codes.2.txt")).expect("txt");
    let mut want = vec![a.as_str(), b.as_str()];
    want.sort_unstable();
    assert_eq!(got, want);
    let none = data("fixtures/09_no_qr_page.png");
    let err = fails(&dir, &["decode", none.to_str().expect("path")], 1);
    assert!(err.contains("no QR code found in"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line per image: {err}");
    // Two images without a QR code: one line each.
    let none2 = data("fixtures/09_no_qr_page.png");
    let err = fails(
        &dir,
        &[
            "decode",
            none.to_str().expect("path"),
            none2.to_str().expect("path"),
        ],
        1,
    );
    assert_eq!(err.trim().lines().count(), 2, "one line per image: {err}");
    assert!(!dir.exists(), "decode created the data folder");
}

/// Defect 8: an unreadable file (here a missing one) gets its own error line like an image
/// without a QR code; the images around it are still decoded, and the run exits 1.
#[test]
fn decode_reports_an_unreadable_file_and_decodes_the_rest() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("none");
    let first = data("fixtures/01_clean_qr.png");
    let missing = tmp.path().join("tangkapan-hilang.png");
    let last = data("fixtures/10_plain_url_qr.png");
    let out = run_in(
        &dir,
        &[
            "decode",
            first.to_str().expect("path"),
            missing.to_str().expect("path"),
            last.to_str().expect("path"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8(out.stdout.clone()).expect("utf-8 stdout");
    let want: Vec<String> = ["fixtures/01_clean_qr.txt", "fixtures/10_plain_url_qr.txt"]
        .iter()
        .map(|t| {
            std::fs::read_to_string(data(t))
                .expect("txt")
                .trim_end()
                .to_string()
        })
        .collect();
    let got: Vec<&str> = stdout.lines().collect();
    assert_eq!(got, want, "both readable images are decoded, in order");
    let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");
    let lines: Vec<&str> = stderr.trim().lines().collect();
    assert_eq!(lines.len(), 1, "one line for the missing file: {stderr}");
    assert!(lines[0].contains("tangkapan-hilang.png"), "{stderr}");
    assert!(!dir.exists(), "decode created the data folder");
}

/// The CLI's own hints (which command to run next) follow the core's message once.
#[test]
fn not_found_errors_carry_the_cli_hint_once() {
    if !keyring_test("") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("d");
    let err = fails(&dir, &["code", "tak-ada"], 1);
    assert_eq!(
        err.trim(),
        "spse-auth: no account matches 'tak-ada' (see `spse-auth list`)"
    );
    let err = fails(
        &dir,
        &["backup", "restore", "20260101T000000000Z-0badf00d"],
        1,
    );
    assert_eq!(
        err.trim(),
        "spse-auth: no backup '20260101T000000000Z-0badf00d' (see `spse-auth backup list`)"
    );
}

#[test]
fn no_secret_service_fails_clearly_and_changes_nothing() {
    if skip_under_wine("Windows always has its Credential Manager; no Secret Service to lose") {
        return;
    }
    if !keyring_test("") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("d");
    ok(&dir, &["add", "otpauth://totp/Kota%20Uji:kunci?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Kota%20Uji"]);
    let before = std::fs::read(vault_file(&dir)).expect("vault");
    let no_bus = [(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/spse-test-bus",
    )];
    let uri =
        "otpauth://totp/Kota%20Uji:baru?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=Kota%20Uji";
    let out = run_env(&dir, &["add", uri], None, &no_bus);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("system keyring is unavailable"), "{err}");
    assert_eq!(err.lines().count(), 1, "one actionable line: {err}");
    assert_eq!(std::fs::read(vault_file(&dir)).expect("vault"), before);
    // First run without a keyring: nothing is created anywhere.
    let fresh = tmp.path().join("fresh");
    let out = run_env(&fresh, &["add", uri], None, &no_bus);
    assert_eq!(out.status.code(), Some(1));
    assert!(!vault_file(&fresh).exists());
    // Listing with no vault needs no keyring at all.
    let out = run_env(&fresh, &["list", "--json"], None, &no_bus);
    assert!(out.status.success());
}

#[test]
fn missing_keyring_entry_is_reported_and_never_replaced() {
    if !keyring_test("") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(dir, &["add", "otpauth://totp/Kota%20Uji:hilang?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Kota%20Uji"]);
    let id = vault_id(dir);
    keyring_delete(&id);
    let before = std::fs::read(vault_file(dir)).expect("vault");
    assert!(fails(dir, &["list"], 1).contains("vault key missing"));
    let err = fails(dir, &["add", "otpauth://totp/Kota%20Uji:lain?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=Kota%20Uji"], 1);
    assert!(err.contains("vault key missing"), "{err}");
    assert_eq!(std::fs::read(vault_file(dir)).expect("vault"), before);
    assert!(!keyring_has(&id), "a new key was written");
}

#[test]
fn damaged_vault_is_reported_and_left_untouched() {
    if !keyring_test("") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(dir, &["add", "otpauth://totp/Kota%20Uji:rusak?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Kota%20Uji"]);
    let mut bytes = std::fs::read(vault_file(dir)).expect("vault");
    let last = bytes.len() - 20;
    bytes[last] ^= 0x40;
    std::fs::write(vault_file(dir), &bytes).expect("write");
    let uri =
        "otpauth://totp/Kota%20Uji:lain?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=Kota%20Uji";
    assert!(fails(dir, &["list"], 1).contains("is damaged"));
    assert!(fails(dir, &["add", uri], 1).contains("is damaged"));
    assert_eq!(std::fs::read(vault_file(dir)).expect("vault"), bytes);
    std::fs::write(vault_file(dir), b"").expect("truncate");
    assert!(fails(dir, &["code"], 1).contains("is damaged"));
    assert!(fails(dir, &["add", uri], 1).contains("is damaged"));
    assert_eq!(std::fs::read(vault_file(dir)).expect("vault").len(), 0);
}

/// A file of the core's export fixtures (`src-tauri/core/src/formats/fixtures/`, see its
/// README.md: made-up accounts; every encrypted one opens with `kata-sandi-contoh`).
fn export_fixture(name: &str) -> String {
    let path = data(&format!("../../src-tauri/core/src/formats/fixtures/{name}"));
    path.to_str().expect("UTF-8 path").to_string()
}

/// The words of `import`'s lines for the fixtures' shared seven entries (see their README).
fn import_lines(out: &str) -> Vec<String> {
    out.lines()
        .map(|l| {
            let mut words = l.split(' ');
            let status = words.next().unwrap_or("");
            let rest: Vec<&str> = words.skip(1).collect();
            format!("{status} {}", rest.join(" "))
        })
        .collect()
}

#[test]
fn import_reads_exports_entry_by_entry_and_changes_nothing_on_a_wrong_password() {
    if !keyring_test("oathtool") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let twofas = export_fixture("2fas_plain.2fas");
    let aegis = export_fixture("aegis_encrypted.json");
    let skipped = ["skipped Forum Contoh rina missing_secret: the entry has no secret"];

    // A dry run says what would happen and creates no vault.
    let out = ok(dir, &["import", "--dry-run", &twofas]);
    let lines = import_lines(&out);
    // Steam Guard (a third type) and a 5-digit code (accepted with a note) are imported too.
    assert_eq!(
        lines[..7],
        [
            "added LPSE Kota Contoh budi.santoso",
            "added LPSE Kota Contoh budi.santoso (2)",
            "added Surel Contoh siti@contoh.test",
            "added Bank Contoh andi",
            "added Steam pemain",
            skipped[0],
            "added Toko Contoh dewi",
        ],
        "{out}"
    );
    assert!(
        out.lines().take(5).all(|l| l.starts_with("added - ")),
        "{out}"
    );
    assert_eq!(
        out.lines().last(),
        Some("would import: 6 added, 0 unchanged, 0 replaced, 1 skipped")
    );
    assert!(!vault_file(dir).exists(), "a dry run created a vault");

    // The plain 2FAS file: six accounts, one skipped entry, exit 0.
    let out = ok(dir, &["import", &twofas]);
    assert_eq!(import_lines(&out)[5..6], skipped, "{out}");
    assert_eq!(
        out.lines().last(),
        Some("imported: 6 added, 0 unchanged, 0 replaced, 1 skipped")
    );
    let id_of = |account: &str| {
        out.lines()
            .find(|l| l.starts_with("added ") && l.ends_with(&format!(" {account}")))
            .and_then(|l| l.split(' ').nth(1))
            .unwrap_or_else(|| panic!("{account} in {out}"))
            .to_string()
    };
    let totp = [
        (
            "budi.santoso",
            "GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2",
            "SHA1",
            6,
            30,
        ),
        (
            "budi.santoso (2)",
            "S7FAC6HGGFFZM5KBQO6D3ZHI7U3Q74RD",
            "SHA1",
            6,
            30,
        ),
        (
            "siti@contoh.test",
            "EN4WMHW4V77PRMIFSZBG2TF7BP62K6BY",
            "SHA256",
            8,
            60,
        ),
    ];
    for (account, secret, algorithm, digits, period) in totp {
        for t in TIMES {
            let code = ok(dir, &["code", &id_of(account), "--at", &t.to_string()]);
            assert_eq!(
                code.trim(),
                oathtool(secret, algorithm, digits, period, t),
                "{account} at {t}"
            );
        }
    }
    assert_eq!(
        ok(dir, &["code", &id_of("andi")]).trim(),
        spse_auth_test_support::oathtool_hotp("F4OS76MVHJV2MMVU", 6, 7),
        "HOTP at the exported counter"
    );
    let before = std::fs::read(vault_file(dir)).expect("vault");

    // The encrypted Aegis export of the same accounts: a wrong password fails and changes nothing.
    let out = run_in(
        dir,
        &["--password-stdin", "import", &aegis],
        Some(b"salah\n"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("aegis_encrypted.json") && err.contains("password does not open"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "{}", text(&out));
    // Without a terminal and without --password-stdin it is refused.
    let err = fails(dir, &["import", &aegis], 1);
    assert!(
        err.contains("encrypted") && err.contains("--password-stdin"),
        "{err}"
    );
    assert_eq!(std::fs::read(vault_file(dir)).expect("vault"), before);

    // The right password: the same accounts, unchanged; nothing is saved.
    let out = ok_with(
        dir,
        &["--password-stdin", "import", &aegis],
        Some(b"kata-sandi-contoh\n"),
    );
    let out = String::from_utf8(out.stdout).expect("utf-8");
    let lines = import_lines(&out);
    assert_eq!(lines[0], "unchanged LPSE Kota Contoh budi.santoso", "{out}");
    assert_eq!(lines[5..6], skipped, "{out}");
    assert_eq!(
        out.lines().last(),
        Some("imported: 0 added, 6 unchanged, 0 replaced, 1 skipped")
    );
    assert_eq!(std::fs::read(vault_file(dir)).expect("vault"), before);

    // An account already here with a new key: skipped (exit 0) until --replace.
    let budi = id_of("budi.santoso");
    let file = tmp.path().join("baru.txt");
    std::fs::write(
        &file,
        "otpauth://totp/LPSE%20Kota%20Contoh:budi.santoso?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=LPSE%20Kota%20Contoh\n",
    )
    .expect("write");
    let file = file.to_str().expect("path");
    let out = ok(dir, &["import", file]);
    assert!(
        out.starts_with(&format!(
            "skipped {budi} LPSE Kota Contoh budi.santoso needs_replace: "
        )) && out.contains("--replace"),
        "{out}"
    );
    assert_eq!(std::fs::read(vault_file(dir)).expect("vault"), before);
    let out = ok(dir, &["import", "--replace", file]);
    assert!(
        out.starts_with(&format!("replaced {budi} LPSE Kota Contoh budi.santoso\n")),
        "{out}"
    );
    assert_eq!(
        ok(dir, &["code", &budi, "--at", "59"]).trim(),
        oathtool("MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U", "SHA1", 6, 30, 59)
    );
    assert_eq!(list_json(dir).len(), 6);
    // An unreadable file fails the whole command.
    let err = fails(dir, &["import", "--replace", file, "/tidak/ada.json"], 1);
    assert!(err.contains("ada.json"), "{err}");
}

#[test]
fn import_reads_the_vault_password_first_then_the_export_password() {
    if !keyring_test("") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let aegis = export_fixture("aegis_encrypted.json");
    ok(dir, &["add", "otpauth://totp/Kota%20Uji:urutan?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Kota%20Uji"]);
    ok_with(
        dir,
        &["--password-stdin", "recovery", "set"],
        Some(b"kata sandi brankas uji\n"),
    );
    // The keyring lost the vault key: the vault's recovery password comes first.
    keyring_delete(&vault_id(dir));
    let before = std::fs::read(vault_file(dir)).expect("vault");
    let out = run_in(
        dir,
        &["--password-stdin", "import", &aegis],
        Some(b"kata sandi brankas uji\n"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("aegis_encrypted.json") && err.contains("no more password lines"),
        "{err}"
    );
    assert_eq!(std::fs::read(vault_file(dir)).expect("vault"), before);
    keyring_delete(&vault_id(dir));
    let out = ok_with(
        dir,
        &["--password-stdin", "import", &aegis],
        Some(b"kata sandi brankas uji\nkata-sandi-contoh\n"),
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().last(),
        Some("imported: 6 added, 0 unchanged, 0 replaced, 1 skipped"),
        "{}",
        text(&out)
    );
    assert_eq!(list_json(dir).len(), 7);
}
