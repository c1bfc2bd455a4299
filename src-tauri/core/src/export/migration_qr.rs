//! Google Authenticator's "Transfer accounts" QR codes (`otpauth-migration://offline?data=…`),
//! as PNGs: what Google Authenticator's "Import accounts" scans (and Aegis, 2FAS, Proton, Ente
//! and others), and what [`crate::migration`] reads. Holds every secret in the clear.
//!
//! Format: [`crate::migration`]'s schema, written by a small hand-written protobuf encoder (the
//! mirror of its reader): one `MigrationPayload` per QR code with `version` 1, `batch_size` (the
//! number of QR codes), `batch_index` (0-based) and one `batch_id` shared by all of them, so that
//! Google Authenticator shows "1 of 3" and knows when every code was scanned; each
//! `OtpParameters` has the raw secret, `name` (`issuer:account`, as Google writes it), `issuer`,
//! `algorithm` (1 SHA1, 2 SHA256, 3 SHA512), `digits` (1 six, 2 eight), `type` (1 HOTP, 2 TOTP)
//! and, for HOTP, `counter`. `data` is Base64 (standard, padded), percent-encoded like Google's.
//!
//! What the format cannot carry is skipped with a reason ([`super::ExportFormat::skipped`]): it
//! has no period (every TOTP code is read as 30-second), only 6 or 8 digits, only TOTP and HOTP.
//!
//! Batching: like Google, at most [`MAX_PER_CODE`] accounts per QR code, and a payload of at
//! most [`MAX_PAYLOAD_BYTES`] bytes (a URI of about 1 000 characters: a QR code of version 25 or
//! less at level M, at most 117 modules a side, as dense as Google's own 10-account codes, which
//! phone cameras read from a screen). A longer account goes alone into its code; one whose own payload exceeds
//! [`MAX_ENTRY_BYTES`] (names of thousands of characters) is skipped.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use zeroize::Zeroizing;

use super::{random, SkipReason, Skipped};
use crate::enrolment::Enrolment;
use crate::error::Result;
use crate::otp::{Algorithm, OtpType};

/// Most accounts in one QR code (Google Authenticator's own batches hold up to 10).
pub const MAX_PER_CODE: usize = 10;
/// Most protobuf bytes of the accounts in one QR code (a few more for the batch fields).
pub const MAX_PAYLOAD_BYTES: usize = 700;
/// Most protobuf bytes of one account; a larger one is skipped (it would not fit a QR code).
pub const MAX_ENTRY_BYTES: usize = 1200;

/// One QR code of the export.
pub struct MigrationImage {
    /// Its position, 1-based ("1 of 3").
    pub index: usize,
    /// How many QR codes the export has.
    pub count: usize,
    /// The PNG (zeroized when dropped: it holds secrets).
    pub png: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for MigrationImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MigrationImage")
            .field("index", &self.index)
            .field("count", &self.count)
            .field("png", &format_args!("<{} bytes>", self.png.len()))
            .finish()
    }
}

/// The QR codes of an export and the accounts left out.
#[derive(Debug)]
pub struct MigrationExport {
    /// The QR codes, in order (none when every account was skipped).
    pub images: Vec<MigrationImage>,
    /// The accounts the format cannot carry, with the reason.
    pub skipped: Vec<Skipped>,
}

/// Google's `OtpType` of an OTP type; `None` for a type the format has not.
fn google_type(t: OtpType) -> Option<u64> {
    match t {
        OtpType::Totp => Some(2),
        OtpType::Hotp => Some(1),
        OtpType::Steam => None,
    }
}

fn google_algorithm(a: Algorithm) -> u64 {
    match a {
        Algorithm::Sha1 => 1,
        Algorithm::Sha256 => 2,
        Algorithm::Sha512 => 3,
    }
}

/// Why a Google Authenticator export cannot carry `e`, or `None` when it can.
pub(crate) fn skip_reason(e: &Enrolment) -> Option<SkipReason> {
    let p = &e.params;
    if google_type(p.otp_type).is_none() {
        return Some(SkipReason::UnsupportedType {
            otp_type: p.otp_type.as_str().to_string(),
        });
    }
    if p.digits != 6 && p.digits != 8 {
        return Some(SkipReason::InvalidParameter {
            message: format!(
                "a Google Authenticator export holds only 6- or 8-digit codes, not {}; export \
                 this account as otpauth, qr, aegis or proton",
                p.digits
            ),
        });
    }
    if p.otp_type == OtpType::Totp && p.period != 30 {
        return Some(SkipReason::InvalidParameter {
            message: format!(
                "a Google Authenticator export has no period (every code is read as 30-second), \
                 and this account's is {} seconds; export it as otpauth, qr, aegis or proton",
                p.period
            ),
        });
    }
    if entry(e).len() > MAX_ENTRY_BYTES {
        return Some(SkipReason::InvalidEntry {
            message: "the issuer and account are too long for a QR code".into(),
        });
    }
    None
}

