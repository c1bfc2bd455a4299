//! What crosses IPC: the commands' answers, the one envelope [`Reply`] for results carried inside
//! an answer or an event, and [`Password`] (the only secret the UI sends besides the manual-entry
//! form's, which is the core's zeroizing `ManualEntry`).
//!
//! Invariants:
//! - Nothing here holds a secret that goes to the UI: answers carry ids, issuers, accounts,
//!   parameters, codes and seconds left. Secrets only come *from* the UI (passwords, a typed
//!   secret), are zeroized when dropped and redacted in `Debug`.
//! - A command resolves with its value or rejects with an [`AppError`] (`{kind, message}`). A
//!   result inside an answer or an event is a [`Reply`]: `{"ok": value}` or `{"error": AppError}`.

use serde::{Deserialize, Serialize};
use spse_auth_core::accounts::{
    AccountInfo, AddOutcome, AddStatus, CodeInfo, ListDigest, VaultStatus,
};
use spse_auth_core::otp::OtpType;
use zeroize::Zeroizing;

use crate::error::AppError;

/// A result inside an answer or an event: `{"ok": value}` or `{"error": {kind, message…}}`.
#[derive(Debug, Clone, Serialize)]
pub enum Reply<T> {
    /// It worked.
    #[serde(rename = "ok")]
    Ok(T),
    /// Why it did not.
    #[serde(rename = "error")]
    Error(AppError),
}

impl<T, E: Into<AppError>> From<Result<T, E>> for Reply<T> {
    fn from(r: Result<T, E>) -> Self {
        match r {
            Ok(v) => Reply::Ok(v),
            Err(e) => Reply::Error(e.into()),
        }
    }
}

/// A password typed in the UI (recovery password, an export's password): sent to Rust once, never sent back, never
/// logged. `Debug` prints `<redacted>`; the text is overwritten when dropped.
pub struct Password(Zeroizing<String>);

impl<'de> Deserialize<'de> for Password {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| Password(Zeroizing::new(s)))
    }
}

impl Password {
    /// The password text (for the core's calls only).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// How many accounts' codes the bootstrap carries: more than the rows of a tall window.
pub const FIRST_CODES: usize = 32;

/// An account as the list shows it before its code is known: no secret, no code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listed {
    /// Account id.
    pub id: String,
    /// Issuer (LPSE).
    pub issuer: String,
    /// Account name (SPSE user ID).
    pub account: String,
    /// `totp`, `hotp` or `steam`.
    #[serde(rename = "type")]
    pub otp_type: OtpType,
    /// TOTP period in seconds.
    pub period: u32,
}

impl From<AccountInfo> for Listed {
    fn from(a: AccountInfo) -> Self {
        Listed {
            id: a.id,
            issuer: a.issuer,
            account: a.account,
            otp_type: a.otp_type,
            period: a.period,
        }
    }
}

/// `codes`' answer, once a second: the codes of the rows the page draws, and the whole list
/// only when it changed since the page's last one (a vendor's 1,000 accounts are not sent, nor
/// their codes computed, every second).
#[derive(Debug, Clone, Serialize)]
pub struct CodesNow {
    /// The list's digest now; the page sends it back as `known`.
    pub list_digest: ListDigest,
    /// Every account in list order, `None` when the page's `known` digest is the current one.
    pub accounts: Option<Vec<Listed>>,
    /// The codes now of the accounts asked for (those still in the vault), in list order.
    pub codes: Vec<CodeInfo>,
}

/// What the UI needs at start.
#[derive(Debug, Serialize)]
pub struct Bootstrap {
    /// The language to show: `id` or `en`.
    pub language: String,
    /// The user's explicit choice, `None` when following the system.
    pub language_choice: Option<String>,
    /// The system's language (`id` or `en`).
    pub system_language: String,
    /// The data folder, for the error and password screens (Settings → About asks `about`).
    pub data_dir: String,
    /// Every account, and the codes now of the first [`FIRST_CODES`] in list order (what `codes`
    /// answers: the page's first rows need no other call), or why the vault cannot be read (the
    /// UI then shows a full-window explanation); `app_locked` while the app lock is on.
    pub accounts: Reply<CodesNow>,
    /// The vault's start-up state (keyring, recovery password), or why even its header is
    /// unreadable. The UI asks for the recovery password when the vault exists, is not ready and
    /// has one.
    pub vault: Reply<VaultStatus>,
    /// The app lock is on (the UI shows the lock screen).
    pub locked: bool,
    /// Idle-lock delay in minutes, `None` when off.
    pub lock_minutes: Option<u32>,
}

