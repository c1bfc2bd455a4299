//! The vault file: a versioned header followed by the AES-256-GCM ciphertext of the accounts.
//!
//! Layout (all integers little-endian):
//!
//! | bytes            | content                                                        |
//! |------------------|----------------------------------------------------------------|
//! | 0..8             | magic `SPSEAUTH`                                               |
//! | 8..10            | format version, `u16` (currently [`FORMAT_VERSION`])           |
//! | 10..14           | header length `n`, `u32`                                       |
//! | 14..14+n         | header, UTF-8 JSON ([`Header`]: vault id, key slots, nonce)    |
//! | 14+n..           | AES-256-GCM ciphertext ‖ 16-byte tag of the JSON [`Payload`]   |
//!
//! Bytes `0..14+n` are the associated data, so any change to the header — a slot, the nonce, the
//! version — fails authentication. A fresh random 96-bit nonce is drawn on every save. The data key
//! itself is not in the file: each key slot says where it is kept (the OS keyring; a password slot
//! wraps it with a key derived from a password).

use std::fs;
use std::io::Write;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload as AeadPayload};
use aes_gcm::{Aes256Gcm, Nonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Detail, Error, ErrorKind, Result};
use crate::keystore::DataKey;
use crate::otp::{Params, Secret};

/// First 8 bytes of every vault file.
pub const MAGIC: &[u8; 8] = b"SPSEAUTH";
/// The format version this build writes and the newest it reads.
pub const FORMAT_VERSION: u16 = 1;
/// Largest header accepted, in bytes (a guard against a corrupt length field).
const MAX_HEADER: usize = 1 << 20;
const PREFIX: usize = 14;

/// One way to obtain the data key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum KeySlot {
    /// The key is stored in the OS keyring under `service` / `user` (the vault id).
    OsKeyring {
        /// Keyring service name.
        service: String,
        /// Keyring user name (the vault id).
        user: String,
    },
    /// The key is wrapped (AES-256-GCM) with a key derived from a password by Argon2id.
    Password {
        /// Argon2id memory cost in KiB.
        m_cost_kib: u32,
        /// Argon2id iterations.
        t_cost: u32,
        /// Argon2id lanes.
        p_cost: u32,
        /// Salt, standard Base64.
        salt: String,
        /// Nonce of the wrapping, standard Base64 (12 bytes).
        nonce: String,
        /// The wrapped 32-byte data key with its tag, standard Base64 (48 bytes).
        wrapped_key: String,
    },
}

/// The vault's clear-text (but authenticated) header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Random 128-bit id, 32 lower-case hex digits; also the keyring user name.
    pub vault_id: String,
    /// When the vault was created, Unix seconds.
    pub created: i64,
    /// The ways to obtain the data key, at least one.
    pub slots: Vec<KeySlot>,
    /// Nonce of the payload encryption, standard Base64 (12 bytes); replaced on every save.
    pub nonce: String,
}

impl Header {
    /// A new header with a random vault id, creation time `now` (Unix seconds) and one OS-keyring
    /// slot under `service`.
    pub fn new(now: i64, service: &str) -> Self {
        use rand::RngCore;
        let mut id = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut id);
        let vault_id = data_encoding::HEXLOWER.encode(&id);
        Header {
            slots: vec![KeySlot::OsKeyring {
                service: service.to_string(),
                user: vault_id.clone(),
            }],
            vault_id,
            created: now,
            nonce: String::new(),
        }
    }

    /// The password slot, if the vault has one.
    pub fn password_slot(&self) -> Option<&KeySlot> {
        self.slots
            .iter()
            .find(|s| matches!(s, KeySlot::Password { .. }))
    }
}

/// One stored account: everything needed to generate its codes. `Debug` redacts the secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAccount {
    /// Short random id, 8 lower-case hex digits, unique in the vault.
    pub id: String,
    /// Issuer (LPSE).
    pub issuer: String,
    /// Account name (SPSE user ID).
    pub account: String,
    /// The shared secret, Base32 in the encrypted payload.
    #[serde(with = "secret_base32")]
    pub secret: Secret,
    /// Code parameters.
    #[serde(flatten)]
    pub params: Params,
    /// When the account was added or last re-enrolled, Unix seconds.
    pub added_at: i64,
}

impl std::fmt::Debug for StoredAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredAccount")
            .field("id", &self.id)
            .field("issuer", &self.issuer)
            .field("account", &self.account)
            .field("secret", &self.secret)
            .field("params", &self.params)
            .finish()
    }
}

