//! Automatic backups in `backups/`: every save keeps the previous vault file byte for byte
//! (`vault-<UTC time>-<nonce start>.spse`), the newest [`BACKUPS_KEPT`] are kept, and a backup can
//! be restored (the current file, even a damaged one, becoming a backup first).
//!
//! Invariants: backup ids are checked against a strict pattern before any path is built from them;
//! a backup is restored only when it opens with a key available now.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::file::{create_private_dir, remove_stray_temps};
use super::{BackupInfo, Loaded, Store, BACKUPS_KEPT, BACKUP_DIR, VAULT_FILE};
use crate::error::{Detail, Error, ErrorKind, Result};
use crate::keystore::DataKey;
use crate::vault;

impl Store {
    /// Adds the newest backup that opens to a [`ErrorKind::VaultDamaged`] error: named in the
    /// message, its id in [`Detail::NewestBackup`] (how to restore it is the front end's to say).
    pub(super) fn offer_backup(&self, err: Error) -> Error {
        if err.kind() != ErrorKind::VaultDamaged {
            return err;
        }
        let (extra, detail) = match self.newest_good_backup_under_lock() {
            Ok(Some(b)) => (
                format!(
                    "; the newest backup that opens is {} ({} account(s), taken {}); restoring it \
                     keeps the damaged file as a backup",
                    b.id,
                    b.accounts.unwrap_or(0),
                    fmt_time(b.created),
                ),
                Detail::NewestBackup(b.id),
            ),
            Ok(None) => (
                "; no backup opens with the keys available: re-enrol the accounts (SPSE \
                 \"Reset TOTP\" by e-mail for each LPSE)"
                    .to_string(),
                err.detail.clone(),
            ),
            Err(keyring) => (
                format!("; the backups could not be checked: {}", keyring.message()),
                err.detail.clone(),
            ),
        };
        let message = format!("{}{extra}", err.message());
        Error::new(ErrorKind::VaultDamaged, message).with_detail(detail)
    }

    pub(super) fn backup_dir(&self) -> PathBuf {
        self.dir.join(BACKUP_DIR)
    }

    /// Copies `bytes` (a vault file as it was on disk) to a new backup; returns its id.
    pub(super) fn write_backup(&self, bytes: &[u8]) -> Result<String> {
        let dir = self.backup_dir();
        create_private_dir(&dir)?;
        remove_stray_temps(&dir, ".vault-");
        let tag = vault::read_header(bytes, Path::new(""))
            .ok()
            .and_then(|(h, _)| data_encoding::BASE64.decode(h.nonce.as_bytes()).ok())
            .filter(|n| n.len() >= 4)
            .map(|n| data_encoding::HEXLOWER.encode(&n[..4]))
            .unwrap_or_else(|| {
                use rand::RngCore;
                let mut b = [0u8; 4];
                rand::rngs::OsRng.fill_bytes(&mut b);
                data_encoding::HEXLOWER.encode(&b)
            });
        // The name carries the backed-up file's nonce, so two backups in one millisecond share a
        // name only when they hold the same bytes.
        let millis = i64::try_from(self.clock.now_millis()).unwrap_or(i64::MAX);
        let stamp = chrono::DateTime::from_timestamp_millis(millis)
            .unwrap_or_default()
            .format("%Y%m%dT%H%M%S%3fZ");
        let id = format!("{stamp}-{tag}");
        vault::write_atomic(&dir.join(format!("vault-{id}.spse")), bytes)?;
        Ok(id)
    }

