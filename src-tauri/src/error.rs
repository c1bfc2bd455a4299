//! The app's one error type, [`AppError`], as every command rejects with and every event carries.
//!
//! Invariants:
//! - On the wire an error is always `{kind, message}` plus `scheme` for `not_otpauth` (the scheme of
//!   what was found, quoted by the UI) and `token` for `password_required` from a file import (the
//!   files wait in Rust under it for `import_with_password`). `kind` is a stable snake_case id the UI localises by: the
//!   core's [`ErrorKind`] id for core errors, or one of the app's (`AppError::ALL_KINDS`);
//!   `message` is English detail, shown but never parsed.
//! - Each app kind string is written once, in [`AppError::kind`]; `ui/api.js` must hold a string
//!   for every core and app kind (checked by a test below).
//! - No message carries a secret (the core's never do; the app's are fixed sentences).

use serde::ser::{Serialize, SerializeStruct, Serializer};
use spse_auth_core::error::Detail;
use spse_auth_core::{Error, ErrorKind};

/// Why a command failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppError {
    /// An error of the core (vault, keyring, import…), with its own kind.
    Core(Error),
    /// The app lock is on: guarded commands refuse until `unlock_app` (kind `app_locked`).
    AppLocked,
    /// The app can be locked only when a recovery password is set (kind `no_recovery_password`).
    NoRecoveryPassword,
    /// The core refused to remove the recovery password because the keyring does not hold the
    /// vault's key (kind `remove_pw_refused`); carries the core's message.
    RemovePasswordRefused(String),
    /// The system clipboard cannot be used (kind `clipboard`); carries the platform's reason.
    Clipboard(String),
    /// A file import met an encrypted export: the core's `password_required` error, and the
    /// token under which the files wait for `import_with_password` (kind: the core error's).
    ExportPassword {
        /// The token of the waiting files.
        token: u64,
        /// The core's error.
        error: Error,
    },
    /// An export needs re-authentication: the recovery password when one is set, else the
    /// user's explicit confirmation (kind `reauth_required`).
    ReauthRequired,
    /// A plain-text export without the explicit "unencrypted" choice (kind
    /// `plaintext_not_confirmed`).
    PlaintextNotConfirmed,
    /// An export with no account to write (kind `nothing_to_export`).
    NothingToExport,
    /// A time server in Settings that is not `HOST[:PORT]` (kind `invalid_server`); carries
    /// the clock crate's message.
    InvalidServer(String),
    /// The system's start-at-log-in entry could not be read or written (kind `autostart`);
    /// carries the platform's reason.
    Autostart(String),
    /// A global shortcut that is not a key with Ctrl, Alt or Super (kind `invalid_shortcut`);
    /// carries the reason.
    InvalidShortcut(String),
    /// The system refused the global shortcut, usually because another program holds it (kind
    /// `shortcut_taken`); carries the shortcut as typed.
    ShortcutTaken(String),
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        AppError::Core(e)
    }
}

