//! Domain core of SPSE Authenticator.
//!
//! Everything a front end needs, with no Tauri in it:
//! - [`enrolment`]: the [`enrolment::Enrolment`] type, its warnings, validated construction (also
//!   manual entry) and the one identity rule; [`uri`] and [`migration`] build on it, [`import`] on
//!   them.
//! - [`uri`]: Key URI (`otpauth://`) parsing and formatting (Google's Key URI Format).
//! - [`otp`]: secrets and code generation, TOTP (RFC 6238) and HOTP (RFC 4226), on top of `totp-rs`.
//! - [`migration`]: Google Authenticator export (`otpauth-migration://offline?data=…`).
//! - [`import`]: image / text / file → enrolments, shared by every front end.
//! - [`formats`]: other apps' exports (Aegis, 2FAS, Proton, Ente, Bitwarden, andOTP, FreeOTP+)
//!   → per-entry import results.
//! - [`export`]: enrolments → other apps' imports (Aegis, Proton Authenticator, Key URI text, QR
//!   codes, Google Authenticator transfer QR codes), the other direction of [`formats`].
//! - [`qr`]: image → the text of every QR code in it.
//! - [`vault`]: the encrypted vault file (AES-256-GCM, versioned header with key slots).
//! - [`keystore`]: the OS keyring key slot (Secret Service, Keychain, Credential Manager).
//! - [`recovery`]: the recovery-password key slot (Argon2id + AES-256-GCM key wrapping).
//! - [`store`] (also reachable as `accounts`): the operations the UIs call (add, list, codes, remove, recovery password,
//!   backups), on one vault, under a file lock.
//!
//! Time is always a parameter (Unix seconds), never read inside the core's pure functions.
//! Secrets never appear in `Debug`/`Display` output or in error messages.

pub mod enrolment;
pub mod error;
pub mod export;
pub mod formats;
pub mod import;
pub mod keystore;
pub mod migration;
pub mod otp;
pub mod qr;
pub mod recovery;
pub mod store;
/// Test doubles (an in-memory key store) for this crate's tests and, with the feature
/// `test-support` (enabled only by the dev-dependency `spse-auth-test-support`), for the other
/// crates' tests. Never part of a shipped build.
#[cfg(any(test, feature = "test-support"))]
pub mod test_support;
pub mod uri;
pub mod vault;

pub use error::{Error, ErrorKind, Result};

/// The store's former name: `spse_auth_core::accounts::…` paths of the front ends keep working
/// until they move to [`store`].
pub use crate::store as accounts;
