//! Proton Authenticator export JSON, encrypted with a password: what Proton Authenticator's
//! "Export (password protected)" writes and its import reads.
//!
//! Source followed: Proton's authenticator core (`proton-pass-common`, crate
//! `proton-authenticator`: `export_entries`, `export_entries_with_password`), the format
//! [`crate::formats::proton`] reads. The plain export is `{"version": 1, "entries": [{"id"
//! (UUID), "content": {"uri", "entry_type": "Totp", "name"}, "note": null}]}` with a Key URI in
//! `uri`; it is encrypted as `{"version": 1, "salt": BASE64(16 random bytes), "content":
//! BASE64(nonce (12) ‖ ciphertext ‖ tag (16))}`, AES-256-GCM with the associated data
//! `proton.authenticator.export.v1` and the key Argon2id (v0x13, 19 MiB, 2 passes, 1 lane,
//! 32 bytes) of the password.
//!
//! Proton Authenticator has TOTP and Steam entries only, and a period of at most 65 535 s (a
//! 16-bit number): HOTP accounts and longer periods are skipped
//! ([`super::ExportFormat::skipped`]).

use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::{aes256gcm_seal, check_export_password, random, uuid_v4, SecretJson, SkipReason};
use crate::enrolment::Enrolment;
use crate::error::{Error, ErrorKind, Result};
use crate::otp::OtpType;

/// Associated data of the encrypted export.
const AAD: &[u8] = b"proton.authenticator.export.v1";
/// Largest period Proton Authenticator reads (its period is a 16-bit number).
const MAX_PERIOD: u32 = u16::MAX as u32;

/// Proton's `entry_type` and `uri` of `e`; `None` for a type Proton cannot hold. (A Steam entry
/// is `("Steam", "steam://" + Base32 secret)`.)
fn proton_content(e: &Enrolment) -> Option<(&'static str, Zeroizing<String>)> {
    match e.params.otp_type {
        OtpType::Totp => Some(("Totp", Zeroizing::new(crate::uri::format(e)))),
        OtpType::Steam => Some((
            "Steam",
            Zeroizing::new(format!("steam://{}", e.secret.to_base32())),
        )),
        OtpType::Hotp => None,
    }
}

/// Why Proton Authenticator cannot carry `e`, or `None` when it can.
pub(crate) fn skip_reason(e: &Enrolment) -> Option<SkipReason> {
    let p = &e.params;
    if proton_content(e).is_none() {
        return Some(SkipReason::UnsupportedType {
            otp_type: p.otp_type.as_str().to_string(),
        });
    }
    if p.otp_type == OtpType::Totp && p.period > MAX_PERIOD {
        return Some(SkipReason::InvalidParameter {
            message: format!(
                "Proton Authenticator cannot hold a period of {} seconds (at most {MAX_PERIOD})",
                p.period
            ),
        });
    }
    None
}

/// The Proton Authenticator export of `entries` (those the format can carry; see
/// [`super::ExportFormat::skipped`]), encrypted with `password`: the bytes of the `.json` file.
///
/// Errors: [`ErrorKind::InvalidInput`] for a password [`check_export_password`] refuses.
pub fn write_encrypted(entries: &[Enrolment], password: &str) -> Result<Vec<u8>> {
    check_export_password(password)?;
    let export = SecretJson(json!({
        "version": 1,
        "entries": entries.iter().filter_map(entry).collect::<Vec<Value>>(),
    }));
    let plain = export.to_bytes(false)?;
    let salt: [u8; 16] = random();
    let key = derive_key(password, &salt)?;
    let (nonce, sealed) = aes256gcm_seal(key.as_ref(), &plain, AAD)?;
    let mut content = Vec::with_capacity(12 + sealed.len());
    content.extend_from_slice(&nonce);
    content.extend_from_slice(&sealed);
    let out = json!({
        "version": 1,
        "salt": data_encoding::BASE64.encode(&salt),
        "content": data_encoding::BASE64.encode(&content),
    });
    let mut bytes = serde_json::to_vec(&out)
        .map_err(|_| Error::new(ErrorKind::Io, "internal: JSON serialisation failed"))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Argon2id with Proton's fixed parameters.
fn derive_key(password: &str, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let internal = |_| Error::new(ErrorKind::Io, "internal: key derivation failed");
    let params = argon2::Params::new(19 * 1024, 2, 1, Some(32)).map_err(internal)?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password.as_bytes(), salt, key.as_mut())
        .map_err(internal)?;
    Ok(key)
}

/// One Proton entry, `None` for an entry [`skip_reason`] refuses.
fn entry(e: &Enrolment) -> Option<Value> {
    if skip_reason(e).is_some() {
        return None;
    }
    let (entry_type, uri) = proton_content(e)?;
    let name = if e.account.is_empty() {
        &e.issuer
    } else {
        &e.account
    };
    Some(json!({
        "id": uuid_v4(),
        "content": {"uri": uri.as_str(), "entry_type": entry_type, "name": name},
        "note": null,
    }))
}
