//! Google Authenticator export: `otpauth-migration://offline?data=…`.
//!
//! `data` is a Base64 (RFC 4648 §4, standard alphabet, padding optional) `MigrationPayload` protocol
//! buffer, usually percent-encoded in the QR text. The schema (as reverse-engineered by the community,
//! e.g. <https://github.com/qistoph/otp_export>):
//!
//! ```text
//! message MigrationPayload {
//!   repeated OtpParameters otp_parameters = 1;
//!   int32 version = 2; int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5;
//! }
//! message OtpParameters {
//!   bytes secret = 1; string name = 2; string issuer = 3;
//!   Algorithm algorithm = 4;   // 0 unspecified (SHA1), 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5
//!   DigitCount digits = 5;     // 0 unspecified (6), 1 SIX, 2 EIGHT
//!   OtpType type = 6;          // 0 unspecified (TOTP), 1 HOTP, 2 TOTP
//!   int64 counter = 7;
//! }
//! ```
//!
//! The protobuf is decoded by a small hand-written reader (varint and length-delimited fields, other
//! wire types skipped) rather than `prost`: the schema is two tiny messages, so this avoids a new
//! dependency plus a build script or hand-derived message types, keeps the secret bytes in a buffer
//! we zeroize, and gives precise error messages for malformed input.

use zeroize::Zeroizing;

use crate::enrolment::{strip_prefix_ci, Enrolment, Warning};
use crate::error::{Detail, Error, ErrorKind, Result};
use crate::otp::{Algorithm, OtpType, Params, Secret};

/// The accounts of one Google Authenticator export QR code (one part of a possibly multi-part batch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// The accounts, in export order. Each carries [`Warning::MissingBatchParts`] when
    /// `batch_size > 1` (the caller may drop it once every part was imported) and
    /// [`Warning::WeakSecret`] for secrets under 128 bits.
    pub enrolments: Vec<Enrolment>,
    /// Id shared by all parts of one export.
    pub batch_id: i32,
    /// 0-based index of this part.
    pub batch_index: i32,
    /// Number of parts (QR codes) in the export; 1 for a single QR code.
    pub batch_size: i32,
}

/// Parses a Google Authenticator export `otpauth-migration://offline?data=…` (scheme in any case,
/// surrounding whitespace ignored). `data` may be percent-encoded or raw; a raw `+` is Base64's `+`
/// (a space, as left by a reader that decoded `+`, is taken as `+` too), and the URL-safe alphabet
/// (`-`, `_`) is accepted. Period is always 30 seconds (the format has no period).
///
/// Names written `Issuer:account` lose the prefix when it equals the issuer; with no issuer,
/// `x:y` gives issuer `x` and account `y`.
///
/// Errors: [`ErrorKind::InvalidMigration`] when the text is not such a URI, has no `data`, is not
/// Base64, is not a valid payload, or holds no account; for an account that cannot be used, the
/// error of that account (e.g. [`ErrorKind::UnsupportedAlgorithm`] for MD5,
/// [`ErrorKind::InvalidSecret`] for an empty secret) with a message naming its position, issuer and
/// name, and [`Detail::Account`].
pub fn parse(text: &str) -> Result<Batch> {
    let text = text.trim();
    let Some(rest) = strip_prefix_ci(text, "otpauth-migration://") else {
        return Err(invalid(
            "the text is not a Google Authenticator export (it must start with \
             'otpauth-migration://')",
        ));
    };
    let query = rest.split_once('?').map_or("", |(_, q)| q);
    let raw = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| key.trim().eq_ignore_ascii_case("data"))
        .map(|(_, value)| value)
        .filter(|value| !value.trim().is_empty())
        .ok_or_else(|| invalid("the Google Authenticator export has no 'data' parameter"))?;

    let bytes = decode_data(raw)?;
    decode_payload(&bytes)
}

fn invalid(what: &str) -> Error {
    Error::new(
        ErrorKind::InvalidMigration,
        format!(
            "{what}; export the accounts again in Google Authenticator (Transfer accounts → Export) \
             and scan the new QR code"
        ),
    )
}

