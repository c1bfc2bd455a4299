//! Exports of the accounts to other authenticators and to paper: the other direction of
//! [`crate::formats`].
//!
//! One format, one file: [`aegis`] (Aegis vault, encrypted), [`proton`] (Proton Authenticator
//! export, encrypted), [`otpauth`] (one Key URI a line, plain), [`qr`] (a PNG of each account's
//! Key URI QR code, plain) and [`migration_qr`] (Google Authenticator's "Transfer accounts" QR
//! codes, plain). Each file names the public description it follows; each is read back by this
//! app's importer ([`crate::formats::read_export`], [`crate::import`]) in its tests, and the
//! encrypted ones and the Key URI list also by the independent Python readers in
//! `export/decoders/` (run by the CLI's e2e tests).
//!
//! Invariants:
//! - Enrolments come only from [`crate::store::Store::export_enrolments`]: the one place secrets
//!   leave the store.
//! - An entry a format cannot carry is never written wrongly: it is left out and reported as a
//!   [`Skipped`] with its [`SkipReason`] (e.g. HOTP in Proton Authenticator, a 60-second TOTP in a
//!   Google Authenticator QR). Each format maps [`crate::otp::OtpType`] in one small function
//!   (`aegis_type`, `proton_content`, `google_type`; Key URIs use [`crate::otp::OtpType::as_str`]),
//!   so a new type is one match arm per format.
//! - An encrypted export's password passes [`check_export_password`] (the recovery password's
//!   rule: at least [`crate::recovery::MIN_PASSWORD_CHARS`] characters).
//! - Secrets stay secret: every buffer holding them (JSON, Key URIs, PNG pixels and bytes) is
//!   zeroized when dropped; no message or `Debug` output contains one. Files are written with
//!   [`write_private_file`]: atomically, owner-only.

use std::path::Path;

use serde_json::Value;
use zeroize::{Zeroize, Zeroizing};

use crate::enrolment::Enrolment;
use crate::error::{Error, ErrorKind, Result};
pub use crate::formats::SkipReason;

pub mod aegis;
pub mod migration_qr;
pub mod otpauth;
pub mod proton;
pub mod qr;

#[cfg(test)]
mod tests;

/// The export formats; `as_str()` is the stable id the CLI's `--format` and the app use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// Aegis vault JSON, encrypted with an export password ([`aegis`]).
    Aegis,
    /// Proton Authenticator export JSON, encrypted with an export password ([`proton`]).
    Proton,
    /// One Key URI a line, plain text ([`otpauth`]).
    Otpauth,
    /// One PNG QR code of each account's Key URI ([`qr`]).
    Qr,
    /// Google Authenticator "Transfer accounts" QR codes, as PNGs ([`migration_qr`]).
    MigrationQr,
}

impl ExportFormat {
    /// Every format, in the order menus show them.
    pub const ALL: &'static [ExportFormat] = &[
        ExportFormat::Aegis,
        ExportFormat::Proton,
        ExportFormat::Otpauth,
        ExportFormat::Qr,
        ExportFormat::MigrationQr,
    ];

    /// `aegis`, `proton`, `otpauth`, `qr` or `migration-qr`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Aegis => "aegis",
            ExportFormat::Proton => "proton",
            ExportFormat::Otpauth => "otpauth",
            ExportFormat::Qr => "qr",
            ExportFormat::MigrationQr => "migration-qr",
        }
    }

    /// The format whose [`as_str`](Self::as_str) is `text` (ASCII case-insensitive, trimmed);
    /// `None` for anything else.
    pub fn parse(text: &str) -> Option<ExportFormat> {
        let text = text.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|f| f.as_str().eq_ignore_ascii_case(text))
    }

    /// True when the export holds the secrets in the clear (Key URIs, QR codes): front ends ask
    /// for an explicit confirmation and re-authentication first.
    pub fn is_plaintext(self) -> bool {
        matches!(
            self,
            ExportFormat::Otpauth | ExportFormat::Qr | ExportFormat::MigrationQr
        )
    }

    /// The entries of `entries` this format cannot carry, each with the reason, in order; the
    /// writers leave exactly these out.
    pub fn skipped(self, entries: &[Enrolment]) -> Vec<Skipped> {
        let reason: fn(&Enrolment) -> Option<SkipReason> = match self {
            ExportFormat::Aegis => aegis::skip_reason,
            ExportFormat::Proton => proton::skip_reason,
            ExportFormat::Otpauth | ExportFormat::Qr => |_| None,
            ExportFormat::MigrationQr => migration_qr::skip_reason,
        };
        entries
            .iter()
            .filter_map(|e| reason(e).map(|r| Skipped::of(e, r)))
            .collect()
    }
}

