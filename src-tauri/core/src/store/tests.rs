//! Unit tests of the store (in-memory key store, temporary data folders).

use super::*;
use crate::enrolment::Enrolment;
use crate::error::Detail;
use crate::test_support::MemKeys;
use std::fs;
use std::sync::atomic::{AtomicU64, Ordering};

fn enrol(account: &str, secret: &str) -> Enrolment {
    let uri =
        format!("otpauth://totp/Kota%20Uji:{account}?secret={secret}&issuer=Kota%20Uji&period=30");
    crate::uri::parse(&uri).expect("valid uri")
}

const S1: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const S2: &str = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";

/// A clock shared by every test: each reading is one second after the previous one, so backups
/// and additions are strictly ordered without waiting for the real clock.
struct StepClock;

impl Clock for StepClock {
    fn now_millis(&self) -> u64 {
        static NOW: AtomicU64 = AtomicU64::new(1_800_000_000_000);
        NOW.fetch_add(1000, Ordering::SeqCst)
    }
}

/// A clock that always reads the same Unix milliseconds.
struct FixedClock(u64);

impl Clock for FixedClock {
    fn now_millis(&self) -> u64 {
        self.0
    }
}

fn store(dir: &Path, keys: &MemKeys) -> Store {
    Store::with_keystore(dir, Box::new(keys.clone())).with_clock(Box::new(StepClock))
}

#[cfg(unix)]
#[test]
fn the_data_folder_and_everything_in_it_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let keys = MemKeys::default();
    let mut a = store(&dir, &keys);
    a.add(vec![enrol("satu", S1)], false).expect("add");
    a.add(vec![enrol("dua", S2)], false).expect("add");
    let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join(LOCK_FILE)), 0o600, "vault.lock");
    assert_eq!(mode(&a.vault_path()), 0o600, "vault");
    for f in fs::read_dir(dir.join("backups")).expect("backups") {
        assert_eq!(mode(&f.expect("entry").path()), 0o600, "backup");
    }
}

/// Windows: the default data folder is `%APPDATA%\spse-authenticator\data` (the roaming
/// profile, whose ACL gives access to the user, SYSTEM and administrators only; nothing in
/// it is widened), and a store works there with Windows' file locking and replacing.
#[cfg(windows)]
#[test]
fn the_windows_data_folder_is_in_appdata() {
    if std::env::var_os(DATA_DIR_ENV).is_some() {
        eprintln!("skipped: {DATA_DIR_ENV} is set");
        return;
    }
    let appdata = PathBuf::from(std::env::var_os("APPDATA").expect("APPDATA is set"));
    assert_eq!(
        data_dir(None).expect("data dir"),
        appdata.join("spse-authenticator").join("data")
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let keys = MemKeys::default();
    let mut a = store(&dir, &keys);
    a.add(vec![enrol("satu", S1)], false).expect("add");
    let mut b = store(&dir, &keys);
    b.add(vec![enrol("dua", S2)], false).expect("add");
    assert_eq!(a.list().expect("list").len(), 2);
    assert!(dir.join(LOCK_FILE).exists() && a.vault_path().exists());
}

#[test]
fn another_store_sees_changes_even_with_the_same_mtime_and_size() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let keys = MemKeys::default();
    let mut a = store(tmp.path(), &keys);
    let mut b = store(tmp.path(), &keys);
    a.add(vec![enrol("satu", S1)], false).expect("add");
    assert_eq!(b.list().expect("list").len(), 1);
    let before = fs::metadata(a.vault_path()).expect("meta");
    let (mtime, len) = (before.modified().expect("mtime"), before.len());
    // Same size (a rename changes only the account's letters), then the old mtime put back:
    // a stamp check would miss this change.
    let id = a.list().expect("list")[0].id.clone();
    a.remove(&id).expect("remove");
    a.add(vec![enrol("abcd", S1)], false).expect("add");
    let f = fs::File::options()
        .write(true)
        .open(a.vault_path())
        .expect("open");
    f.set_modified(mtime).expect("set mtime");
    assert_eq!(fs::metadata(a.vault_path()).expect("meta").len(), len);
    assert!(b.refresh().expect("refresh"));
    let names: Vec<String> = b
        .list()
        .expect("list")
        .into_iter()
        .map(|x| x.account)
        .collect();
    assert_eq!(names, vec!["abcd".to_string()]);
    assert!(!b.refresh().expect("refresh"));
}

