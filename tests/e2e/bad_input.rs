//! Bad imports change nothing: the real `spse-auth import` given a truncated, a tampered or a
//! foreign export, a 2 GB file, an image that claims 4 billion pixels, a deeply nested JSON or a
//! zip archive fails with a clear error (exit 1), writes nothing on standard output and leaves the
//! vault byte for byte as it was. Memory stays bounded: each run is limited to 1 GiB of address
//! space (`ulimit -v`), so reading the 2 GB file or decoding the huge image would abort the
//! process instead of giving the error the test expects.
//!
//! No import format is read from a zip archive (none of the supported apps exports one), so a zip
//! is refused as an unknown format, without being unpacked. Linux only (the memory limit is set
//! with the shell's `ulimit`); the gate is the same as for the other keyring tests
//! (`SPSE_E2E=1` under `.ci/with-keyring`). All names and secrets are made up.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::*;

/// The address-space limit of each run, in KiB (1 GiB): far above what an import needs, far below
/// a 2 GB file or a 65535 × 65535 image.
const MEMORY_LIMIT_KIB: u64 = 1024 * 1024;

/// A file of the core's export fixtures (see `src-tauri/core/src/formats/fixtures/README.md`).
fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(data(&format!(
        "../../src-tauri/core/src/formats/fixtures/{name}"
    )))
    .expect("fixture")
}

/// `spse-auth --data-dir DIR ARGS…` under `ulimit -v`, with `stdin`.
fn limited(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(format!("ulimit -v {MEMORY_LIMIT_KIB} && exec \"$@\""))
        .arg("bash")
        .arg(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("SPSE_AUTH_DATA_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn bash");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

/// A PNG header (signature + IHDR) declaring `w` × `h` 8-bit grey pixels, and nothing else.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(b"IHDR");
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let crc = crc32(&ihdr);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc.to_be_bytes());
    // An IDAT chunk that is only the start of a zlib stream of zeros (a decompression bomb's shape).
    png.extend_from_slice(&[0, 0, 0, 2, b'I', b'D', b'A', b'T', 0x78, 0x9c, 0, 0, 0, 0]);
    png
}

/// CRC-32 (ISO-HDLC, as PNG uses), bit by bit: enough for one header.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip archive (stored, no compression) holding one file `name` with `content`; CRC fields are
/// filled in so that any zip reader would accept it.
fn zip_of(name: &str, content: &[u8]) -> Vec<u8> {
    let crc = crc32(content).to_le_bytes();
    let size = (content.len() as u32).to_le_bytes();
    let name_len = (name.len() as u16).to_le_bytes();
    let mut zip = Vec::new();
    zip.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    zip.extend_from_slice(&crc);
    zip.extend_from_slice(&size);
    zip.extend_from_slice(&size);
    zip.extend_from_slice(&name_len);
    zip.extend_from_slice(&[0, 0]);
    zip.extend_from_slice(name.as_bytes());
    zip.extend_from_slice(content);
    let central = zip.len() as u32;
    zip.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    zip.extend_from_slice(&crc);
    zip.extend_from_slice(&size);
    zip.extend_from_slice(&size);
    zip.extend_from_slice(&name_len);
    zip.extend_from_slice(&[0; 12]);
    zip.extend_from_slice(name.as_bytes());
    let central_len = zip.len() as u32 - central;
    zip.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00");
    zip.extend_from_slice(&central_len.to_le_bytes());
    zip.extend_from_slice(&central.to_le_bytes());
    zip.extend_from_slice(&[0, 0]);
    zip
}

/// The file `name` in `dir` with `bytes`, as a path string.
fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path.to_str().expect("UTF-8 path").to_string()
}

#[test]
fn bad_exports_fail_clearly_in_bounded_memory_and_change_nothing() {
    if !keyring_test("") || skip_under_wine("the memory limit is set with bash's ulimit") {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let files = tmp.path().join("files");
    std::fs::create_dir_all(&files).expect("mkdir");
    ok(&dir, &["add", "otpauth://totp/LPSE%20Kota%20Contoh:tetap?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=LPSE%20Kota%20Contoh"]);
    let before = std::fs::read(vault_file(&dir)).expect("vault");

    let aegis = String::from_utf8(fixture("aegis_encrypted.json")).expect("UTF-8");
    let proton = fixture("proton_encrypted.json");
    let twofas = fixture("2fas_encrypted.2fas");
    let db = aegis.find("\"db\": \"").expect("the db field") + 8;
    let mut tampered = aegis.clone().into_bytes();
    tampered[db + 10] = if tampered[db + 10] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let huge = files.join("besar.json");
    std::fs::File::create(&huge)
        .expect("create")
        .set_len(2 * 1024 * 1024 * 1024) // sparse: no disk used
        .expect("set_len");
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));

    // (file name, contents, a password line, what the error must say)
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "aegis-potong.json",
            aegis.as_bytes()[..aegis.len() / 2].to_vec(),
            "kata-sandi-contoh\n",
            "damaged",
        ),
        ("aegis-ubah.json", tampered, "kata-sandi-contoh\n", "integrity check"),
        (
            "proton-potong.json",
            proton[..proton.len() - 40].to_vec(),
            "kata-sandi-contoh\n",
            "damaged",
        ),
        (
            "2fas-potong.2fas",
            twofas[..twofas.len() * 2 / 3].to_vec(),
            "kata-sandi-contoh\n",
            "damaged",
        ),
        (
            "bukan-aegis.json",
            br#"{"version": 1, "header": {"slots": null, "params": null}, "db": {"version": "dua", "entries": 7}}"#.to_vec(),
            "",
            "aegis export is damaged or not what it claims",
        ),
        ("bersarang.json", nested.into_bytes(), "", "damaged"),
        (
            "gambar-raksasa.png",
            png_header(65_535, 65_535),
            "",
            "image too large",
        ),
        (
            "arsip.zip",
            zip_of("aegis.json", aegis.as_bytes()),
            "",
            "not an export this app can read",
        ),
    ];
    for (name, bytes, password, says) in &cases {
        let path = write(&files, name, bytes);
        let args: Vec<&str> = if password.is_empty() {
            vec!["import", &path]
        } else {
            vec!["--password-stdin", "import", &path]
        };
        let out = limited(&dir, &args, password.as_bytes());
        let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out));
        assert!(out.stdout.is_empty(), "{name}: {}", text(&out));
        assert!(err.contains(says), "{name}: expected «{says}» in {err}");
        assert!(
            err.contains(name),
            "{name}: the error names the file: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert_eq!(
            std::fs::read(vault_file(&dir)).expect("vault"),
            before,
            "{name} changed the vault"
        );
    }

    // The 2 GB file is refused before it is read.
    let out = limited(&dir, &["import", huge.to_str().expect("path")], b"");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        err.contains("besar.json") && err.contains("larger than 50 MiB"),
        "{err}"
    );

    // The limit does not get in the way of a good import (the test above could not pass by
    // failing everything): the plain Aegis export imports within it.
    let good = write(&files, "aegis.json", &fixture("aegis_plain.json"));
    let out = limited(&dir, &["import", &good], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let added = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("added "))
        .count();
    assert!(added >= 4, "{}", text(&out));
    assert_eq!(list_json(&dir).len(), 1 + added, "{}", text(&out));
}
