//! Helpers shared by the end-to-end tests of the real `spse-auth` binary (each test file includes
//! this module with `mod common;`). Not every test file uses every helper.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use spse_auth_core::vault;

/// The `spse-auth` binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_spse-auth");

/// A file under the repository's `tests/data/`.
pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(rel)
}

/// Fails with instructions when there is no D-Bus session (and so no Secret Service).
pub fn require_session() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "these tests need a D-Bus session with an unlocked Secret Service: run them through .ci/test"
    );
}

/// `spse-auth --data-dir DIR ARGS…`, with `SPSE_AUTH_DATA_DIR` removed from its environment.
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--data-dir").arg(dir).args(args);
    cmd.env_remove("SPSE_AUTH_DATA_DIR");
    cmd
}

/// Runs `spse-auth --data-dir DIR ARGS…` with optional stdin and extra environment variables.
pub fn run_env(dir: &Path, args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Output {
    let mut cmd = command(dir, args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn spse-auth");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input)
            .expect("write stdin");
    }
    child.wait_with_output().expect("wait spse-auth")
}

/// Runs `spse-auth --data-dir DIR ARGS…` with optional stdin.
pub fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    run_env(dir, args, stdin, &[])
}

/// Standard output and standard error together, for assertion messages.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs and asserts success; returns the output.
pub fn ok_with(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let out = run_in(dir, args, stdin);
    assert!(
        out.status.success(),
        "spse-auth {args:?} failed: {}",
        text(&out)
    );
    out
}

/// Runs and asserts success; returns standard output.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    String::from_utf8(ok_with(dir, args, None).stdout).expect("utf-8 stdout")
}

/// Runs and asserts the exit `code`; returns standard error.
pub fn fails(dir: &Path, args: &[&str], code: i32) -> String {
    let out = run_in(dir, args, None);
    assert_eq!(
        out.status.code(),
        Some(code),
        "spse-auth {args:?}: {}",
        text(&out)
    );
    String::from_utf8(out.stderr).expect("utf-8 stderr")
}

/// `list --json`, parsed.
pub fn list_json(dir: &Path) -> Vec<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(&ok(dir, &["list", "--json"]))
        .expect("list --json is JSON")
        .as_array()
        .expect("an array")
        .clone()
}

/// The vault file in data folder `dir`.
pub fn vault_file(dir: &Path) -> PathBuf {
    dir.join("vault.spse")
}

/// The vault id (= keyring user name) from the vault's header.
pub fn vault_id(dir: &Path) -> String {
    let bytes = std::fs::read(vault_file(dir)).expect("vault");
    vault::read_header(&bytes, &vault_file(dir))
        .expect("header")
        .0
        .vault_id
}

/// The TOTP code `oathtool` (an independent implementation) computes at Unix time `t`.
pub fn oathtool(secret_b32: &str, algorithm: &str, digits: u32, period: u32, t: u64) -> String {
    let out = Command::new("oathtool")
        .arg(format!("--totp={}", algorithm.to_lowercase()))
        .args(["-b", "-d", &digits.to_string(), "-s", &format!("{period}s")])
        .args(["-N", &format!("@{t}"), secret_b32])
        .output()
        .expect("oathtool is installed (apt-get install oathtool)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}
