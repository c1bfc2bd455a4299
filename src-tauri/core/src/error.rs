//! The core's one error type.
//!
//! Every variant has a stable [`ErrorKind`] (a snake_case id such as `invalid_secret`), which the front
//! ends use to localise messages and to choose exit codes; the `Display` text is an English sentence a
//! user can act on. No variant ever carries a secret.

use std::fmt;
use std::path::PathBuf;

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Stable, machine-readable category of an [`Error`]; `as_str()` gives its snake_case id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The text is not a well-formed Key URI.
    InvalidUri,
    /// `otpauth://steam/…` or another type this app cannot generate codes for.
    UnsupportedOtpType,
    /// The secret is not Base32 (RFC 4648) after normalisation, or empty.
    InvalidSecret,
    /// `algorithm=` other than SHA1, SHA256, SHA512.
    UnsupportedAlgorithm,
    /// `digits`, `period` or `counter` out of range or not a number; HOTP without `counter`.
    InvalidParameter,
    /// The QR text is not an authenticator enrolment (`otpauth://` / `otpauth-migration://`).
    NotOtpauth,
    /// An `otpauth-migration://` payload that cannot be decoded.
    InvalidMigration,
    /// No QR code in the image.
    NoQrFound,
    /// The image is larger than the decoder accepts (decompression-bomb guard).
    ImageTooLarge,
    /// The file is not an image this app can read, or cannot be read at all.
    ImageUnreadable,
    /// The OS keyring (Secret Service, Keychain, Credential Manager) cannot be reached.
    KeyringUnavailable,
    /// The keyring is reachable but locked.
    KeyringLocked,
    /// A vault exists but its key is not in the keyring (and no other key slot opened it).
    VaultKeyMissing,
    /// The recovery password does not open the vault's password slot.
    WrongPassword,
    /// The vault file is truncated, corrupted or fails authentication.
    VaultDamaged,
    /// The vault was written by a newer version of this app.
    VaultUnsupported,
    /// The disk is full.
    StorageFull,
    /// Any other I/O failure.
    Io,
    /// No account matches the query.
    NotFound,
    /// More than one account matches the query.
    Ambiguous,
    /// Same issuer and account with a different secret: a re-enrolment that needs confirmation.
    ReenrolmentNeedsConfirmation,
    /// A value the user entered (e.g. an empty account name) is not acceptable.
    InvalidInput,
    /// A screen capture failed or was refused.
    CaptureFailed,
    /// The file is not an export of any format this app reads (see `formats`).
    UnknownFormat,
    /// The export is encrypted: its password is needed to read it.
    PasswordRequired,
    /// The export is truncated, altered or not what its format says it is.
    ExportDamaged,
    /// The export is of a known format in a version or variant this app cannot read.
    ExportUnsupported,
    /// The file is larger than an import accepts.
    FileTooLarge,
}

impl ErrorKind {
    /// The snake_case id, as used in `{kind, message}` IPC errors and in `cases.tsv`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidUri => "invalid_uri",
            ErrorKind::UnsupportedOtpType => "unsupported_otp_type",
            ErrorKind::InvalidSecret => "invalid_secret",
            ErrorKind::UnsupportedAlgorithm => "unsupported_algorithm",
            ErrorKind::InvalidParameter => "invalid_parameter",
            ErrorKind::NotOtpauth => "not_otpauth",
            ErrorKind::InvalidMigration => "invalid_migration",
            ErrorKind::NoQrFound => "no_qr_found",
            ErrorKind::ImageTooLarge => "image_too_large",
            ErrorKind::ImageUnreadable => "image_unreadable",
            ErrorKind::KeyringUnavailable => "keyring_unavailable",
            ErrorKind::KeyringLocked => "keyring_locked",
            ErrorKind::VaultKeyMissing => "vault_key_missing",
            ErrorKind::WrongPassword => "wrong_password",
            ErrorKind::VaultDamaged => "vault_damaged",
            ErrorKind::VaultUnsupported => "vault_unsupported",
            ErrorKind::StorageFull => "storage_full",
            ErrorKind::Io => "io",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Ambiguous => "ambiguous",
            ErrorKind::ReenrolmentNeedsConfirmation => "reenrolment_needs_confirmation",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::CaptureFailed => "capture_failed",
            ErrorKind::UnknownFormat => "unknown_format",
            ErrorKind::PasswordRequired => "password_required",
            ErrorKind::ExportDamaged => "export_damaged",
            ErrorKind::ExportUnsupported => "export_unsupported",
            ErrorKind::FileTooLarge => "file_too_large",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The core's error: a [`ErrorKind`] plus an English, actionable message and, for some kinds,
/// structured details the front ends need (a path, candidates, the names of an account).
///
/// Messages never contain a secret: constructors take only descriptions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    /// Extra structured detail, e.g. the candidates of an ambiguous query or a file path.
    pub detail: Detail,
}