#[test]
fn codes_of_gives_only_the_asked_accounts_and_a_digest_that_follows_the_list() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let keys = MemKeys::default();
    let mut a = store(tmp.path(), &keys);
    let mut b = store(tmp.path(), &keys);
    let empty = b.codes_of(&[], 59).expect("no vault yet");
    assert!(empty.codes.is_empty());
    a.add(
        vec![enrol("tiga", S1), enrol("satu", S2), enrol("dua", S1)],
        false,
    )
    .expect("add");
    let listed = a.list().expect("list");
    let id = |name: &str| {
        listed
            .iter()
            .find(|x| x.account == name)
            .expect("listed")
            .id
            .clone()
    };
    let t = 1_111_111_109;
    let asked = vec![id("tiga"), "ffffffff".to_string(), id("dua")];
    let got = b.codes_of(&asked, t).expect("codes_of");
    // List order (dua before tiga), the unknown id left out, the codes those of codes_at.
    let all = b.codes_at(t).expect("codes_at");
    let want: Vec<CodeInfo> = all.into_iter().filter(|c| c.account != "satu").collect();
    assert_eq!(got.codes, want);
    assert_ne!(got.list_digest, empty.list_digest);
    // The time and the ids asked do not change the digest; another process's change does.
    let later = b.codes_of(&[id("satu")], t + 30).expect("codes_of");
    assert_eq!(later.list_digest, got.list_digest);
    assert_eq!(later.codes.len(), 1);
    a.remove(&id("satu")).expect("remove");
    let after = b.codes_of(&[id("satu")], t).expect("codes_of");
    assert_ne!(after.list_digest, got.list_digest);
    assert!(after.codes.is_empty(), "a removed account has no code");
    assert!(
        after.list_digest.0 < 1 << 53,
        "exact as a JavaScript number"
    );
}

#[test]
fn verify_recovery_password_accepts_only_the_right_one_and_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let keys = MemKeys::default();
    let mut s = store(tmp.path(), &keys);
    s.add(vec![enrol("satu", S1)], false).expect("add");
    assert_eq!(
        s.verify_recovery_password("kuda lari kencang")
            .expect_err("no slot")
            .kind(),
        ErrorKind::VaultKeyMissing
    );
    s.set_recovery_password("kuda lari kencang").expect("set");
    let before = fs::read(s.vault_path()).expect("read");
    s.verify_recovery_password("kuda lari kencang")
        .expect("right");
    assert_eq!(
        s.verify_recovery_password("kuda lari pelan")
            .expect_err("wrong")
            .kind(),
        ErrorKind::WrongPassword
    );
    assert_eq!(fs::read(s.vault_path()).expect("read"), before);
}

