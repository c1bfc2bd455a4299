//! Adding accounts: every source (clipboard, dropped or picked files, screen scan, manual entry)
//! gives enrolments, which are previewed and staged ([`crate::staging::PendingImport`]) until the
//! user confirms (`commit_add`) or cancels (`cancel_import`).
//!
//! Invariants:
//! - Every operation here is guarded by the app lock.
//! - Files are read in Rust (the UI never sends a path); the core caps their size
//!   (`import::MAX_FILE_BYTES`) and an image's pixels (`qr::MAX_PIXELS`), also for clipboard images.
//! - The UI gets a [`Preview`] (token, issuers, accounts, what adding would do), never a secret.

use std::path::PathBuf;

use spse_auth_core::accounts::AddOutcome;
use spse_auth_core::enrolment::{Enrolment, ManualEntry};
use spse_auth_core::error::Detail;
use spse_auth_core::{import, qr, Error, ErrorKind};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::ipc::Preview;
use crate::state::{lock_mutex, AppResult, AppState};

/// How long "Scan screen" waits after hiding the window, so the compositor has removed it.
pub const SCAN_HIDE_DELAY: std::time::Duration = std::time::Duration::from_millis(250);

impl AppState {
    /// Reads the clipboard (an image first, else text) and previews the enrolments in it.
    pub fn import_clipboard<R: Runtime>(&self, app: &AppHandle<R>) -> AppResult<Preview> {
        self.app_lock.guard()?;
        let enrolments = match app.clipboard().read_image() {
            Ok(img) => enrolments_from_rgba(img.rgba().to_vec(), img.width(), img.height())?,
            Err(_) => {
                let text = app.clipboard().read_text().map_err(|_| {
                    Error::new(
                        ErrorKind::NoQrFound,
                        "the clipboard holds neither an image nor text; copy the QR code's screenshot or its otpauth:// text first",
                    )
                })?;
                import::from_text(&text)?
            }
        };
        self.stage(enrolments)
    }

    /// Previews the enrolments in files (dropped or picked): images or texts of Key URIs.
    pub fn import_files(&self, paths: &[PathBuf]) -> AppResult<Preview> {
        self.app_lock.guard()?;
        let mut all = Vec::new();
        for p in paths {
            all.extend(import::from_file(p)?);
        }
        self.stage(all)
    }

    /// Native open-file dialog, then [`import_files`](Self::import_files); `None` when cancelled.
    pub fn open_file<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        title: &str,
        filter: &str,
    ) -> AppResult<Option<Preview>> {
        self.app_lock.guard()?;
        use tauri_plugin_dialog::DialogExt;
        let picked = app
            .dialog()
            .file()
            .set_title(title)
            .add_filter(filter, &["png", "jpg", "jpeg", "webp", "bmp", "gif", "txt"])
            .blocking_pick_files();
        let Some(files) = picked else { return Ok(None) };
        let paths: Vec<PathBuf> = files
            .into_iter()
            .filter_map(|f| f.into_path().ok())
            .collect();
        self.import_files(&paths).map(Some)
    }

    /// "Scan screen": hides the main window (so it does not cover the page with the QR), waits
    /// [`SCAN_HIDE_DELAY`] for the compositor, captures every monitor, then shows and focuses the
    /// window again (also on error) and previews the enrolments like an imported image.
    pub fn scan_screen<R: Runtime>(&self, app: &AppHandle<R>) -> AppResult<Preview> {
        self.app_lock.guard()?;
        let window = app.get_webview_window("main");
        if let Some(w) = &window {
            let _ = w.hide();
            std::thread::sleep(SCAN_HIDE_DELAY);
        }
        let found = spse_auth_screen::enrolments();
        if let Some(w) = &window {
            let _ = w.show();
            let _ = w.unminimize();
            let _ = w.set_focus();
        }
        self.stage(found?)
    }

    /// Previews a manually entered account (validated by the core; the secret is zeroized when
    /// `entry` is dropped).
    pub fn import_manual(&self, entry: ManualEntry) -> AppResult<Preview> {
        self.app_lock.guard()?;
        self.stage(vec![Enrolment::manual(&entry)?])
    }

    /// Previews `enrolments` and keeps them as the pending import (replacing any older one).
    pub fn stage(&self, enrolments: Vec<Enrolment>) -> AppResult<Preview> {
        self.app_lock.guard()?;
        let outcomes = lock_mutex(&self.store).preview(&enrolments)?;
        let token = self.tokens.next();
        self.pending_import.stage(token, enrolments);
        Ok(Preview::new(token, outcomes))
    }

    /// Adds the staged enrolments of `token` (all together); `replace` confirms re-enrolments.
    /// On failure they stay pending, so the user can retry.
    pub fn commit_add(&self, token: u64, replace: bool) -> AppResult<Vec<AddOutcome>> {
        self.app_lock.guard()?;
        self.pending_import.commit(token, |enrolments| {
            lock_mutex(&self.store).add(enrolments, replace)
        })
    }

    /// Drops the staged enrolments of `token`, zeroizing their secrets. Not guarded: forgetting
    /// is always allowed, and a stale token is fine.
    pub fn cancel_import(&self, token: u64) {
        self.pending_import.cancel(token);
    }
}

