//! Ente Auth's encrypted export (its plain-text export is read by [`super::text`]).
//!
//! Sources followed: Ente's documentation "Exporting your data out of Ente Auth" (ente-io/ente),
//! section "Auth Encrypted Export format"; Ente Auth's export code (`export_widget.dart`, which
//! encrypts with `CryptoUtil.encryptData`, in `ente_crypto_dart` `chachaEncryptData`: one
//! secretstream push tagged `finalPush`); libsodium's documentation of `crypto_pwhash` and
//! `crypto_secretstream_xchacha20poly1305`:
//! - The file: `{"version": 1, "kdfParams": {"memLimit", "opsLimit", "salt"}, "encryptedData",
//!   "encryptionNonce"}` (binary values in Base64).
//! - The key: libsodium `crypto_pwhash` with Argon2id v1.3 = Argon2id(password, salt (16 bytes),
//!   memory `memLimit` bytes, `opsLimit` passes, 1 lane, 32 bytes), from the `argon2` crate.
//! - The data: exactly one message of a libsodium secretstream (XChaCha20-Poly1305) whose 24-byte
//!   header is `encryptionNonce`, tagged FINAL; the plaintext is the plain-text export (Key URIs,
//!   one a line).
//!
//! The secretstream is RustCrypto's `crypto_secretstream` crate (`PullStream`), not ours; this
//! module only requires its one message to authenticate (else
//! [`crate::ErrorKind::WrongPassword`]) and to carry the FINAL tag (else the stream was cut
//! before its end: [`crate::ErrorKind::ExportDamaged`]). The crate is checked here against
//! libsodium's own output (PyNaCl fixture and vectors of every padding).
//!
//! Secrets: the derived key and the data (decrypted in place) are held in [`Zeroizing`] buffers,
//! wiped on drop, also on every error. The crate's own copy of the key and its derived subkey
//! are not wiped by it (it has no zeroize support, and this workspace forbids `unsafe`).
//!
//! Memory bound: the Argon2 memory comes from the file; more than [`MAX_ARGON2_BYTES`] (1 GiB,
//! what Ente asks on capable phones) or memory × passes over [`MAX_ARGON2_WORK`] is refused with
//! [`crate::ErrorKind::ExportUnsupported`] before anything is allocated.

use crypto_secretstream::{Header, Key, PullStream, Tag};
use serde_json::Value;
use zeroize::Zeroizing;

use super::common::{
    base64, damaged, password_required, str_at, unsupported, wrong_password, Input,
};
use super::{Entry, Format, FormatId};
use crate::error::Result;

const NAME: &str = "Ente Auth";
/// Largest Argon2 memory accepted from a file, in bytes (1 GiB).
pub const MAX_ARGON2_BYTES: u64 = 1 << 30;
/// Largest Argon2 memory × passes accepted from a file, in bytes × passes (1 GiB × 4, Ente's
/// "sensitive" setting, and its lower-memory, more-passes fallbacks).
pub const MAX_ARGON2_WORK: u64 = 4 << 30;