#[test]
fn recovery_password_opens_a_vault_whose_keyring_entry_is_gone() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let keys = MemKeys::default();
    let mut s = store(tmp.path(), &keys);
    s.add(vec![enrol("satu", S1)], false).expect("add");
    assert!(!s.status().expect("status").has_recovery_password);
    assert_eq!(
        s.set_recovery_password("short").expect_err("short").kind(),
        ErrorKind::InvalidInput
    );
    s.set_recovery_password("kuda benar baterai staples")
        .expect("set");
    let id = s.status().expect("status").vault_id.expect("id");
    keys.delete(&id).expect("delete");

    let mut fresh = store(tmp.path(), &keys);
    let st = fresh.status().expect("status");
    assert_eq!(st.keyring, KeyringState::NoEntry);
    assert!(st.has_recovery_password && !st.ready);
    let err = fresh.list().expect_err("key missing");
    assert_eq!(err.kind(), ErrorKind::VaultKeyMissing);
    assert!(err.message().contains("recovery password"), "{err}");
    assert!(!err.message().contains("--"), "no front end's flags: {err}");
    assert_eq!(err.detail, Detail::RecoveryPassword(fresh.vault_path()));
    let before = fs::read(fresh.vault_path()).expect("vault");
    let err = fresh
        .unlock_with_password("kuda salah baterai staples")
        .expect_err("wrong");
    assert_eq!(err.kind(), ErrorKind::WrongPassword);
    assert_eq!(fs::read(fresh.vault_path()).expect("vault"), before);
    assert!(keys.load(&id).expect("load").is_none());
    fresh
        .unlock_with_password("kuda benar baterai staples")
        .expect("unlock");
    assert!(fresh.status().expect("status").ready);
    assert_eq!(fresh.list().expect("list").len(), 1);
    // Works for changes too, and removing the password is refused while the keyring lacks the key.
    fresh.add(vec![enrol("dua", S2)], false).expect("add");
    assert_eq!(
        fresh
            .remove_recovery_password()
            .expect_err("refused")
            .kind(),
        ErrorKind::VaultKeyMissing
    );
    fresh.restore_keyring_key().expect("restore");
    assert_eq!(store(tmp.path(), &keys).list().expect("list").len(), 2);
    // Keyring unavailable: the password still opens it.
    keys.set_down(true);
    let mut off = store(tmp.path(), &keys);
    assert_eq!(
        off.status().expect("status").keyring,
        KeyringState::Unavailable
    );
    let err = off.list().expect_err("down");
    assert_eq!(err.kind(), ErrorKind::KeyringUnavailable);
    assert_eq!(err.detail, Detail::RecoveryPassword(off.vault_path()));
    off.unlock_with_password("kuda benar baterai staples")
        .expect("unlock");
    assert_eq!(off.list().expect("list").len(), 2);
    keys.set_down(false);
    assert!(fresh.remove_recovery_password().expect("removed"));
    assert!(!fresh.has_recovery_password().expect("header"));
    assert_eq!(
        store(tmp.path(), &keys)
            .unlock_with_password("kuda benar baterai staples")
            .expect_err("no slot")
            .kind(),
        ErrorKind::VaultKeyMissing
    );
}

#[test]
fn every_save_keeps_a_backup_pruned_to_twenty_and_restorable() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let keys = MemKeys::default();
    let mut s = store(tmp.path(), &keys);
    for i in 0..25 {
        s.add(vec![enrol(&format!("akun{i:02}"), S1)], false)
            .expect("add");
    }
    let list = s.backups().expect("backups");
    assert_eq!(list.len(), BACKUPS_KEPT);
    // Newest first: the newest backup is the vault before the 25th add (24 accounts).
    assert_eq!(list[0].accounts, Some(24));
    assert_eq!(list[19].accounts, Some(5));
    assert!(list.windows(2).all(|w| w[0].id > w[1].id));
    let oldest = list[19].id.clone();
    let info = s.restore_backup(&oldest).expect("restore");
    assert_eq!(info.accounts, Some(5));
    assert_eq!(s.list().expect("list").len(), 5);
    let after = s.backups().expect("backups");
    assert_eq!(
        after[0].accounts,
        Some(25),
        "the current vault became a backup"
    );
    assert_eq!(
        s.restore_backup("../vault").expect_err("bad id").kind(),
        ErrorKind::NotFound
    );
    // Stray temp files of a killed writer are removed by the next save.
    fs::write(tmp.path().join(".vault.spse.99999.tmp"), b"x").expect("write");
    s.add(vec![enrol("baru", S2)], false).expect("add");
    assert!(!tmp.path().join(".vault.spse.99999.tmp").exists());
}

