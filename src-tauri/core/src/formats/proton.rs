//! Proton Authenticator JSON exports, plain and encrypted (now also read by Aegis and Ente).
//!
//! Sources followed: Proton's authenticator core (`proton-pass-common`, the Rust crate
//! `proton-authenticator`: `export_entries_with_password` / `import_entries_with_password` and
//! its `crypto` module), and Aegis's `ProtonAuthenticatorImporter.java`.
//! - Plain: `{"version": 1, "entries": [{"id", "content": {"uri", "entry_type", "name"}, "note"}]}`;
//!   `uri` is a Key URI (`entry_type` `Totp`) or `steam://SECRET` (`Steam`; the secret in Base32,
//!   or Base64 as Proton also accepts: `SteamTotp::new` in its `steam` module). A Steam entry's
//!   issuer is "Steam", as Proton shows it.
//! - Encrypted: `{"version": 1, "salt", "content"}`: `salt` is the Base64 of 16 random bytes, the
//!   key Argon2id (v0x13, 19 MiB = 19 456 KiB memory, 2 passes, 1 lane, 32 bytes) of the UTF-8
//!   password with that salt; `content` is the Base64 of `nonce (12) ‖ ciphertext ‖ tag (16)`,
//!   AES-256-GCM with the associated data `proton.authenticator.export.v1`; the plaintext is the
//!   plain export.
//!
//! Issuer and account come from the URI; an empty account takes the entry's `name`.
//! Memory bound: the Argon2 parameters are fixed by the format (19 MiB), none come from the file.

use serde_json::Value;
use zeroize::Zeroizing;

use super::common::{
    aes256gcm_open, array_at, base64, damaged, decrypted_json, password_required, str_at,
    unsupported, wrong_password, Input,
};
use super::entry::{from_uri, SkipReason};
use super::{Entry, Format, FormatId};
use crate::error::Result;

const NAME: &str = "Proton Authenticator";
/// Associated data of the encrypted export.
const AAD: &[u8] = b"proton.authenticator.export.v1";

/// The Proton Authenticator export format.
pub struct Proton;

impl Format for Proton {
    const ID: FormatId = FormatId::Proton;

    /// An object with `version` and either `entries` whose first item has a `content` object,
    /// or string `salt` and `content` and no `entries`.
    fn sniff(input: &Input<'_>) -> bool {
        input.json().is_some_and(|j| {
            let plain = j.get("entries").and_then(Value::as_array).is_some_and(|e| {
                e.first()
                    .is_some_and(|first| first.get("content").is_some_and(Value::is_object))
            });
            let encrypted = j.get("salt").is_some_and(Value::is_string)
                && j.get("content").is_some_and(Value::is_string)
                && j.get("entries").is_none();
            j.get("version").is_some() && (plain || encrypted)
        })
    }

    fn read(input: &Input<'_>, password: Option<&str>) -> Result<Vec<Entry>> {
        let json = input
            .json()
            .ok_or_else(|| damaged(NAME, "it is not JSON"))?;
        check_version(json)?;
        if json.get("entries").is_some() {
            return entries(json);
        }
        let password = password.ok_or_else(|| password_required(NAME))?;
        let salt = base64(str_at(json, "salt"), NAME, "salt")?;
        let content = base64(str_at(json, "content"), NAME, "content")?;
        if salt.len() != 16 || content.len() < 12 + 16 {
            return Err(damaged(NAME, "its salt or content has the wrong length"));
        }
        let key = derive_key(password, &salt)?;
        let (nonce, sealed) = content.split_at(12);
        let plain = aes256gcm_open(key.as_ref(), nonce, sealed, AAD)
            .ok_or_else(|| wrong_password(NAME, true))?;
        let inner = decrypted_json(&plain, NAME)?;
        check_version(&inner.0)?;
        entries(&inner.0)
    }
}

