//! Other authenticator apps' exports → per-entry import results.
//!
//! One format, one file, each behind the small [`Format`] trait (GNOME Authenticator's `backup/`
//! folder is the model): [`aegis`] (plain and encrypted vault), [`twofas`] (`.2fas`, plain and
//! encrypted), [`proton`] (Proton Authenticator, plain and encrypted), [`ente`] (Ente Auth's
//! encrypted export), [`bitwarden`] (JSON and CSV), [`andotp`],
//! [`freeotp_plus`], and [`text`] (one Key URI a line: the plain-text exports of Aegis, Ente and
//! others). Each file names the public description it follows; its fixtures are in
//! `formats/fixtures/` (hand-written plain files, and encrypted ones made from them by the
//! independent Python encoders checked in beside them; see its README.md).
//!
//! Invariants:
//! - The format is recognised from the content ([`detect`]), never from a file name.
//! - An import never aborts because of one entry: every entry becomes an [`Entry`], an enrolment
//!   or a [`Entry::Skipped`] with its [`SkipReason`]. Whole-file errors are only: too large
//!   ([`ErrorKind::FileTooLarge`]), unknown format ([`ErrorKind::UnknownFormat`]), password needed
//!   ([`ErrorKind::PasswordRequired`]), wrong password ([`ErrorKind::WrongPassword`]), damaged,
//!   truncated or altered file ([`ErrorKind::ExportDamaged`]), a version or variant this app
//!   cannot read ([`ErrorKind::ExportUnsupported`]). On any of them nothing is returned.
//! - Enrolments are built with the validation Key URIs get ([`crate::uri::parse`], or the same
//!   constructors: [`crate::otp::Secret`], [`crate::otp::Algorithm::parse`],
//!   [`crate::otp::Params::validate`], [`Enrolment::new`] with its weak-secret warning).
//! - Two entries of one export with the same identity ([`crate::enrolment::same_identity`]) but a
//!   different secret or parameters are both kept: the later one's account gets a visible suffix
//!   (`budi (2)`) and its [`Entry::Ok::renamed_from`] says so. Identical entries are left as they
//!   are (the store finds them unchanged).
//! - Memory is bounded: at most [`MAX_EXPORT_BYTES`] are read, key-derivation parameters read
//!   from a file are capped (see each format), and the JSON parser's nesting is limited.
//! - Secrets stay secret: decrypted buffers, keys and parsed JSON strings are zeroized when
//!   dropped; no message, `Debug` output or skip reason contains a secret.

use std::io::Read;
use std::path::Path;

use crate::enrolment::{identity_key, Enrolment};
use crate::error::{Detail, Error, ErrorKind, Result};
use zeroize::Zeroizing;

pub mod aegis;
pub mod andotp;
pub mod bitwarden;
mod common;
pub mod ente;
mod entry;
pub mod freeotp_plus;
pub mod proton;
pub mod text;
pub mod twofas;

pub use common::Input;
pub(crate) use entry::from_uri;
pub use entry::SkipReason;

/// Largest export read, in bytes (10 MiB: thousands of accounts, with icons).
pub const MAX_EXPORT_BYTES: usize = 10 * 1024 * 1024;

/// The formats this module reads; `as_str()` is a stable snake_case id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FormatId {
    /// Aegis vault JSON, plain or encrypted ([`aegis`]).
    Aegis,
    /// 2FAS `.2fas` backup, plain or encrypted ([`twofas`]).
    TwoFas,
    /// Proton Authenticator JSON export, plain or encrypted ([`proton`]).
    Proton,
    /// Ente Auth's encrypted export ([`ente`]; its plain-text export is [`FormatId::OtpauthText`]).
    Ente,
    /// Bitwarden JSON or CSV export ([`bitwarden`]).
    Bitwarden,
    /// andOTP plain JSON backup ([`andotp`]).
    AndOtp,
    /// FreeOTP+ JSON backup ([`freeotp_plus`]).
    FreeOtpPlus,
    /// Text of Key URIs, one a line: Aegis's and Ente's plain-text exports and others ([`text`]).
    OtpauthText,
    /// QR codes of an image or the screen (read by [`crate::import`], not by this module).
    QrCodes,
}

impl FormatId {
    /// The stable snake_case id (`aegis`, `two_fas`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            FormatId::Aegis => "aegis",
            FormatId::TwoFas => "two_fas",
            FormatId::Proton => "proton",
            FormatId::Ente => "ente",
            FormatId::Bitwarden => "bitwarden",
            FormatId::AndOtp => "and_otp",
            FormatId::FreeOtpPlus => "free_otp_plus",
            FormatId::OtpauthText => "otpauth_text",
            FormatId::QrCodes => "qr_codes",
        }
    }

    /// The name shown to users (English; app names are not translated).
    pub fn name(self) -> &'static str {
        match self {
            FormatId::Aegis => "Aegis",
            FormatId::TwoFas => "2FAS",
            FormatId::Proton => "Proton Authenticator",
            FormatId::Ente => "Ente Auth",
            FormatId::Bitwarden => "Bitwarden",
            FormatId::AndOtp => "andOTP",
            FormatId::FreeOtpPlus => "FreeOTP+",
            FormatId::OtpauthText => "Key URI text",
            FormatId::QrCodes => "QR codes",
        }
    }
}

