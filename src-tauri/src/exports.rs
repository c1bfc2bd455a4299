//! Moving accounts out of the app: one account's enrolment QR, Google Authenticator's
//! "Transfer accounts" QR codes, and files other apps import (Aegis and Proton Authenticator,
//! encrypted; a plain list of Key URIs only when the user explicitly chooses "unencrypted").
//!
//! Invariants:
//! - Every operation is guarded by the app lock and re-authenticates first ([`ReAuth`]): the
//!   recovery password when the vault has one (a wrong one is refused with `wrong_password` and
//!   nothing is produced), otherwise an explicit confirmation (`reauth_required` without it).
//! - Secrets leave the store only through `Store::export_enrolments`, here, after re-auth.
//! - No secret crosses IPC as text: a QR code goes to the UI as a PNG data URL ([`PngDataUrl`]),
//!   rendered in Rust; files are written by Rust ([`export::write_private_file`]: owner-only,
//!   atomic) to the path of the native save dialog, opened from Rust (the UI never sends a path),
//!   and the UI gets only the file's name, the number of accounts written and those skipped.
//! - An encrypted file needs an export password [`export::check_export_password`] accepts; a
//!   plain one (`otpauth`) needs `unencrypted: true` (`plaintext_not_confirmed` otherwise).
//! - Buffers holding secrets (enrolments, PNG bytes, data URLs, file bytes) are zeroized when
//!   dropped.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize, Serializer};
use spse_auth_core::enrolment::Enrolment;
use spse_auth_core::export::{self, ExportFormat, Skipped};
use spse_auth_core::{Error, ErrorKind};
use tauri::{AppHandle, Runtime};
use zeroize::Zeroizing;

use crate::error::AppError;
use crate::ipc::Password;
use crate::state::{lock_mutex, AppResult, AppState};

/// The re-authentication every export needs: the recovery password when the vault has one, else
/// `confirmed` (the user ticked "I understand"). Sent by the UI with each export command.
#[derive(Debug, Default, Deserialize)]
pub struct ReAuth {
    /// The recovery password, when the vault has one.
    #[serde(default)]
    pub password: Option<Password>,
    /// The explicit confirmation, when the vault has no recovery password.
    #[serde(default)]
    pub confirmed: bool,
}

/// A PNG as a `data:image/png;base64,…` URL, for an `<img>`: the only form in which a secret
/// (drawn as a QR code) reaches the UI. Zeroized when dropped; `Debug` shows only its length.
pub struct PngDataUrl(Zeroizing<String>);

impl PngDataUrl {
    /// The data URL of `png`, built in one buffer sized up front (no unzeroized copies).
    pub fn of(png: &[u8]) -> Self {
        const PREFIX: &str = "data:image/png;base64,";
        let b64 = &data_encoding::BASE64;
        let mut s = Zeroizing::new(String::with_capacity(
            PREFIX.len() + b64.encode_len(png.len()),
        ));
        s.push_str(PREFIX);
        b64.encode_append(png, &mut s);
        PngDataUrl(s)
    }

    /// The URL text (tests decode it).
    #[cfg(test)]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for PngDataUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl std::fmt::Debug for PngDataUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PngDataUrl(<{} chars>)", self.0.len())
    }
}

/// One account's enrolment QR code (`show_account_qr`).
#[derive(Debug, Serialize)]
pub struct AccountQr {
    /// The QR code of its Key URI.
    pub image: PngDataUrl,
}

/// One of the Google Authenticator QR codes (`show_migration_qrs`).
#[derive(Debug, Serialize)]
pub struct MigrationQr {
    /// Its position, 1-based ("1 of 3").
    pub index: usize,
    /// How many QR codes there are.
    pub count: usize,
    /// The QR code.
    pub image: PngDataUrl,
}

/// Google Authenticator's "Transfer accounts" QR codes of every account.
#[derive(Debug, Serialize)]
pub struct MigrationQrs {
    /// The QR codes, in order (none when every account was skipped).
    pub images: Vec<MigrationQr>,
    /// The accounts the format cannot carry, with the reason.
    pub skipped: Vec<Skipped>,
}

/// What `export_file` wrote.
#[derive(Debug, Serialize)]
pub struct FileExported {
    /// The name of the file written (without its folder).
    pub file_name: String,
    /// How many accounts it holds.
    pub accounts: usize,
    /// The accounts the format cannot carry, with the reason.
    pub skipped: Vec<Skipped>,
}

/// What the user asked `export_file` for.
#[derive(Debug)]
pub struct FileRequest {
    /// `aegis`, `proton` or `otpauth`.
    pub format: ExportFormat,
    /// The export password (encrypted formats), typed twice in the UI.
    pub password: Option<Password>,
    /// The explicit "unencrypted" choice (`otpauth`).
    pub unencrypted: bool,
}

impl AppState {
    /// Checks [`ReAuth`]: the recovery password when the vault has one, else the confirmation.
    fn reauthenticate(&self, auth: &ReAuth) -> AppResult<()> {
        let mut store = lock_mutex(&self.store);
        if store.has_recovery_password()? {
            let password = auth.password.as_ref().ok_or(AppError::ReauthRequired)?;
            store.verify_recovery_password(password.expose())?;
        } else if !auth.confirmed {
            return Err(AppError::ReauthRequired);
        }
        Ok(())
    }

