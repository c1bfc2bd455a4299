//! The keys of a vault: the OS-keyring key slot, the recovery-password slot, creating a vault
//! (and its key), and the start-up status.
//!
//! Invariants: a key is written to the keyring only for a brand-new vault id the keyring positively
//! has no entry for, and is read back before anything is saved; a key obtained with the recovery
//! password stays in memory only; the recovery password is removed only while the keyring holds
//! this vault's key.

use super::{KeyringState, Loaded, Store, VaultStatus};
use crate::error::{Detail, Error, ErrorKind, Result};
use crate::keystore::{DataKey, SERVICE};
use crate::recovery::{self, KdfParams};
use crate::vault::{self, Header, KeySlot, Payload};

impl Store {
    /// The key for a vault id: the loaded one, the password-unlocked one, or the keyring's.
    /// `Ok(None)` when none is available (no entry, or one that holds no valid key); `Err` only
    /// when the keyring could not be asked ([`ErrorKind::KeyringUnavailable`],
    /// [`ErrorKind::KeyringLocked`]), so that a caller never says "no key" for "no keyring".
    pub(super) fn try_key(&self, vault_id: &str) -> Result<Option<DataKey>> {
        if let Some(l) = &self.loaded {
            if l.header.vault_id == vault_id {
                return Ok(Some(l.key.clone()));
            }
        }
        if let Some((id, k)) = &self.password_key {
            if id == vault_id {
                return Ok(Some(k.clone()));
            }
        }
        match self.keystore.load(vault_id) {
            Ok(key) => Ok(key),
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::KeyringUnavailable | ErrorKind::KeyringLocked
                ) =>
            {
                Err(e)
            }
            Err(_) => Ok(None),
        }
    }

    pub(super) fn key_for(&self, header: &Header) -> Result<DataKey> {
        if let Some((id, k)) = &self.password_key {
            if *id == header.vault_id {
                return Ok(k.clone());
            }
        }
        let has_password = header.password_slot().is_some();
        // How to give the password is each front end's to say (by the kind and
        // Detail::RecoveryPassword).
        let hint = if has_password {
            "; this vault has a recovery password: open it with the password"
        } else {
            " (restore the keyring entry; this vault has no recovery password)"
        };
        match self.keystore.load(&header.vault_id) {
            Ok(Some(k)) => Ok(k),
            Ok(None) => Err(Error::new(
                ErrorKind::VaultKeyMissing,
                format!(
                    "vault key missing: the system keyring has no entry '{SERVICE}' / '{}' for the vault {}; \
                     the vault was left untouched and no new key was written{hint}",
                    header.vault_id,
                    self.vault_path().display()
                ),
            )
            .with_detail(if has_password {
                Detail::RecoveryPassword(self.vault_path())
            } else {
                Detail::Path(self.vault_path())
            })),
            Err(e) if has_password => {
                let message = format!("{}{hint}", e.message());
                Err(Error::new(e.kind(), message)
                    .with_detail(Detail::RecoveryPassword(self.vault_path())))
            }
            Err(e) => Err(e),
        }
    }

    /// Prepares a new vault in memory (first `add`): checks the keyring has no entry for a fresh
    /// vault id, stores a new key and reads it back. The caller's save writes the file, so the
    /// first vault on disk already holds the first accounts (and no empty vault is backed up).
    pub(super) fn create(&mut self) -> Result<()> {
        let now = self.now_secs();
        let header = Header::new(now, SERVICE);
        if self.keystore.load(&header.vault_id)?.is_some() {
            return Err(Error::new(
                ErrorKind::KeyringUnavailable,
                "the system keyring already holds a key for a brand-new vault id; refusing to continue",
            ));
        }
        let key = DataKey::generate();
        self.keystore.store(&header.vault_id, &key)?;
        match self.keystore.load(&header.vault_id)? {
            Some(k) if k.as_bytes() == key.as_bytes() => {}
            _ => {
                return Err(Error::new(
                    ErrorKind::KeyringUnavailable,
                    "the system keyring did not keep the vault key (it read back differently); \
                     nothing was saved — check that your keyring stores secrets persistently",
                ))
            }
        }
        self.loaded = Some(Loaded {
            header,
            key,
            payload: Payload::default(),
            raw: Vec::new(),
        });
        Ok(())
    }

    /// Start-up state, without decrypting anything and without ever writing: does a vault exist,
    /// does the keyring hold its key, does it have a recovery password. The app calls this first:
    /// `ready` → go on; `!ready && has_recovery_password` → ask for the password
    /// ([`unlock_with_password`](Self::unlock_with_password)); `!ready` without one → show the
    /// "vault key missing" error (re-enrol, or restore the keyring entry).
    ///
    /// Errors: [`ErrorKind::VaultDamaged`] (with the newest good backup named) when even the
    /// header is unreadable, [`ErrorKind::VaultUnsupported`], I/O.
    pub fn status(&mut self) -> Result<VaultStatus> {
        let _g = self.lock_file(false)?;
        let backups = self.backup_ids().len();
        let Some(bytes) = self.read_vault()? else {
            return Ok(VaultStatus {
                exists: false,
                vault_id: None,
                has_recovery_password: false,
                keyring: KeyringState::NotChecked,
                unlocked_with_password: false,
                ready: true,
                backups,
            });
        };
        let (header, _) =
            vault::read_header(&bytes, &self.vault_path()).map_err(|e| self.offer_backup(e))?;
        let keyring = match self.keystore.load(&header.vault_id) {
            Ok(Some(_)) => KeyringState::HasKey,
            Ok(None) => KeyringState::NoEntry,
            Err(e) if e.kind() == ErrorKind::KeyringLocked => KeyringState::Locked,
            Err(_) => KeyringState::Unavailable,
        };
        let unlocked = matches!(&self.password_key, Some((id, _)) if *id == header.vault_id);
        Ok(VaultStatus {
            exists: true,
            has_recovery_password: header.password_slot().is_some(),
            keyring,
            unlocked_with_password: unlocked,
            ready: unlocked || keyring == KeyringState::HasKey,
            vault_id: Some(header.vault_id),
            backups,
        })
    }

    /// True when the vault exists and has a recovery-password slot (reads only the header).
    pub fn has_recovery_password(&mut self) -> Result<bool> {
        let _g = self.lock_file(false)?;
        let Some(bytes) = self.read_vault()? else {
            return Ok(false);
        };
        let (header, _) = vault::read_header(&bytes, &self.vault_path())?;
        Ok(header.password_slot().is_some())
    }

    /// Opens the vault with its recovery password (when the keyring entry is missing or the keyring
    /// is unavailable). On success this `Store` keeps the key in memory for its lifetime and every
    /// operation works; the keyring is not touched — call
    /// [`restore_keyring_key`](Self::restore_keyring_key) to store the key there again (ask the
    /// user first). Takes about half a second (Argon2id).
    ///
    /// Errors: [`ErrorKind::WrongPassword`] (nothing changed), [`ErrorKind::VaultKeyMissing`]
    /// when the vault has no recovery password, [`ErrorKind::NotFound`] when there is no vault,
    /// [`ErrorKind::VaultDamaged`], I/O.
    pub fn unlock_with_password(&mut self, password: &str) -> Result<()> {
        let _g = self.lock_file(false)?;
        let path = self.vault_path();
        let bytes = self.read_vault()?.ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                "there is no vault yet: nothing to unlock",
            )
        })?;
        let (header, _) = vault::read_header(&bytes, &path).map_err(|e| self.offer_backup(e))?;
        let slot = header.password_slot().ok_or_else(|| {
            Error::new(
                ErrorKind::VaultKeyMissing,
                format!(
                    "vault key missing: the vault {} has no recovery password, so a password cannot \
                     open it; restore its keyring entry '{SERVICE}' / '{}'",
                    path.display(),
                    header.vault_id
                ),
            )
        })?;
        let key = recovery::unwrap(password, slot, &header.vault_id)?;
        let (header, payload) =
            vault::open(&bytes, &key, &path).map_err(|e| self.offer_backup(e))?;
        self.password_key = Some((header.vault_id.clone(), key.clone()));
        self.loaded = Some(Loaded {
            header,
            key,
            payload,
            raw: bytes,
        });
        Ok(())
    }

    /// Checks `password` against the vault's recovery-password slot without changing anything
    /// (the app's lock screen uses it). Takes about half a second (Argon2id).
    ///
    /// Errors: [`ErrorKind::WrongPassword`], [`ErrorKind::VaultKeyMissing`] when the vault has no
    /// recovery password, [`ErrorKind::NotFound`] when there is no vault, [`ErrorKind::VaultDamaged`],
    /// I/O.
    pub fn verify_recovery_password(&mut self, password: &str) -> Result<()> {
        let _g = self.lock_file(false)?;
        let path = self.vault_path();
        let bytes = self
            .read_vault()?
            .ok_or_else(|| Error::new(ErrorKind::NotFound, "there is no vault yet"))?;
        let (header, _) = vault::read_header(&bytes, &path)?;
        let slot = header.password_slot().ok_or_else(|| {
            Error::new(
                ErrorKind::VaultKeyMissing,
                "the vault has no recovery password to check",
            )
        })?;
        recovery::unwrap(password, slot, &header.vault_id).map(|_| ())
    }

    /// Stores the vault's key (as opened, e.g. with the recovery password) in the OS keyring again
    /// and reads it back. After this the vault opens without a password.
    ///
    /// Errors: keyring errors ([`ErrorKind::KeyringUnavailable`], [`ErrorKind::KeyringLocked`]),
    /// [`ErrorKind::VaultKeyMissing`] when the key is not known, vault errors.
    pub fn restore_keyring_key(&mut self) -> Result<()> {
        let _g = self.lock_file(false)?;
        if !self.load()? {
            return Err(Error::new(ErrorKind::NotFound, "there is no vault yet"));
        }
        let l = self
            .loaded
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::Io, "internal: vault not loaded"))?;
        let id = l.header.vault_id.clone();
        let key = l.key.clone();
        self.keystore.store(&id, &key)?;
        match self.keystore.load(&id)? {
            Some(k) if k.as_bytes() == key.as_bytes() => Ok(()),
            _ => Err(Error::new(
                ErrorKind::KeyringUnavailable,
                "the system keyring did not keep the vault key (it read back differently)",
            )),
        }
    }

    /// Sets or changes the recovery password: the data key is wrapped with an Argon2id-derived key
    /// ([`KdfParams::DEFAULT`]) in the vault header. Only the slot changes (the file is saved
    /// again, the previous one kept as a backup). Needs the vault open (keyring key, or unlocked).
    ///
    /// Errors: [`ErrorKind::InvalidInput`] (shorter than [`recovery::MIN_PASSWORD_CHARS`]),
    /// [`ErrorKind::NotFound`] when there is no vault yet, and those of `list`.
    pub fn set_recovery_password(&mut self, password: &str) -> Result<()> {
        recovery::check_new_password(password)?;
        let _g = self.lock_file(true)?;
        if !self.load()? {
            return Err(Error::new(
                ErrorKind::NotFound,
                "there is no vault yet: add an account first, then set the recovery password",
            ));
        }
        self.change_and_save(|l| {
            let slot = recovery::wrap(password, &l.key, &l.header.vault_id, KdfParams::DEFAULT)?;
            l.header
                .slots
                .retain(|s| !matches!(s, KeySlot::Password { .. }));
            l.header.slots.push(slot);
            Ok(())
        })
    }

    /// Removes the recovery password. Refused unless the keyring holds this vault's key right now
    /// (otherwise the vault could no longer be opened at all). Returns false when there was none.
    ///
    /// Errors: [`ErrorKind::VaultKeyMissing`] (keyring has no or another key), keyring errors,
    /// and those of `list`.
    pub fn remove_recovery_password(&mut self) -> Result<bool> {
        let _g = self.lock_file(true)?;
        if !self.load()? {
            return Ok(false);
        }
        let l = self
            .loaded
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::Io, "internal: vault not loaded"))?;
        if l.header.password_slot().is_none() {
            return Ok(false);
        }
        match self.keystore.load(&l.header.vault_id)? {
            Some(k) if k.as_bytes() == l.key.as_bytes() => {}
            _ => {
                return Err(Error::new(
                    ErrorKind::VaultKeyMissing,
                    "the system keyring does not hold this vault's key, so without the recovery \
                     password nothing could open the vault; store the key in the keyring again \
                     first (nothing was changed)",
                ))
            }
        }
        self.change_and_save(|l| {
            l.header
                .slots
                .retain(|s| !matches!(s, KeySlot::Password { .. }));
            Ok(())
        })?;
        Ok(true)
    }
}