/// Settings → About: what the app is and where it keeps its files. Nothing secret.
#[derive(Debug, Serialize)]
pub struct About {
    /// The product name (`productName` in `tauri.conf.json`).
    pub name: String,
    /// The app's version: the workspace version in the top `Cargo.toml`, the same for the app,
    /// `spse-auth --version` and the bundles.
    pub version: String,
    /// The data folder: the vault, its backups and `settings.json`.
    pub data_dir: String,
}

/// After opening the vault with the recovery password.
#[derive(Debug, Serialize)]
pub struct Unlocked {
    /// The keyring is reachable but has no entry for the vault: offer to store the key again.
    pub offer_keyring: bool,
}

/// What the settings dialog shows.
#[derive(Debug, Serialize)]
pub struct SafetyInfo {
    /// The vault has a recovery password.
    pub has_recovery_password: bool,
    /// The keyring holds the vault's key (removing the password is possible only then).
    pub keyring_has_key: bool,
    /// The vault has at least one account.
    pub has_accounts: bool,
    /// Idle-lock delay in minutes, `None` when off.
    pub lock_minutes: Option<u32>,
}

/// Entries of an import waiting for confirmation, with what adding them would do.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    /// Token to pass to `commit_add` or `cancel_import`.
    pub token: u64,
    /// One line per entry, in import order: `status` (`added`, `unchanged`, `needs_replace`,
    /// `skipped`), `account` (issuer, account…; no secret), `warnings`, and when set `reason`
    /// (`{kind, message…}` of a skipped entry) and `renamed_from` (the name the entry had, when a
    /// `(2)` suffix tells it apart from another entry with that name but another key).
    pub outcomes: Vec<AddOutcome>,
    /// True when at least one is a re-enrolment that needs the user's "replace".
    pub needs_replace: bool,
}

impl Preview {
    /// The preview of `outcomes`, staged under `token`.
    pub fn new(token: u64, outcomes: Vec<AddOutcome>) -> Self {
        Preview {
            token,
            needs_replace: outcomes.iter().any(|o| o.status == AddStatus::NeedsReplace),
            outcomes,
        }
    }
}

/// A removal that can be undone for [`crate::staging::UNDO_WINDOW`].
#[derive(Debug, Serialize)]
pub struct RemovedInfo {
    /// Token to pass to `undo_remove`.
    pub token: u64,
    /// The removed account.
    pub account: AccountInfo,
    /// Seconds Undo stays available.
    pub undo_seconds: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use spse_auth_core::{Error, ErrorKind};

    #[test]
    fn reply_is_ok_or_error() {
        let ok: Reply<Vec<u32>> = Ok::<_, AppError>(vec![1, 2]).into();
        assert_eq!(
            serde_json::to_value(&ok).expect("json"),
            json!({"ok": [1, 2]})
        );
        let err: Reply<u32> = Err(Error::new(ErrorKind::VaultDamaged, "damaged")).into();
        assert_eq!(
            serde_json::to_value(&err).expect("json"),
            json!({"error": {"kind": "vault_damaged", "message": "damaged"}})
        );
        let locked: Reply<u32> = Reply::Error(AppError::AppLocked);
        assert_eq!(
            serde_json::to_value(&locked).expect("json")["error"]["kind"],
            "app_locked"
        );
    }

    #[test]
    fn a_password_is_read_once_and_never_shown() {
        let p: Password = serde_json::from_str("\"kuda benar baterai staples\"").expect("json");
        assert_eq!(p.expose(), "kuda benar baterai staples");
        assert_eq!(format!("{p:?}"), "Password(<redacted>)");
    }

    #[test]
    fn bootstrap_carries_both_replies_and_no_scan_flag() {
        let b = Bootstrap {
            language: "id".into(),
            language_choice: None,
            system_language: "id".into(),
            data_dir: "/data".into(),
            accounts: Reply::Error(AppError::AppLocked),
            vault: Reply::Error(AppError::Core(Error::new(ErrorKind::VaultDamaged, "x"))),
            locked: true,
            lock_minutes: Some(5),
        };
        let v = serde_json::to_value(&b).expect("json");
        assert_eq!(v["accounts"]["error"]["kind"], "app_locked");
        assert_eq!(v["vault"]["error"]["kind"], "vault_damaged");
        assert!(v.get("can_scan_screen").is_none());
        assert_eq!(
            (v["locked"].clone(), v["lock_minutes"].clone()),
            (json!(true), json!(5))
        );
    }
}
