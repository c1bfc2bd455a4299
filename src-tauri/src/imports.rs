//! Adding accounts: every source (clipboard, dropped or picked files — QR images, texts of Key
//! URIs, other authenticators' exports —, screen scan, manual entry) gives entries (the core's
//! per-entry batch import), which are previewed and staged ([`crate::staging::PendingImport`])
//! until the user confirms (`commit_add`) or cancels (`cancel_import`).
//!
//! Invariants:
//! - Every operation here is guarded by the app lock.
//! - One bad entry never sinks an import: it is a skipped entry of the preview, with its reason.
//!   Only whole-input errors fail (unreadable or too large file, unknown format, password).
//! - Files are read in Rust (the UI never sends a path); the core caps their size
//!   (`import::MAX_FILE_BYTES`, `formats::MAX_EXPORT_BYTES`) and an image's pixels
//!   (`qr::MAX_PIXELS`), also for clipboard images. An encrypted export makes the import fail with
//!   `password_required` and a token: the paths wait in Rust under it, and `import_with_password`
//!   reads the same files again with the password the user typed (a wrong one changes nothing
//!   and the files keep waiting).
//! - The UI gets a [`Preview`] (token, issuers, accounts, what adding would do, why an entry is
//!   skipped), never a secret.

use std::path::PathBuf;

use spse_auth_core::accounts::AddOutcome;
use spse_auth_core::accounts::AddStatus;
use spse_auth_core::enrolment::{Enrolment, ManualEntry};
use spse_auth_core::import::{self, Entry};
use spse_auth_core::{Error, ErrorKind};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::error::AppError;
use crate::ipc::{Password, Preview};
use crate::state::{lock_mutex, AppResult, AppState};

/// How long "Scan screen" waits after hiding the window, so the compositor has removed it.
pub const SCAN_HIDE_DELAY: std::time::Duration = std::time::Duration::from_millis(250);

/// What the open-file dialog lists: QR images, and texts and exports of other authenticators
/// (recognised by their content, not by these names).
const OPEN_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "webp", "bmp", "gif", "txt", "json", "2fas", "csv",
];

impl AppState {
    /// Reads the clipboard (an image first, else text) and previews the entries in it.
    pub fn import_clipboard<R: Runtime>(&self, app: &AppHandle<R>) -> AppResult<Preview> {
        self.app_lock.guard()?;
        let batch = match app.clipboard().read_image() {
            Ok(img) => import::batch_from_rgba(
                img.rgba().to_vec(),
                img.width(),
                img.height(),
                "the clipboard image",
            )?,
            Err(_) => {
                let text = app.clipboard().read_text().map_err(|_| {
                    Error::new(
                        ErrorKind::NoQrFound,
                        "the clipboard holds neither an image nor text; copy the QR code's screenshot or its otpauth:// text first",
                    )
                })?;
                import::batch_from_payloads(&text.lines().collect::<Vec<_>>())?
            }
        };
        self.stage(batch.entries)
    }

    /// Previews the entries of files (dropped or picked): QR images, texts of Key URIs, exports.
    /// An encrypted export: `password_required` with the token for
    /// [`import_with_password`](Self::import_with_password) (the paths wait under it).
    pub fn import_files(&self, paths: &[PathBuf]) -> AppResult<Preview> {
        self.app_lock.guard()?;
        match read_files(paths, None) {
            Err(error) if error.kind() == ErrorKind::PasswordRequired => {
                let token = self.tokens.next();
                self.pending_import
                    .stage_locked_files(token, paths.to_vec());
                Err(AppError::ExportPassword { token, error })
            }
            read => self.stage(read?),
        }
    }