/// Percent-decoding (never `+` → space), then lenient Base64.
fn decode_data(raw: &str) -> Result<Zeroizing<Vec<u8>>> {
    let decoded: Zeroizing<Vec<u8>> =
        Zeroizing::new(percent_encoding::percent_decode_str(raw.trim()).collect());
    let mut b64: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::with_capacity(decoded.len()));
    for &b in decoded.iter() {
        match b {
            b' ' => b64.push(b'+'),
            b'-' => b64.push(b'+'),
            b'_' => b64.push(b'/'),
            b'\r' | b'\n' | b'\t' => {}
            _ => b64.push(b),
        }
    }
    while b64.last() == Some(&b'=') {
        b64.pop();
    }
    let mut spec = data_encoding::Specification::new();
    spec.symbols
        .push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    spec.check_trailing_bits = false;
    let engine = spec
        .encoding()
        .map_err(|_| invalid("internal error: Base64 decoder unavailable"))?;
    engine
        .decode(&b64)
        .map(Zeroizing::new)
        .map_err(|_| invalid("the Google Authenticator export's data is not valid Base64 (the QR code may be damaged or the text cut)"))
}

/// One decoded protobuf field value.
enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    /// Fixed 32/64-bit values; no field of this schema uses them.
    Other,
}

/// Minimal protobuf wire-format reader over a byte slice.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

const MALFORMED: &str =
    "the Google Authenticator export's data is malformed (truncated or not an export)";

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    fn varint(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let byte = *self.buf.get(self.pos).ok_or_else(|| invalid(MALFORMED))?;
            self.pos += 1;
            if shift == 63 && byte > 1 {
                return Err(invalid(MALFORMED));
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(invalid(MALFORMED))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.buf.len())
            .ok_or_else(|| invalid(MALFORMED))?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    /// The next `(field number, value)`, or `None` at the end.
    fn next_field(&mut self) -> Result<Option<(u64, Value<'a>)>> {
        if self.pos >= self.buf.len() {
            return Ok(None);
        }
        let key = self.varint()?;
        let field = key >> 3;
        if field == 0 {
            return Err(invalid(MALFORMED));
        }
        let value = match key & 7 {
            0 => Value::Varint(self.varint()?),
            1 => {
                self.take(8)?;
                Value::Other
            }
            2 => {
                let len = usize::try_from(self.varint()?).map_err(|_| invalid(MALFORMED))?;
                Value::Bytes(self.take(len)?)
            }
            5 => {
                self.take(4)?;
                Value::Other
            }
            _ => return Err(invalid(MALFORMED)),
        };
        Ok(Some((field, value)))
    }
}

fn as_varint(value: Value<'_>) -> Result<u64> {
    match value {
        Value::Varint(v) => Ok(v),
        _ => Err(invalid(MALFORMED)),
    }
}

fn as_bytes<'a>(value: Value<'a>) -> Result<&'a [u8]> {
    match value {
        Value::Bytes(b) => Ok(b),
        _ => Err(invalid(MALFORMED)),
    }
}

/// `int32` fields are varints of the sign-extended 64-bit value.
fn as_i32(value: Value<'_>) -> Result<i32> {
    Ok(as_varint(value)? as i64 as i32)
}

fn decode_payload(bytes: &[u8]) -> Result<Batch> {
    let mut raw_entries = Vec::new();
    let (mut batch_size, mut batch_index, mut batch_id) = (1, 0, 0);
    let mut reader = Reader::new(bytes);
    while let Some((field, value)) = reader.next_field()? {
        match field {
            1 => raw_entries.push(as_bytes(value)?),
            3 => batch_size = as_i32(value)?,
            4 => batch_index = as_i32(value)?,
            5 => batch_id = as_i32(value)?,
            _ => {} // 2 = version; unknown fields are skipped
        }
    }
    if raw_entries.is_empty() {
        return Err(invalid(
            "the Google Authenticator export contains no accounts",
        ));
    }
    let total = raw_entries.len();
    let mut enrolments = Vec::with_capacity(total);
    for (i, raw) in raw_entries.into_iter().enumerate() {
        let mut e = decode_entry(raw, i + 1, total)?;
        if batch_size > 1 {
            e.warnings.push(Warning::MissingBatchParts {
                batch_id,
                batch_index,
                batch_size,
            });
        }
        enrolments.push(e);
    }
    Ok(Batch {
        enrolments,
        batch_id,
        batch_index,
        batch_size,
    })
}

