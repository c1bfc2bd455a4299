//! Reviving the private gnome-keyring of a CI session after it crashed.
//!
//! gnome-keyring-daemon (Debian 12: 42.1) sometimes stops on a GLib assertion (`trap int3` in
//! libglib, seen in the kernel log) when one of its clients is SIGKILLed in the middle of a Secret
//! Service call. The durability test kills `spse-auth` at random points 200 times, so now and then
//! the daemon dies under it; D-Bus then starts a fresh daemon whose login keyring is locked. That
//! is the keyring's defect, not the vault's: the test revives the daemon and goes on checking the
//! vault. The key itself survives, since the login keyring is a file.
//!
//! Invariant: only the private keyring started by `.ci/with-keyring` is ever replaced — it exports
//! the password (`SPSE_E2E_KEYRING_PASSWORD`) together with `SPSE_E2E_PRIVATE_KEYRING=1`; without
//! both (a developer's session, Wine) nothing is done.

use std::io::Write;
use std::process::{Command, Stdio};

/// Replaces the session's gnome-keyring-daemon with a new one, unlocked with the private
/// keyring's password. Returns false (doing nothing) unless `SPSE_E2E_PRIVATE_KEYRING=1` and
/// `SPSE_E2E_KEYRING_PASSWORD` are set, or when the daemon cannot be started.
pub fn revive_private_keyring() -> bool {
    let private = std::env::var("SPSE_E2E_PRIVATE_KEYRING").is_ok_and(|v| v.trim() == "1");
    let Some(password) = std::env::var_os("SPSE_E2E_KEYRING_PASSWORD") else {
        return false;
    };
    if !private {
        return false;
    }
    let child = Command::new("gnome-keyring-daemon")
        .args(["--replace", "--unlock", "--components=secrets"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else { return false };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(password.as_encoded_bytes());
    }
    // The daemon forks; the command returns once the new daemon owns the bus name.
    child.wait().is_ok_and(|s| s.success())
}
