//! 2FAS `.2fas` backups, plain and encrypted, schema versions 1–4.
//!
//! Sources followed: Aegis's 2FAS importer (beemdevelopment/Aegis,
//! `app/src/main/java/com/beemdevelopment/aegis/importers/TwoFASImporter.java`) and 2FAS backups
//! as published in importers' test data. The file is `{"schemaVersion", "services": [...],
//! "groups", "appVersionCode", …}`. Encrypted (schema ≥ 2 with a password): `services` is empty
//! and `servicesEncrypted` is `BASE64(ciphertext ‖ tag):BASE64(salt):BASE64(iv)`; the key is
//! PBKDF2-HMAC-SHA256(password, salt, 10 000 iterations, 256 bits), the cipher AES-256-GCM with
//! the 12-byte iv and no associated data; the plaintext is the JSON `services` list. A service:
//! `name` (the service, used as issuer), `secret` (Base32), `otp` = `{"account", "issuer",
//! "digits", "period", "algorithm", "counter", "tokenType"` (`TOTP`, `HOTP`, `STEAM` = Steam
//! Guard; absent before schema 3: TOTP)`}`.
//!
//! Memory bound: the key derivation is fixed by the format (no parameter comes from the file).

use pbkdf2::pbkdf2_hmac;
use serde_json::Value;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::common::{
    aes256gcm_open, array_at, base64, damaged, decrypted_json, password_required, str_at,
    unsupported, wrong_password, Input,
};
use super::entry::{Fields, SecretField, SkipReason};
use super::{Entry, Format, FormatId};
use crate::error::Result;

const NAME: &str = "2FAS";
/// PBKDF2 iterations of 2FAS's encrypted backups.
const ITERATIONS: u32 = 10_000;
/// The schema versions read (2FAS writes 4 today).
const SCHEMAS: std::ops::RangeInclusive<u64> = 1..=4;

/// The 2FAS backup format.
pub struct TwoFas;

impl Format for TwoFas {
    const ID: FormatId = FormatId::TwoFas;

    /// An object with a numeric `schemaVersion` and a `services` list or `servicesEncrypted`.
    fn sniff(input: &Input<'_>) -> bool {
        input.json().is_some_and(|j| {
            j.get("schemaVersion").is_some_and(Value::is_number)
                && (j.get("services").is_some_and(Value::is_array)
                    || j.get("servicesEncrypted").is_some_and(Value::is_string))
        })
    }

    fn read(input: &Input<'_>, password: Option<&str>) -> Result<Vec<Entry>> {
        let json = input
            .json()
            .ok_or_else(|| damaged(NAME, "it is not JSON"))?;
        let schema = json.get("schemaVersion").and_then(Value::as_u64);
        if !schema.is_some_and(|s| SCHEMAS.contains(&s)) {
            return Err(unsupported(
                "this 2FAS backup has a schema version this app does not know (1 to 4 are \
                 read); update this app",
            ));
        }
        match json.get("servicesEncrypted").and_then(Value::as_str) {
            Some(encrypted) => {
                let password = password.ok_or_else(|| password_required(NAME))?;
                let services = decrypt(encrypted, password)?;
                let list = services
                    .0
                    .as_array()
                    .ok_or_else(|| damaged(NAME, "its decrypted services are not a list"))?;
                Ok(list.iter().map(service).collect())
            }
            None => Ok(array_at(json, "services", NAME)?
                .iter()
                .map(service)
                .collect()),
        }
    }
}

fn decrypt(encrypted: &str, password: &str) -> Result<super::common::WipedJson> {
    let parts: Vec<&str> = encrypted.split(':').collect();
    let [data, salt, iv] = parts[..] else {
        return Err(damaged(NAME, "'servicesEncrypted' is not 'data:salt:iv'"));
    };
    let data = base64(data, NAME, "encrypted services")?;
    let salt = base64(salt, NAME, "salt")?;
    let iv = base64(iv, NAME, "iv")?;
    if iv.len() != 12 || salt.is_empty() || data.len() < 16 {
        return Err(damaged(NAME, "its salt, iv or data have the wrong length"));
    }
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2_hmac::<Sha256>(password.as_bytes(), &salt, ITERATIONS, key.as_mut());
    let plain =
        aes256gcm_open(key.as_ref(), &iv, &data, b"").ok_or_else(|| wrong_password(NAME, true))?;
    decrypted_json(&plain, NAME)
}

