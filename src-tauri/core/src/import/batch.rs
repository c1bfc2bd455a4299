//! Per-entry imports of files, texts and QR payloads: one result per entry, as the `import`
//! command shows them (and, next, the app's import dialog).
//!
//! Invariants:
//! - One bad entry never fails the whole: a broken Key URI, an unsupported type
//!   (`otpauth://yandex/…`, `otpauth://motp/…`), a missing secret, a Google Authenticator export
//!   line that cannot be read, a line of a text that is no Key URI — each is an
//!   [`Entry::Skipped`] with its [`SkipReason`]. Whole-input errors are only those of the input
//!   itself (too large, unreadable, no known format, password required or wrong, damaged, an image
//!   without an enrolment QR); nothing is returned then.
//! - QR codes that are no enrolment (an app-download link beside the enrolment QR) are not
//!   entries: they are ignored, as [`super::from_payloads`] does.
//! - One duplicate rule ([`crate::formats`]'s): two entries with the same issuer and account but
//!   different keys are both kept, the later renamed `account (2)`; identical ones stay as they
//!   are (the store finds the second unchanged).
//! - The parts of one Google Authenticator export that are all present lose their "missing part"
//!   warning.
//! - Files are read once, capped ([`super::read_file`]: 50 MiB for images; 10 MiB for anything
//!   else, [`crate::formats::MAX_EXPORT_BYTES`]).

use std::path::Path;

use super::{complete_batches, looks_like_image};
use crate::enrolment::strip_prefix_ci;
use crate::error::{ErrorKind, Result};
use crate::formats::{self, text};
use crate::{migration, qr, uri};

pub use crate::formats::{Entry, FormatId, ImportBatch, SkipReason};

/// The entries of the file at `path`: an image (its QR codes), an export of another
/// authenticator (recognised by its content, opened with `password` when encrypted), or a text of
/// Key URIs. See [`batch_from_bytes`].
///
/// Errors: those of [`super::read_file`] and [`batch_from_bytes`].
pub fn batch_from_file(path: &Path, password: Option<&str>) -> Result<ImportBatch> {
    let bytes = super::read_file(path)?;
    batch_from_bytes(&bytes, &path.display().to_string(), password)
}

/// The entries of a file's bytes (`source` names it in messages): an image → its QR codes
/// ([`batch_from_image`]); an export ([`formats::read_export`], with `password`); a UTF-8 text
/// with a Key URI on some line ([`batch_from_text`]); other bytes are tried as an image.
///
/// Errors: [`ErrorKind::PasswordRequired`] (encrypted, no password), [`ErrorKind::WrongPassword`],
/// [`ErrorKind::FileTooLarge`] (over 10 MiB and no image), [`ErrorKind::UnknownFormat`],
/// [`ErrorKind::ExportDamaged`], [`ErrorKind::ExportUnsupported`], and those of
/// [`batch_from_image`].
pub fn batch_from_bytes(bytes: &[u8], source: &str, password: Option<&str>) -> Result<ImportBatch> {
    if looks_like_image(bytes) {
        return batch_from_image(bytes, source);
    }
    match formats::read_export(bytes, password) {
        Ok(mut batch) => {
            complete(&mut batch.entries);
            Ok(batch)
        }
        Err(e) if e.kind() == ErrorKind::UnknownFormat => match std::str::from_utf8(bytes) {
            Ok(t)
                if t.lines().any(|l| {
                    strip_prefix_ci(l.trim(), "otpauth").is_some() || uri::is_key_uri(l)
                }) =>
            {
                Ok(batch_from_text(t))
            }
            Ok(_) => Err(e),
            // Not text: an image format `looks_like_image` does not know, or no image at all.
            Err(_) => batch_from_image(bytes, source).map_err(|img| {
                if img.kind() == ErrorKind::ImageUnreadable {
                    e
                } else {
                    img
                }
            }),
        },
        Err(e) => Err(e),
    }
}