    /// Backup ids, oldest first (names sort by time).
    pub(super) fn backup_ids(&self) -> Vec<String> {
        let Ok(rd) = fs::read_dir(self.backup_dir()) else {
            return vec![];
        };
        let mut ids: Vec<String> = rd
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let id = name.strip_prefix("vault-")?.strip_suffix(".spse")?;
                valid_backup_id(id).then(|| id.to_string())
            })
            .collect();
        ids.sort();
        ids
    }

    pub(super) fn prune_backups(&self) {
        let ids = self.backup_ids();
        if ids.len() > BACKUPS_KEPT {
            for id in &ids[..ids.len() - BACKUPS_KEPT] {
                let _ = fs::remove_file(self.backup_dir().join(format!("vault-{id}.spse")));
            }
        }
    }

    /// Describes backup `id`, decrypting it when a key is available (looked up once per vault id
    /// in `keys`, which also keeps the first keyring failure).
    pub(super) fn backup_info(&self, id: &str, keys: &mut BackupKeys) -> Option<BackupInfo> {
        let path = self.backup_dir().join(format!("vault-{id}.spse"));
        let bytes = fs::read(&path).ok()?;
        let created = id
            .find('Z')
            .and_then(|z| {
                chrono::NaiveDateTime::parse_from_str(&id[..=z], "%Y%m%dT%H%M%S%3fZ").ok()
            })
            .map(|t| t.and_utc().timestamp())
            .unwrap_or(0);
        let header = vault::read_header(&bytes, &path).ok().map(|(h, _)| h);
        let accounts = header.as_ref().and_then(|h| {
            let key = keys.get(self, &h.vault_id)?;
            vault::open(&bytes, &key, &path)
                .ok()
                .map(|(_, p)| p.accounts.len())
        });
        Some(BackupInfo {
            id: id.to_string(),
            created,
            size: bytes.len() as u64,
            accounts,
            vault_id: header.map(|h| h.vault_id),
        })
    }

    /// The newest backup that opens. `Err` (the keyring's error) when the keyring could not be
    /// asked for a key before one was found: which backup is the newest good one is then unknown.
    pub(super) fn newest_good_backup_under_lock(&self) -> Result<Option<BackupInfo>> {
        let mut keys = BackupKeys::default();
        let found = self
            .backup_ids()
            .iter()
            .rev()
            .filter_map(|id| self.backup_info(id, &mut keys))
            .find(|b| b.accounts.is_some());
        match keys.keyring_failure {
            Some(e) => Err(e),
            None => Ok(found),
        }
    }

    /// The automatic backups, newest first, each with its account count when it opens with a key
    /// available now (the keyring's, or the one unlocked with the recovery password; a backup whose
    /// key the keyring could not give has no count).
    pub fn backups(&mut self) -> Result<Vec<BackupInfo>> {
        let _g = self.lock_file(false)?;
        let mut keys = BackupKeys::default();
        Ok(self
            .backup_ids()
            .iter()
            .rev()
            .filter_map(|id| self.backup_info(id, &mut keys))
            .collect())
    }

    /// The newest backup that opens with a key available now (what a damaged-vault error offers).
    ///
    /// Errors: the lock's, and [`ErrorKind::KeyringUnavailable`] / [`ErrorKind::KeyringLocked`]
    /// when the keyring could not be asked for a key before a backup that opens was found.
    pub fn newest_good_backup(&mut self) -> Result<Option<BackupInfo>> {
        let _g = self.lock_file(false)?;
        self.newest_good_backup_under_lock()
    }

    /// Restores backup `id`: it must open with a key available now; the current vault file (even a
    /// damaged one) becomes a backup first, then the backup's bytes replace it atomically.
    ///
    /// Errors: [`ErrorKind::NotFound`] (no such backup), [`ErrorKind::VaultDamaged`] /
    /// [`ErrorKind::VaultKeyMissing`] when the backup does not open (nothing changed), I/O.
    pub fn restore_backup(&mut self, id: &str) -> Result<BackupInfo> {
        let _g = self.lock_file(true)?;
        let not_found = || Error::new(ErrorKind::NotFound, format!("no backup '{id}'"));
        if !valid_backup_id(id) {
            return Err(not_found());
        }
        let path = self.backup_dir().join(format!("vault-{id}.spse"));
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(not_found()),
            Err(e) => return Err(Error::io("reading", &path, &e)),
        };
        let (header, _) = vault::read_header(&bytes, &path)?;
        // No key, or no keyring: `key_for` says which, and how to give the recovery password.
        let key = match self.try_key(&header.vault_id) {
            Ok(Some(k)) => k,
            Ok(None) | Err(_) => self.key_for(&header)?,
        };
        let (header, payload) = vault::open(&bytes, &key, &path)?;
        remove_stray_temps(&self.dir, &format!(".{VAULT_FILE}."));
        if let Some(current) = self.read_vault()? {
            if current != bytes {
                self.write_backup(&current)?;
            }
        }
        vault::write_atomic(&self.vault_path(), &bytes)?;
        let info = BackupInfo {
            id: id.to_string(),
            created: 0,
            size: bytes.len() as u64,
            accounts: Some(payload.accounts.len()),
            vault_id: Some(header.vault_id.clone()),
        };
        self.loaded = Some(Loaded {
            header,
            key,
            payload,
            raw: bytes,
        });
        self.prune_backups();
        Ok(self
            .backup_info(id, &mut BackupKeys::default())
            .unwrap_or(info))
    }
}

/// The keys found while describing backups, one lookup per vault id, and the first keyring
/// failure met (a backup whose key the keyring could not give is not "a backup that does not
/// open").
#[derive(Default)]
pub(super) struct BackupKeys {
    by_vault: HashMap<String, Option<DataKey>>,
    keyring_failure: Option<Error>,
}

impl BackupKeys {
    /// The key for `vault_id` (`None`: none available, or the keyring failed; see above).
    fn get(&mut self, store: &Store, vault_id: &str) -> Option<DataKey> {
        if let Some(key) = self.by_vault.get(vault_id) {
            return key.clone();
        }
        let key = store.try_key(vault_id).unwrap_or_else(|e| {
            self.keyring_failure.get_or_insert(e);
            None
        });
        self.by_vault.insert(vault_id.to_string(), key.clone());
        key
    }
}

/// A backup id is `YYYYMMDDTHHMMSSmmmZ-xxxxxxxx`: digits, `T`, `Z`, `-`, hex. Anything else (and so
/// any path) is refused.
pub(super) fn valid_backup_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, 'T' | 'Z' | '-' | 'a'..='f'))
}

/// `2026-11-29 17:47:45 UTC`.
pub(super) fn fmt_time(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| "?".into())
}
