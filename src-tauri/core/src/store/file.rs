//! The vault file under the file lock: taking the lock, loading (and reloading when another
//! process changed the file), saving with a backup of the previous file first, and the private
//! data folder.
//!
//! Invariants: every read happens under the shared file lock, every change under the exclusive
//! one; a save replaces the file atomically ([`vault::write_atomic`]) and removes temporary files
//! of killed writers first; `Loaded::raw` is always the exact bytes of the file on disk.

use std::fs;
use std::path::Path;

use super::{sort_accounts, Loaded, Store, LOCK_FILE, VAULT_FILE};
use crate::error::{Error, ErrorKind, Result};
use crate::vault;

/// The held file lock on `vault.lock`; released when dropped.
pub(super) struct FileLock(fs::File);

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

impl Store {
    /// Takes the data folder's file lock on `vault.lock` (shared for reads, exclusive for
    /// changes). `None` for a read when the folder does not exist: there is no vault to protect
    /// then. (Not the app's lock screen, which is the app's business.)
    pub(super) fn lock_file(&self, exclusive: bool) -> Result<Option<FileLock>> {
        let path = self.dir.join(LOCK_FILE);
        if exclusive {
            create_private_dir(&self.dir)?;
        } else if !self.dir.exists() {
            return Ok(None);
        }
        let mut opts = fs::OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        // Private like the vault (it holds nothing, but nothing in the folder is for others).
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let f = opts
            .open(&path)
            .map_err(|e| Error::io("opening", &path, &e))?;
        let r = if exclusive { f.lock() } else { f.lock_shared() };
        r.map_err(|e| Error::io("locking", &path, &e))?;
        Ok(Some(FileLock(f)))
    }

    /// The vault file's bytes, `None` when there is no vault file.
    pub(super) fn read_vault(&self) -> Result<Option<Vec<u8>>> {
        let path = self.vault_path();
        match fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io("reading", &path, &e)),
        }
    }

    /// Loads (or reloads, when the file's bytes changed on disk) the vault. Returns false when no
    /// vault exists. Caller holds the lock. A damaged vault's error names the newest good backup.
    pub(super) fn load(&mut self) -> Result<bool> {
        let path = self.vault_path();
        let Some(bytes) = self.read_vault()? else {
            self.loaded = None;
            return Ok(false);
        };
        if let Some(l) = &self.loaded {
            if l.raw == bytes {
                return Ok(true);
            }
        }
        let opened = vault::read_header(&bytes, &path).and_then(|(header, _)| {
            let key = match self.loaded.as_ref() {
                Some(l) if l.header.vault_id == header.vault_id => l.key.clone(),
                _ => self.key_for(&header)?,
            };
            let (header, payload) = vault::open(&bytes, &key, &path)?;
            Ok((header, key, payload))
        });
        let (header, key, payload) = opened.map_err(|e| self.offer_backup(e))?;
        self.loaded = Some(Loaded {
            header,
            key,
            payload,
            raw: bytes,
        });
        Ok(true)
    }

    /// The one way to change the vault: applies `change` to the loaded vault and saves it. When
    /// `change` or the save fails, the loaded header and accounts are put back as they were (a
    /// vault created in memory by this operation and never written is dropped), so what this
    /// `Store` holds equals the file on disk after any failure. Caller holds the exclusive file
    /// lock and has just called `load` (or `create`).
    pub(super) fn change_and_save<T>(
        &mut self,
        change: impl FnOnce(&mut Loaded) -> Result<T>,
    ) -> Result<T> {
        let l = self
            .loaded
            .as_mut()
            .ok_or_else(|| Error::new(ErrorKind::Io, "internal: vault not loaded"))?;
        let before = (l.header.clone(), l.payload.clone());
        let result = change(l).and_then(|value| self.save().map(|()| value));
        if result.is_err() {
            if self.loaded.as_ref().is_some_and(|l| l.raw.is_empty()) {
                self.loaded = None;
            } else if let Some(l) = self.loaded.as_mut() {
                (l.header, l.payload) = before;
            }
        }
        result
    }

    /// Writes the loaded vault: the previous file becomes a backup first, then the new file
    /// replaces it atomically; stray temporary files of killed writers are removed. Only called by
    /// [`change_and_save`](Self::change_and_save), which rolls memory back when this fails.
    fn save(&mut self) -> Result<()> {
        let path = self.vault_path();
        remove_stray_temps(&self.dir, &format!(".{VAULT_FILE}."));
        let previous = self
            .loaded
            .as_ref()
            .map(|l| l.raw.clone())
            .unwrap_or_default();
        if !previous.is_empty() {
            self.write_backup(&previous)?;
        }
        let l = self
            .loaded
            .as_mut()
            .ok_or_else(|| Error::new(ErrorKind::Io, "internal: no vault loaded to save"))?;
        sort_accounts(&mut l.payload.accounts);
        let bytes = vault::seal(&mut l.header, &l.key, &l.payload)?;
        vault::write_atomic(&path, &bytes)?;
        l.raw = bytes;
        self.prune_backups();
        Ok(())
    }

    /// Reloads the vault when another process changed it (byte comparison, so two saves within
    /// one file-time tick are noticed too). Returns true when it changed since the last call of
    /// any operation — the app then refreshes its list. Cheap: one small file read.
    pub fn refresh(&mut self) -> Result<bool> {
        let _g = self.lock_file(false)?;
        let before = self.loaded.as_ref().map(|l| l.raw.clone());
        self.load()?;
        Ok(before != self.loaded.as_ref().map(|l| l.raw.clone()))
    }
}

/// Creates `dir` (and parents); on Unix the data folder itself is made private (0700).
pub(super) fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(|e| Error::io("creating", dir, &e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| Error::io("securing", dir, &e))?;
    }
    Ok(())
}

/// Removes temporary files (`{prefix}…tmp`) left in `dir` by a writer that was killed mid-save.
/// Only called under the exclusive lock, when no other writer can be writing one.
pub(super) fn remove_stray_temps(dir: &Path, prefix: &str) {
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(prefix) && name.ends_with(".tmp") {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}