/// Enrolments from the QR codes in an RGBA image from the clipboard, with the same limits and
/// messages as an image file (`qr::MAX_SIDE`, `qr::MAX_PIXELS`).
pub fn enrolments_from_rgba(rgba: Vec<u8>, w: u32, h: u32) -> Result<Vec<Enrolment>, Error> {
    if w > qr::MAX_SIDE || h > qr::MAX_SIDE || u64::from(w) * u64::from(h) > qr::MAX_PIXELS {
        return Err(Error::new(
            ErrorKind::ImageTooLarge,
            format!("the image on the clipboard is too large ({w}×{h} pixels); crop it to the QR code and try again"),
        )
        .with_detail(Detail::Size(w, h)));
    }
    let img = image::RgbaImage::from_raw(w, h, rgba).ok_or_else(|| {
        Error::new(
            ErrorKind::ImageUnreadable,
            "the image on the clipboard is damaged; copy it again",
        )
    })?;
    let texts = qr::decode(&image::DynamicImage::ImageRgba8(img));
    if texts.is_empty() {
        return Err(Error::new(
            ErrorKind::NoQrFound,
            "no QR code found in the clipboard image; make sure the whole code is visible, sharp and not cut off, then try again",
        ));
    }
    import::from_payloads(&texts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{app_state, MemKeys, TempDir};
    use zeroize::Zeroizing;

    fn manual(account: &str, secret: &str) -> ManualEntry {
        ManualEntry {
            issuer: "Kota Uji".into(),
            account: account.into(),
            secret: Zeroizing::new(secret.into()),
            ..ManualEntry::default()
        }
    }

    const S1: &str = "AWS7VRHGRHH3KXDQBVRAQE25BMTQAWHH";
    const S2: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    #[test]
    fn a_preview_is_added_once_with_its_token() {
        let (dir, keys) = (TempDir::new("commit"), MemKeys::default());
        let s = app_state(&dir, &keys);
        let p = s.import_manual(manual("budi", S1)).expect("preview");
        assert!(!p.needs_replace);
        let json = serde_json::to_string(&p).expect("json");
        assert!(!json.contains(S1), "no secret in the preview: {json}");
        let added = s.commit_add(p.token, false).expect("add");
        assert_eq!(added.len(), 1);
        assert_eq!(
            s.commit_add(p.token, false).expect_err("once").kind(),
            "not_found"
        );
        assert_eq!(s.codes().expect("codes").len(), 1);
    }

    #[test]
    fn a_cancelled_import_is_gone_and_a_stale_cancel_is_fine() {
        let (dir, keys) = (TempDir::new("cancel"), MemKeys::default());
        let s = app_state(&dir, &keys);
        let p = s.import_manual(manual("budi", S1)).expect("preview");
        s.cancel_import(p.token + 100);
        assert_eq!(s.pending_import.token(), Some(p.token));
        s.cancel_import(p.token);
        assert_eq!(s.pending_import.token(), None);
        assert_eq!(
            s.commit_add(p.token, false).expect_err("gone").kind(),
            "not_found"
        );
        s.cancel_import(p.token);
        assert!(s.codes().expect("codes").is_empty());
    }

    #[test]
    fn a_refused_commit_can_be_retried_with_the_same_token() {
        let (dir, keys) = (TempDir::new("retry"), MemKeys::default());
        let s = app_state(&dir, &keys);
        let first = s.import_manual(manual("budi", S1)).expect("preview");
        s.commit_add(first.token, false).expect("add");
        // "Reset TOTP": the same account with a new secret needs the user's "replace".
        let p = s.import_manual(manual("budi", S2)).expect("preview");
        assert!(p.needs_replace);
        let err = s.commit_add(p.token, false).expect_err("needs replace");
        assert_eq!(err.kind(), "reenrolment_needs_confirmation");
        let replaced = s.commit_add(p.token, true).expect("same token, replace");
        assert_eq!(replaced.len(), 1);
    }

    #[test]
    fn manual_entry_is_validated_by_the_core() {
        let (dir, keys) = (TempDir::new("manual"), MemKeys::default());
        let s = app_state(&dir, &keys);
        let steam = ManualEntry {
            otp_type: Some("steam".into()),
            ..manual("budi", S1)
        };
        assert_eq!(
            s.import_manual(steam).expect_err("unknown type").kind(),
            "unsupported_otp_type"
        );
        assert_eq!(
            s.import_manual(manual("budi", "1!"))
                .expect_err("bad secret")
                .kind(),
            "invalid_secret"
        );
        assert_eq!(s.pending_import.token(), None);
    }

    #[test]
    fn clipboard_images_have_the_file_limits() {
        let err = enrolments_from_rgba(Vec::new(), qr::MAX_SIDE + 1, 1).expect_err("too wide");
        assert_eq!(err.kind(), ErrorKind::ImageTooLarge);
        assert_eq!(err.detail, Detail::Size(qr::MAX_SIDE + 1, 1));
        let err = enrolments_from_rgba(vec![0; 7], 2, 2).expect_err("short buffer");
        assert_eq!(err.kind(), ErrorKind::ImageUnreadable);
        let err = enrolments_from_rgba(vec![255; 64 * 64 * 4], 64, 64).expect_err("blank");
        assert_eq!(err.kind(), ErrorKind::NoQrFound);
    }
}
