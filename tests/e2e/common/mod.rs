//! Helpers shared by the end-to-end tests of the real `spse-auth` binary (each test file includes
//! this module with `mod common;`). Not every test file uses every helper.
//!
//! The same tests drive two builds of the CLI:
//! - by default the Linux `spse-auth` that cargo built for them, with the Secret Service as keyring;
//! - the Windows build under Wine, when `SPSE_E2E_CLI` names the program and `SPSE_E2E_CLI_PREFIX`
//!   the launcher (`SPSE_E2E_CLI=…/x86_64-pc-windows-gnu/release/spse-auth.exe
//!   SPSE_E2E_CLI_PREFIX=wine`, as `.ci/windows` runs them). Absolute paths given to it are
//!   turned into Wine's `Z:\…` form, and the keyring is Wine's Credential Manager, read and changed
//!   with Wine's own `reg.exe`, not with our code. oathtool stays on the Linux side.
//!
//! A test that writes into the keyring starts with `if !keyring_test(NEEDS) { return; }`: it runs
//! only when `.ci/test` (through `.ci/with-keyring`) or `.ci/windows` opts in with `SPSE_E2E=1`
//! and has set up a throw-away keyring (`SPSE_E2E_PRIVATE_KEYRING=1`); see
//! `spse_auth_test_support::e2e_keyring_enabled`.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use spse_auth_core::keystore::{KeyStore, OsKeyring};
use spse_auth_core::vault;
// Not every test file uses every helper.
#[allow(unused_imports)]
pub use spse_auth_test_support::{data, e2e_enabled, oathtool_totp as oathtool};

/// The `spse-auth` binary cargo built for these tests (used unless `SPSE_E2E_CLI` is set).
pub const BIN: &str = env!("CARGO_BIN_EXE_spse-auth");

/// The program under test and the words to run it with (`SPSE_E2E_CLI_PREFIX`, split on
/// spaces, e.g. `wine`).
pub fn cli_program() -> (Vec<String>, String) {
    let program = std::env::var("SPSE_E2E_CLI").unwrap_or_else(|_| BIN.to_string());
    let prefix = std::env::var("SPSE_E2E_CLI_PREFIX")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    (prefix, program)
}

/// True when the CLI under test is the Windows build run through Wine.
pub fn under_wine() -> bool {
    cli_program()
        .0
        .first()
        .is_some_and(|w| w.rsplit('/').next().is_some_and(|b| b.starts_with("wine")))
}

/// Skips the calling test (prints why and returns true) when it only makes sense on one system.
pub fn skip_under_wine(why: &str) -> bool {
    if under_wine() {
        eprintln!("skipped under Wine: {why}");
    }
    under_wine()
}

/// An argument as the CLI under test must see it: under Wine an absolute Unix path `/a/b` becomes
/// `Z:\a\b` (Wine maps the Unix root to drive Z:); anything else is passed as it is.
pub fn cli_arg(arg: &str) -> String {
    if under_wine() && arg.starts_with('/') {
        format!("Z:{}", arg.replace('/', "\\"))
    } else {
        arg.to_string()
    }
}

/// A `Command` for the CLI under test with `args` (paths converted by [`cli_arg`]) and without
/// `SPSE_AUTH_DATA_DIR`.
pub fn cli(args: &[&str]) -> Command {
    cli_through(&[], args)
}

/// [`cli`] started through `wrapper` (a program and its first arguments, such as a tracer), in
/// front of any `SPSE_E2E_CLI_PREFIX`; none: as [`cli`].
fn cli_through(wrapper: &[String], args: &[&str]) -> Command {
    let (prefix, program) = cli_program();
    let launch: Vec<&String> = wrapper.iter().chain(&prefix).collect();
    let mut cmd = match launch.split_first() {
        Some((launcher, rest)) => {
            let mut c = Command::new(launcher);
            c.args(rest).arg(&program);
            c
        }
        None => Command::new(&program),
    };
    cmd.args(args.iter().map(|a| cli_arg(a)));
    cmd.env_remove("SPSE_AUTH_DATA_DIR");
    cmd
}

/// True when the keyring holds an entry for vault `id` (Secret Service, or Wine's Credential
/// Manager for the Windows build).
pub fn keyring_has(id: &str) -> bool {
    if under_wine() {
        wine_credential_key(id).is_some()
    } else {
        OsKeyring.load(id).expect("keyring reachable").is_some()
    }
}

/// Deletes the keyring entry of vault `id` (it must exist).
pub fn keyring_delete(id: &str) {
    if under_wine() {
        let key = wine_credential_key(id).unwrap_or_else(|| panic!("no credential for {id}"));
        let out = wine_reg(&["delete", &key, "/f"]);
        assert!(out.status.success(), "reg delete {key}: {}", text(&out));
        assert!(!keyring_has(id), "the credential of {id} is still there");
    } else {
        OsKeyring.delete(id).expect("delete the keyring entry");
    }
}

/// Removes the keyring entry of vault `id` after a test, if it is there.
pub fn keyring_cleanup(id: &str) {
    if keyring_has(id) {
        keyring_delete(id);
    }
}