mod secret_base32 {
    use crate::otp::Secret;
    use serde::{Deserialize, Deserializer, Serializer};
    use zeroize::Zeroizing;

    pub fn serialize<S: Serializer>(s: &Secret, ser: S) -> Result<S::Ok, S::Error> {
        let text = Zeroizing::new(s.to_base32());
        ser.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Secret, D::Error> {
        let text = Zeroizing::new(String::deserialize(de)?);
        Secret::from_base32(&text).map_err(|e| serde::de::Error::custom(e.message().to_string()))
    }
}

/// The encrypted content of the vault.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    /// Every account, in no particular order.
    pub accounts: Vec<StoredAccount>,
}

fn damaged(path: &Path, why: &str) -> Error {
    Error::new(
        ErrorKind::VaultDamaged,
        format!(
            "vault damaged: the vault {} is damaged ({why}); it was left untouched",
            path.display()
        ),
    )
    .with_detail(Detail::Path(path.to_path_buf()))
}

/// Splits a vault file into its header and the offset where the ciphertext starts.
///
/// Errors: [`ErrorKind::VaultDamaged`] (bad magic, truncated, bad JSON),
/// [`ErrorKind::VaultUnsupported`] (a newer format version). `path` is only for messages.
pub fn read_header(bytes: &[u8], path: &Path) -> Result<(Header, usize)> {
    if bytes.is_empty() {
        return Err(damaged(path, "the file is empty"));
    }
    if bytes.len() < PREFIX || &bytes[..8] != MAGIC {
        return Err(damaged(
            path,
            "it is not an SPSE Authenticator vault or it is truncated",
        ));
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version > FORMAT_VERSION {
        return Err(Error::new(
            ErrorKind::VaultUnsupported,
            format!(
                "the vault {} has format version {version}, newer than this app reads ({FORMAT_VERSION}); update SPSE Authenticator",
                path.display()
            ),
        )
        .with_detail(Detail::Path(path.to_path_buf())));
    }
    if version == 0 {
        return Err(damaged(path, "format version 0"));
    }
    let len = u32::from_le_bytes([bytes[10], bytes[11], bytes[12], bytes[13]]) as usize;
    if len > MAX_HEADER || PREFIX + len > bytes.len() {
        return Err(damaged(path, "the header is truncated"));
    }
    let header: Header = serde_json::from_slice(&bytes[PREFIX..PREFIX + len])
        .map_err(|e| damaged(path, &format!("unreadable header: {e}")))?;
    let id_ok = header.vault_id.len() == 32
        && header
            .vault_id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !id_ok {
        return Err(damaged(path, "the vault id in the header is malformed"));
    }
    if header.slots.is_empty() {
        return Err(damaged(path, "the header lists no key slot"));
    }
    Ok((header, PREFIX + len))
}

fn cipher(key: &DataKey) -> Aes256Gcm {
    Aes256Gcm::new(key.as_bytes().into())
}

/// Encrypts `payload` with `key` under `header` (whose nonce is replaced by a fresh random one)
/// and returns the complete file content.
pub fn seal(header: &mut Header, key: &DataKey, payload: &Payload) -> Result<Vec<u8>> {
    use rand::RngCore;
    let mut nonce = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    header.nonce = data_encoding::BASE64.encode(&nonce);
    let header_json = serde_json::to_vec(header).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("cannot serialise the vault header: {e}"),
        )
    })?;
    let mut out = Vec::with_capacity(PREFIX + header_json.len() + 256);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(header_json.len() as u32).to_le_bytes());
    out.extend_from_slice(&header_json);
    let plain = serialise_exactly(payload)?;
    let ct = cipher(key)
        .encrypt(
            Nonce::from_slice(&nonce),
            AeadPayload {
                msg: &plain,
                aad: &out,
            },
        )
        .map_err(|_| Error::new(ErrorKind::Io, "encryption of the vault failed"))?;
    out.extend_from_slice(&ct);
    Ok(out)
}

/// The accounts as JSON in a buffer allocated once at its exact length (measured by a first,
/// counting pass), so that serialising never grows the buffer and leaves freed, un-zeroized copies
/// of the secrets behind; the buffer is zeroized on drop. (The Base32 text of each secret is built
/// and zeroized by `secret_base32`.)
fn serialise_exactly(payload: &Payload) -> Result<Zeroizing<Vec<u8>>> {
    /// An `io::Write` that only counts bytes.
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let failed = |e: serde_json::Error| {
        Error::new(ErrorKind::Io, format!("cannot serialise the accounts: {e}"))
    };
    let mut count = Count(0);
    serde_json::to_writer(&mut count, payload).map_err(failed)?;
    let mut plain = Zeroizing::new(Vec::with_capacity(count.0));
    serde_json::to_writer(&mut *plain, payload).map_err(failed)?;
    debug_assert_eq!(plain.len(), plain.capacity(), "the buffer never grew");
    Ok(plain)
}