/// Decodes `OtpParameters` number `position` (1-based) of `total`.
fn decode_entry(raw: &[u8], position: usize, total: usize) -> Result<Enrolment> {
    let mut secret: &[u8] = &[];
    let (mut name, mut issuer) = (String::new(), String::new());
    let (mut algorithm, mut digits, mut otp_type, mut counter) = (0u64, 0u64, 0u64, 0u64);
    let mut reader = Reader::new(raw);
    while let Some((field, value)) = reader.next_field()? {
        match field {
            1 => secret = as_bytes(value)?,
            2 => name = String::from_utf8_lossy(as_bytes(value)?).into_owned(),
            3 => issuer = String::from_utf8_lossy(as_bytes(value)?).into_owned(),
            4 => algorithm = as_varint(value)?,
            5 => digits = as_varint(value)?,
            6 => otp_type = as_varint(value)?,
            7 => counter = as_varint(value)?,
            _ => {}
        }
    }
    let (issuer, account) = split_name(issuer.trim(), name.trim());
    let fail = |err: Error| {
        let message = format!(
            "account {position} of {total} in the Google Authenticator export ({}{}{}) cannot be \
             imported: {}",
            issuer,
            if issuer.is_empty() { "" } else { " / " },
            account,
            err.message()
        );
        Error::new(err.kind(), message).with_detail(Detail::Account {
            issuer: issuer.clone(),
            account: account.clone(),
        })
    };

    let algorithm = match algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        4 => return Err(fail(Algorithm::parse("MD5").unwrap_err())),
        other => {
            return Err(fail(Error::new(
                ErrorKind::UnsupportedAlgorithm,
                format!(
                    "unknown algorithm number {other}; only SHA1, SHA256 and SHA512 are supported"
                ),
            )))
        }
    };
    let digits = match digits {
        0 | 1 => 6,
        2 => 8,
        other => {
            return Err(fail(Error::new(
                ErrorKind::InvalidParameter,
                format!(
                    "unknown digit count number {other} (only 6 and 8 digits exist in this format)"
                ),
            )))
        }
    };
    let otp_type = match otp_type {
        0 | 2 => OtpType::Totp,
        1 => OtpType::Hotp,
        other => {
            return Err(fail(Error::new(
                ErrorKind::UnsupportedOtpType,
                format!(
                "unsupported OTP type number {other}: this app generates only TOTP and HOTP codes"
            ),
            )))
        }
    };
    let secret = Secret::from_bytes(secret.to_vec()).map_err(fail)?;
    let params = Params {
        otp_type,
        algorithm,
        digits,
        period: 30,
        counter: if otp_type == OtpType::Hotp {
            counter
        } else {
            0
        },
    };
    Ok(Enrolment::new(issuer, account, secret, params))
}