/// One export format: how to recognise it and how to read its entries.
pub trait Format {
    /// Which format this is.
    const ID: FormatId;

    /// True when `input`'s content (not a file name) is this format. Cheap: looks at the
    /// structure only, decrypts nothing.
    fn sniff(input: &Input<'_>) -> bool;

    /// Every entry of the export, in file order, each an enrolment or a skip with its reason
    /// (never renamed: [`read_export`] tells duplicates apart). `password` opens an encrypted
    /// export and is ignored otherwise.
    ///
    /// Errors (whole file only): [`ErrorKind::PasswordRequired`], [`ErrorKind::WrongPassword`],
    /// [`ErrorKind::ExportDamaged`], [`ErrorKind::ExportUnsupported`].
    fn read(input: &Input<'_>, password: Option<&str>) -> Result<Vec<Entry>>;
}

/// The result for one entry of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// An enrolment to add (the store decides: added, unchanged or replaced).
    Ok {
        /// The enrolment, validated like a Key URI, with its warnings.
        enrolment: Enrolment,
        /// `Some(original account)` when the account got a suffix (`budi (2)`) because an earlier
        /// entry of the same export has the same issuer and account but a different key.
        renamed_from: Option<String>,
    },
    /// An entry that cannot be imported.
    Skipped {
        /// Its issuer, as far as it could be read ("" when none).
        issuer: String,
        /// Its account, as far as it could be read ("" when none).
        account: String,
        /// Why it was skipped.
        reason: SkipReason,
    },
}

impl Entry {
    /// An entry to import, not renamed.
    pub(crate) fn ok(enrolment: Enrolment) -> Self {
        Entry::Ok {
            enrolment,
            renamed_from: None,
        }
    }

    /// A skipped entry of `issuer` / `account` (trimmed).
    pub(crate) fn skipped(issuer: &str, account: &str, reason: SkipReason) -> Self {
        Entry::Skipped {
            issuer: issuer.trim().to_string(),
            account: account.trim().to_string(),
            reason,
        }
    }
}

/// What an export holds: its format and one result per entry, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportBatch {
    /// The format recognised.
    pub format: FormatId,
    /// One result per entry.
    pub entries: Vec<Entry>,
}

impl ImportBatch {
    /// The enrolments to import, in file order.
    pub fn enrolments(&self) -> impl Iterator<Item = &Enrolment> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Ok { enrolment, .. } => Some(enrolment),
            Entry::Skipped { .. } => None,
        })
    }

    /// Number of skipped entries.
    pub fn skipped(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e, Entry::Skipped { .. }))
            .count()
    }
}

/// The format of an export, recognised from its content; `None` for anything else (an image, a
/// random JSON, a file over [`MAX_EXPORT_BYTES`]).
pub fn detect(bytes: &[u8]) -> Option<FormatId> {
    if bytes.len() > MAX_EXPORT_BYTES {
        return None;
    }
    detect_input(&Input::new(bytes))
}

