//! "Never lose an account": end-to-end tests of the real `spse-auth` binary against a real keyring
//! (the Secret Service through `.ci/test`; the Windows build under Wine with Wine's Credential
//! Manager through `.ci/windows`): the recovery password, automatic backups, two processes at
//! once, a kill mid-save, damaged vaults, a full disk, a missing keyring entry, a vault held open
//! by another program, and no secret in any output. They run only when those scripts opt in
//! (`SPSE_E2E=1` with a private keyring, see `common::keyring_test`); a plain `cargo test` skips
//! them, saying why. All names and secrets are made up.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use spse_auth_test_support::Rng;

const PASSWORD: &str = "kuda benar baterai staples";

/// Runs with optional stdin and asserts exit code 1; returns standard error.
fn fails_with(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> String {
    let out = run_in(dir, args, stdin);
    assert_eq!(
        out.status.code(),
        Some(1),
        "spse-auth {args:?}: {}",
        text(&out)
    );
    String::from_utf8(out.stderr).expect("utf-8 stderr")
}

/// Temporary files (`*.tmp`) left in the data folder `dir`.
fn stray_temps(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

fn accounts(dir: &Path) -> BTreeSet<String> {
    list_json(dir)
        .iter()
        .map(|a| a["account"].as_str().expect("account").to_string())
        .collect()
}

/// A made-up, valid Base32 secret for account `n` (160 bits).
fn secret(n: usize) -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    (0..32)
        .map(|i| alphabet[(n * 7 + i * 13 + n / 32) % 32] as char)
        .collect()
}

fn uri(account: &str, n: usize) -> String {
    format!(
        "otpauth://totp/Kota%20Uji:{account}?secret={}&issuer=Kota%20Uji",
        secret(n)
    )
}

fn backups_json(dir: &Path) -> Vec<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(&ok(dir, &["backup", "list", "--json"]))
        .expect("json")
        .as_array()
        .expect("array")
        .clone()
}

/// Recovery password: set from stdin; with the keyring entry gone the vault still opens with it
/// (wrong password: clear error, nothing changes), the key is put back in the keyring, and the
/// password can be removed only while the keyring holds the key.
#[test]
fn recovery_password_opens_the_vault_when_the_keyring_entry_is_gone() {
    if !keyring_test("") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(dir, &["add", &uri("pulih", 1)]);
    let set = ok_with(
        dir,
        &["--password-stdin", "recovery", "set"],
        Some(format!("{PASSWORD}\n").as_bytes()),
    );
    assert_eq!(
        String::from_utf8_lossy(&set.stdout).trim(),
        "recovery password set"
    );
    assert!(ok(dir, &["recovery", "status"]).contains("recovery password: set"));
    let code_before = ok(dir, &["code", "pulih", "--at", "1700000000"]);

    let id = vault_id(dir);
    keyring_delete(&id);
    let before = std::fs::read(vault_file(dir)).expect("vault");
    let err = fails_with(dir, &["list"], None);
    assert!(
        err.contains("vault key missing") && err.contains("--password-stdin"),
        "{err}"
    );
    let err = fails_with(
        dir,
        &["--password-stdin", "list"],
        Some(b"kuda salah baterai staples\n"),
    );
    assert!(err.contains("wrong recovery password"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(std::fs::read(vault_file(dir)).expect("vault"), before);
    assert!(!keyring_has(&id), "a key was written");

    let out = ok_with(
        dir,
        &["--password-stdin", "code", "pulih", "--at", "1700000000"],
        Some(format!("{PASSWORD}\n").as_bytes()),
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), code_before);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("stored in the system keyring again"),
        "{}",
        text(&out)
    );
    assert_eq!(
        std::fs::read(vault_file(dir)).expect("vault"),
        before,
        "a read wrote"
    );
    // The keyring holds the key again: no password needed.
    assert_eq!(accounts(dir).len(), 1);

    // Change the password (the data key and the keyring entry stay), then remove it.
    ok_with(
        dir,
        &["--password-stdin", "recovery", "set"],
        Some(b"kata sandi yang baru sekali\n"),
    );
    assert!(ok(dir, &["recovery", "status"]).contains("recovery password: set"));
    assert!(fails_with(dir, &["recovery", "remove"], None).contains("--yes"));
    assert_eq!(
        ok(dir, &["recovery", "remove", "--yes"]).trim(),
        "recovery password removed"
    );
    assert!(ok(dir, &["recovery", "status"]).contains("recovery password: not set"));
    assert!(keyring_has(&id));
    keyring_cleanup(&id);
}