/// Ente Auth's encrypted export.
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

    fn read(input: &Input<'_>, password: Option<&str>) -> Result<Vec<Entry>> {
        let json = input
            .json()
            .ok_or_else(|| damaged(NAME, "it is not JSON"))?;
        if json.get("version").and_then(Value::as_u64) != Some(1) {
            return Err(unsupported(
                "this Ente Auth export has a version this app does not know (1 is read); export \
                 the codes as plain text from Ente Auth",
            ));
        }
        let kdf = &json["kdfParams"];
        let mem = kdf.get("memLimit").and_then(Value::as_u64).unwrap_or(0);
        let ops = kdf.get("opsLimit").and_then(Value::as_u64).unwrap_or(0);
        if mem < 8 * 1024 || ops == 0 {
            return Err(damaged(NAME, "its key-derivation parameters are invalid"));
        }
        if mem > MAX_ARGON2_BYTES || mem.saturating_mul(ops) > MAX_ARGON2_WORK {
            return Err(unsupported(
                "this Ente Auth export asks for more key-derivation memory or work than this \
                 app allows; export the codes as plain text from Ente Auth",
            ));
        }
        let salt = base64(str_at(kdf, "salt"), NAME, "salt")?;
        let header = base64(str_at(json, "encryptionNonce"), NAME, "nonce")?;
        let data = base64(str_at(json, "encryptedData"), NAME, "data")?;
        if salt.len() != 16 || header.len() != Header::BYTES || data.len() < 17 {
            return Err(damaged(
                NAME,
                "its salt, nonce or data has the wrong length",
            ));
        }
        let password = password.ok_or_else(|| password_required(NAME))?;
        // mem / 1024 ≤ 2^20 KiB and ops ≤ 2^19 fit in u32.
        let params = argon2::Params::new((mem / 1024) as u32, ops as u32, 1, Some(32))
            .map_err(|_| damaged(NAME, "its key-derivation parameters are invalid"))?;
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut key = Zeroizing::new([0u8; Key::BYTES]);
        argon
            .hash_password_into(password.as_bytes(), &salt, key.as_mut())
            .map_err(|_| damaged(NAME, "its key-derivation parameters are invalid"))?;
        let plain = open_final_message(&key, &header, data)?;
        let text = std::str::from_utf8(&plain)
            .map_err(|_| damaged(NAME, "its decrypted content is not text"))?;
        Ok(super::text::entries(text))
    }
}

