//! Ente Auth exports.
//!
//! Source followed: Ente's documentation "Exporting your data out of Ente Auth" (ente-io/ente),
//! section "Auth Encrypted Export format": `{"version": 1, "kdfParams": {"memLimit", "opsLimit", "salt"},
//! "encryptedData", "encryptionNonce"}`, the key from libsodium's `crypto_pwhash` (Argon2id) and
//! the data sealed with libsodium's `crypto_secretstream_xchacha20poly1305`; the plaintext is the
//! plain-text export.
//!
//! - The plain-text export (one Key URI a line, with Ente's own parameters such as `codeDisplay`,
//!   which are ignored) is read by [`super::text`].
//! - The encrypted export is recognised but refused with advice
//!   ([`crate::ErrorKind::ExportUnsupported`]): libsodium's secretstream is in none of the
//!   RustCrypto crates this core uses, and a hand-made construction of it is not worth the risk
//!   before an independent implementation is available to test against.

use serde_json::Value;

use super::common::{unsupported, Input};
use super::{Entry, Format, FormatId};
use crate::error::Result;

/// Ente Auth's encrypted export (recognised, refused with advice).
pub struct Ente;

impl Format for Ente {
    const ID: FormatId = FormatId::Ente;

    /// An object with a `kdfParams` object and string `encryptedData` and `encryptionNonce`.
    fn sniff(input: &Input<'_>) -> bool {
        input.json().is_some_and(|j| {
            j.get("kdfParams").is_some_and(Value::is_object)
                && j.get("encryptedData").is_some_and(Value::is_string)
                && j.get("encryptionNonce").is_some_and(Value::is_string)
        })
    }

    /// Always [`crate::ErrorKind::ExportUnsupported`], whatever the password.
    fn read(_input: &Input<'_>, _password: Option<&str>) -> Result<Vec<Entry>> {
        Err(unsupported(
            "Ente Auth's encrypted export cannot be read by this app yet: in Ente Auth, export \
             the codes unencrypted (plain text), import that file, then delete it",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{read, PASSWORD};
    use super::super::{detect, FormatId};
    use crate::ErrorKind;

    const ENCRYPTED: &[u8] = include_bytes!("fixtures/ente_encrypted.json");
    const PLAIN: &[u8] = include_bytes!("fixtures/ente_plain.txt");

    #[test]
    fn encrypted_export_is_refused_with_advice() {
        assert_eq!(detect(ENCRYPTED), Some(FormatId::Ente));
        assert_eq!(read(ENCRYPTED, None), Err(ErrorKind::ExportUnsupported));
        assert_eq!(
            read(ENCRYPTED, Some(PASSWORD)),
            Err(ErrorKind::ExportUnsupported)
        );
        let err = super::super::read_export(ENCRYPTED, None).unwrap_err();
        assert!(err.message().contains("unencrypted"), "{err}");
    }

    #[test]
    fn plain_text_export_is_read_as_key_uris() {
        assert_eq!(detect(PLAIN), Some(FormatId::OtpauthText));
        assert_eq!(
            read(PLAIN, None).unwrap(),
            [
                "ok LPSE Kota Contoh|budi.santoso",
                "ok Surel Contoh|siti@contoh.test",
                "skip unsupported_type:steam Steam|pemain",
            ]
        );
    }
}
