//! Helpers shared by the tests of SPSE Authenticator (a dev-dependency only; never shipped):
//!
//! - [`e2e_enabled`] / [`e2e_keyring_enabled`] / [`require_e2e_private_keyring`]: the gate of the
//!   tests that need more than Rust (a session bus, a keyring, `oathtool`, Xvfb, root). A plain
//!   `cargo test` skips them with one `skipped: …` line each; the CI scripts opt in with
//!   `SPSE_E2E=1`. A test that writes into a keyring also needs `SPSE_E2E_PRIVATE_KEYRING=1`,
//!   which only the scripts that start a throw-away keyring export, so that no test ever writes
//!   into a real login keyring.
//! - [`oathtool_totp`] / [`oathtool_hotp`]: codes from the reference `oathtool` (OATH Toolkit).
//! - [`MemKeys`]: the in-memory key store (from `spse_auth_core::test_support`).
//! - [`revive_private_keyring`]: restarts the CI session's private gnome-keyring after it crashed.
//! - [`note_retry`]: the log of every retry after a failure the tests did not cause.
//! - [`Rng`]: a small seeded generator for reproducible generated cases.
//! - [`data`] / [`fixture`]: paths under the repository's `tests/data/`.
//! - [`Chrony`] / [`libfaketime`]: a real NTP server on 127.0.0.1 and a shifted clock, for the
//!   clock tests.

mod gate;
mod keyring_daemon;
mod oathtool;
mod retry_log;
mod rng;
mod time_server;

use std::path::{Path, PathBuf};

pub use gate::{e2e_enabled, e2e_keyring_enabled, require_e2e_private_keyring};
pub use keyring_daemon::revive_private_keyring;
pub use oathtool::{oathtool_hotp, oathtool_totp};
pub use retry_log::note_retry;
pub use rng::Rng;
pub use spse_auth_core::test_support::MemKeys;
pub use time_server::{free_udp_port, libfaketime, Chrony, TIME_SERVER_NEEDS};

/// The root of the checkout whose tests run.
///
/// Found from the package cargo runs the tests of (`CARGO_MANIFEST_DIR` at run time): its nearest
/// folder with `tests/data/fixtures`. Only when cargo did not set it, the checkout this crate was
/// compiled in: a target folder shared between clones (`.ci/run`) may hold this crate built from
/// another clone, whose path `env!` baked in.
pub fn repo_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        if let Some(root) = Path::new(&dir)
            .ancestors()
            .find(|up| up.join("tests/data/fixtures").is_dir())
        {
            return root.to_path_buf();
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The repository's `tests/data/` folder (under [`repo_root`]).
pub fn data_dir() -> PathBuf {
    repo_root().join("tests/data")
}

/// A file or folder under the repository's `tests/data/` (`rel` like `fixtures/01_clean_qr.png`).
pub fn data(rel: &str) -> PathBuf {
    data_dir().join(rel)
}

/// A file of `tests/data/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    data_dir().join("fixtures").join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_paths_point_at_the_repository_test_data() {
        assert!(data("cases.tsv").is_file());
        assert!(fixture("01_clean_qr.png").is_file());
        assert_eq!(fixture("x.png"), data("fixtures/x.png"));
    }
}
