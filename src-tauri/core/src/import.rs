//! Turning what the user gives — an image, a text of Key URIs, a file — into enrolments.
//!
//! Shared by every front end so that the CLI, drag-and-drop, paste and screen scan behave alike.
//! The top of the enrolment layers: [`crate::enrolment`] ← [`uri`], [`migration`],
//! [`crate::formats`] ← `import`.
//!
//! Two kinds of callers:
//! - Per entry ([`batch`], for files, texts and QR payloads of many accounts): every entry is an
//!   enrolment or a skip with its reason; one bad entry never fails the whole (see its invariants).
//! - All or nothing (`from_*` here, for one scanned QR, one literal URI, `add`): the first broken
//!   enrolment URI is the error. Foreign QR codes beside an enrolment are ignored by both.
//!
//! Both apply the same duplicate rule (two entries of one input with the same issuer and account
//! but different keys are both kept, the later renamed `account (2)`) and read files with the one
//! capped read (`formats::read_file_capped`).

use std::path::Path;

use crate::enrolment::{strip_prefix_ci, Enrolment, Warning};
use crate::error::{Error, ErrorKind, Result};
use crate::formats;
use crate::qr;
use crate::{migration, uri};

pub mod batch;
pub use batch::{
    batch_from_bytes, batch_from_file, batch_from_image, batch_from_payloads, batch_from_rgba,
    batch_from_text, keep_entries_apart, Entry, FormatId, ImportBatch, SkipReason,
};

/// Enrolments from the QR codes in an image (`bytes` in PNG, JPEG, WebP, BMP or GIF; `source` names
/// it in messages). QR codes that are not enrolments (e.g. an app-download link beside the
/// enrolment QR) are skipped when at least one enrolment is found.
///
/// Errors: [`ErrorKind::ImageUnreadable`], [`ErrorKind::ImageTooLarge`], [`ErrorKind::NoQrFound`];
/// when no QR is an enrolment, the first QR's error ([`ErrorKind::NotOtpauth`],
/// [`ErrorKind::InvalidSecret`], …).
pub fn from_image(bytes: &[u8], source: &str) -> Result<Vec<Enrolment>> {
    let texts = qr::decode_bytes(bytes, source)?;
    from_payloads(&texts)
}

/// Parses the text of a scanned QR code (or pasted text) into the enrolments it holds: surrounding
/// whitespace is trimmed, then `otpauth://` (or `apple-otpauth://`) gives one enrolment
/// ([`uri::parse`]) and
/// `otpauth-migration://` gives the accounts of a Google Authenticator export
/// ([`migration::parse`], with its [`Warning::MissingBatchParts`] warnings).
///
/// Errors: those of [`uri::parse`] and [`migration::parse`]; [`ErrorKind::NotOtpauth`] for any
/// other text (the message shows at most the scheme or the first 40 characters).
pub fn parse_payload(text: &str) -> Result<Vec<Enrolment>> {
    let text = text.trim();
    if strip_prefix_ci(text, "otpauth-migration://").is_some() {
        return migration::parse(text).map(|batch| batch.enrolments);
    }
    if uri::is_key_uri(text) {
        return uri::parse(text).map(|e| vec![e]);
    }
    Err(uri::not_otpauth(text))
}

