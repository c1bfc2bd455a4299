//! Build script: Tauri context plus the app manifest, so each of the app's own commands needs an
//! explicit grant in `capabilities/`.

fn main() {
    let attrs =
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(&[
            "ui_language",
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
            "unlock_vault",
            "restore_keyring_key",
            "safety_info",
            "set_recovery_password",
            "remove_recovery_password",
            "backups",
            "restore_backup",
            "set_lock_minutes",
            "lock_app",
            "unlock_app",
            "about",
        ]));
    tauri_build::try_build(attrs).expect("tauri build script failed");
}
