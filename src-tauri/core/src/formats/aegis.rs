//! Aegis vault JSON, plain and encrypted.
//!
//! Source followed: Aegis's `docs/vault.md` (beemdevelopment/Aegis), "Aegis Vault": the file is
//! `{"version": 1, "header": {"slots", "params"}, "db"}`. Plain: `slots` and `params` are null
//! and `db` is the object `{"version", "entries": [...]}`. Encrypted: `db` is the Base64 of the
//! AES-256-GCM ciphertext of that object, with `header.params` = `{"nonce", "tag"}` (hex). The
//! 256-bit master key is wrapped in each slot; a password slot (`"type": 1`) derives its key with
//! scrypt (`n`, `r`, `p`, hex `salt`, 32-byte output) and wraps the master key with AES-256-GCM
//! (`key`, `key_params.nonce`, `key_params.tag`, hex). Entries: `type` (`totp`, `hotp`, `steam`
//! (Steam Guard); `yandex` and `motp` are skipped), `name` (account), `issuer`, `info` =
//! `{"secret"` (Base32), `"algo"`, `"digits"`, `"period"` or `"counter"}`.
//!
//! Memory bound: scrypt needs 128·N·r bytes; a slot asking for more than [`MAX_SCRYPT_BYTES`]
//! or for N·r·p over [`MAX_SCRYPT_WORK`] is refused with
//! [`crate::ErrorKind::ExportUnsupported`] before anything is allocated (N not a power of two:
//! [`crate::ErrorKind::ExportDamaged`]). Aegis writes N = 2^15, r = 8, p = 1 (32 MiB).

use serde_json::Value;
use zeroize::Zeroizing;

use super::common::{
    aes256gcm_open, array_at, base64, damaged, decrypted_json, hex, password_required, str_at,
    unsupported, wrong_password, Input, WipedJson,
};
use super::entry::{Fields, SecretField, SkipReason};
use super::{Entry, Format, FormatId};
use crate::error::Result;

const NAME: &str = "Aegis";

/// Largest scrypt memory accepted from a slot: 128·N·r ≤ 256 MiB (8× what Aegis writes).
pub const MAX_SCRYPT_BYTES: u64 = 256 * 1024 * 1024;
/// Largest scrypt work accepted from a slot: N·r·p ≤ 2^22 (16× what Aegis writes, seconds).
pub const MAX_SCRYPT_WORK: u64 = 1 << 22;

/// The Aegis vault format.
pub struct Aegis;

impl Format for Aegis {
    const ID: FormatId = FormatId::Aegis;

    /// An object with `version`, `header` (object) and `db` (object or string).
    fn sniff(input: &Input<'_>) -> bool {
        input.json().is_some_and(|j| {
            j.get("version").is_some_and(Value::is_number)
                && j.get("header").is_some_and(Value::is_object)
                && j.get("db").is_some_and(|d| d.is_object() || d.is_string())
        })
    }

    fn read(input: &Input<'_>, password: Option<&str>) -> Result<Vec<Entry>> {
        let json = input
            .json()
            .ok_or_else(|| damaged(NAME, "it is not JSON"))?;
        if json.get("version").and_then(Value::as_u64) != Some(1) {
            return Err(unsupported(
                "this Aegis vault was written by a newer Aegis (vault version is not 1); update \
                 this app or export again as a plain-text vault",
            ));
        }
        match &json["db"] {
            Value::String(ciphertext) => {
                let password = password.ok_or_else(|| password_required(NAME))?;
                let db = decrypt(&json["header"], ciphertext, password)?;
                entries(&db.0)
            }
            db => entries(db),
        }
    }
}

/// Opens the encrypted `db` with the master key unwrapped by a password slot of `header`.
fn decrypt(header: &Value, ciphertext: &str, password: &str) -> Result<WipedJson> {
    let slots = array_at(header, "slots", NAME)?;
    let password_slots: Vec<&Value> = slots
        .iter()
        .filter(|s| s.get("type").and_then(Value::as_u64) == Some(1))
        .collect();
    if password_slots.is_empty() {
        return Err(unsupported(
            "this Aegis vault has no password slot (only biometric ones); in Aegis, set a \
             password or export a plain-text vault",
        ));
    }
    let mut master = None;
    for slot in password_slots {
        if let Some(key) = unwrap_slot(slot, password)? {
            master = Some(key);
            break;
        }
    }
    let master = master.ok_or_else(|| wrong_password(NAME, false))?;
    let params = header
        .get("params")
        .ok_or_else(|| damaged(NAME, "its header has no 'params'"))?;
    let nonce = hex(str_at(params, "nonce"), NAME, "nonce")?;
    let tag = hex(str_at(params, "tag"), NAME, "tag")?;
    let mut data = base64(ciphertext, NAME, "db")?;
    data.extend_from_slice(&tag);
    let plain = aes256gcm_open(&master, &nonce, &data, b"").ok_or_else(|| {
        damaged(
            NAME,
            "the password is right but the vault's content fails its integrity check (truncated \
             or altered)",
        )
    })?;
    decrypted_json(&plain, NAME)
}