/// Enrolments from QR payloads or lines of text: each a Key URI or an `otpauth-migration://`
/// export. Non-enrolment entries are skipped when at least one enrolment is found; otherwise the
/// first error is returned. Parts of one Google Authenticator export batch that are all present
/// lose their "missing part" warning; two accounts with the same issuer and account but different
/// keys are both kept, the later renamed `account (2)` (as in [`batch`]).
pub fn from_payloads<S: AsRef<str>>(payloads: &[S]) -> Result<Vec<Enrolment>> {
    let mut out = Vec::new();
    let mut first_err: Option<Error> = None;
    for p in payloads {
        let p = p.as_ref().trim();
        if p.is_empty() {
            continue;
        }
        match parse_payload(p) {
            Ok(list) => out.extend(list),
            Err(e) => {
                // A broken enrolment URI is worth reporting even next to good ones; a foreign QR is not.
                if e.kind() != ErrorKind::NotOtpauth {
                    return Err(e);
                }
                first_err.get_or_insert(e);
            }
        }
    }
    if out.is_empty() {
        return Err(first_err
            .unwrap_or_else(|| Error::new(ErrorKind::InvalidUri, "the input holds no Key URI")));
    }
    complete_batches(out.iter_mut().collect());
    let mut entries: Vec<Entry> = out
        .into_iter()
        .map(|enrolment| Entry::Ok {
            enrolment,
            renamed_from: None,
        })
        .collect();
    formats::keep_duplicates_apart(&mut entries);
    Ok(entries
        .into_iter()
        .filter_map(|e| match e {
            Entry::Ok { enrolment, .. } => Some(enrolment),
            Entry::Skipped { .. } => None,
        })
        .collect())
}

/// Drops `MissingBatchParts` warnings of batches whose every part is present.
fn complete_batches(mut list: Vec<&mut Enrolment>) {
    use std::collections::{BTreeMap, BTreeSet};
    let mut seen: BTreeMap<i32, (i32, BTreeSet<i32>)> = BTreeMap::new();
    for e in list.iter() {
        for w in &e.warnings {
            if let Warning::MissingBatchParts {
                batch_id,
                batch_index,
                batch_size,
            } = w
            {
                let entry = seen
                    .entry(*batch_id)
                    .or_insert((*batch_size, BTreeSet::new()));
                entry.1.insert(*batch_index);
            }
        }
    }
    for e in list.iter_mut() {
        e.warnings.retain(|w| match w {
            Warning::MissingBatchParts { batch_id, .. } => seen
                .get(batch_id)
                .map(|(size, parts)| (parts.len() as i32) < *size)
                .unwrap_or(true),
            _ => true,
        });
    }
}

/// Largest file [`from_file`] reads: 50 MiB.
///
/// Far above any real input (a 4K screenshot as PNG is a few MB, a 50-megapixel camera JPEG about
/// 20 MB, a text of Key URIs a few KB), yet small enough that a file dropped by mistake (a video,
/// a disk image) is refused before it is read into memory. The image decoder's own limits
/// ([`qr::MAX_PIXELS`], [`qr::MAX_ALLOC_BYTES`]) apply on top.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// Enrolments from a file: an image (recognised by its content) or a UTF-8 text of Key URIs, one a
/// line. Errors: [`ErrorKind::FileTooLarge`] for a file over [`MAX_FILE_BYTES`] (checked before
/// reading), [`ErrorKind::ImageUnreadable`] for an unreadable file, plus those of [`from_image`]
/// and [`from_payloads`].
pub fn from_file(path: &Path) -> Result<Vec<Enrolment>> {
    let bytes = read_file(path).map_err(|e| {
        if e.kind() == ErrorKind::Io {
            Error::new(ErrorKind::ImageUnreadable, e.message().to_string()).with_detail(e.detail)
        } else {
            e
        }
    })?;
    let name = path.display().to_string();
    if looks_like_image(&bytes) {
        return from_image(&bytes, &name);
    }
    match std::str::from_utf8(&bytes) {
        Ok(text) => from_text(text),
        Err(_) => from_image(&bytes, &name),
    }
}

/// The bytes of a file to import, at most [`MAX_FILE_BYTES`] (the one capped read,
/// `formats::read_file_capped`; zeroized when dropped). What is not an image is held to
/// [`formats::MAX_EXPORT_BYTES`] afterwards ([`batch_from_bytes`]).
///
/// Errors: [`ErrorKind::FileTooLarge`] (checked before reading), [`ErrorKind::Io`].
pub fn read_file(path: &Path) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    formats::read_file_capped(path, MAX_FILE_BYTES)
}

/// Enrolments from text: one Key URI or export per line (blank lines ignored).
pub fn from_text(text: &str) -> Result<Vec<Enrolment>> {
    let lines: Vec<&str> = text.lines().collect();
    from_payloads(&lines)
}