    /// Reads the files waiting under `token` again with `password` and previews their entries.
    /// Errors: `wrong_password` (nothing changes, the files keep waiting for another try),
    /// `not_found` for a stale token, and those of reading the files.
    pub fn import_with_password(&self, token: u64, password: Password) -> AppResult<Preview> {
        self.app_lock.guard()?;
        let paths = self.pending_import.locked_files(token)?;
        let entries = read_files(&paths, Some(password.expose()))?;
        self.stage(entries)
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
            .add_filter(filter, OPEN_EXTENSIONS)
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
    /// window again (also on error) and previews the entries found like an imported image.
    pub fn scan_screen<R: Runtime>(&self, app: &AppHandle<R>) -> AppResult<Preview> {
        self.app_lock.guard()?;
        let window = app.get_webview_window("main");
        if let Some(w) = &window {
            let _ = w.hide();
            std::thread::sleep(SCAN_HIDE_DELAY);
        }
        let found = spse_auth_screen::scan();
        if let Some(w) = &window {
            let _ = w.show();
            let _ = w.unminimize();
            let _ = w.set_focus();
        }
        self.stage(import::batch_from_payloads(&found?)?.entries)
    }

    /// Previews a manually entered account (validated by the core; the secret is zeroized when
    /// `entry` is dropped).
    pub fn import_manual(&self, entry: ManualEntry) -> AppResult<Preview> {
        self.app_lock.guard()?;
        let enrolment = Enrolment::manual(&entry)?;
        self.stage(vec![Entry::Ok {
            enrolment,
            renamed_from: None,
        }])
    }

    /// Previews `entries` and keeps them as the pending import (replacing any older one).
    pub fn stage(&self, entries: Vec<Entry>) -> AppResult<Preview> {
        self.app_lock.guard()?;
        let outcomes = lock_mutex(&self.store).preview_entries(&entries)?;
        let token = self.tokens.next();
        self.pending_import.stage(token, entries);
        Ok(Preview::new(token, outcomes))
    }

    /// Adds the staged entries of `token` in one change of the vault; `replace` confirms
    /// re-enrolments: without it, an import that would replace a key is refused
    /// (`reenrolment_needs_confirmation`) and nothing is added. On failure they stay pending, so
    /// the user can retry.
    pub fn commit_add(&self, token: u64, replace: bool) -> AppResult<Vec<AddOutcome>> {
        self.app_lock.guard()?;
        self.pending_import.commit(token, |entries| {
            let mut store = lock_mutex(&self.store);
            if !replace {
                let planned = store.preview_entries(entries)?;
                if let Some(o) = planned.iter().find(|o| o.status == AddStatus::NeedsReplace) {
                    return Err(Error::new(
                        ErrorKind::ReenrolmentNeedsConfirmation,
                        format!(
                            "{} already exists with another key; confirm replacing it (after \"Reset TOTP\" in SPSE)",
                            o.account.label()
                        ),
                    ));
                }
            }
            store.add_entries(entries, replace)
        })
    }

    /// Drops the staged entries (or files waiting for a password) of `token`, zeroizing their
    /// secrets. Not guarded: forgetting is always allowed, and a stale token is fine.
    pub fn cancel_import(&self, token: u64) {
        self.pending_import.cancel(token);
    }
}

/// The entries of every file, read with `password` (for encrypted exports; ignored by the
/// others), duplicates across the files kept apart. The first whole-file error is the error.
fn read_files(paths: &[PathBuf], password: Option<&str>) -> Result<Vec<Entry>, Error> {
    let mut entries = Vec::new();
    for p in paths {
        entries.extend(import::batch_from_file(p, password)?.entries);
    }
    import::keep_entries_apart(&mut entries);
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{app_state, password, MemKeys, TempDir};
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
        assert_eq!(s.all_codes().expect("codes").len(), 1);
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
        assert!(s.all_codes().expect("codes").is_empty());
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

    /// A core export fixture (made-up accounts; encrypted ones open with [`EXPORT_PASSWORD`]).
    fn export(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("core/src/formats/fixtures")
            .join(name)
    }

    const EXPORT_PASSWORD: &str = "kata-sandi-contoh";

    /// `status issuer|account [reason kind] [renamed_from=…]` per outcome.
    fn lines(outcomes: &[AddOutcome]) -> Vec<String> {
        outcomes
            .iter()
            .map(|o| {
                let mut l = format!(
                    "{} {}|{}",
                    o.status.as_str(),
                    o.account.issuer,
                    o.account.account
                );
                if let Some(r) = &o.reason {
                    l += &format!(" {}", r.kind());
                }
                if let Some(r) = &o.renamed_from {
                    l += &format!(" renamed_from={r}");
                }
                l
            })
            .collect()
    }

    #[test]
    fn an_encrypted_export_waits_for_its_password_and_a_wrong_one_changes_nothing() {
        let (dir, keys) = (TempDir::new("export-pw"), MemKeys::default());
        let s = app_state(&dir, &keys);
        let files = [export("aegis_encrypted.json")];
        let err = s.import_files(&files).expect_err("encrypted");
        let wire = serde_json::to_value(&err).expect("json");
        assert_eq!(wire["kind"], "password_required", "{wire}");
        let AppError::ExportPassword { token, .. } = err else {
            panic!("no token: {wire}")
        };
        assert_eq!(wire["token"], token);
        assert_eq!(s.pending_import.locked_files_token(), Some(token));

        for _ in 0..2 {
            let wrong = s
                .import_with_password(token, password("kata-sandi-salah"))
                .expect_err("wrong password");
            assert_eq!(wrong.kind(), "wrong_password");
            assert_eq!(
                s.pending_import.locked_files_token(),
                Some(token),
                "still waiting"
            );
            assert_eq!(s.pending_import.token(), None, "nothing staged");
        }
        assert!(!dir.0.join("vault.spse").exists(), "no vault written");
        assert!(s.all_codes().expect("codes").is_empty());

        let p = s
            .import_with_password(token, password(EXPORT_PASSWORD))
            .expect("right password");
        assert_eq!(
            s.pending_import.locked_files_token(),
            None,
            "the files are done"
        );
        let json = serde_json::to_string(&p).expect("json");
        for secret in [
            "GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2",
            "S7FAC6HGGFFZM5KBQO6D3ZHI7U3Q74RD",
        ] {
            assert!(!json.contains(secret), "a secret in the preview: {json}");
        }
        assert_eq!(
            s.import_with_password(token, password(EXPORT_PASSWORD))
                .expect_err("once")
                .kind(),
            "not_found"
        );
        let added = s.commit_add(p.token, false).expect("add");
        assert_eq!(
            added
                .iter()
                .filter(|o| o.status == AddStatus::Added)
                .count(),
            6
        );
        assert_eq!(s.all_codes().expect("codes").len(), 6);
    }

    #[test]
    fn skipped_entries_are_reported_and_the_others_added() {
        let (dir, keys) = (TempDir::new("export-skip"), MemKeys::default());
        let s = app_state(&dir, &keys);
        let p = s
            .import_files(&[export("2fas_plain.2fas")])
            .expect("preview");
        let want = [
            "added LPSE Kota Contoh|budi.santoso",
            "added LPSE Kota Contoh|budi.santoso (2) renamed_from=budi.santoso",
            "added Surel Contoh|siti@contoh.test",
            "added Bank Contoh|andi",
            "added Steam|pemain",
            "skipped Forum Contoh|rina missing_secret",
            "added Toko Contoh|dewi",
        ];
        assert_eq!(lines(&p.outcomes), want);
        assert!(!p.needs_replace);
        let json = serde_json::to_value(&p).expect("json");
        assert_eq!(json["outcomes"][5]["reason"]["kind"], "missing_secret");
        assert_eq!(json["outcomes"][6]["warnings"][0]["kind"], "short_code");
        assert_eq!(json["outcomes"][1]["renamed_from"], "budi.santoso");
        let added = s.commit_add(p.token, false).expect("add");
        assert_eq!(lines(&added), want);
        let mut names: Vec<String> = s
            .all_codes()
            .expect("codes")
            .into_iter()
            .map(|c| c.account)
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "andi",
                "budi.santoso",
                "budi.santoso (2)",
                "dewi",
                "pemain",
                "siti@contoh.test"
            ]
        );
    }

    #[test]
    fn duplicate_names_across_files_are_kept_apart() {
        let (dir, keys) = (TempDir::new("dupes"), MemKeys::default());
        let s = app_state(&dir, &keys);
        let tmp = tempfile::tempdir().expect("tmp");
        let write = |name: &str, secret: &str| {
            let p = tmp.path().join(name);
            let uri = format!("otpauth://totp/Kota%20Uji:budi?secret={secret}&issuer=Kota%20Uji\n");
            std::fs::write(&p, uri).expect("write");
            p
        };
        let files = [
            write("satu.txt", S1),
            write("dua.txt", S2),
            write("tiga.txt", S1),
        ];
        let p = s.import_files(&files).expect("preview");
        assert_eq!(
            lines(&p.outcomes),
            [
                "added Kota Uji|budi",
                "added Kota Uji|budi (2) renamed_from=budi",
                "unchanged Kota Uji|budi",
            ]
        );
        s.commit_add(p.token, false).expect("add");
        assert_eq!(s.all_codes().expect("codes").len(), 2);
    }
}