/// A vault in `dir` saved twice ("satu", then "dua"): its keys, its path, and the id of the newest
/// backup (the vault with "satu" alone).
fn vault_saved_twice(dir: &Path) -> (MemKeys, PathBuf, String) {
    let keys = MemKeys::default();
    let mut s = store(dir, &keys);
    s.add(vec![enrol("satu", S1)], false).expect("add");
    s.add(vec![enrol("dua", S2)], false).expect("add");
    let newest = s.backups().expect("backups")[0].id.clone();
    (keys, s.vault_path(), newest)
}

/// A damaged vault while the keyring cannot be asked: the error says the backups could not be
/// checked and why, never "no backup opens" (which sends the user to re-enrol every account).
#[test]
fn damaged_vault_with_the_keyring_down_says_the_backups_could_not_be_checked() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (keys, path, newest) = vault_saved_twice(tmp.path());
    fs::write(path, b"").expect("truncate");
    keys.set_down(true);
    let mut s = store(tmp.path(), &keys);
    let err = s.list().expect_err("damaged");
    assert_eq!(err.kind(), ErrorKind::VaultDamaged);
    assert!(
        err.message()
            .ends_with("; the backups could not be checked: down"),
        "{err}"
    );
    assert!(!err.message().contains("no backup opens"), "{err}");
    assert_eq!(
        s.newest_good_backup().expect_err("keyring down").kind(),
        ErrorKind::KeyringUnavailable
    );
    assert_eq!(s.backups().expect("listed")[0].accounts, None);
    keys.set_down(false);
    let err = s.list().expect_err("damaged");
    assert_eq!(err.detail, Detail::NewestBackup(newest));
}

#[test]
fn damaged_vault_is_never_written_and_names_the_newest_good_backup() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (keys, path, newest) = vault_saved_twice(tmp.path());
    let mut bytes = fs::read(&path).expect("vault");
    let n = bytes.len();
    bytes[n - 3] ^= 0x10;
    fs::write(&path, &bytes).expect("write");
    for damaged in [bytes.clone(), Vec::new()] {
        fs::write(&path, &damaged).expect("write");
        let mut s = store(tmp.path(), &keys);
        let err = s.add(vec![enrol("tiga", S1)], false).expect_err("damaged");
        assert_eq!(err.kind(), ErrorKind::VaultDamaged);
        assert!(err.message().starts_with("vault damaged"), "{err}");
        // Named in the message, its id in the detail; how to restore it is the front end's.
        assert!(
            err.message()
                .contains(&format!("the newest backup that opens is {newest} ")),
            "{err}"
        );
        assert_eq!(err.detail, Detail::NewestBackup(newest.clone()));
        for front_end_words in ["spse-auth", "--", "Settings"] {
            assert!(!err.message().contains(front_end_words), "{err}");
        }
        assert_eq!(fs::read(&path).expect("vault"), damaged, "file untouched");
        assert_eq!(
            s.newest_good_backup().expect("newest").expect("some").id,
            newest
        );
    }
    let mut s = store(tmp.path(), &keys);
    s.restore_backup(&newest).expect("restore");
    assert_eq!(s.list().expect("list").len(), 1);
    let kept = s.backups().expect("backups");
    assert_eq!(
        kept[0].accounts, None,
        "the damaged file was kept as a backup"
    );
    assert_eq!(kept[0].size, 0);
}

/// Makes every following save fail, also as root (where permissions do not stop writes): the
/// backup folder becomes a plain file, so the previous vault cannot be backed up and the vault
/// file is never replaced.
fn break_saves(dir: &Path) {
    let backups = dir.join(BACKUP_DIR);
    fs::remove_dir_all(&backups).expect("remove backups");
    fs::write(&backups, b"not a folder").expect("write");
}

