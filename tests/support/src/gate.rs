//! The opt-in gate of the tests that need more than Rust.
//!
//! Invariants: a gated test runs only when `SPSE_E2E=1`; otherwise it returns early after one
//! `skipped: <test> needs <what> (…)` line on stderr (written past libtest's output capture, so
//! that a plain `cargo test` shows why). A test that writes into a keyring additionally panics,
//! instead of running, unless `SPSE_E2E_PRIVATE_KEYRING=1` says the keyring it reaches is a
//! throw-away one (`.ci/with-keyring`, `tests/app/run.sh`, `.ci/windows` export it).

use std::io::Write;

/// The variable with which the CI scripts opt in to the gated tests.
const OPT_IN: &str = "SPSE_E2E";
/// The variable that says the session's keyring is a private, throw-away one.
const PRIVATE_KEYRING: &str = "SPSE_E2E_PRIVATE_KEYRING";

fn set(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v.trim() == "1")
}

/// The running test's name (libtest names each test's thread after it).
fn test_name() -> String {
    std::thread::current()
        .name()
        .filter(|n| *n != "main")
        .unwrap_or("this test")
        .to_string()
}

/// The skip line for the running test.
fn skip_line(needs: &str) -> String {
    format!(
        "skipped: {} needs {needs} (set {OPT_IN}=1, as .ci/test does)",
        test_name()
    )
}

/// True when the tests that need more than Rust are enabled (`SPSE_E2E=1`). Otherwise prints
/// `skipped: <test> needs <needs> (set SPSE_E2E=1, as .ci/test does)` and returns false: the
/// caller returns at once.
///
/// `needs` names what the test needs, e.g. `"oathtool"` or `"Xvfb and ImageMagick's display"`.
pub fn e2e_enabled(needs: &str) -> bool {
    if set(OPT_IN) {
        return true;
    }
    // Straight to stderr: libtest captures only the print macros, and the reason must show.
    let _ = writeln!(std::io::stderr(), "{}", skip_line(needs));
    false
}

/// As [`e2e_enabled`], for a test that writes into a keyring: when enabled it also requires
/// `SPSE_E2E_PRIVATE_KEYRING=1` (see [`require_e2e_private_keyring`]) and panics without it.
pub fn e2e_keyring_enabled(needs: &str) -> bool {
    if !e2e_enabled(needs) {
        return false;
    }
    require_e2e_private_keyring(&format!("{} (needs {needs})", test_name()));
    true
}

/// Panics with instructions unless both `SPSE_E2E=1` and `SPSE_E2E_PRIVATE_KEYRING=1` are set: for
/// harnesses that cannot skip (every test of the crate needs the private keyring). `what` names the
/// tests and what they need.
pub fn require_e2e_private_keyring(what: &str) {
    assert!(
        set(OPT_IN),
        "{what}: these tests are opt-in; run them through the script that sets up their session \
         ({OPT_IN}=1, e.g. tests/app/run.sh or .ci/test)"
    );
    assert!(
        set(PRIVATE_KEYRING),
        "{what}: {OPT_IN}=1 but {PRIVATE_KEYRING}=1 is not set: this test writes into the keyring, \
         and only a private, throw-away one may be used (never your login keyring); run it \
         through `dbus-run-session -- bash .ci/with-keyring …` (as .ci/test does), tests/app/run.sh \
         or .ci/windows, which start one and set {PRIVATE_KEYRING}=1"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_skip_line_names_the_test_and_what_it_needs() {
        let line = std::thread::spawn(|| skip_line("oathtool"))
            .join()
            .expect("thread");
        assert_eq!(
            line,
            "skipped: this test needs oathtool (set SPSE_E2E=1, as .ci/test does)"
        );
        let named = std::thread::Builder::new()
            .name("some_test".into())
            .spawn(|| skip_line("Xvfb"))
            .expect("spawn")
            .join()
            .expect("thread");
        assert!(
            named.starts_with("skipped: some_test needs Xvfb"),
            "{named}"
        );
    }
}