/// Opens `data`, the one message of a libsodium secretstream with `header` (24 bytes) under
/// `key`, decrypting it in place: its plaintext, or [`crate::ErrorKind::WrongPassword`] when it
/// does not authenticate (wrong key, altered or cut data), or [`crate::ErrorKind::ExportDamaged`]
/// when it authenticates but is not tagged FINAL (the stream goes on: what we hold is cut short).
fn open_final_message(
    key: &[u8; Key::BYTES],
    header: &[u8],
    mut data: Zeroizing<Vec<u8>>,
) -> Result<Zeroizing<Vec<u8>>> {
    let header = Header::try_from(header)
        .map_err(|_| damaged(NAME, "its salt, nonce or data has the wrong length"))?;
    let mut stream = PullStream::init(header, &Key::from(*key));
    match stream.pull(&mut *data, &[]) {
        Ok(Tag::Final) => Ok(data),
        Ok(_) => Err(damaged(NAME, "its data is incomplete (truncated)")),
        Err(_) => Err(wrong_password(NAME, true)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{
        check_common_fixture, read, with_one_char_changed, COMMON_EXPECTED, PASSWORD,
    };
    use super::super::{detect, FormatId};
    use crate::ErrorKind;
    use crypto_secretstream::{Header, Key, PullStream, Tag};
    use zeroize::Zeroizing;

    const ENCRYPTED: &[u8] = include_bytes!("fixtures/ente_encrypted.json");
    const PLAIN: &[u8] = include_bytes!("fixtures/ente_plain.txt");

    #[test]
    fn encrypted_export_gives_the_entries_of_its_text() {
        check_common_fixture(ENCRYPTED, Some(PASSWORD), FormatId::Ente, COMMON_EXPECTED);
    }

    #[test]
    fn encrypted_export_errors() {
        assert_eq!(read(ENCRYPTED, None), Err(ErrorKind::PasswordRequired));
        assert_eq!(
            read(ENCRYPTED, Some("salah")),
            Err(ErrorKind::WrongPassword)
        );
        let text = std::str::from_utf8(ENCRYPTED).unwrap();
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        let data = v["encryptedData"].as_str().unwrap();
        let altered = [
            with_one_char_changed(text, data, data.len() / 2),
            text.replacen(data, &data[..data.len() - 8], 1),
            text.replacen(data, "AAAA", 1),
        ];
        for bad in altered {
            let kind = read(bad.as_bytes(), Some(PASSWORD)).unwrap_err();
            assert!(
                matches!(kind, ErrorKind::WrongPassword | ErrorKind::ExportDamaged),
                "{kind:?}"
            );
        }
        assert_eq!(
            read(&ENCRYPTED[..ENCRYPTED.len() - 9], Some(PASSWORD)),
            Err(ErrorKind::ExportDamaged)
        );
        // Hostile Argon2 parameters are refused before deriving anything, password or not.
        let mem = v["kdfParams"]["memLimit"].to_string();
        let hostile = text.replacen(&mem, "4294967296", 1);
        assert_ne!(hostile, text);
        assert_eq!(
            read(hostile.as_bytes(), None),
            Err(ErrorKind::ExportUnsupported)
        );
        let newer = text.replacen("\"version\": 1", "\"version\": 2", 1);
        assert_eq!(
            read(newer.as_bytes(), Some(PASSWORD)),
            Err(ErrorKind::ExportUnsupported)
        );
    }

    /// The crate against libsodium's own output (PyNaCl) for every padding of the MAC (message
    /// lengths 0 to 200): its tag and plaintext; then this module's `open_final_message`: the
    /// FINAL ones open, the ones tagged MESSAGE are refused as cut short, and a changed MAC byte
    /// or encrypted tag byte is refused.
    #[test]
    fn secretstream_matches_libsodium_for_every_padding() {
        let vectors: serde_json::Value =
            serde_json::from_str(include_str!("fixtures/ente_secretstream_vectors.json")).unwrap();
        let hex = |v: &serde_json::Value| {
            data_encoding::HEXLOWER
                .decode(v.as_str().unwrap().as_bytes())
                .unwrap()
        };
        let open = |key: &[u8; 32], header: &[u8], sealed: &[u8]| {
            super::open_final_message(key, header, Zeroizing::new(sealed.to_vec()))
                .map(|plain| plain.to_vec())
                .map_err(|e| e.kind())
        };
        let vectors = vectors.as_array().unwrap();
        assert_eq!(vectors.len(), 9);
        let mut finals = 0;
        for v in vectors {
            let key: [u8; 32] = hex(&v["key"]).try_into().unwrap();
            let (header, mut sealed) = (hex(&v["header"]), hex(&v["sealed"]));
            let (message, tag) = (hex(&v["message"]), v["tag"].as_u64().unwrap());

            let mut pulled = sealed.clone();
            let mut stream = PullStream::init(
                Header::try_from(header.as_slice()).unwrap(),
                &Key::from(key),
            );
            let pulled_tag = stream.pull(&mut pulled, &[]).expect("opens");
            assert_eq!(u64::from(pulled_tag as u8), tag);
            assert_eq!(pulled, message);

            if pulled_tag == Tag::Final {
                finals += 1;
                assert_eq!(open(&key, &header, &sealed), Ok(message));
            } else {
                assert_eq!(open(&key, &header, &sealed), Err(ErrorKind::ExportDamaged));
            }
            let last = sealed.len() - 1;
            sealed[last] ^= 1;
            assert_eq!(open(&key, &header, &sealed), Err(ErrorKind::WrongPassword));
            sealed[last] ^= 1;
            sealed[0] ^= 1; // the encrypted tag byte is authenticated too
            assert_eq!(open(&key, &header, &sealed), Err(ErrorKind::WrongPassword));
        }
        assert_eq!(finals, 5);
    }

    #[test]
    fn plain_text_export_is_read_as_key_uris() {
        assert_eq!(detect(PLAIN), Some(FormatId::OtpauthText));
        assert_eq!(
            read(PLAIN, None).unwrap(),
            [
                "ok LPSE Kota Contoh|budi.santoso",
                "ok Surel Contoh|siti@contoh.test",
                "ok Steam|pemain",
            ]
        );
    }
}