/// Decrypts a vault file's `bytes` with `key`.
///
/// Errors: those of [`read_header`]; [`ErrorKind::VaultDamaged`] when authentication fails (a
/// flipped bit, a truncated file, or the wrong key) or the decrypted JSON is unreadable.
pub fn open(bytes: &[u8], key: &DataKey, path: &Path) -> Result<(Header, Payload)> {
    let (header, start) = read_header(bytes, path)?;
    let nonce = data_encoding::BASE64
        .decode(header.nonce.as_bytes())
        .ok()
        .filter(|n| n.len() == 12)
        .ok_or_else(|| damaged(path, "bad nonce in the header"))?;
    let plain = Zeroizing::new(
        cipher(key)
            .decrypt(
                Nonce::from_slice(&nonce),
                AeadPayload {
                    msg: &bytes[start..],
                    aad: &bytes[..start],
                },
            )
            .map_err(|_| {
                damaged(
                    path,
                    "authentication failed: the file was changed or truncated, or the key does not belong to it",
                )
            })?,
    );
    let payload: Payload = serde_json::from_slice(&plain)
        .map_err(|e| damaged(path, &format!("unreadable accounts after decryption: {e}")))?;
    Ok((header, payload))
}

/// Replaces `path` with `bytes` atomically: write a temporary file in the same folder, fsync it,
/// rename it over `path`, fsync the folder (Unix; Windows has no folder fsync, NTFS journals the
/// rename). On any error the previous file is untouched and the temporary file removed.
///
/// Windows: while another program (a virus scanner, a backup or sync tool, an editor) holds
/// `path` open without delete sharing, the replacing rename fails with a sharing violation; it is
/// retried for up to [`REPLACE_WAIT`], then the error says the file is in use. Unix renames never
/// wait: an open file does not stop them.
///
/// Errors: [`ErrorKind::StorageFull`] or [`ErrorKind::Io`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "vault".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        replace_file(&tmp, path)?;
        #[cfg(unix)]
        fs::File::open(dir)?.sync_all()?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io("saving", path, &e));
    }
    Ok(())
}

