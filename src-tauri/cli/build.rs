//! Build script: for Windows targets, embeds the app icon (`icons/icon.ico`) and the version
//! information into `spse-auth.exe`, like `tauri-build` does for the app and with the same crate
//! (`tauri-winres`; with the GNU target it runs mingw's `windres`). File and product version are
//! the workspace version (`CARGO_PKG_VERSION`); product name, copyright and publisher come from the
//! app's `tauri.conf.json`, so both programs say the same. Does nothing for other targets.

use std::path::Path;

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let conf_path = Path::new(&dir).join("../tauri.conf.json");
    let icon = Path::new(&dir).join("../../icons/icon.ico");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={}", conf_path.display());
    println!("cargo:rerun-if-changed={}", icon.display());
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }

    let conf: serde_json::Value = std::fs::read_to_string(&conf_path)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_else(|| panic!("cannot read {}", conf_path.display()));
    let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    let product = text(&conf["productName"]).unwrap_or_else(|| "SPSE Authenticator".into());
    let publisher = text(&conf["bundle"]["publisher"]).unwrap_or_else(|| product.clone());
    let description = format!("{product} command line (spse-auth)");

    // FileVersion/ProductVersion, text and numeric, default to CARGO_PKG_VERSION: the workspace's.
    let mut res = tauri_winres::WindowsResource::new();
    res.set_icon(&icon.to_string_lossy())
        .set("ProductName", &product)
        .set("FileDescription", &description)
        .set("CompanyName", &publisher)
        .set("OriginalFilename", "spse-auth.exe")
        .set("InternalName", "spse-auth");
    if let Some(copyright) = text(&conf["bundle"]["copyright"]) {
        res.set("LegalCopyright", &copyright);
    }
    if let Err(e) = res.compile() {
        panic!("cannot embed the Windows icon and version information into spse-auth.exe: {e}");
    }
}
