//! The core's one error type.
//!
//! Every variant has a stable [`ErrorKind`] (a snake_case id such as `invalid_secret`), which the front
//! ends use to localise messages and to choose exit codes; the `Display` text is an English sentence a
//! user can act on. No variant ever carries a secret.

use std::fmt;
use std::path::PathBuf;

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Declares [`ErrorKind`] from one table of `Variant => "snake_case_id"`, so that the enum,
/// [`ErrorKind::as_str`] and [`ErrorKind::ALL`] cannot disagree.
macro_rules! error_kinds {
    ($($(#[$doc:meta])* $variant:ident => $id:literal,)+) => {
        /// Stable, machine-readable category of an [`Error`]; `as_str()` gives its snake_case id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorKind {
            $($(#[$doc])* $variant,)+
        }

        impl ErrorKind {
            /// Every kind, in declaration order (front ends check they localise each one).
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$variant,)+];

            /// The snake_case id, as used in `{kind, message}` IPC errors and in `cases.tsv`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorKind::$variant => $id,)+
                }
            }
        }
    };
}

error_kinds! {
    /// The text is not a well-formed Key URI.
    InvalidUri => "invalid_uri",
    /// `otpauth://steam/…` or another type this app cannot generate codes for.
    UnsupportedOtpType => "unsupported_otp_type",
    /// The secret is not Base32 (RFC 4648) after normalisation, or empty.
    InvalidSecret => "invalid_secret",
    /// `algorithm=` other than SHA1, SHA256, SHA512.
    UnsupportedAlgorithm => "unsupported_algorithm",
    /// `digits`, `period` or `counter` out of range or not a number; HOTP without `counter`.
    InvalidParameter => "invalid_parameter",
    /// The QR text is not an authenticator enrolment (`otpauth://` / `otpauth-migration://`).
    NotOtpauth => "not_otpauth",
    /// An `otpauth-migration://` payload that cannot be decoded.
    InvalidMigration => "invalid_migration",
    /// No QR code in the image.
    NoQrFound => "no_qr_found",
    /// The image is larger than the decoder accepts (decompression-bomb guard).
    ImageTooLarge => "image_too_large",
    /// The file is not an image this app can read, or cannot be read at all.
    ImageUnreadable => "image_unreadable",
    /// The OS keyring (Secret Service, Keychain, Credential Manager) cannot be reached.
    KeyringUnavailable => "keyring_unavailable",
    /// The keyring is reachable but locked.
    KeyringLocked => "keyring_locked",
    /// A vault exists but its key is not in the keyring (and no other key slot opened it).
    VaultKeyMissing => "vault_key_missing",
    /// The recovery password does not open the vault's password slot.
    WrongPassword => "wrong_password",
    /// The vault file is truncated, corrupted or fails authentication.
    VaultDamaged => "vault_damaged",
    /// The vault was written by a newer version of this app.
    VaultUnsupported => "vault_unsupported",
    /// The disk is full.
    StorageFull => "storage_full",
    /// Any other I/O failure.
    Io => "io",
    /// No account matches the query.
    NotFound => "not_found",
    /// More than one account matches the query.
    Ambiguous => "ambiguous",
    /// Same issuer and account with a different secret: a re-enrolment that needs confirmation.
    ReenrolmentNeedsConfirmation => "reenrolment_needs_confirmation",
    /// A value the user entered (e.g. an empty account name) is not acceptable.
    InvalidInput => "invalid_input",
    /// A screen capture failed or was refused.
    CaptureFailed => "capture_failed",
    /// A file to import is larger than [`crate::import::MAX_FILE_BYTES`] (an export: than
    /// `formats::MAX_EXPORT_BYTES`).
    FileTooLarge => "file_too_large",
    /// The file is not an export of any format this app reads (see `formats`).
    UnknownFormat => "unknown_format",
    /// The export is encrypted: its password is needed to read it.
    PasswordRequired => "password_required",
    /// The export is truncated, altered or not what its format says it is.
    ExportDamaged => "export_damaged",
    /// The export is of a known format in a version or variant this app cannot read.
    ExportUnsupported => "export_unsupported",
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
    /// The id of the newest backup that opens, offered with a damaged vault (each front end
    /// says how to restore it).
    NewestBackup(String),
    /// The vault (its path) has a recovery password that opens it without the keyring's key
    /// (each front end says how to give it).
    RecoveryPassword(PathBuf),
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
    fn every_kind_is_listed_once_with_its_serde_name() {
        let mut seen = std::collections::HashSet::new();
        for k in ErrorKind::ALL {
            assert!(seen.insert(k.as_str()), "{k} listed twice");
            assert_eq!(serde_json::to_value(k).expect("json"), k.as_str());
            assert!(
                k.as_str()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_'),
                "{k}"
            );
        }
        assert!(seen.contains("file_too_large") && seen.contains("invalid_uri"));
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