fn check_version(json: &Value) -> Result<()> {
    // Proton writes the number 1 (its web app once wrote the string "1").
    let v = json.get("version");
    if v.and_then(Value::as_u64) == Some(1) || v.and_then(Value::as_str) == Some("1") {
        Ok(())
    } else {
        Err(unsupported(
            "this Proton Authenticator export has a version this app does not know (1 is read); \
             update this app",
        ))
    }
}

/// Argon2id with Proton's fixed parameters.
fn derive_key(password: &str, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let params = argon2::Params::new(19 * 1024, 2, 1, Some(32))
        .map_err(|_| damaged(NAME, "key derivation failed"))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password.as_bytes(), salt, key.as_mut())
        .map_err(|_| damaged(NAME, "key derivation failed"))?;
    Ok(key)
}

fn entries(json: &Value) -> Result<Vec<Entry>> {
    Ok(array_at(json, "entries", NAME)?.iter().map(entry).collect())
}

fn entry(e: &Value) -> Entry {
    let content = e.get("content").unwrap_or(&Value::Null);
    let name = str_at(content, "name");
    match content.get("uri").and_then(Value::as_str) {
        Some(uri) if !uri.trim().is_empty() => from_uri(uri, "", name),
        _ => Entry::skipped(
            "",
            name,
            SkipReason::InvalidEntry {
                message: "the Proton Authenticator entry has no URI".into(),
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_common_fixture, read, with_one_char_changed, PASSWORD};
    use super::*;
    use crate::ErrorKind;

    const PLAIN: &[u8] = include_bytes!("fixtures/proton_plain.json");
    const ENCRYPTED: &[u8] = include_bytes!("fixtures/proton_encrypted.json");
    const EXPECTED: &[&str] = &[
        "ok LPSE Kota Contoh|budi.santoso",
        "ok LPSE Kota Contoh|budi.santoso (2) renamed_from=budi.santoso",
        "ok Surel Contoh|siti@contoh.test",
        "ok Steam|pemain",
        "skip missing_secret Forum Contoh|rina",
        "ok Toko Contoh|dewi",
        "ok |Catatan Contoh",
    ];

    #[test]
    fn plain_and_encrypted_exports_give_the_same_entries() {
        check_common_fixture(PLAIN, None, FormatId::Proton, EXPECTED);
        check_common_fixture(ENCRYPTED, Some(PASSWORD), FormatId::Proton, EXPECTED);
    }

    #[test]
    fn encrypted_export_errors() {
        assert_eq!(read(ENCRYPTED, None), Err(ErrorKind::PasswordRequired));
        assert_eq!(
            read(ENCRYPTED, Some("salah")),
            Err(ErrorKind::WrongPassword)
        );
        let text = std::str::from_utf8(ENCRYPTED).unwrap();
        let v: Value = serde_json::from_str(text).unwrap();
        let content = v["content"].as_str().unwrap();
        let tampered = with_one_char_changed(text, content, content.len() / 2);
        assert_eq!(
            read(tampered.as_bytes(), Some(PASSWORD)),
            Err(ErrorKind::WrongPassword)
        );
        let cut = text.replacen(content, &content[..24], 1);
        assert_eq!(
            read(cut.as_bytes(), Some(PASSWORD)),
            Err(ErrorKind::ExportDamaged)
        );
        let bad_salt = text.replacen(v["salt"].as_str().unwrap(), "AAAA", 1);
        assert_eq!(
            read(bad_salt.as_bytes(), Some(PASSWORD)),
            Err(ErrorKind::ExportDamaged)
        );
        assert_eq!(
            read(&ENCRYPTED[..ENCRYPTED.len() - 5], Some(PASSWORD)),
            Err(ErrorKind::ExportDamaged)
        );
    }

    #[test]
    fn json_that_is_not_what_it_claims() {
        let newer = br#"{"version": 2, "entries": [{"content": {}}]}"#;
        assert_eq!(read(newer, None), Err(ErrorKind::ExportUnsupported));
        let odd = br#"{"version": 1, "entries": [{"content": {"uri": 5}}, 7]}"#;
        assert_eq!(
            read(odd, None).unwrap(),
            ["skip invalid_entry |", "skip invalid_entry |"]
        );
    }
}
