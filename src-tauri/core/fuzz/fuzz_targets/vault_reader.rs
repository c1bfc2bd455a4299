//! Arbitrary bytes as a vault file: the header reader and a Store never panic, never open it with
//! a fresh key, never change the file and never write a key.
#![no_main]
use libfuzzer_sys::fuzz_target;
use spse_auth_core::accounts::Store;
use spse_auth_core::keystore::{DataKey, KeyStore};
use spse_auth_core::{vault, Result};
use std::path::Path;

struct NoKeys;

impl KeyStore for NoKeys {
    fn load(&self, _: &str) -> Result<Option<DataKey>> {
        Ok(Some(DataKey::from_bytes([7; 32])))
    }
    fn store(&self, _: &str, _: &DataKey) -> Result<()> {
        panic!("a key was written for a fuzzed vault")
    }
    fn delete(&self, _: &str) -> Result<()> {
        Ok(())
    }
}

fuzz_target!(|data: &[u8]| {
    let _ = vault::read_header(data, Path::new("fuzz"));
    let _ = vault::open(data, &DataKey::from_bytes([7; 32]), Path::new("fuzz"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("vault.spse");
    std::fs::write(&path, data).expect("write");
    let mut s = Store::with_keystore(tmp.path(), Box::new(NoKeys));
    let _ = s.list();
    let _ = s.status();
    let _ = s.backups();
    assert_eq!(std::fs::read(&path).expect("read"), data);
});