/// The entries of the QR codes in an image (`source` names it in messages), in reading order.
///
/// Errors: those of [`qr::decode_bytes`] ([`ErrorKind::ImageUnreadable`],
/// [`ErrorKind::ImageTooLarge`], [`ErrorKind::NoQrFound`]) and of [`batch_from_payloads`].
pub fn batch_from_image(bytes: &[u8], source: &str) -> Result<ImportBatch> {
    let texts = qr::decode_bytes(bytes, source)?;
    batch_from_payloads(&texts)
}

/// The entries of the QR codes in raw RGBA pixels (a clipboard image), with an image file's
/// limits ([`qr::decode_rgba`]).
///
/// Errors: those of [`qr::decode_rgba`] ([`ErrorKind::ImageTooLarge`],
/// [`ErrorKind::ImageUnreadable`], [`ErrorKind::NoQrFound`]) and of [`batch_from_payloads`].
pub fn batch_from_rgba(
    rgba: Vec<u8>,
    width: u32,
    height: u32,
    source: &str,
) -> Result<ImportBatch> {
    let texts = qr::decode_rgba(rgba, width, height, source)?;
    batch_from_payloads(&texts)
}

/// The entries of QR payloads (or pasted texts), each a Key URI or an `otpauth-migration://`
/// export: one entry per account, a skip for a broken or unsupported one. Payloads that are no
/// enrolment at all (a web link) are ignored.
///
/// Errors: [`ErrorKind::NotOtpauth`] (of the first payload) when no payload is an enrolment.
pub fn batch_from_payloads<S: AsRef<str>>(payloads: &[S]) -> Result<ImportBatch> {
    let mut entries = Vec::new();
    let mut enrolment_payloads = 0;
    let mut first_foreign = None;
    for p in payloads {
        let p = p.as_ref().trim();
        if p.is_empty() {
            continue;
        }
        if strip_prefix_ci(p, "otpauth-migration://").is_some() {
            enrolment_payloads += 1;
            match migration::parse(p) {
                Ok(batch) => entries.extend(batch.enrolments.into_iter().map(|e| Entry::Ok {
                    enrolment: e,
                    renamed_from: None,
                })),
                Err(e) => entries.push(invalid(e.message())),
            }
        } else if uri::is_key_uri(p) {
            enrolment_payloads += 1;
            entries.push(formats::from_uri(p, "", ""));
        } else {
            first_foreign.get_or_insert(p);
        }
    }
    if enrolment_payloads == 0 {
        return Err(uri::not_otpauth(first_foreign.unwrap_or("")));
    }
    complete(&mut entries);
    Ok(ImportBatch {
        format: FormatId::QrCodes,
        entries,
    })
}

/// The entries of a text, one a non-blank line: a Key URI, an `otpauth-migration://` export (its
/// accounts), or a skip naming the line ([`SkipReason::InvalidEntry`]). Never fails.
pub fn batch_from_text(text: &str) -> ImportBatch {
    let mut entries = text::entries(text);
    complete(&mut entries);
    ImportBatch {
        format: FormatId::OtpauthText,
        entries,
    }
}

/// Applies the duplicate rule (see the module invariants) across `entries` gathered from several
/// inputs (each input's batch already follows it).
pub fn keep_entries_apart(entries: &mut [Entry]) {
    formats::keep_duplicates_apart(entries);
}

/// The batch rules every per-entry import ends with: complete export parts, duplicates apart.
fn complete(entries: &mut [Entry]) {
    complete_batches(
        entries
            .iter_mut()
            .filter_map(|e| match e {
                Entry::Ok { enrolment, .. } => Some(enrolment),
                Entry::Skipped { .. } => None,
            })
            .collect(),
    );
    formats::keep_duplicates_apart(entries);
}

/// A skipped entry whose issuer and account cannot be read (`why` holds no secret).
fn invalid(why: &str) -> Entry {
    Entry::Skipped {
        issuer: String::new(),
        account: String::new(),
        reason: SkipReason::InvalidEntry {
            message: why.to_string(),
        },
    }
}

#[cfg(test)]
mod tests;