/// Structured detail attached to some errors.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Detail {
    /// Nothing more than the message.
    #[default]
    None,
    /// A file involved (vault, image).
    Path(PathBuf),
    /// Candidate labels of an ambiguous query ("issuer account (id)").
    Candidates(Vec<String>),
    /// The issuer and account of an account involved (e.g. a re-enrolment).
    Account {
        /// The issuer (LPSE).
        issuer: String,
        /// The account name (SPSE user ID).
        account: String,
    },
    /// Width and height in pixels (image too large).
    Size(u32, u32),
    /// The scheme of a text that is not an enrolment (`https://`, `WIFI:`…), for localised
    /// "not an enrolment QR" messages. Never more of the text than its scheme.
    Scheme(String),
}

impl Error {
    /// A new error of `kind` with an English `message` (must not contain a secret).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            detail: Detail::None,
        }
    }

    /// The same error with `detail` attached.
    pub fn with_detail(mut self, detail: Detail) -> Self {
        self.detail = detail;
        self
    }

    /// The stable category.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The English message, without the kind.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// An I/O error while `doing` something with `path`, mapped to [`ErrorKind::StorageFull`] when
    /// the disk is full (`io::ErrorKind::StorageFull`: ENOSPC on Unix, ERROR_DISK_FULL or
    /// ERROR_HANDLE_DISK_FULL on Windows) and to [`ErrorKind::Io`] otherwise; a file another
    /// program holds open (Windows) is named as such.
    pub fn io(doing: &str, path: &std::path::Path, err: &std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::StorageFull {
            Error::new(
                ErrorKind::StorageFull,
                format!(
                    "the disk is full while {doing} {}; free some space and try again (nothing was changed)",
                    path.display()
                ),
            )
        } else if file_in_use(err) {
            Error::new(
                ErrorKind::Io,
                format!(
                    "{doing} {} failed ({err}): another program may have the file open; close it, or wait for a virus scan or backup to finish, and try again (nothing was changed)",
                    path.display()
                ),
            )
        } else {
            Error::new(
                ErrorKind::Io,
                format!("{doing} {} failed: {err}", path.display()),
            )
        }
        .with_detail(Detail::Path(path.to_path_buf()))
    }
}

/// True for the errors Windows gives while another process holds a file open without the sharing
/// the operation needs (ERROR_ACCESS_DENIED 5, ERROR_SHARING_VIOLATION 32, ERROR_LOCK_VIOLATION
/// 33). Always false elsewhere, where these numbers mean other things.
pub(crate) fn file_in_use(err: &std::io::Error) -> bool {
    cfg!(windows) && matches!(err.raw_os_error(), Some(5 | 32 | 33))
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::path::Path;

    #[test]
    fn a_full_disk_is_storage_full_on_every_system() {
        let e = Error::io(
            "saving",
            Path::new("v"),
            &io::Error::from(io::ErrorKind::StorageFull),
        );
        assert_eq!(e.kind(), ErrorKind::StorageFull);
        // The OS's own code for a full disk: ENOSPC (28) on Linux, ERROR_DISK_FULL (112) and
        // ERROR_HANDLE_DISK_FULL (39) on Windows, where 28 is ERROR_OUT_OF_PAPER.
        let codes: &[i32] = if cfg!(windows) { &[112, 39] } else { &[28] };
        for &code in codes {
            let e = Error::io(
                "saving",
                Path::new("v"),
                &io::Error::from_raw_os_error(code),
            );
            assert_eq!(e.kind(), ErrorKind::StorageFull, "os error {code}");
            assert!(e.message().contains("the disk is full"), "{}", e.message());
        }
        if cfg!(windows) {
            let e = Error::io("saving", Path::new("v"), &io::Error::from_raw_os_error(28));
            assert_eq!(
                e.kind(),
                ErrorKind::Io,
                "ERROR_OUT_OF_PAPER is not a full disk"
            );
        }
    }

    #[test]
    fn a_file_in_use_is_named_on_windows_only() {
        let e = Error::io("saving", Path::new("v"), &io::Error::from_raw_os_error(32));
        assert_eq!(e.kind(), ErrorKind::Io);
        assert_eq!(
            e.message()
                .contains("another program may have the file open"),
            cfg!(windows),
            "{}",
            e.message()
        );
    }
}
