//! Aegis vault JSON, encrypted with a password: what Aegis's "Export" writes and its "Import from
//! file → Aegis" reads.
//!
//! Source followed: Aegis's `docs/vault.md` (beemdevelopment/Aegis), the format
//! [`crate::formats::aegis`] reads: `{"version": 1, "header": {"slots": [password slot],
//! "params": {"nonce", "tag"}}, "db": BASE64(AES-256-GCM(content))}`. A random 256-bit master key
//! encrypts the content (`{"version": 3, "entries", "groups": [], "icons_optimized": true}`, as
//! Aegis's `Vault.toJson` writes it); one password slot (`"type": 1`) wraps it with the key
//! scrypt derives from the password (N = 2^15, r = 8, p = 1, a random 256-bit salt, 32 bytes:
//! Aegis's own parameters), AES-256-GCM; nonces, tags, key and salt in hex. Entries: `type`
//! (`totp`, `hotp`), `uuid`, `name` (account), `issuer`, `note`, `favorite`, `icon`, `info` =
//! `{"secret"` (Base32, unpadded), `"algo"`, `"digits"`, `"period"` (TOTP) or `"counter"`
//! (HOTP)`}`, `groups`.
//!
//! Aegis carries every type this app has, so no entry is skipped.

use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::{aes256gcm_seal, check_export_password, random, uuid_v4, SecretJson, SkipReason};
use crate::enrolment::Enrolment;
use crate::error::{Error, ErrorKind, Result};
use crate::otp::OtpType;

/// scrypt cost: log2(N) = 15, r = 8, p = 1 (what Aegis writes; 32 MiB, under a second).
const SCRYPT_LOG_N: u8 = 15;
const SCRYPT_R: u32 = 8;
const SCRYPT_P: u32 = 1;

/// Aegis's name of an OTP type; `None` for a type Aegis cannot hold.
fn aegis_type(t: OtpType) -> Option<&'static str> {
    match t {
        OtpType::Totp => Some("totp"),
        OtpType::Hotp => Some("hotp"),
        OtpType::Steam => Some("steam"),
    }
}

/// Why Aegis cannot carry `e`, or `None` when it can.
pub(crate) fn skip_reason(e: &Enrolment) -> Option<SkipReason> {
    match aegis_type(e.params.otp_type) {
        Some(_) => None,
        None => Some(SkipReason::unsupported_type(e.params.otp_type.as_str())),
    }
}

/// The Aegis vault of `entries` (those the format can carry; see
/// [`super::ExportFormat::skipped`]), encrypted with `password`: the bytes of the `.json` file.
///
/// Errors: [`ErrorKind::InvalidInput`] for a password [`check_export_password`] refuses.
pub fn write_encrypted(entries: &[Enrolment], password: &str) -> Result<Vec<u8>> {
    check_export_password(password)?;
    let content = SecretJson(json!({
        "version": 3,
        "entries": entries.iter().filter_map(entry).collect::<Vec<Value>>(),
        "groups": [],
        "icons_optimized": true,
    }));
    let plain = content.to_bytes(false)?;

    let master: Zeroizing<[u8; 32]> = Zeroizing::new(random());
    let (db_nonce, mut db) = aes256gcm_seal(master.as_ref(), &plain, b"")?;
    let db_tag = db.split_off(db.len() - 16);

    let salt: [u8; 32] = random();
    let params = scrypt::Params::new(SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, 32)
        .map_err(|_| Error::new(ErrorKind::Io, "internal: scrypt parameters"))?;
    let mut derived = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password.as_bytes(), &salt, &params, derived.as_mut())
        .map_err(|_| Error::new(ErrorKind::Io, "internal: scrypt failed"))?;
    let (slot_nonce, mut wrapped) = aes256gcm_seal(derived.as_ref(), master.as_ref(), b"")?;
    let slot_tag = wrapped.split_off(wrapped.len() - 16);

    let hex = |b: &[u8]| data_encoding::HEXLOWER.encode(b);
    let vault = json!({
        "version": 1,
        "header": {
            "slots": [{
                "type": 1,
                "uuid": uuid_v4(),
                "key": hex(&wrapped),
                "key_params": {"nonce": hex(&slot_nonce), "tag": hex(&slot_tag)},
                "n": 1u64 << SCRYPT_LOG_N,
                "r": SCRYPT_R,
                "p": SCRYPT_P,
                "salt": hex(&salt),
                "repaired": true,
                "is_backup": false,
            }],
            "params": {"nonce": hex(&db_nonce), "tag": hex(&db_tag)},
        },
        "db": data_encoding::BASE64.encode(&db),
    });
    let mut out = serde_json::to_vec_pretty(&vault)
        .map_err(|_| Error::new(ErrorKind::Io, "internal: JSON serialisation failed"))?;
    out.push(b'\n');
    Ok(out)
}

/// One Aegis entry, `None` for a type Aegis cannot hold.
fn entry(e: &Enrolment) -> Option<Value> {
    let p = &e.params;
    let mut info = json!({
        "secret": e.secret.to_base32(),
        "algo": p.algorithm.as_str(),
        "digits": p.digits,
    });
    match p.otp_type {
        OtpType::Hotp => info["counter"] = json!(p.counter),
        _ => info["period"] = json!(p.period),
    }
    Some(json!({
        "type": aegis_type(p.otp_type)?,
        "uuid": uuid_v4(),
        "name": e.account,
        "issuer": e.issuer,
        "note": "",
        "favorite": false,
        "icon": null,
        "info": info,
        "groups": [],
    }))
}