/// True when `bytes` start like PNG, JPEG, GIF, BMP or WebP.
pub fn looks_like_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG")
        || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || bytes.starts_with(b"GIF8")
        || bytes.starts_with(b"BM")
        || (bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Detail;
    // The Key URI tests' helpers: a parse that must succeed, the kind of one that must fail.
    use crate::uri::parse;
    use crate::uri::tests::{kind, ok, S};

    #[test]
    fn not_otpauth_message_is_short() {
        let secretish = "Lorem ipsum dolor sit amet, consectetur ".to_string() + S;
        let cases = [
            (std::format!("https://evil.test/?secret={S}"), "'https://…'"),
            (std::format!("WIFI:S:net;T:WPA;P:{S};;"), "'WIFI:…'"),
            (secretish.clone(), ""),
            (S.to_string(), "bare secret"),
            (std::format!("{S} {S}"), "bare secret"),
            ("hello world".to_string(), "'hello world'"),
            (
                std::format!("otpauth-migrationx://{S}"),
                "'otpauth-migrationx://…'",
            ),
        ];
        for (text, shown) in cases {
            let err = parse_payload(&text).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::NotOtpauth, "{text}");
            let msg = err.message();
            assert!(
                msg.starts_with("the QR code is not an authenticator enrolment; it contains"),
                "{msg}"
            );
            assert!(msg.contains(shown), "{msg}");
            assert!(!msg.contains(S), "secret leaked: {msg}");
            assert!(
                !msg.contains(&secretish[..41]),
                "more than 40 chars shown: {msg}"
            );
            assert_eq!(parse(&text).unwrap_err().kind(), ErrorKind::NotOtpauth);
        }
        let msg = parse_payload(&secretish).unwrap_err().to_string();
        assert!(
            msg.contains(&std::format!("'{}…'", &secretish[..40])),
            "{msg}"
        );
    }

    #[test]
    fn a_file_over_the_cap_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("video.png");
        // Sparse: one byte over the cap costs no disk space and no time.
        let f = std::fs::File::create(&path).expect("create");
        f.set_len(MAX_FILE_BYTES + 1).expect("set_len");
        let err = from_file(&path).expect_err("too large");
        assert_eq!(err.kind(), ErrorKind::FileTooLarge);
        assert!(err.message().contains("video.png"), "{}", err.message());
        assert!(err.message().contains("50 MiB"), "{}", err.message());
        assert_eq!(err.detail, Detail::Path(path.clone()));
        // The bounded read itself: a small cap, a file one byte over it, and one exactly at it.
        f.set_len(11).expect("set_len");
        assert_eq!(
            formats::read_file_capped(&path, 10)
                .expect_err("over")
                .kind(),
            ErrorKind::FileTooLarge
        );
        assert_eq!(
            formats::read_file_capped(&path, 11)
                .expect("at the cap")
                .len(),
            11
        );
        // A text file under the cap is read as before.
        let uri = dir.path().join("uri.txt");
        std::fs::write(&uri, std::format!("otpauth://totp/A:b?secret={S}\n")).expect("write");
        assert_eq!(from_file(&uri).expect("read").len(), 1);
        assert_eq!(
            from_file(&dir.path().join("missing.png"))
                .expect_err("missing")
                .kind(),
            ErrorKind::ImageUnreadable
        );
    }

    #[test]
    fn case_insensitive_scheme_and_payload() {
        let e = ok(&std::format!("  OTPAUTH://TOTP/A:b?SECRET={S}&ISSUER=A\n"));
        assert_eq!(e.secret.to_base32(), S);
        assert_eq!(
            parse_payload(&std::format!("\notpauth://totp/A:b?secret={S}  "))
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            parse_payload("otpauth-migration://offline?data=")
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidMigration
        );
        assert_eq!(
            kind("otpauth-migration://offline?data=EAE"),
            ErrorKind::InvalidUri
        );
    }
}
