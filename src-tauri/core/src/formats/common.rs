//! What the format files share: the parsed [`Input`], JSON that wipes its strings when dropped,
//! Base64/hex decoding, AES-256-GCM opening and the whole-file errors.
//!
//! Invariant: every buffer that may hold a secret (decrypted plaintext, derived keys, parsed JSON
//! strings) is zeroized when dropped.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use serde_json::Value;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, ErrorKind, Result};

/// An export's bytes, with their UTF-8 text and JSON parse when they have one (each done once,
/// shared by every format's `sniff`). A leading UTF-8 byte-order mark is ignored.
pub struct Input<'a> {
    /// The bytes as given.
    pub bytes: &'a [u8],
    /// The bytes as UTF-8 text (without a byte-order mark), when they are.
    pub text: Option<&'a str>,
    json: Option<WipedJson>,
}

impl<'a> Input<'a> {
    /// Parses `bytes` once: as UTF-8, then as JSON when the text starts with `{` or `[`.
    pub fn new(bytes: &'a [u8]) -> Self {
        let text = std::str::from_utf8(bytes)
            .ok()
            .map(|t| t.strip_prefix('\u{feff}').unwrap_or(t));
        let json = text
            .filter(|t| t.trim_start().starts_with(['{', '[']))
            .and_then(WipedJson::parse);
        Input { bytes, text, json }
    }

    /// The JSON value, when the text is JSON.
    pub fn json(&self) -> Option<&Value> {
        self.json.as_ref().map(|j| &j.0)
    }

    /// True when the text starts like JSON but does not parse (truncated, damaged).
    pub(crate) fn looks_like_broken_json(&self) -> bool {
        self.json.is_none()
            && self
                .text
                .is_some_and(|t| t.trim_start().starts_with(['{', '[']))
    }
}

/// A parsed JSON value whose strings (secrets among them) are zeroized when it is dropped.
pub(crate) struct WipedJson(pub Value);

impl WipedJson {
    /// Parses `text`; `None` when it is not JSON (serde_json limits nesting to 128 levels).
    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok().map(WipedJson)
    }
}

impl Drop for WipedJson {
    fn drop(&mut self) {
        fn wipe(v: &mut Value) {
            match v {
                Value::String(s) => s.zeroize(),
                Value::Array(items) => items.iter_mut().for_each(wipe),
                Value::Object(map) => map.values_mut().for_each(wipe),
                _ => {}
            }
        }
        wipe(&mut self.0);
    }
}

/// The string at `key` of `v` ("" when absent, null or not a string).
pub(crate) fn str_at<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The array at `key` of `v`, or [`ErrorKind::ExportDamaged`] naming `format`.
pub(crate) fn array_at<'v>(v: &'v Value, key: &str, format: &str) -> Result<&'v Vec<Value>> {
    v.get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| damaged(format, &format!("it has no '{key}' list")))
}

/// [`ErrorKind::ExportDamaged`]: "the {format} export is damaged or not what it claims: {what}".
pub(crate) fn damaged(format: &str, what: &str) -> Error {
    Error::new(
        ErrorKind::ExportDamaged,
        format!("the {format} export is damaged or not what it claims to be: {what}"),
    )
}

/// [`ErrorKind::PasswordRequired`] for an encrypted `format` export.
pub(crate) fn password_required(format: &str) -> Error {
    Error::new(
        ErrorKind::PasswordRequired,
        format!("the {format} export is encrypted: enter the password it was exported with"),
    )
}

/// [`ErrorKind::WrongPassword`] for `format` (AES-GCM cannot tell a wrong password from an
/// altered file when the password key opens the data directly).
pub(crate) fn wrong_password(format: &str, or_altered: bool) -> Error {
    let tail = if or_altered {
        " (or the file was altered)"
    } else {
        ""
    };
    Error::new(
        ErrorKind::WrongPassword,
        format!("the password does not open this {format} export{tail}; nothing was imported"),
    )
}

/// [`ErrorKind::ExportUnsupported`] with `message`.
pub(crate) fn unsupported(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::ExportUnsupported, message)
}

/// Standard Base64 (padding optional, whitespace ignored) → bytes, zeroized on drop.
pub(crate) fn base64(text: &str, format: &str, what: &str) -> Result<Zeroizing<Vec<u8>>> {
    let cleaned: Zeroizing<String> =
        Zeroizing::new(text.chars().filter(|c| !c.is_whitespace()).collect());
    let unpadded = cleaned.trim_end_matches('=');
    data_encoding::BASE64_NOPAD
        .decode(unpadded.as_bytes())
        .map(Zeroizing::new)
        .map_err(|_| damaged(format, &format!("its {what} is not Base64")))
}

/// Hexadecimal (either case) → bytes, zeroized on drop.
pub(crate) fn hex(text: &str, format: &str, what: &str) -> Result<Zeroizing<Vec<u8>>> {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.trim().as_bytes())
        .map(Zeroizing::new)
        .map_err(|_| damaged(format, &format!("its {what} is not hexadecimal")))
}

/// AES-256-GCM decryption of `ciphertext ‖ 16-byte tag` with a 12-byte `nonce` and `aad`.
/// `None` when the key, nonce or data do not authenticate (wrong key or altered data) or have
/// the wrong length.
pub(crate) fn aes256gcm_open(
    key: &[u8],
    nonce: &[u8],
    ciphertext_and_tag: &[u8],
    aad: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    if key.len() != 32 || nonce.len() != 12 || ciphertext_and_tag.len() < 16 {
        return None;
    }
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext_and_tag,
                aad,
            },
        )
        .ok()
        .map(Zeroizing::new)
}

/// The decrypted bytes as JSON (wiped when dropped), or [`ErrorKind::ExportDamaged`].
pub(crate) fn decrypted_json(plain: &[u8], format: &str) -> Result<WipedJson> {
    std::str::from_utf8(plain)
        .ok()
        .and_then(WipedJson::parse)
        .ok_or_else(|| damaged(format, "its decrypted content is not JSON"))
}
