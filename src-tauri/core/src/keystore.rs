//! The OS-keyring key slot: the vault's 256-bit data key kept in the platform credential store
//! (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows) through the
//! `keyring` crate.
//!
//! The key is stored as one line of text — standard Base64 of the 32 bytes (44 characters) —
//! under service [`SERVICE`] with the vault id as the user name, so only the key, never the vault,
//! goes to the credential store (Windows limits a credential to 2560 bytes).

use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, ErrorKind, Result};

/// The keyring service name every vault key is stored under.
pub const SERVICE: &str = "spse-authenticator";

/// A 256-bit AES key, zeroized on drop; `Debug` prints nothing of it.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    /// A fresh key from the operating system's CSPRNG.
    pub fn generate() -> Self {
        use rand::RngCore;
        let mut k = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(k.as_mut());
        DataKey(k)
    }

    /// Wraps exactly 32 key bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        DataKey(Zeroizing::new(bytes))
    }

    /// The raw key bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn to_text(&self) -> Zeroizing<String> {
        Zeroizing::new(data_encoding::BASE64.encode(self.0.as_ref()))
    }

    fn from_text(text: &str) -> Option<Self> {
        let mut bytes = data_encoding::BASE64.decode(text.trim().as_bytes()).ok()?;
        let key = if bytes.len() == 32 {
            let mut k = [0u8; 32];
            k.copy_from_slice(&bytes);
            Some(DataKey::from_bytes(k))
        } else {
            None
        };
        bytes.zeroize();
        key
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

/// Where a vault's data key is kept, keyed by vault id.
///
/// `load` distinguishes "no entry" (`Ok(None)`) from "cannot tell" (`Err`): only the former may
/// ever lead to creating a new key, and only when no vault exists yet.
pub trait KeyStore: Send + Sync {
    /// The key for `vault_id`; `Ok(None)` when the store positively has no entry.
    /// Errors: [`ErrorKind::KeyringUnavailable`], [`ErrorKind::KeyringLocked`].
    fn load(&self, vault_id: &str) -> Result<Option<DataKey>>;
    /// Stores (or overwrites) the key for `vault_id`. Same errors as `load`.
    fn store(&self, vault_id: &str, key: &DataKey) -> Result<()>;
    /// Deletes the entry for `vault_id`; no entry is not an error.
    fn delete(&self, vault_id: &str) -> Result<()>;
}

/// The platform credential store via the `keyring` crate.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsKeyring;

fn entry(vault_id: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, vault_id).map_err(map_keyring_error)
}

/// Maps a `keyring` error to the core's error with a message that says what to do.
fn map_keyring_error(err: keyring::Error) -> Error {
    let text = err.to_string();
    let locked = matches!(err, keyring::Error::NoStorageAccess(_))
        || text.to_ascii_lowercase().contains("locked");
    if locked {
        Error::new(
            ErrorKind::KeyringLocked,
            format!(
                "the system keyring is locked or has no default collection ({text}); unlock it \
                 (log in to the desktop session or open your keyring manager) and try again"
            ),
        )
    } else {
        Error::new(
            ErrorKind::KeyringUnavailable,
            format!(
                "the system keyring is unavailable: {text}; start or unlock it (on Linux a Secret \
                 Service such as GNOME Keyring or KWallet must run in your session; on macOS the \
                 Keychain, on Windows the Credential Manager)"
            ),
        )
    }
}

impl KeyStore for OsKeyring {
    fn load(&self, vault_id: &str) -> Result<Option<DataKey>> {
        match entry(vault_id)?.get_password() {
            Ok(text) => {
                let text = Zeroizing::new(text);
                DataKey::from_text(&text).map(Some).ok_or_else(|| {
                    Error::new(
                        ErrorKind::VaultKeyMissing,
                        format!(
                            "the keyring entry '{SERVICE}' / '{vault_id}' does not hold a valid vault \
                             key; it was changed outside this app"
                        ),
                    )
                })
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    fn store(&self, vault_id: &str, key: &DataKey) -> Result<()> {
        entry(vault_id)?
            .set_password(&key.to_text())
            .map_err(map_keyring_error)
    }

    fn delete(&self, vault_id: &str) -> Result<()> {
        match entry(vault_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring_error(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_text_round_trip_and_debug_redacted() {
        let k = DataKey::generate();
        let text = k.to_text();
        assert_eq!(text.len(), 44);
        let back = DataKey::from_text(&text).expect("decodes");
        assert_eq!(back.as_bytes(), k.as_bytes());
        assert!(!format!("{k:?}").contains(text.as_str()));
        assert!(DataKey::from_text("not base64!").is_none());
        assert!(DataKey::from_text("AAAA").is_none());
    }
}