/// The QR codes of a Google Authenticator export of `entries`, in order, batched as the module
/// doc says, and the accounts it cannot carry.
///
/// Errors: none in practice ([`crate::ErrorKind::Io`] when PNG encoding fails).
pub fn pngs(entries: &[Enrolment]) -> Result<MigrationExport> {
    let mut skipped = Vec::new();
    let mut batches: Vec<Vec<Zeroizing<Vec<u8>>>> = Vec::new();
    let mut size = 0;
    for e in entries {
        if let Some(reason) = skip_reason(e) {
            skipped.push(Skipped::of(e, reason));
            continue;
        }
        let one = entry(e);
        let start_new = match batches.last() {
            None => true,
            Some(b) => b.len() >= MAX_PER_CODE || size + one.len() > MAX_PAYLOAD_BYTES,
        };
        if start_new {
            batches.push(Vec::new());
            size = 0;
        }
        size += one.len();
        if let Some(b) = batches.last_mut() {
            b.push(one);
        }
    }
    let count = batches.len();
    // A positive int32 (a short varint), shared by every code of this export.
    let batch_id = u64::from(u32::from_le_bytes(random()) >> 1);
    let mut images = Vec::with_capacity(count);
    for (i, batch) in batches.iter().enumerate() {
        let uri = uri(batch, count, i, batch_id);
        images.push(MigrationImage {
            index: i + 1,
            count,
            png: super::qr::png(uri.as_bytes())?,
        });
    }
    Ok(MigrationExport { images, skipped })
}

/// The `otpauth-migration://` URI of part `index` (0-based) of `count`.
fn uri(
    batch: &[Zeroizing<Vec<u8>>],
    count: usize,
    index: usize,
    batch_id: u64,
) -> Zeroizing<String> {
    let mut payload = Zeroizing::new(Vec::with_capacity(
        batch.iter().map(|e| e.len() + 4).sum::<usize>() + 32,
    ));
    for e in batch {
        field_bytes(1, e, &mut payload);
    }
    field_varint(2, 1, &mut payload);
    field_varint(3, count as u64, &mut payload);
    field_varint(4, index as u64, &mut payload);
    field_varint(5, batch_id, &mut payload);
    let data = Zeroizing::new(data_encoding::BASE64.encode(&payload));
    /// Base64's `+`, `/` and `=` are percent-encoded, as Google does.
    const DATA: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_');
    let mut out = Zeroizing::new(String::with_capacity(data.len() * 3 + 40));
    out.push_str("otpauth-migration://offline?data=");
    for part in utf8_percent_encode(&data, DATA) {
        out.push_str(part);
    }
    out
}

/// One `OtpParameters` message of `e` (already accepted by [`skip_reason`]'s type check).
fn entry(e: &Enrolment) -> Zeroizing<Vec<u8>> {
    let p = &e.params;
    let name = Zeroizing::new(if e.issuer.is_empty() {
        // Without an issuer, a name with ':' would be split into issuer and account.
        if e.account.contains(':') {
            format!(":{}", e.account)
        } else {
            e.account.clone()
        }
    } else {
        format!("{}:{}", e.issuer, e.account)
    });
    let mut out = Zeroizing::new(Vec::with_capacity(
        e.secret.as_bytes().len() + name.len() + e.issuer.len() + 40,
    ));
    field_bytes(1, e.secret.as_bytes(), &mut out);
    field_bytes(2, name.as_bytes(), &mut out);
    if !e.issuer.is_empty() {
        field_bytes(3, e.issuer.as_bytes(), &mut out);
    }
    field_varint(4, google_algorithm(p.algorithm), &mut out);
    field_varint(5, if p.digits == 8 { 2 } else { 1 }, &mut out);
    field_varint(6, google_type(p.otp_type).unwrap_or(0), &mut out);
    if p.otp_type == OtpType::Hotp {
        field_varint(7, p.counter, &mut out);
    }
    out
}

fn varint(mut v: u64, out: &mut Vec<u8>) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// A protobuf varint field (wire type 0); also builds the reader's test exports.
pub(crate) fn field_varint(field: u64, v: u64, out: &mut Vec<u8>) {
    varint(field << 3, out);
    varint(v, out);
}

/// A protobuf length-delimited field (wire type 2); also builds the reader's test exports.
pub(crate) fn field_bytes(field: u64, b: &[u8], out: &mut Vec<u8>) {
    varint((field << 3) | 2, out);
    varint(b.len() as u64, out);
    out.extend_from_slice(b);
}