/// An account left out of an export, and why (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    /// Its issuer.
    pub issuer: String,
    /// Its account.
    pub account: String,
    /// Why the format cannot carry it.
    pub reason: SkipReason,
}

impl Skipped {
    fn of(e: &Enrolment, reason: SkipReason) -> Self {
        Skipped {
            issuer: e.issuer.clone(),
            account: e.account.clone(),
            reason,
        }
    }
}

/// Checks an export password: the recovery password's rule (at least
/// [`crate::recovery::MIN_PASSWORD_CHARS`] characters, not only white space).
///
/// Errors: [`ErrorKind::InvalidInput`].
pub fn check_export_password(password: &str) -> Result<()> {
    crate::recovery::check_new_password(password).map_err(|_| {
        Error::new(
            ErrorKind::InvalidInput,
            format!(
                "the export password is too short: use at least {} characters (a few unrelated \
                 words are easy to remember and hard to guess)",
                crate::recovery::MIN_PASSWORD_CHARS
            ),
        )
    })
}

/// Writes `bytes` to `path` atomically (a temporary file in the same folder, flushed to disk,
/// then renamed over `path`), readable by the owner only (0600 on Unix; on Windows the file takes
/// its folder's permissions, like the vault). An existing file at `path` is replaced; on failure
/// it is left as it was and no temporary file remains.
///
/// Errors: [`ErrorKind::Io`] naming the path.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::vault::write_atomic(path, bytes)
}

/// Random bytes from the OS.
fn random<const N: usize>() -> [u8; N] {
    use rand::RngCore;
    let mut b = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b
}

/// A random (version 4) UUID, as Aegis and Proton give every entry.
fn uuid_v4() -> String {
    let mut b: [u8; 16] = random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = data_encoding::HEXLOWER.encode(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// AES-256-GCM sealing of `plain` with `key`, a fresh random 96-bit nonce and `aad`:
/// `(nonce, ciphertext ‖ tag)`.
fn aes256gcm_seal(key: &[u8], plain: &[u8], aad: &[u8]) -> Result<([u8; 12], Vec<u8>)> {
    use aes_gcm::aead::{Aead, Payload};
    use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
    let cipher = Aes256Gcm::new_from_slice(key)
        .map_err(|_| Error::new(ErrorKind::Io, "internal: AES-256 key of the wrong length"))?;
    let nonce: [u8; 12] = random();
    let sealed = cipher
        .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain, aad })
        .map_err(|_| Error::new(ErrorKind::Io, "internal: encryption failed"))?;
    Ok((nonce, sealed))
}

/// A JSON value that may hold secrets: its strings are zeroized when dropped.
struct SecretJson(Value);

impl Drop for SecretJson {
    fn drop(&mut self) {
        fn wipe(v: &mut Value) {
            match v {
                Value::String(s) => s.zeroize(),
                Value::Array(a) => a.iter_mut().for_each(wipe),
                Value::Object(o) => o.values_mut().for_each(wipe),
                _ => {}
            }
        }
        wipe(&mut self.0);
    }
}

impl SecretJson {
    /// The JSON text (compact, or indented with `pretty`), in a buffer zeroized when dropped.
    /// Sized up front so that growing it leaves no unzeroized copy behind in the usual case.
    fn to_bytes(&self, pretty: bool) -> Result<Zeroizing<Vec<u8>>> {
        let mut out = Zeroizing::new(Vec::with_capacity(4096 + estimate(&self.0) * 2));
        let written = if pretty {
            serde_json::to_writer_pretty(&mut *out, &self.0)
        } else {
            serde_json::to_writer(&mut *out, &self.0)
        };
        written.map_err(|_| Error::new(ErrorKind::Io, "internal: JSON serialisation failed"))?;
        Ok(out)
    }
}

/// A generous estimate of a JSON value's text length.
fn estimate(v: &Value) -> usize {
    match v {
        Value::String(s) => s.len() * 2 + 8,
        Value::Array(a) => a.iter().map(estimate).sum::<usize>() + 8 * a.len() + 8,
        Value::Object(o) => {
            o.iter()
                .map(|(k, v)| k.len() + 8 + estimate(v))
                .sum::<usize>()
                + 8
        }
        _ => 24,
    }
}