/// `(issuer, account)` from the export's issuer and name fields.
fn split_name(issuer: &str, name: &str) -> (String, String) {
    if issuer.is_empty() {
        return match name.split_once(':') {
            Some((i, a)) => (i.trim().to_string(), a.trim().to_string()),
            None => (String::new(), name.to_string()),
        };
    }
    let account = name
        .get(..issuer.len())
        .filter(|head| head.eq_ignore_ascii_case(issuer))
        .and_then(|_| name[issuer.len()..].trim_start().strip_prefix(':'))
        .map_or(name, str::trim);
    (issuer.to_string(), account.to_string())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    // Test exports are built with the exporter's protobuf encoder.
    use crate::export::migration_qr::{field_bytes, field_varint};
    /// One account of a test export (alg 1 = SHA1, digits 1 = six, typ 2 = TOTP).
    pub(crate) fn entry(
        secret: &[u8],
        name: &str,
        issuer: &str,
        alg: u64,
        digits: u64,
        typ: u64,
    ) -> Vec<u8> {
        let mut e = Vec::new();
        field_bytes(1, secret, &mut e);
        field_bytes(2, name.as_bytes(), &mut e);
        field_bytes(3, issuer.as_bytes(), &mut e);
        field_varint(4, alg, &mut e);
        field_varint(5, digits, &mut e);
        field_varint(6, typ, &mut e);
        e
    }
    /// The `otpauth-migration://` URI of `entries` (part 1 of `batch_size`, batch id -5).
    pub(crate) fn uri(entries: &[Vec<u8>], batch_size: u64) -> String {
        let mut p = Vec::new();
        for e in entries {
            field_bytes(1, e, &mut p);
        }
        field_varint(2, 1, &mut p);
        field_varint(3, batch_size, &mut p);
        field_varint(4, 0, &mut p);
        field_varint(5, u64::MAX - 4, &mut p); // batch_id -5 as a sign-extended int32
        let data = data_encoding::BASE64.encode(&p);
        format!("otpauth-migration://offline?data={data}")
    }

    #[test]
    fn single_entry_raw_plus_and_no_padding() {
        // 0xfb 0xef gives '+' and '/' in Base64; leave them raw and drop the padding.
        let secret = [
            0xfb, 0xef, 0xbe, 0xfb, 0xef, 0xbe, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
        ];
        let u = uri(&[entry(&secret, "Acme:me", "Acme", 2, 2, 2)], 1);
        assert!(u.contains('+') || u.contains('/'));
        let b = parse(u.trim_end_matches('=')).unwrap();
        assert_eq!((b.batch_id, b.batch_index, b.batch_size), (-5, 0, 1));
        let e = &b.enrolments[0];
        assert_eq!((e.issuer.as_str(), e.account.as_str()), ("Acme", "me"));
        assert_eq!(e.secret.as_bytes(), &secret);
        assert_eq!(e.params.algorithm, Algorithm::Sha256);
        assert_eq!(e.params.digits, 8);
        assert_eq!(e.params.period, 30);
        assert!(e.warnings.is_empty());
    }

    #[test]
    fn md5_entry_is_named_in_the_error() {
        let good = entry(&[7; 20], "a", "Good", 1, 1, 2);
        let bad = entry(&[7; 20], "bob", "Weird", 4, 1, 2);
        let err = parse(&uri(&[good, bad], 1)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnsupportedAlgorithm);
        assert!(err.message().contains("account 2 of 2"), "{err}");
        assert!(err.message().contains("Weird / bob"), "{err}");
    }

    #[test]
    fn batch_warning_and_name_without_issuer() {
        let b = parse(&uri(&[entry(&[1; 10], "x:y", "", 0, 0, 1)], 3)).unwrap();
        let e = &b.enrolments[0];
        assert_eq!((e.issuer.as_str(), e.account.as_str()), ("x", "y"));
        assert_eq!(e.params.otp_type, OtpType::Hotp);
        assert!(e.warnings.contains(&Warning::WeakSecret { bits: 80 }));
        assert!(e.warnings.contains(&Warning::MissingBatchParts {
            batch_id: -5,
            batch_index: 0,
            batch_size: 3
        }));
    }

    #[test]
    fn malformed_inputs() {
        for text in [
            "otpauth-migration://offline",
            "otpauth-migration://offline?data=",
            "otpauth-migration://offline?data=!!!",
            "otpauth-migration://offline?data=CgoK", // truncated
            "otpauth-migration://offline?data=EAE",  // version only, no account
        ] {
            let err = parse(text).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidMigration, "{text}: {err}");
        }
    }
}