    /// The enrolments of `ids` (every account when empty), secrets included (each secret is
    /// zeroized when dropped).
    fn enrolments(&self, ids: &[String]) -> AppResult<Vec<Enrolment>> {
        Ok(lock_mutex(&self.store).export_enrolments(ids)?)
    }

    /// Account `id`'s enrolment QR (its Key URI), after re-authentication.
    pub fn show_account_qr(&self, id: &str, auth: &ReAuth) -> AppResult<AccountQr> {
        self.app_lock.guard()?;
        self.reauthenticate(auth)?;
        let entries = self.enrolments(&[id.to_string()])?;
        let entry = entries
            .first()
            .ok_or_else(|| Error::new(ErrorKind::NotFound, "the account is not in the vault"))?;
        let png = export::qr::account_png(entry)?;
        Ok(AccountQr {
            image: PngDataUrl::of(&png),
        })
    }

    /// Google Authenticator's QR codes of every account, after re-authentication.
    pub fn show_migration_qrs(&self, auth: &ReAuth) -> AppResult<MigrationQrs> {
        self.app_lock.guard()?;
        self.reauthenticate(auth)?;
        let entries = self.enrolments(&[])?;
        if entries.is_empty() {
            return Err(AppError::NothingToExport);
        }
        let out = export::migration_qr::pngs(&entries)?;
        Ok(MigrationQrs {
            images: out
                .images
                .iter()
                .map(|i| MigrationQr {
                    index: i.index,
                    count: i.count,
                    image: PngDataUrl::of(&i.png),
                })
                .collect(),
            skipped: out.skipped,
        })
    }

    /// Native save dialog, then every account written to the chosen file in `req.format`;
    /// `None` when the dialog is cancelled. Every check (format, password, plain-text choice,
    /// re-authentication) runs before the dialog opens.
    pub fn export_file<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        req: &FileRequest,
        auth: &ReAuth,
        title: &str,
    ) -> AppResult<Option<FileExported>> {
        self.app_lock.guard()?;
        self.check_file_request(req)?;
        self.reauthenticate(auth)?;
        use tauri_plugin_dialog::DialogExt;
        let (name, ext) = default_file_name(req.format);
        let picked = app
            .dialog()
            .file()
            .set_title(title)
            .set_file_name(name)
            .add_filter(ext.to_uppercase(), &[ext])
            .blocking_save_file();
        let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
            return Ok(None);
        };
        self.write_file(req, &path).map(Some)
    }

    /// [`export_file`](Self::export_file) without the dialog: the checks, then the file at
    /// `path` (for tests).
    #[cfg(test)]
    pub fn export_file_to(
        &self,
        req: &FileRequest,
        auth: &ReAuth,
        path: &Path,
    ) -> AppResult<FileExported> {
        self.app_lock.guard()?;
        self.check_file_request(req)?;
        self.reauthenticate(auth)?;
        self.write_file(req, path)
    }

    /// The checks of a file export that need no password typed for the vault: a file format,
    /// a good export password (encrypted) or the explicit choice (plain), some account to write.
    fn check_file_request(&self, req: &FileRequest) -> AppResult<()> {
        match req.format {
            ExportFormat::Aegis | ExportFormat::Proton => {
                let password = req.password.as_ref().map(Password::expose).unwrap_or("");
                export::check_export_password(password)?;
            }
            ExportFormat::Otpauth if !req.unencrypted => {
                return Err(AppError::PlaintextNotConfirmed)
            }
            ExportFormat::Otpauth => {}
            ExportFormat::Qr | ExportFormat::MigrationQr => {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    "QR codes are shown in the app, not written to a file",
                )
                .into())
            }
        }
        if lock_mutex(&self.store).list()?.is_empty() {
            return Err(AppError::NothingToExport);
        }
        Ok(())
    }

    /// Writes every account (those the format can carry) to `path`.
    fn write_file(&self, req: &FileRequest, path: &Path) -> AppResult<FileExported> {
        let entries = self.enrolments(&[])?;
        let skipped = req.format.skipped(&entries);
        let accounts = entries.len() - skipped.len();
        if accounts == 0 {
            return Err(AppError::NothingToExport);
        }
        let password = req.password.as_ref().map(Password::expose).unwrap_or("");
        // Encrypted bytes need no zeroizing; the plain list is zeroized when dropped.
        match req.format {
            ExportFormat::Aegis => {
                write(path, &export::aegis::write_encrypted(&entries, password)?)?
            }
            ExportFormat::Proton => {
                write(path, &export::proton::write_encrypted(&entries, password)?)?
            }
            // `otpauth`: the checks admit no other format here.
            _ => write(path, export::otpauth::write(&entries).as_bytes())?,
        }
        Ok(FileExported {
            file_name: file_name(path),
            accounts,
            skipped,
        })
    }
}

/// [`export::write_private_file`].
fn write(path: &Path, bytes: &[u8]) -> AppResult<()> {
    Ok(export::write_private_file(path, bytes)?)
}

/// The save dialog's suggested name and the file's extension, by format.
fn default_file_name(format: ExportFormat) -> (&'static str, &'static str) {
    match format {
        ExportFormat::Aegis => ("spse-authenticator-aegis.json", "json"),
        ExportFormat::Proton => ("spse-authenticator-proton.json", "json"),
        _ => ("spse-authenticator-otpauth.txt", "txt"),
    }
}

/// The last component of `path`, for the UI's "saved as …".
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| PathBuf::from(path).display().to_string())
}

#[cfg(test)]
#[path = "exports_tests.rs"]
mod tests;