/// Wine keeps the Credential Manager in the registry: one key per credential under
/// `HKCU\Software\Wine\Credential Manager`, named after its target, which for the keyring crate's
/// Windows backend is `<user>.<service>` (user = the vault id).
const WINE_CREDENTIALS: &str = "HKCU\\Software\\Wine\\Credential Manager";

fn wine_credential_key(id: &str) -> Option<String> {
    let out = wine_reg(&["query", WINE_CREDENTIALS]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("HKEY_") && l.contains(id))
        .map(str::to_string)
}

fn wine_reg(args: &[&str]) -> Output {
    let (prefix, _) = cli_program();
    let mut cmd = Command::new(&prefix[0]);
    cmd.args(&prefix[1..]).arg("reg").args(args);
    cmd.stdin(Stdio::null()).output().expect("run wine reg")
}

/// The gate of a test that writes into the keyring: true when it may run (`SPSE_E2E=1` and a
/// private keyring, see [`spse_auth_test_support::e2e_keyring_enabled`]); otherwise prints why it
/// is skipped and returns false. `also` names what else the test needs (e.g. `"oathtool"`), or
/// is empty. On Linux it then fails with instructions when there is no D-Bus session (and so no
/// Secret Service); the Windows build under Wine uses Wine's Credential Manager and needs none.
pub fn keyring_test(also: &str) -> bool {
    let keyring = if under_wine() {
        "Wine's Credential Manager in the test prefix"
    } else {
        "a private, unlocked Secret Service (D-Bus session + gnome-keyring)"
    };
    let needs = if also.is_empty() {
        keyring.to_string()
    } else {
        format!("{keyring} and {also}")
    };
    if !spse_auth_test_support::e2e_keyring_enabled(&needs) {
        return false;
    }
    if !under_wine() {
        assert!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "these tests need a D-Bus session with an unlocked Secret Service: run them through .ci/test"
        );
    }
    true
}

/// `spse-auth --data-dir DIR ARGS…` (the CLI under test), without `SPSE_AUTH_DATA_DIR`.
pub fn command(dir: &Path, args: &[&str]) -> Command {
    command_through(&[], dir, args)
}

/// [`command`] started through `wrapper` (see [`cli_through`]).
fn command_through(wrapper: &[String], dir: &Path, args: &[&str]) -> Command {
    let dir = dir.to_str().expect("UTF-8 path");
    let mut all = vec!["--data-dir", dir];
    all.extend_from_slice(args);
    cli_through(wrapper, &all)
}

/// Runs `spse-auth --data-dir DIR ARGS…` with optional stdin and extra environment variables.
///
/// When the run failed because the private gnome-keyring daemon itself died (a GLib trap in
/// gnome-keyring 42 under these tests' load, see `spse_auth_test_support::revive_private_keyring`),
/// the daemon is revived and the command run again, at most 3 times, noted (`note_retry`). The
/// CLI changes nothing when the keyring fails, so the rerun sees the same vault. Never under Wine,
/// nor outside `.ci/with-keyring` (no password to revive with).
pub fn run_env(dir: &Path, args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Output {
    run_wrapped(dir, args, stdin, env, &[])
}

/// [`run_env`] with the CLI started through `wrapper` (a program and its first arguments, such as
/// a tracer; none: the CLI itself).
pub fn run_wrapped(
    dir: &Path,
    args: &[&str],
    stdin: Option<&[u8]>,
    env: &[(&str, &str)],
    wrapper: &[String],
) -> Output {
    let once = || {
        let mut cmd = command_through(wrapper, dir, args);
        cmd.envs(env.iter().copied());
        run_once(cmd, stdin)
    };
    let mut seen = REVIVALS.load(Ordering::SeqCst);
    let mut out = once();
    for _ in 0..3 {
        if under_wine() || !keyring_daemon_died(&out) || !revive_keyring(seen) {
            break;
        }
        seen = REVIVALS.load(Ordering::SeqCst);
        // The subcommand only: the arguments may hold a (made-up) secret.
        let sub = args.first().copied().unwrap_or("");
        spse_auth_test_support::note_retry(&format!(
            "spse-auth {sub}: the gnome-keyring daemon had died; revived it, running again"
        ));
        out = once();
    }
    out
}

/// The daemon died mid-call ("disconnected … without replying"), or D-Bus started a fresh one
/// whose login keyring is locked (the only way a locked keyring happens in these tests).
fn keyring_daemon_died(out: &Output) -> bool {
    let err = String::from_utf8_lossy(&out.stderr);
    !out.status.success()
        && (err.contains("recipient disconnected from message bus")
            || err.contains("keyring is locked or has no default collection"))
}

/// How many times this test binary revived the daemon.
static REVIVALS: AtomicU64 = AtomicU64::new(0);

/// Revives the daemon, unless another test thread already did since this run started (`seen`:
/// [`REVIVALS`] then): replacing a daemon that works would break the calls in flight. One at a time.
fn revive_keyring(seen: u64) -> bool {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    if REVIVALS.load(Ordering::SeqCst) != seen {
        return true;
    }
    let revived = spse_auth_test_support::revive_private_keyring();
    if revived {
        REVIVALS.fetch_add(1, Ordering::SeqCst);
    }
    revived
}

/// Runs `cmd` with optional stdin, its output captured.
fn run_once(mut cmd: Command, stdin: Option<&[u8]>) -> Output {
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