/// Keyring reachable but without the entry, and no password slot: "vault key missing", the file
/// untouched, no new key written, with or without --password-stdin.
#[test]
fn missing_keyring_entry_without_a_password_slot_changes_nothing() {
    if !keyring_test("") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(dir, &["add", &uri("hilang", 2)]);
    ok(dir, &["add", &uri("kedua", 4)]); // a second save, so that a backup exists too
    let id = vault_id(dir);
    keyring_delete(&id);
    let before = std::fs::read(vault_file(dir)).expect("vault");
    let backups_before = std::fs::read_dir(dir.join("backups"))
        .expect("backups")
        .count();
    for args in [
        &["list"][..],
        &["add", &uri("lain", 3)][..],
        &["--password-stdin", "list"][..],
        &["--password-stdin", "recovery", "set"][..],
    ] {
        let err = fails_with(dir, args, Some(format!("{PASSWORD}\n").as_bytes()));
        assert!(err.contains("vault key missing"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(vault_file(dir)).expect("vault"), before);
    assert_eq!(
        std::fs::read_dir(dir.join("backups"))
            .expect("backups")
            .count(),
        backups_before
    );
    assert!(!keyring_has(&id), "a new key was written");
}

/// Every save keeps the previous file as a backup; 20 are kept; `backup restore` brings one back
/// and keeps the current vault as a backup.
#[test]
fn backups_are_kept_pruned_to_20_and_restorable() {
    if !keyring_test("") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    for i in 0..23 {
        ok(dir, &["add", &uri(&format!("cadangan{i:02}"), i)]);
    }
    let list = backups_json(dir);
    assert_eq!(list.len(), 20);
    assert_eq!(
        list[0]["accounts"], 22,
        "newest: the vault before the last add"
    );
    let oldest = list[19]["id"].as_str().expect("id").to_string();
    let n_oldest = list[19]["accounts"].as_u64().expect("count") as usize;
    let table = ok(dir, &["backup", "list"]);
    assert!(
        table.starts_with("ID ") && table.contains(&oldest),
        "{table}"
    );
    let out = ok(dir, &["backup", "restore", &oldest]);
    assert!(
        out.starts_with(&format!("restored {oldest} ({n_oldest} account(s))")),
        "{out}"
    );
    assert_eq!(accounts(dir).len(), n_oldest);
    assert_eq!(
        backups_json(dir)[0]["accounts"],
        23,
        "the replaced vault became a backup"
    );
    assert!(fails_with(
        dir,
        &["backup", "restore", "20000101T000000000Z-00000000"],
        None
    )
    .contains("no backup"));
    keyring_cleanup(&vault_id(dir));
}

/// A truncated (0-byte) or bit-flipped vault: "vault damaged", the file untouched by every
/// command, and the error names the newest good backup, which `backup restore` brings back.
#[test]
fn damaged_vault_is_untouched_and_offers_the_newest_good_backup() {
    if !keyring_test("") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(dir, &["add", &uri("rusak1", 4)]);
    ok(dir, &["add", &uri("rusak2", 5)]);
    let good = std::fs::read(vault_file(dir)).expect("vault");
    let mut flipped = good.clone();
    let at = flipped.len() - 7;
    flipped[at] ^= 0x04;
    let mut newest = String::new();
    for damaged in [flipped, Vec::new()] {
        std::fs::write(vault_file(dir), &damaged).expect("write");
        newest = backups_json(dir)[0]["id"].as_str().expect("id").to_string();
        for args in [
            &["list"][..],
            &["code"][..],
            &["add", &uri("rusak3", 6)][..],
            &["remove", "rusak1", "--yes"][..],
            &["--password-stdin", "recovery", "set"][..],
        ] {
            let err = fails_with(dir, args, Some(format!("{PASSWORD}\n").as_bytes()));
            assert!(
                err.starts_with("spse-auth: vault damaged"),
                "{args:?}: {err}"
            );
            assert!(
                err.contains(&format!("spse-auth backup restore {newest}")),
                "{args:?}: {err}"
            );
            assert_eq!(std::fs::read(vault_file(dir)).expect("vault"), damaged);
        }
    }
    // The newest good backup holds the vault before the second add (one account).
    ok(dir, &["backup", "restore", &newest]);
    assert_eq!(accounts(dir), BTreeSet::from(["rusak1".to_string()]));
    keyring_cleanup(&vault_id(dir));
}

/// Two processes adding 50 distinct accounts each, one per invocation, at the same time, starting
/// without a vault: 100 accounts, no temp file left.
#[test]
fn two_processes_adding_50_accounts_each_end_with_100() {
    if !keyring_test("") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("d");
    let workers: Vec<_> = ["a", "b"]
        .into_iter()
        .enumerate()
        .map(|(w, name)| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                for i in 0..50 {
                    let account = format!("{name}{i:02}");
                    let out = run_in(&dir, &["add", &uri(&account, w * 50 + i)], None);
                    assert!(out.status.success(), "{account}: {}", text(&out));
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker");
    }
    let all = accounts(&dir);
    assert_eq!(all.len(), 100, "{all:?}");
    let stray = stray_temps(&dir);
    assert!(stray.is_empty(), "{stray:?}");
    assert_eq!(backups_json(&dir).len(), 20);
    keyring_cleanup(&vault_id(&dir));
}

/// strace with its options for [`ExitTrace`]: follow forks, no attach notes, the `exit_group` calls only
/// (filtered in the kernel) with their stacks, no signals.
const STRACE_EXIT: [&str; 9] = [
    "strace",
    "-f",
    "-qq",
    "--seccomp-bpf",
    "-k",
    "-e",
    "trace=exit_group",
    "-e",
    "signal=none",
];

/// Where the CLI's runs end: `strace -k -e trace=exit_group` around it records the stack of its
/// last `exit_group` call into one file (only that call: the arguments and output, which may hold
/// a made-up secret, are not traced). Without strace (or under Wine) nothing is traced.
struct ExitTrace {
    log: PathBuf,
    /// `strace` and its arguments; empty without strace.
    wrapper: Vec<String>,
}

impl ExitTrace {
    fn new(log: &Path) -> Self {
        let log_arg = log.to_str().expect("UTF-8 path");
        let mut wrapper: Vec<String> = STRACE_EXIT.iter().map(|a| a.to_string()).collect();
        wrapper.extend(["-o".to_string(), log_arg.to_string()]);
        // The exact command, on `true`: an strace without `--seccomp-bpf` (older than 5.3) is as
        // good as none.
        let works = !under_wine()
            && Command::new(&wrapper[0])
                .args(&wrapper[1..])
                .arg("true")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
        if !works {
            wrapper.clear();
        }
        ExitTrace {
            log: log.to_path_buf(),
            wrapper,
        }
    }

    /// The last traced run's `exit_group` calls with their stacks.
    fn last_exit(&self) -> String {
        if self.wrapper.is_empty() {
            return "(strace is not installed: no stack)".into();
        }
        std::fs::read_to_string(&self.log).unwrap_or_else(|e| format!("(no trace: {e})"))
    }
}

/// 200 saves (adds and removes), each process killed by SIGKILL at a random point: after every
/// kill the vault opens, with exactly the old or the new set of accounts. A `list` that ended
/// without a word (no output at all; its exit's stack is noted in the retry log) is run again, at
/// most twice in the 200; one that says why it failed fails the test.
#[test]
fn sigkill_at_random_points_leaves_the_old_or_the_new_vault() {
    if !keyring_test("") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(dir, &["add", &uri("awal", 999)]);
    // How long one save takes, to spread the kills over the whole run: a first estimate, then
    // it follows the machine. A run that finished before its kill shortens the window by a
    // quarter, a killed one lengthens it by a twentieth, so about 85 % of the runs are killed, at
    // a random point, however the load changes (a busy CI machine once made the first estimate
    // three times too long, and only 28 of 200 runs were killed). It grows to at most 20 times the
    // first estimate: a CLI that could never finish a save would otherwise make each of the 200
    // waits longer than the last (1.05^200). Such a CLI fails the test (at least 10 runs must
    // finish), within 200 waits of at most 24 estimates.
    let t0 = Instant::now();
    for i in 0..3 {
        ok(dir, &["add", &uri(&format!("ukur{i}"), 900 + i)]);
    }
    let mut span = (t0.elapsed() / 3).as_micros() as u64;
    let longest = span * 20;
    eprintln!("one add takes {span} µs");
    let mut rng = Rng::from_env_or_clock();
    let mut state = accounts(dir);
    let (mut killed, mut killed_after_commit, mut finished) = (0, 0, 0);
    let trace_log = tempfile::NamedTempFile::new().expect("trace log");
    let trace = ExitTrace::new(trace_log.path());
    let mut silent_exits = 0;
    for i in 0..200 {
        let (args, after): (Vec<String>, BTreeSet<String>) = if i % 4 == 3 && state.len() > 1 {
            let victim = state
                .iter()
                .nth(rng.below(state.len() as u64) as usize)
                .expect("some")
                .clone();
            let mut after = state.clone();
            after.remove(&victim);
            (vec!["remove".into(), victim, "--yes".into()], after)
        } else {
            let account = format!("k{i:03}");
            let mut after = state.clone();
            after.insert(account.clone());
            (vec!["add".into(), uri(&account, i)], after)
        };
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut child = command(dir, &argv)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_micros(rng.below(span * 6 / 5 + 1)));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().expect("wait");
        span = if status.success() {
            (span * 3 / 4).max(1_000)
        } else {
            (span * 21 / 20).min(longest)
        };
        // (A client killed mid-call sometimes crashes gnome-keyring itself; `run_wrapped` revives
        // it.)
        let out = run_wrapped(dir, &["list", "--json"], None, &[], &trace.wrapper);
        if !out.status.success() {
            let first = format!("{:?}: {}", out.status, text(&out));
            let again = run_in(dir, &["list", "--json"], None);
            let why = format!(
                "after kill {i}: `list` ended with {first}; its exit, as strace saw it:\n{}\n\
                 `list` run again: {:?}",
                trace.last_exit(),
                again.status
            );
            // Exit 1 without a word breaks the CLI's contract (one line on stderr), but not the
            // vault's: CI saw it once (2026-12-04, cause unknown; the stack above names it next
            // time). Then the vault is checked with the run that answered.
            assert!(
                out.stdout.is_empty() && out.stderr.is_empty() && again.status.success(),
                "{why}: {}",
                text(&again)
            );
            silent_exits += 1;
            spse_auth_test_support::note_retry(&why);
        }
        let now = accounts(dir);
        if status.success() {
            finished += 1;
            assert_eq!(now, after, "kill {i}: finished but not saved");
        } else {
            killed += 1;
            assert!(
                now == state || now == after,
                "kill {i}: neither old nor new: {now:?}"
            );
            if now == after {
                killed_after_commit += 1;
            }
        }
        state = now;
    }
    eprintln!(
        "200 runs: {killed} killed ({killed_after_commit} after the rename), {finished} finished; \
         kill window at the end {span} µs; `list` ended without a word {silent_exits} times"
    );
    assert!(
        silent_exits <= 2,
        "`list` ended without a word after {silent_exits} of 200 kills (see the stacks above)"
    );
    assert!(
        killed >= 50,
        "too few runs were killed mid-way ({killed}) to prove anything"
    );
    assert!(
        finished >= 10,
        "too few runs finished ({finished}): a save never completes within {span} µs"
    );
    keyring_cleanup(&vault_id(dir));
}

/// Unmounts the tmpfs when dropped, even if the test panics.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// The disk fills up during a save (a 64 KiB tmpfs): a clear "disk is full" error, the previous
/// vault intact and readable; once space is freed, saving works again.
#[test]
fn disk_full_during_save_keeps_the_previous_vault() {
    if !keyring_test("root (it mounts a 64 KiB tmpfs)") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let mnt = tmp.path().join("small");
    std::fs::create_dir(&mnt).expect("mkdir");
    let st = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs"])
        .arg(&mnt)
        .status()
        .expect("run mount");
    assert!(
        st.success(),
        "this test must mount a 64 KiB tmpfs to fill a disk: run it as root (CI does)"
    );
    let _guard = Mount(mnt.clone());
    let dir = mnt.join("d");
    ok(&dir, &["add", &uri("penuh1", 11)]);
    ok(&dir, &["add", &uri("penuh2", 12)]);
    let before = std::fs::read(vault_file(&dir)).expect("vault");
    // Fill every page of the tmpfs.
    let filler = mnt.join("filler");
    let mut f = std::fs::File::create(&filler).expect("filler");
    let page = vec![0xA5u8; 4096];
    let mut len = 0u64;
    while f.write_all(&page).is_ok() {
        len += 4096;
    }
    f.set_len(len).expect("whole pages");
    f.sync_all().expect("sync");
    // (1) No page free: the backup copy fails. (2) One page free: the backup fits, the new vault
    // does not.
    let count_backups = || {
        std::fs::read_dir(dir.join("backups"))
            .expect("backups")
            .count() as u64
    };
    for free_pages in [0u64, 1] {
        f.set_len(len - free_pages * 4096).expect("free pages");
        let backups_before = count_backups();
        let err = fails_with(
            &dir,
            &["add", &uri(&format!("gagal{free_pages}"), 13)],
            None,
        );
        assert!(err.contains("disk is full"), "{free_pages} free: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(
            std::fs::read(vault_file(&dir)).expect("vault"),
            before,
            "{free_pages} free: the vault changed"
        );
        assert_eq!(
            accounts(&dir),
            BTreeSet::from(["penuh1".to_string(), "penuh2".to_string()])
        );
        // With one page free the backup copy succeeded and writing the new vault failed.
        assert_eq!(
            count_backups(),
            backups_before + free_pages,
            "{free_pages} free"
        );
    }
    drop(f);
    std::fs::remove_file(&filler).expect("free space");
    ok(&dir, &["add", &uri("lega", 14)]);
    assert_eq!(accounts(&dir).len(), 3);
    let stray = stray_temps(&dir);
    assert!(stray.is_empty(), "{stray:?}");
    keyring_cleanup(&vault_id(&dir));
}

/// A full CLI session (add, list, code, re-enrolment error, backups, recovery, remove) prints the
/// secret — Base32 in upper case, lower case or in groups of four — nowhere, nor the recovery
/// password; no vault or backup file holds it in the clear.
#[test]
fn no_secret_in_any_output_of_a_full_session() {
    if !keyring_test("") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ";
    let other = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let u = |s: &str| format!("otpauth://totp/Kota%20Uji:rahasia?secret={s}&issuer=Kota%20Uji");
    let pw = format!("{PASSWORD}\n");
    let mut all = String::new();
    let mut run = |args: &[&str], stdin: Option<&[u8]>| {
        let out = run_in(dir, args, stdin);
        all.push_str(&text(&out));
    };
    run(&["add", &u(secret)], None);
    run(&["add", &u(other)], None); // re-enrolment refused: the error names the account only
    run(
        &["add", "otpauth://totp/X:y?secret=JBSWY3DPEHPK3PX!&issuer=X"],
        None,
    );
    run(&["list"], None);
    run(&["list", "--json"], None);
    run(&["code"], None);
    run(&["code", "rahasia", "--json"], None);
    run(
        &["--password-stdin", "recovery", "set"],
        Some(pw.as_bytes()),
    );
    run(&["recovery", "status"], None);
    run(&["backup", "list"], None);
    run(&["backup", "list", "--json"], None);
    let id = vault_id(dir);
    keyring_delete(&id);
    run(&["list"], None);
    run(&["--password-stdin", "list"], Some(b"salah salah salah\n"));
    run(&["--password-stdin", "code"], Some(pw.as_bytes()));
    let newest = backups_json(dir)[0]["id"].as_str().expect("id").to_string();
    run(&["backup", "restore", &newest], None);
    run(&["remove", "rahasia", "--yes"], None);
    run(&["list"], None);
    let spaced: String = secret
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).expect("ascii"))
        .collect::<Vec<_>>()
        .join(" ");
    for needle in [
        secret.to_string(),
        secret.to_lowercase(),
        spaced.clone(),
        spaced.to_lowercase(),
        secret[..16].to_string(),
        PASSWORD.to_string(),
    ] {
        assert!(!all.contains(&needle), "'{needle}' printed in:\n{all}");
    }
    assert!(all.contains("rahasia"), "the session did run: {all}");
    let raw = spse_auth_core::otp::Secret::from_base32(secret).expect("valid");
    let mut files = vec![vault_file(dir)];
    files.extend(
        std::fs::read_dir(dir.join("backups"))
            .expect("backups")
            .filter_map(|e| e.ok())
            .map(|e| e.path()),
    );
    for f in files {
        let bytes = std::fs::read(&f).expect("read");
        for needle in [secret.as_bytes(), raw.as_bytes(), PASSWORD.as_bytes()] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{} holds a secret in the clear",
                f.display()
            );
        }
    }
    keyring_cleanup(&vault_id(dir));
}