#[test]
fn a_failed_save_leaves_memory_equal_to_the_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let keys = MemKeys::default();
    let mut s = store(tmp.path(), &keys);
    let hotp = crate::uri::parse(&format!(
        "otpauth://hotp/Kota%20Uji:hitung?secret={S1}&issuer=Kota%20Uji&counter=5"
    ))
    .expect("hotp");
    s.add(vec![hotp], false).expect("add");
    s.add(vec![enrol("satu", S2), enrol("dua", S2)], false)
        .expect("add");
    let id = s.find("hitung").expect("find").id;
    let satu = s.find("satu").expect("find").id;
    let removed = s.remove(&satu).expect("remove");
    let before = s.list().expect("list");
    let disk = fs::read(s.vault_path()).expect("vault");

    break_saves(tmp.path());
    assert!(s.next_hotp(&id).is_err(), "next_hotp");
    assert!(s.add(vec![enrol("tiga", S1)], false).is_err(), "add");
    assert!(s.remove(&id).is_err(), "remove");
    assert!(s.undo_remove(removed).is_err(), "undo_remove");
    assert!(s.set_recovery_password("kuda lari kencang").is_err(), "set");
    assert_eq!(fs::read(s.vault_path()).expect("vault"), disk);
    // The same store (which does not reload unchanged bytes) and a fresh one agree with the file.
    assert_eq!(s.list().expect("list"), before);
    assert_eq!(s.code_at(&id, 0).expect("code").counter, 5);
    assert_eq!(store(tmp.path(), &keys).list().expect("list"), before);

    // Repaired: the next save writes what memory holds — the counter once, no password slot.
    fs::remove_file(tmp.path().join(BACKUP_DIR)).expect("repair");
    assert_eq!(s.next_hotp(&id).expect("next").counter, 6);
    let mut fresh = store(tmp.path(), &keys);
    assert_eq!(fresh.code_at(&id, 0).expect("code").counter, 6);
    assert_eq!(fresh.list().expect("list").len(), before.len());
    assert!(!fresh.has_recovery_password().expect("header"));
}

#[test]
fn the_store_reads_time_from_its_clock() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let keys = MemKeys::default();
    let mut s = Store::with_keystore(tmp.path(), Box::new(keys.clone()))
        .with_clock(Box::new(FixedClock(1_800_000_000_123)));
    s.add(vec![enrol("satu", S1)], false).expect("add");
    s.add(vec![enrol("dua", S2)], false).expect("add");
    assert!(s
        .list()
        .expect("list")
        .iter()
        .all(|a| a.added_at == 1_800_000_000));
    let backup = &s.backups().expect("backups")[0];
    assert!(
        backup.id.starts_with("20270115T080000123Z-"),
        "{}",
        backup.id
    );
    assert_eq!(backup.created, 1_800_000_000);
}

#[test]
fn export_enrolments_gives_the_secrets_of_the_accounts_asked_for_in_list_order() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let keys = MemKeys::default();
    let mut a = store(tmp.path(), &keys);
    assert!(a.export_enrolments(&[]).expect("no vault").is_empty());
    a.add(vec![enrol("zeta", S1), enrol("alfa", S2)], false)
        .expect("add");
    let all = a.export_enrolments(&[]).expect("export");
    let names: Vec<&str> = all.iter().map(|e| e.account.as_str()).collect();
    assert_eq!(names, ["alfa", "zeta"]);
    assert_eq!(all[0].secret.to_base32(), S2);
    let list = a.list().expect("list");
    let zeta = list.iter().find(|i| i.account == "zeta").expect("zeta");
    let one = a
        .export_enrolments(std::slice::from_ref(&zeta.id))
        .expect("one");
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].secret.to_base32(), S1);
    assert_eq!(one[0].params, all[1].params);
    let err = a
        .export_enrolments(&[zeta.id.clone(), "00000000".into()])
        .expect_err("unknown id");
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(!format!("{all:?}").contains(S1));
}
