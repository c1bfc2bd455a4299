//! End-to-end test of Steam Guard codes: accounts added to the real `spse-auth` binary from Steam
//! Key URIs (`otpauth://steam/…` as Aegis writes them, `encoder=steam` as KeePassXC does, Apple's
//! `apple-otpauth://` spelling) print the codes that an independent implementation, DoctorMcKay's
//! npm package `steam-totp` (pinned in `tests/steam/package-lock.json`, run by
//! `tests/steam/codes.mjs`), computes for random secrets at random times and period boundaries.
//!
//! Gated like the other keyring tests (`SPSE_E2E=1` and a private keyring, see
//! `common::keyring_test`); it also needs `node` and `npm ci --prefix tests/steam` (which
//! `.ci/test` runs). The random cases are seeded: `SPSE_TEST_SEED=…` on stderr replays a run. All
//! secrets are random and made up.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;
use spse_auth_core::otp::Secret;
use spse_auth_test_support::Rng;

/// The folder of the npm reference implementation.
fn steam_dir() -> PathBuf {
    spse_auth_test_support::data_dir().join("../steam")
}

/// `steam-totp`'s codes for the Base32 secret `secret` at each of `times` (`codes.mjs` decodes
/// it with its own Base32 decoder).
fn reference_codes(secret: &str, times: &[u64]) -> Vec<String> {
    let mut cmd = Command::new("node");
    cmd.arg(steam_dir().join("codes.mjs"))
        .arg(format!("b32:{secret}"))
        .args(times.iter().map(u64::to_string));
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("cannot run node ({e}); install Node.js (Debian/Ubuntu: apt-get install nodejs)")
    });
    assert!(
        out.status.success(),
        "node codes.mjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<String> = text
        .lines()
        .zip(times)
        .map(|(line, t)| {
            let (at, code) = line.split_once(' ').expect("T CODE");
            assert_eq!(at, t.to_string());
            code.to_string()
        })
        .collect();
    assert_eq!(lines.len(), times.len(), "{text}");
    lines
}

#[test]
fn steam_guard_codes_equal_the_npm_steam_totp_package() {
    if !keyring_test("node and the npm package steam-totp (npm ci --prefix tests/steam)") {
        return;
    }
    assert!(
        steam_dir().join("node_modules/steam-totp").is_dir(),
        "steam-totp is not installed: run `npm ci --prefix tests/steam` (as .ci/test does)"
    );
    let mut rng = Rng::from_env_or_clock();
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let spellings = [
        "otpauth://steam/Steam:{account}?secret={secret}&issuer=Steam&digits=5&period=30&algorithm=SHA1",
        "otpauth://totp/Steam:{account}?secret={secret}&issuer=Steam&encoder=steam",
        "apple-otpauth://steam/{account}?secret={secret}",
    ];
    let mut printed = String::new();
    let mut secrets = Vec::new();
    for (i, spelling) in spellings.iter().cycle().take(6).enumerate() {
        // Steam's shared secrets are 20 bytes; other lengths must work too.
        let len = if i % 2 == 0 {
            20
        } else {
            10 + rng.below(40) as usize
        };
        let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        let secret = Secret::from_bytes(bytes).expect("not empty").to_base32();
        let account = format!("pemain{i}");
        let uri = spelling
            .replace("{account}", &account)
            .replace("{secret}", &secret);
        printed.push_str(&ok(&dir, &["add", &uri]));
        // Random times, each with the last second of its period and the first of the next.
        let mut times = vec![0, 29, 30];
        for _ in 0..4 {
            let t = rng.below(4_000_000_000);
            let end = t - t % 30 + 29;
            times.extend([t, end, end + 1]);
        }
        let want = reference_codes(&secret, &times);
        for (t, want) in times.iter().zip(&want) {
            let code = ok(&dir, &["code", &account, "--at", &t.to_string()]);
            assert_eq!(code.trim(), want, "{account} ({len} bytes) at {t}");
            printed.push_str(&code);
        }
        secrets.push(secret);
    }

    let list = list_json(&dir);
    assert_eq!(list.len(), 6);
    for a in &list {
        assert_eq!(a["type"], "steam", "{a}");
        assert_eq!(
            (&a["algorithm"], &a["digits"], &a["period"]),
            (&"SHA1".into(), &5.into(), &30.into()),
            "{a}"
        );
    }
    let table = ok(&dir, &["list"]);
    assert!(table.contains("steam"), "{table}");
    let codes: serde_json::Value =
        serde_json::from_str(&ok(&dir, &["code", "--json", "--at", "1700000000"])).expect("json");
    for c in codes.as_array().expect("codes") {
        assert_eq!(
            (&c["seconds_left"], &c["period"]),
            (&10.into(), &30.into()),
            "{c}"
        );
        assert_eq!(c["code"].as_str().expect("code").len(), 5, "{c}");
    }
    printed.push_str(&table);
    for secret in &secrets {
        assert!(!printed.contains(secret.as_str()), "a secret was printed");
    }
}