/// Windows: another program holds the vault open with read and write sharing but no delete
/// sharing (what virus scanners, backup and sync tools and editors often do), so replacing the
/// file fails with a sharing violation. A save waits for it (up to 5 s) and succeeds once the file
/// is closed; a file held longer gives a clear "in use" error, the previous vault unchanged, no
/// temporary file left. Linux never blocks a rename on an open file, so this runs under Wine only
/// (`tests/wine/holdopen.c`, built into the prefix by `.ci/wine-prefix`).
#[test]
fn a_vault_held_open_by_another_program_is_replaced_once_it_lets_go() {
    if !under_wine() {
        eprintln!("skipped: on Linux an open file never blocks a rename (runs under Wine)");
        return;
    }
    if !keyring_test("") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    ok(dir, &["add", &uri("pertama", 1)]);
    let vault = cli_arg(vault_file(dir).to_str().expect("path"));
    let hold = |ms: u32| {
        let (prefix, _) = cli_program();
        let mut child = Command::new(&prefix[0])
            .args(&prefix[1..])
            .args(["C:\\spse-test\\holdopen.exe", &vault, &ms.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("run holdopen.exe (built by .ci/wine-prefix)");
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.as_mut().expect("stdout")),
            &mut line,
        )
        .expect("read");
        assert_eq!(line.trim(), "open", "holdopen.exe did not open the vault");
        child
    };

    // Held for 1.5 s: the save waits and then succeeds.
    let mut holder = hold(1500);
    let t0 = Instant::now();
    ok(dir, &["add", &uri("kedua", 2)]);
    let waited = t0.elapsed();
    assert!(holder.wait().expect("wait").success());
    eprintln!("save with the vault held open for 1.5 s took {waited:?}");
    assert_eq!(
        accounts(dir),
        BTreeSet::from(["pertama".to_string(), "kedua".to_string()])
    );

    // Held for 20 s: after its wait the save gives up with a clear error; nothing changed.
    let before = std::fs::read(vault_file(dir)).expect("vault");
    let mut holder = hold(20_000);
    let err = fails_with(dir, &["add", &uri("ketiga", 3)], None);
    assert!(
        err.contains("another program may have the file open")
            && err.contains("nothing was changed"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one actionable line: {err}");
    let _ = holder.kill();
    let _ = holder.wait();
    assert_eq!(std::fs::read(vault_file(dir)).expect("vault"), before);
    assert!(stray_temps(dir).is_empty(), "{:?}", stray_temps(dir));
    assert_eq!(accounts(dir).len(), 2);
    keyring_cleanup(&vault_id(dir));
}
