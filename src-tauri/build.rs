//! Build script: Tauri context plus the app manifest, so each of the app's own commands needs an
//! explicit grant in `capabilities/`.

fn main() {
    let attrs =
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(&[
            "bootstrap",
            "codes",
            "copy_code",
            "next_hotp",
            "import_clipboard",
            "open_file",
            "import_manual",
            "commit_add",
            "remove_account",
            "undo_remove",
            "set_language",
            "first_codes_shown",
            "scan_screen",
        ]));
    tauri_build::try_build(attrs).expect("tauri build script failed");
}