impl AppError {
    /// The kinds only the app produces (the core's are [`ErrorKind::ALL`]); the tests check
    /// each one's shape and that the UI has a string for it.
    #[cfg(test)]
    pub const ALL_KINDS: &'static [&'static str] = &[
        "app_locked",
        "no_recovery_password",
        "remove_pw_refused",
        "clipboard",
        "reauth_required",
        "plaintext_not_confirmed",
        "nothing_to_export",
        "invalid_server",
        "autostart",
        "invalid_shortcut",
        "shortcut_taken",
    ];

    /// The stable snake_case kind the UI localises by.
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::Core(e) | AppError::ExportPassword { error: e, .. } => e.kind().as_str(),
            AppError::AppLocked => "app_locked",
            AppError::NoRecoveryPassword => "no_recovery_password",
            AppError::RemovePasswordRefused(_) => "remove_pw_refused",
            AppError::Clipboard(_) => "clipboard",
            AppError::ReauthRequired => "reauth_required",
            AppError::PlaintextNotConfirmed => "plaintext_not_confirmed",
            AppError::NothingToExport => "nothing_to_export",
            AppError::InvalidServer(_) => "invalid_server",
            AppError::Autostart(_) => "autostart",
            AppError::InvalidShortcut(_) => "invalid_shortcut",
            AppError::ShortcutTaken(_) => "shortcut_taken",
        }
    }

    /// The English message (detail for the user; never parsed, never a secret).
    pub fn message(&self) -> String {
        match self {
            AppError::Core(e) | AppError::ExportPassword { error: e, .. } => {
                e.message().to_string()
            }
            AppError::AppLocked => {
                "the app is locked: unlock it with the recovery password".to_string()
            }
            AppError::NoRecoveryPassword => "the app can be locked only when a recovery password \
                 is set (it unlocks the app)"
                .to_string(),
            AppError::RemovePasswordRefused(message) => message.clone(),
            AppError::Clipboard(reason) => format!("the clipboard cannot be used: {reason}"),
            AppError::ReauthRequired => "an export needs the recovery password (or, without one, \
                 an explicit confirmation)"
                .to_string(),
            AppError::PlaintextNotConfirmed => "an unencrypted export needs the explicit \
                 \"unencrypted\" choice"
                .to_string(),
            AppError::NothingToExport => "there is no account to export".to_string(),
            AppError::InvalidServer(message) => message.clone(),
            AppError::Autostart(reason) => {
                format!("the start-at-log-in entry cannot be changed: {reason}")
            }
            AppError::InvalidShortcut(reason) => format!("not a usable shortcut: {reason}"),
            AppError::ShortcutTaken(shortcut) => format!(
                "{shortcut} cannot be used: another program probably holds it; choose another"
            ),
        }
    }

    /// For `not_otpauth`: the scheme of the text found (`https://`…); `None` otherwise.
    pub fn scheme(&self) -> Option<&str> {
        match self {
            AppError::Core(Error {
                detail: Detail::Scheme(s),
                ..
            }) => Some(s),
            _ => None,
        }
    }

    /// Maps the core's refusal to remove the recovery password (`vault_key_missing`: the keyring
    /// lacks the key, so nothing else could open the vault) to [`AppError::RemovePasswordRefused`].
    pub fn from_remove_password(e: Error) -> Self {
        if e.kind() == ErrorKind::VaultKeyMissing {
            AppError::RemovePasswordRefused(e.message().to_string())
        } else {
            AppError::Core(e)
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for AppError {}

/// Written by hand so the wire shape is deliberate: `{kind, message}` and, only when there is
/// one, `scheme` or `token`.
impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let scheme = self.scheme();
        let token = match self {
            AppError::ExportPassword { token, .. } => Some(*token),
            _ => None,
        };
        let extra = usize::from(scheme.is_some()) + usize::from(token.is_some());
        let mut s = serializer.serialize_struct("AppError", 2 + extra)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.message())?;
        if let Some(scheme) = scheme {
            s.serialize_field("scheme", scheme)?;
        }
        if let Some(token) = token {
            s.serialize_field("token", &token)?;
        }
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn wire(e: &AppError) -> serde_json::Value {
        serde_json::to_value(e).expect("json")
    }

    #[test]
    fn a_core_error_keeps_its_kind_and_message() {
        let e = AppError::from(Error::new(
            ErrorKind::NoQrFound,
            "no QR code found in a.png",
        ));
        assert_eq!(
            wire(&e),
            json!({"kind": "no_qr_found", "message": "no QR code found in a.png"})
        );
        assert_eq!(e.to_string(), "no QR code found in a.png");
    }

    #[test]
    fn not_otpauth_carries_the_scheme() {
        let e = AppError::from(
            Error::new(ErrorKind::NotOtpauth, "not an enrolment")
                .with_detail(Detail::Scheme("https://".into())),
        );
        assert_eq!(
            wire(&e),
            json!({"kind": "not_otpauth", "message": "not an enrolment", "scheme": "https://"})
        );
        // Other details never reach the UI.
        let e = AppError::from(
            Error::new(ErrorKind::Io, "reading x failed").with_detail(Detail::Path("x".into())),
        );
        assert_eq!(
            wire(&e),
            json!({"kind": "io", "message": "reading x failed"})
        );
    }

    #[test]
    fn an_export_password_request_carries_its_token() {
        let e = AppError::ExportPassword {
            token: 7,
            error: Error::new(ErrorKind::PasswordRequired, "the export is encrypted"),
        };
        assert_eq!(
            wire(&e),
            json!({"kind": "password_required", "message": "the export is encrypted", "token": 7})
        );
    }

    /// Every skip reason and add status of an import preview must be named in `ui/api.js`, so
    /// the UI can localise it.
    #[test]
    fn the_ui_knows_every_skip_reason_and_status() {
        use spse_auth_core::accounts::AddStatus;
        use spse_auth_core::import::SkipReason;
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/api.js");
        let api = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        // The body of `export const NAME = Object.freeze({ … });`.
        let table = |name: &str| {
            let start = api
                .find(&format!("export const {name} = Object.freeze({{"))
                .unwrap_or_else(|| panic!("ui/api.js has no {name}"));
            let body = &api[start..];
            body[..body.find("});").expect("end of the table")].to_string()
        };
        let (skips, statuses) = (table("SKIP_REASON"), table("STATUS"));
        let missing: Vec<&str> = SkipReason::ALL_KINDS
            .iter()
            .copied()
            .filter(|k| !skips.contains(&format!("\"{k}\"")))
            .chain(
                AddStatus::ALL
                    .iter()
                    .map(|s| s.as_str())
                    .filter(|s| !statuses.contains(&format!("\"{s}\""))),
            )
            .collect();
        assert!(missing.is_empty(), "ui/api.js lacks {missing:?}");
    }

    #[test]
    fn each_app_kind_has_its_shape() {
        let refused = AppError::from_remove_password(Error::new(
            ErrorKind::VaultKeyMissing,
            "the system keyring does not hold this vault's key",
        ));
        let cases = [
            (AppError::AppLocked, "app_locked", "the app is locked"),
            (
                AppError::NoRecoveryPassword,
                "no_recovery_password",
                "recovery password",
            ),
            (
                refused,
                "remove_pw_refused",
                "does not hold this vault's key",
            ),
            (
                AppError::Clipboard("no display".into()),
                "clipboard",
                "the clipboard cannot be used: no display",
            ),
            (
                AppError::ReauthRequired,
                "reauth_required",
                "recovery password",
            ),
            (
                AppError::PlaintextNotConfirmed,
                "plaintext_not_confirmed",
                "unencrypted",
            ),
            (AppError::NothingToExport, "nothing_to_export", "no account"),
            (
                AppError::InvalidServer("\"x:y\" is not a time server".into()),
                "invalid_server",
                "is not a time server",
            ),
            (
                AppError::Autostart("permission denied".into()),
                "autostart",
                "cannot be changed: permission denied",
            ),
            (
                AppError::InvalidShortcut("a plain letter".into()),
                "invalid_shortcut",
                "not a usable shortcut: a plain letter",
            ),
            (
                AppError::ShortcutTaken("Ctrl+Alt+A".into()),
                "shortcut_taken",
                "Ctrl+Alt+A cannot be used",
            ),
        ];
        let mut kinds = Vec::new();
        for (e, kind, text) in cases {
            let v = wire(&e);
            assert_eq!(v["kind"], kind);
            assert!(
                v["message"].as_str().expect("message").contains(text),
                "{v}"
            );
            assert_eq!(v.as_object().expect("object").len(), 2, "{v}");
            kinds.push(kind);
        }
        assert_eq!(kinds, AppError::ALL_KINDS);
        // Any other refusal stays the core's error.
        let other = AppError::from_remove_password(Error::new(ErrorKind::KeyringLocked, "locked"));
        assert_eq!(other.kind(), "keyring_locked");
    }

    #[test]
    fn app_kinds_do_not_clash_with_core_kinds() {
        for k in AppError::ALL_KINDS {
            assert!(
                ErrorKind::ALL.iter().all(|c| c.as_str() != *k),
                "{k} is a core kind"
            );
        }
    }

    /// Every kind the UI may receive must have a string in `ui/api.js` (its `ERROR_KINDS`), so the
    /// UI can localise it.
    #[test]
    fn the_ui_knows_every_kind() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/api.js");
        let api = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let kinds = ErrorKind::ALL
            .iter()
            .map(|k| k.as_str())
            .chain(AppError::ALL_KINDS.iter().copied());
        let missing: Vec<&str> = kinds
            .filter(|k| !api.contains(&format!("\"{k}\"")) && !api.contains(&format!("'{k}'")))
            .collect();
        assert!(missing.is_empty(), "ui/api.js lacks {missing:?}");
    }
}