/// The Steam Guard entry that every export fixture holds (`src-tauri/core/src/formats/fixtures/`,
/// made up): imported from each app's format, and exported again to each format that carries Steam,
/// it gives `steam-totp`'s codes.
#[test]
fn steam_entries_of_every_export_and_of_our_exports_give_steam_totp_codes() {
    if !keyring_test("node and the npm package steam-totp (npm ci --prefix tests/steam)") {
        return;
    }
    const SECRET: &str = "GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2";
    const PASSWORD: &str = "kata-sandi-contoh";
    let times = [0u64, 29, 30, 1_700_000_009, 4_102_444_800];
    let want = reference_codes(SECRET, &times);
    let fixtures =
        spse_auth_test_support::data_dir().join("../../src-tauri/core/src/formats/fixtures");
    let tmp = tempfile::tempdir().expect("tempdir");
    let check = |dir: &std::path::Path, what: &str| {
        let steam: Vec<serde_json::Value> = list_json(dir)
            .into_iter()
            .filter(|a| a["type"] == "steam")
            .collect();
        assert_eq!(steam.len(), 1, "{what}: {steam:?}");
        assert_eq!(steam[0]["account"], "pemain", "{what}");
        let id = steam[0]["id"].as_str().expect("id").to_string();
        for (t, want) in times.iter().zip(&want) {
            let code = ok(dir, &["code", &id, "--at", &t.to_string()]);
            assert_eq!(code.trim(), want, "{what} at {t}");
        }
    };
    for (n, name) in [
        "aegis_plain.json",
        "aegis_encrypted.json",
        "aegis_plain.txt",
        "2fas_plain.2fas",
        "2fas_encrypted.2fas",
        "proton_plain.json",
        "proton_encrypted.json",
        "ente_plain.txt",
        "ente_encrypted.json",
        "andotp.json",
        "freeotp_plus.json",
        "bitwarden.json",
        "bitwarden.csv",
    ]
    .iter()
    .enumerate()
    {
        let dir = tmp.path().join(format!("import-{n}"));
        let file = fixtures.join(name);
        let file = file.to_str().expect("UTF-8 path");
        ok_with(
            &dir,
            &["--password-stdin", "import", file],
            Some(format!("{PASSWORD}\n").as_bytes()),
        );
        check(&dir, name);
    }
    // Our own exports of it, imported into a fresh vault.
    let source = tmp.path().join("import-0");
    for format in ["aegis", "proton", "otpauth"] {
        let file = tmp.path().join(format!("export.{format}"));
        let file = file.to_str().expect("UTF-8 path");
        let mut args = vec![
            "--password-stdin",
            "export",
            "--format",
            format,
            "--output",
            file,
        ];
        if format == "otpauth" {
            args.push("--plaintext");
        }
        args.push("pemain");
        ok_with(&source, &args, Some(format!("{PASSWORD}\n").as_bytes()));
        let dir = tmp.path().join(format!("again-{format}"));
        ok_with(
            &dir,
            &["--password-stdin", "import", file],
            Some(format!("{PASSWORD}\n").as_bytes()),
        );
        check(&dir, &format!("our {format} export"));
    }
}