/// How long a save waits on Windows for another program to close the vault file.
pub const REPLACE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Renames `from` over `to`; on Windows retried while `to` is in use (see [`write_atomic`]).
fn replace_file(from: &Path, to: &Path) -> std::io::Result<()> {
    #[cfg(windows)]
    {
        let deadline = std::time::Instant::now() + REPLACE_WAIT;
        let mut pause = std::time::Duration::from_millis(10);
        loop {
            match fs::rename(from, to) {
                Err(e) if crate::error::file_in_use(&e) && std::time::Instant::now() < deadline => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(std::time::Duration::from_millis(200));
                }
                other => return other,
            }
        }
    }
    #[cfg(not(windows))]
    fs::rename(from, to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::Secret;

    fn sample() -> Payload {
        Payload {
            accounts: vec![StoredAccount {
                id: "0a1b2c3d".into(),
                issuer: "LPSE Kota Fiktif".into(),
                account: "PPK.UJI-01".into(),
                secret: Secret::from_base32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").expect("valid"),
                params: Params::default(),
                added_at: 1_700_000_000,
            }],
        }
    }

    #[test]
    fn the_payload_is_serialised_into_one_exact_allocation() {
        let plain = serialise_exactly(&sample()).expect("serialise");
        assert_eq!(plain.len(), plain.capacity());
        assert_eq!(*plain, serde_json::to_vec(&sample()).expect("json"));
    }

    #[test]
    fn seal_open_round_trip_and_fresh_nonce() {
        let key = DataKey::generate();
        let mut h = Header::new(1, "svc");
        let a = seal(&mut h, &key, &sample()).expect("seal");
        let n1 = h.nonce.clone();
        let b = seal(&mut h, &key, &sample()).expect("seal");
        assert_ne!(n1, h.nonce);
        assert_ne!(a, b);
        let (h2, p) = open(&b, &key, Path::new("v")).expect("open");
        assert_eq!(h2, h);
        assert_eq!(p, sample());
    }

    #[test]
    fn steam_accounts_round_trip_and_older_payloads_still_read() {
        let mut payload = sample();
        let mut steam = payload.accounts[0].clone();
        steam.id = "0a1b2c3e".into();
        steam.params = Params::steam();
        payload.accounts.push(steam);
        let json = serde_json::to_value(&payload).expect("json");
        assert_eq!(json["accounts"][1]["type"], "steam");
        assert_eq!(json["accounts"][1]["digits"], 5);
        let key = DataKey::generate();
        let mut h = Header::new(1, "svc");
        let bytes = seal(&mut h, &key, &payload).expect("seal");
        let (_, opened) = open(&bytes, &key, Path::new("v")).expect("open");
        assert_eq!(opened, payload);
        // A payload written before Steam Guard existed (TOTP and HOTP only) reads unchanged.
        let old = r#"{"accounts":[{"id":"0a1b2c3d","issuer":"LPSE Kota Fiktif","account":"PPK.UJI-01",
            "secret":"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP","type":"totp","algorithm":"SHA1","digits":6,
            "period":30,"counter":0,"added_at":1700000000},{"id":"0a1b2c3f","issuer":"","account":"h",
            "secret":"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP","type":"hotp","algorithm":"SHA256","digits":8,
            "period":30,"counter":7,"added_at":1700000000}]}"#;
        let read: Payload = serde_json::from_str(old).expect("old payload");
        assert_eq!(read.accounts[0], sample().accounts[0]);
        assert_eq!(read.accounts[1].params.otp_type, crate::otp::OtpType::Hotp);
    }

    #[test]
    fn every_flipped_byte_is_detected() {
        let key = DataKey::generate();
        let mut h = Header::new(1, "svc");
        let bytes = seal(&mut h, &key, &sample()).expect("seal");
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x01;
            let err = open(&bad, &key, Path::new("v")).expect_err("must fail");
            assert!(
                matches!(
                    err.kind(),
                    ErrorKind::VaultDamaged | ErrorKind::VaultUnsupported
                ),
                "byte {i}: {err}"
            );
        }
        for cut in [0, 5, 13, 20, bytes.len() - 1] {
            assert!(open(&bytes[..cut], &key, Path::new("v")).is_err());
        }
        let other = DataKey::generate();
        assert_eq!(
            open(&bytes, &other, Path::new("v"))
                .expect_err("wrong key")
                .kind(),
            ErrorKind::VaultDamaged
        );
    }

    #[test]
    fn debug_never_shows_secret() {
        let p = sample();
        let dbg = format!("{p:?}");
        assert!(!dbg.contains("JBSWY3DP"), "{dbg}");
    }

    #[test]
    fn write_atomic_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("vault.spse");
        write_atomic(&path, b"one").expect("write");
        write_atomic(&path, b"two").expect("write");
        assert_eq!(fs::read(&path).expect("read"), b"two");
        assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 1);
    }

    /// Windows: the replace waits while another handle holds the file open without delete
    /// sharing, and succeeds once it is closed.
    #[cfg(windows)]
    #[test]
    fn write_atomic_waits_for_a_file_held_open_without_delete_sharing() {
        use std::os::windows::fs::OpenOptionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("vault.spse");
        write_atomic(&path, b"one").expect("write");
        // FILE_SHARE_READ | FILE_SHARE_WRITE, no FILE_SHARE_DELETE: a rename over it must fail.
        let held = fs::OpenOptions::new()
            .read(true)
            .share_mode(1 | 2)
            .open(&path)
            .expect("open");
        let t0 = std::time::Instant::now();
        let closer = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(400));
            drop(held);
        });
        write_atomic(&path, b"two").expect("write once the file is closed");
        closer.join().expect("join");
        assert!(
            t0.elapsed() >= std::time::Duration::from_millis(350),
            "did not wait"
        );
        assert_eq!(fs::read(&path).expect("read"), b"two");
        assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 1);
    }

    /// Windows: a file held open for longer than [`REPLACE_WAIT`] gives a clear "in use" error;
    /// the previous bytes stay and no temporary file is left.
    #[cfg(windows)]
    #[test]
    fn write_atomic_gives_up_on_a_file_held_open_too_long() {
        use std::os::windows::fs::OpenOptionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("vault.spse");
        write_atomic(&path, b"one").expect("write");
        let held = fs::OpenOptions::new()
            .read(true)
            .share_mode(1 | 2)
            .open(&path)
            .expect("open");
        let err = write_atomic(&path, b"two").expect_err("the file is in use");
        drop(held);
        assert_eq!(err.kind(), ErrorKind::Io);
        assert!(
            err.message()
                .contains("another program may have the file open"),
            "{}",
            err.message()
        );
        assert_eq!(fs::read(&path).expect("read"), b"one");
        assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 1);
    }
}