/// A format's `sniff`.
type Sniff = fn(&Input<'_>) -> bool;

fn detect_input(input: &Input<'_>) -> Option<FormatId> {
    // JSON formats by their distinct top-level keys, then the text formats.
    let sniffers: [(FormatId, Sniff); 8] = [
        (FormatId::Aegis, aegis::Aegis::sniff),
        (FormatId::TwoFas, twofas::TwoFas::sniff),
        (FormatId::Proton, proton::Proton::sniff),
        (FormatId::Ente, ente::Ente::sniff),
        (FormatId::FreeOtpPlus, freeotp_plus::FreeOtpPlus::sniff),
        (FormatId::AndOtp, andotp::AndOtp::sniff),
        (FormatId::Bitwarden, bitwarden::Bitwarden::sniff),
        (FormatId::OtpauthText, text::OtpauthText::sniff),
    ];
    sniffers
        .iter()
        .find(|(_, sniff)| sniff(input))
        .map(|(id, _)| *id)
}

/// Reads an export held in memory: recognises its format ([`detect`]) and reads every entry,
/// decrypting with `password` when the export is encrypted. Duplicates within the export are told
/// apart (see the module invariants).
///
/// Errors: [`ErrorKind::FileTooLarge`] (over [`MAX_EXPORT_BYTES`]),
/// [`ErrorKind::UnknownFormat`], [`ErrorKind::ExportDamaged`] (e.g. a truncated JSON), and those
/// of [`Format::read`].
pub fn read_export(bytes: &[u8], password: Option<&str>) -> Result<ImportBatch> {
    if bytes.len() > MAX_EXPORT_BYTES {
        return Err(too_large());
    }
    let input = Input::new(bytes);
    let Some(format) = detect_input(&input) else {
        if input.looks_like_broken_json() {
            return Err(Error::new(
                ErrorKind::ExportDamaged,
                "the file looks like a JSON export but is damaged or truncated; export it again",
            ));
        }
        return Err(Error::new(
            ErrorKind::UnknownFormat,
            "the file is not an export this app can read (Aegis, 2FAS, Proton Authenticator, \
             Ente Auth text, Bitwarden, andOTP, FreeOTP+, or Key URIs one a line)",
        ));
    };
    let mut entries = match format {
        FormatId::Aegis => aegis::Aegis::read(&input, password)?,
        FormatId::TwoFas => twofas::TwoFas::read(&input, password)?,
        FormatId::Proton => proton::Proton::read(&input, password)?,
        FormatId::Ente => ente::Ente::read(&input, password)?,
        FormatId::Bitwarden => bitwarden::Bitwarden::read(&input, password)?,
        FormatId::AndOtp => andotp::AndOtp::read(&input, password)?,
        FormatId::FreeOtpPlus => freeotp_plus::FreeOtpPlus::read(&input, password)?,
        FormatId::OtpauthText => text::OtpauthText::read(&input, password)?,
        // QR codes are no file format: `detect_input` never gives it.
        FormatId::QrCodes => Vec::new(),
    };
    keep_duplicates_apart(&mut entries);
    Ok(ImportBatch { format, entries })
}

/// Reads the export at `path` with [`read_export`], reading at most [`MAX_EXPORT_BYTES`] + 1
/// bytes (a 2 GB file costs no more memory than that; see `read_file_capped`).
///
/// Errors: [`ErrorKind::Io`] when the file cannot be read, then those of [`read_export`].
pub fn read_export_file(path: &Path, password: Option<&str>) -> Result<ImportBatch> {
    let bytes = read_file_capped(path, MAX_EXPORT_BYTES as u64)?;
    read_export(&bytes, password)
}

/// The bytes of the file at `path`, refused with [`ErrorKind::FileTooLarge`] when it holds more
/// than `cap` bytes: its size is checked first (no byte is read from a larger file), and at most
/// `cap + 1` bytes are ever read, so a file that grows meanwhile cannot get past the limit. The
/// buffer is sized up front (no reallocation leaves unzeroized copies) and zeroized when dropped:
/// an export holds secrets. The one capped read of every import (files of [`crate::import`] and
/// [`read_export_file`]).
///
/// Errors: [`ErrorKind::Io`] (with [`Detail::Path`]) when it cannot be opened or read.
pub(crate) fn read_file_capped(path: &Path, cap: u64) -> Result<Zeroizing<Vec<u8>>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io("reading", path, &e))?;
    let len = file
        .metadata()
        .map_err(|e| Error::io("reading", path, &e))?
        .len();
    let too_large = || {
        Error::new(
            ErrorKind::FileTooLarge,
            format!(
                "the file {} is larger than {} MiB, more than any enrolment image or \
                 authenticator export; choose the screenshot or the export file itself",
                path.display(),
                cap / (1024 * 1024)
            ),
        )
        .with_detail(Detail::Path(path.to_path_buf()))
    };
    if len > cap {
        return Err(too_large());
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(
        usize::try_from(len).unwrap_or(0).saturating_add(1),
    ));
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("reading", path, &e))?;
    if bytes.len() as u64 > cap {
        return Err(too_large());
    }
    Ok(bytes)
}

fn too_large() -> Error {
    Error::new(
        ErrorKind::FileTooLarge,
        format!(
            "the file is larger than {} MiB, more than any authenticator export; choose the \
             export file itself",
            MAX_EXPORT_BYTES / (1024 * 1024)
        ),
    )
}

/// Gives every enrolment whose identity an earlier enrolment of the batch already has, with a
/// different secret or parameters, the first free account `account (n)`, n = 2, 3, … (its
/// `renamed_from` keeps the first original name when it is renamed again). The one rule for
/// duplicates of every batch: exports here, texts and QR payloads in [`crate::import`].
pub(crate) fn keep_duplicates_apart(entries: &mut [Entry]) {
    use std::collections::HashMap;
    // Identity → index of the first enrolment with it.
    let mut first: HashMap<(String, String), usize> = HashMap::new();
    for i in 0..entries.len() {
        let Entry::Ok { enrolment, .. } = &entries[i] else {
            continue;
        };
        let key = identity_key(&enrolment.issuer, &enrolment.account);
        let Some(&j) = first.get(&key) else {
            first.insert(key, i);
            continue;
        };
        let Entry::Ok {
            enrolment: earlier, ..
        } = &entries[j]
        else {
            continue;
        };
        if earlier.secret == enrolment.secret && earlier.params == enrolment.params {
            continue;
        }
        let original = enrolment.account.clone();
        let issuer = enrolment.issuer.clone();
        let renamed = (2..)
            .map(|n| format!("{} ({n})", original.trim()))
            .find(|a| !first.contains_key(&identity_key(&issuer, a)))
            .unwrap_or_default();
        first.insert(identity_key(&issuer, &renamed), i);
        if let Entry::Ok {
            enrolment,
            renamed_from,
        } = &mut entries[i]
        {
            enrolment.account = renamed;
            renamed_from.get_or_insert(original);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