/// One service: `name` is the issuer shown in 2FAS (else `otp.issuer`), `otp.account` the account.
fn service(s: &Value) -> Entry {
    if !s.is_object() {
        return Entry::skipped(
            "",
            "",
            SkipReason::InvalidEntry {
                message: "a 2FAS service is not an object".into(),
            },
        );
    }
    let otp = s
        .get("otp")
        .filter(|o| o.is_object())
        .unwrap_or(&Value::Null);
    let issuer = match str_at(s, "name") {
        "" => str_at(otp, "issuer"),
        name => name,
    };
    let account = str_at(otp, "account");
    Fields {
        issuer,
        account,
        otp_type: str_at(otp, "tokenType"),
        secret: s
            .get("secret")
            .and_then(Value::as_str)
            .map(|v| SecretField::Base32(Zeroizing::new(v.to_string()))),
        algorithm: otp.get("algorithm"),
        digits: otp.get("digits"),
        period: otp.get("period"),
        counter: otp.get("counter"),
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

    const PLAIN: &[u8] = include_bytes!("fixtures/2fas_plain.2fas");
    const ENCRYPTED: &[u8] = include_bytes!("fixtures/2fas_encrypted.2fas");
    const SCHEMA_1: &[u8] = include_bytes!("fixtures/2fas_schema1.2fas");

    #[test]
    fn plain_and_encrypted_backups_give_the_same_entries() {
        check_common_fixture(PLAIN, None, FormatId::TwoFas, COMMON_EXPECTED);
        check_common_fixture(ENCRYPTED, Some(PASSWORD), FormatId::TwoFas, COMMON_EXPECTED);
    }

    #[test]
    fn schema_1_has_no_token_type() {
        check_common_fixture(
            SCHEMA_1,
            None,
            FormatId::TwoFas,
            &[
                "ok LPSE Kota Contoh|budi.santoso",
                "ok Surel Contoh|siti@contoh.test",
            ],
        );
    }

    #[test]
    fn encrypted_backup_errors() {
        assert_eq!(read(ENCRYPTED, None), Err(ErrorKind::PasswordRequired));
        assert_eq!(
            read(ENCRYPTED, Some("salah")),
            Err(ErrorKind::WrongPassword)
        );
        let text = std::str::from_utf8(ENCRYPTED).unwrap();
        let v: Value = serde_json::from_str(text).unwrap();
        let enc = v["servicesEncrypted"].as_str().unwrap();
        // Ciphertext altered: AES-GCM cannot tell it from a wrong password.
        let tampered = with_one_char_changed(text, enc, 0);
        assert_eq!(
            read(tampered.as_bytes(), Some(PASSWORD)),
            Err(ErrorKind::WrongPassword)
        );
        // Ciphertext cut short; a part missing; the file cut.
        let (data, rest) = enc.split_once(':').unwrap();
        let short = text.replacen(enc, &format!("{}:{rest}", &data[..40]), 1);
        assert_eq!(
            read(short.as_bytes(), Some(PASSWORD)),
            Err(ErrorKind::WrongPassword)
        );
        let two_parts = text.replacen(enc, &format!("{data}:AAAA"), 1);
        assert_eq!(
            read(two_parts.as_bytes(), Some(PASSWORD)),
            Err(ErrorKind::ExportDamaged)
        );
        assert_eq!(
            read(&ENCRYPTED[..ENCRYPTED.len() - 40], Some(PASSWORD)),
            Err(ErrorKind::ExportDamaged)
        );
    }

    #[test]
    fn json_that_is_not_what_it_claims() {
        let newer = br#"{"schemaVersion": 9, "services": []}"#;
        assert_eq!(read(newer, None), Err(ErrorKind::ExportUnsupported));
        let not_list = br#"{"schemaVersion": 4, "servicesEncrypted": "!!:AAAA:AAAA"}"#;
        assert_eq!(
            read(not_list, Some(PASSWORD)),
            Err(ErrorKind::ExportDamaged)
        );
        let junk = br#"{"schemaVersion": 4, "services": [3, {"name": "X"}]}"#;
        assert_eq!(
            read(junk, None).unwrap(),
            ["skip invalid_entry |", "skip missing_secret X|"]
        );
    }
}