/// The master key of a password `slot`, `None` when `password` does not open it.
fn unwrap_slot(slot: &Value, password: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
    let n = slot.get("n").and_then(Value::as_u64).unwrap_or(0);
    let r = slot.get("r").and_then(Value::as_u64).unwrap_or(0);
    let p = slot.get("p").and_then(Value::as_u64).unwrap_or(0);
    if n < 2 || !n.is_power_of_two() || r == 0 || p == 0 {
        return Err(damaged(
            NAME,
            "a password slot has invalid scrypt parameters",
        ));
    }
    let memory = 128u64.saturating_mul(n).saturating_mul(r);
    let work = n.saturating_mul(r).saturating_mul(p);
    if memory > MAX_SCRYPT_BYTES || work > MAX_SCRYPT_WORK {
        return Err(unsupported(
            "this Aegis vault's password slot asks for more key-derivation memory or work than \
             this app allows; export a plain-text vault from Aegis instead",
        ));
    }
    let salt = hex(str_at(slot, "salt"), NAME, "salt")?;
    let wrapped = hex(str_at(slot, "key"), NAME, "slot key")?;
    let key_params = slot
        .get("key_params")
        .ok_or_else(|| damaged(NAME, "a password slot has no 'key_params'"))?;
    let nonce = hex(str_at(key_params, "nonce"), NAME, "slot nonce")?;
    let tag = hex(str_at(key_params, "tag"), NAME, "slot tag")?;
    // r, p ≤ MAX_SCRYPT_WORK fit in u32; log2(n) < 64.
    let params = scrypt::Params::new(n.trailing_zeros() as u8, r as u32, p as u32, 32)
        .map_err(|_| damaged(NAME, "a password slot has invalid scrypt parameters"))?;
    let mut derived = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password.as_bytes(), &salt, &params, derived.as_mut())
        .map_err(|_| damaged(NAME, "a password slot has invalid scrypt parameters"))?;
    let mut data = Zeroizing::new(wrapped.to_vec());
    data.extend_from_slice(&tag);
    Ok(aes256gcm_open(derived.as_ref(), &nonce, &data, b"").filter(|k| k.len() == 32))
}

/// The entries of the vault content `db`.
fn entries(db: &Value) -> Result<Vec<Entry>> {
    let list = array_at(db, "entries", NAME)?;
    Ok(list.iter().map(entry).collect())
}

fn entry(e: &Value) -> Entry {
    let issuer = str_at(e, "issuer");
    let account = str_at(e, "name");
    let Some(info) = e.get("info").filter(|i| i.is_object()) else {
        return Entry::skipped(
            issuer,
            account,
            SkipReason::InvalidEntry {
                message: "the Aegis entry has no 'info'".into(),
            },
        );
    };
    Fields {
        issuer,
        account,
        otp_type: str_at(e, "type"),
        secret: info
            .get("secret")
            .and_then(Value::as_str)
            .map(|s| SecretField::Base32(Zeroizing::new(s.to_string()))),
        algorithm: info.get("algo"),
        digits: info.get("digits"),
        period: info.get("period"),
        counter: info.get("counter"),
    }
    .build()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{
        check_common_fixture, read, with_one_char_changed, COMMON_EXPECTED, PASSWORD,
    };
    use super::*;
    use crate::ErrorKind;

    const PLAIN: &[u8] = include_bytes!("fixtures/aegis_plain.json");
    const ENCRYPTED: &[u8] = include_bytes!("fixtures/aegis_encrypted.json");

    #[test]
    fn plain_and_encrypted_vaults_give_the_same_entries() {
        check_common_fixture(PLAIN, None, FormatId::Aegis, COMMON_EXPECTED);
        check_common_fixture(ENCRYPTED, Some(PASSWORD), FormatId::Aegis, COMMON_EXPECTED);
    }

    #[test]
    fn encrypted_vault_errors() {
        assert_eq!(read(ENCRYPTED, None), Err(ErrorKind::PasswordRequired));
        assert_eq!(
            read(ENCRYPTED, Some("salah")),
            Err(ErrorKind::WrongPassword)
        );
        let text = std::str::from_utf8(ENCRYPTED).unwrap();
        // The db's ciphertext altered: the slot opens, the content does not.
        let v: Value = serde_json::from_str(text).unwrap();
        let db = v["db"].as_str().unwrap();
        let tampered = with_one_char_changed(text, db, 0);
        assert_eq!(
            read(tampered.as_bytes(), Some(PASSWORD)),
            Err(ErrorKind::ExportDamaged)
        );
        // Truncated file.
        assert_eq!(
            read(&ENCRYPTED[..ENCRYPTED.len() / 2], Some(PASSWORD)),
            Err(ErrorKind::ExportDamaged)
        );
        // Hostile scrypt parameters are refused before deriving anything.
        let hostile = text.replacen("\"n\": 32768", "\"n\": 1073741824", 1);
        assert_ne!(hostile, text);
        assert_eq!(
            read(hostile.as_bytes(), Some(PASSWORD)),
            Err(ErrorKind::ExportUnsupported)
        );
        let odd = text.replacen("\"n\": 32768", "\"n\": 32767", 1);
        assert_eq!(
            read(odd.as_bytes(), Some(PASSWORD)),
            Err(ErrorKind::ExportDamaged)
        );
    }

    #[test]
    fn json_that_is_not_what_it_claims() {
        for bad in [
            r#"{"version": 1, "header": {"slots": null, "params": null}, "db": {"version": 3}}"#,
            r#"{"version": 1, "header": {"slots": 5}, "db": "AAAA"}"#,
            r#"{"version": 1, "header": {"slots": [], "params": null}, "db": "AAAA"}"#,
        ] {
            let kind = read(bad.as_bytes(), Some(PASSWORD)).unwrap_err();
            assert!(
                matches!(
                    kind,
                    ErrorKind::ExportDamaged | ErrorKind::ExportUnsupported
                ),
                "{bad}: {kind:?}"
            );
        }
        let newer = r#"{"version": 2, "header": {}, "db": {"entries": []}}"#;
        assert_eq!(
            read(newer.as_bytes(), None),
            Err(ErrorKind::ExportUnsupported)
        );
    }
}
