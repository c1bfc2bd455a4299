//! Ente Auth's encrypted export (its plain-text export is read by [`super::text`]).
//!
//! Sources followed: Ente's documentation "Exporting your data out of Ente Auth" (ente-io/ente),
//! section "Auth Encrypted Export format", and libsodium's documentation and source of
//! `crypto_pwhash` and `crypto_secretstream_xchacha20poly1305`:
//! - The file: `{"version": 1, "kdfParams": {"memLimit", "opsLimit", "salt"}, "encryptedData",
//!   "encryptionNonce"}` (binary values in Base64).
//! - The key: libsodium `crypto_pwhash` with Argon2id v1.3 = Argon2id(password, salt (16 bytes),
//!   memory `memLimit` bytes, `opsLimit` passes, 1 lane, 32 bytes).
//! - The data: one message of a libsodium secretstream (XChaCha20-Poly1305) whose 24-byte header
//!   is `encryptionNonce`, tagged FINAL; the plaintext is the plain-text export (Key URIs, one a
//!   line).
//!
//! The secretstream is built here from RustCrypto's `chacha20` (HChaCha20, ChaCha20) and
//! `poly1305`, decryption only, exactly as libsodium's `crypto_secretstream_xchacha20poly1305_pull`
//! computes it (see `open_secretstream`); its fixture is made by libsodium itself (PyNaCl).
//!
//! Memory bound: the Argon2 memory comes from the file; more than [`MAX_ARGON2_BYTES`] (1 GiB,
//! what Ente asks on capable phones) or memory × passes over [`MAX_ARGON2_WORK`] is refused with
//! [`crate::ErrorKind::ExportUnsupported`] before anything is allocated.

use chacha20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use chacha20::ChaCha20;
use poly1305::universal_hash::KeyInit;
use poly1305::Poly1305;
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
/// libsodium secretstream's FINAL tag.
const TAG_FINAL: u8 = 3;

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
        if salt.len() != 16 || header.len() != 24 || data.len() < 17 {
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
        let mut key = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(password.as_bytes(), &salt, key.as_mut())
            .map_err(|_| damaged(NAME, "its key-derivation parameters are invalid"))?;
        let (tag, plain) =
            open_secretstream(&key, &header, &data).ok_or_else(|| wrong_password(NAME, true))?;
        if tag != TAG_FINAL {
            return Err(damaged(NAME, "its data is incomplete (truncated)"));
        }
        let text = std::str::from_utf8(&plain)
            .map_err(|_| damaged(NAME, "its decrypted content is not text"))?;
        Ok(super::text::entries(text))
    }
}

/// The first message of a libsodium `crypto_secretstream_xchacha20poly1305` stream (no
/// associated data): `(tag, plaintext)`, or `None` when it does not authenticate.
///
/// As libsodium's `init_pull` and `pull`: subkey = HChaCha20(key, header[0..16]); nonce =
/// counter 1 (32-bit little-endian) ‖ header[16..24]; Poly1305 key = the first 32 bytes of the
/// ChaCha20 block 0; the tag byte `c[0]` is decrypted with block 1, whose 64 bytes (with `c[0]`
/// in place) are authenticated, then the ciphertext, `mlen mod 16` zero bytes (libsodium's
/// padding), the associated-data length (0) and `64 + mlen`, each as 64-bit little-endian; the
/// message is decrypted from block 2 on. `c` = tag byte ‖ ciphertext ‖ 16-byte MAC.
fn open_secretstream(key: &[u8; 32], header: &[u8], c: &[u8]) -> Option<(u8, Zeroizing<Vec<u8>>)> {
    if header.len() != 24 || c.len() < 17 {
        return None;
    }
    let mlen = c.len() - 17;
    let mut derived =
        chacha20::hchacha::<chacha20::cipher::consts::U10>(key.into(), header[..16].into());
    let mut subkey = Zeroizing::new([0u8; 32]);
    subkey.copy_from_slice(&derived);
    zeroize::Zeroize::zeroize(derived.as_mut_slice());
    let mut nonce = [0u8; 12];
    nonce[0] = 1;
    nonce[4..].copy_from_slice(&header[16..24]);
    let mut cipher = ChaCha20::new(subkey.as_ref().into(), &nonce.into());
    let mut block = Zeroizing::new([0u8; 64]);
    cipher.apply_keystream(block.as_mut());
    let poly = Poly1305::new(poly1305::Key::from_slice(&block[..32]));

    let mut mac_input = Zeroizing::new(Vec::with_capacity(64 + mlen + 16 + 16));
    block.fill(0);
    block[0] = c[0];
    cipher.seek(64u64);
    cipher.apply_keystream(block.as_mut());
    let tag = block[0];
    block[0] = c[0];
    mac_input.extend_from_slice(block.as_ref());
    mac_input.extend_from_slice(&c[1..1 + mlen]);
    let padded = mac_input.len() + (mlen & 0xf);
    mac_input.resize(padded, 0);
    mac_input.extend_from_slice(&0u64.to_le_bytes());
    mac_input.extend_from_slice(&(64 + mlen as u64).to_le_bytes());
    let mac = poly.compute_unpadded(&mac_input);
    let expected = &c[1 + mlen..];
    let diff = mac
        .iter()
        .zip(expected)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if diff != 0 {
        return None;
    }
    let mut plain = Zeroizing::new(c[1..1 + mlen].to_vec());
    cipher.seek(128u64);
    cipher.apply_keystream(&mut plain);
    Some((tag, plain))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_common_fixture, read, COMMON_EXPECTED, PASSWORD};
    use super::super::{detect, FormatId};
    use crate::ErrorKind;

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
        let i = data.len() / 2;
        let flipped = if &data[i..=i] == "A" { "B" } else { "A" };
        let tampered = format!("{}{flipped}{}", &data[..i], &data[i + 1..]);
        for bad in [tampered.as_str(), &data[..data.len() - 8], "AAAA"] {
            let kind = read(text.replacen(data, bad, 1).as_bytes(), Some(PASSWORD)).unwrap_err();
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

    #[test]
    fn secretstream_matches_libsodium_for_every_padding() {
        let vectors: serde_json::Value =
            serde_json::from_str(include_str!("fixtures/ente_secretstream_vectors.json")).unwrap();
        let hex = |v: &serde_json::Value| {
            data_encoding::HEXLOWER
                .decode(v.as_str().unwrap().as_bytes())
                .unwrap()
        };
        let vectors = vectors.as_array().unwrap();
        assert_eq!(vectors.len(), 9);
        for v in vectors {
            let key: [u8; 32] = hex(&v["key"]).try_into().unwrap();
            let (header, mut sealed) = (hex(&v["header"]), hex(&v["sealed"]));
            let (tag, plain) = super::open_secretstream(&key, &header, &sealed).expect("opens");
            assert_eq!(u64::from(tag), v["tag"].as_u64().unwrap());
            assert_eq!(*plain, hex(&v["message"]));
            let last = sealed.len() - 1;
            sealed[last] ^= 1;
            assert!(super::open_secretstream(&key, &header, &sealed).is_none());
            sealed[last] ^= 1;
            sealed[0] ^= 1; // the encrypted tag byte is authenticated too
            assert!(super::open_secretstream(&key, &header, &sealed).is_none());
        }
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
