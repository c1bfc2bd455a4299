//! One version everywhere: the workspace version in the top `Cargo.toml` is what `spse-auth
//! --version` prints, what every crate of the workspace declares, and what the app and its bundles
//! get (`tauri.conf.json` names no version of its own, so Tauri uses the app crate's).

use std::path::{Path, PathBuf};
use std::process::Command;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn version_flag_prints_the_workspace_version() {
    for flag in ["--version", "-V"] {
        let out = Command::new(env!("CARGO_BIN_EXE_spse-auth"))
            .arg(flag)
            .output()
            .expect("spse-auth runs");
        assert!(out.status.success(), "{flag}: {out:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("spse-auth {VERSION}\n"),
            "{flag}"
        );
        assert!(out.stderr.is_empty(), "{flag}: {out:?}");
    }
}

#[test]
fn every_crate_and_the_app_bundle_use_the_workspace_version() {
    // The top Cargo.toml's [workspace.package] version is the one this crate was built with.
    let top = read("Cargo.toml");
    let section = top
        .split("[workspace.package]")
        .nth(1)
        .expect("[workspace.package] in Cargo.toml");
    let declared = section
        .lines()
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| l.trim().strip_prefix("version"))
        .map(|v| v.trim().trim_start_matches('=').trim().trim_matches('"'))
        .expect("version in [workspace.package]");
    assert_eq!(declared, VERSION);

    for manifest in [
        "src-tauri/core/Cargo.toml",
        "src-tauri/cli/Cargo.toml",
        "src-tauri/Cargo.toml",
        "tests/app/Cargo.toml",
    ] {
        let text = read(manifest);
        let package = text.split("\n[").next().unwrap_or_default();
        assert!(
            package.contains("version.workspace = true"),
            "{manifest} must take the workspace version"
        );
    }

    // Tauri uses tauri.conf.json's "version" when present, else the app crate's version.
    let conf: serde_json::Value =
        serde_json::from_str(&read("src-tauri/tauri.conf.json")).expect("tauri.conf.json");
    assert!(
        conf.get("version").is_none(),
        "tauri.conf.json must not name a version (the app takes the workspace's): {:?}",
        conf.get("version")
    );
}
