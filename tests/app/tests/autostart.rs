//! End to end: Settings → "Start when I log in" creates and removes the system's entry. On
//! Linux that is a desktop entry in `~/.config/autostart/` (the autostart plugin writes it under
//! the app's HOME, which the test points at a temporary folder, as it does XDG_CONFIG_HOME), and
//! it starts the app with `--hidden`. The checkbox shows the entry's state, also after a restart
//! and after the entry is deleted by hand. Run with `tests/app/run.sh autostart`.

use std::path::{Path, PathBuf};

use serde_json::json;
use spse_app_e2e::*;

/// The `.desktop` files in the autostart folder under `home`.
fn entries(home: &Path) -> Vec<PathBuf> {
    let dir = home.join(".config").join("autostart");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    found.retain(|p| p.extension().is_some_and(|e| e == "desktop"));
    found
}

fn checkbox(app: &App) -> bool {
    app.js("return document.getElementById('autostart').checked;")
        .as_bool()
        .expect("a checkbox")
}

fn open_settings(app: &App) {
    app.click("#btn-settings");
    app.wait(10, "Settings", |a| a.visible("#autostart"));
}

#[test]
fn autostart_entry_follows_the_setting() {
    let tmp = tempfile::tempdir().unwrap();
    let data_dir = tmp.path().join("data");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&data_dir).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    let home_s = home.display().to_string();
    let config = home.join(".config").display().to_string();
    let env = [
        ("HOME", home_s.as_str()),
        ("XDG_CONFIG_HOME", config.as_str()),
    ];
    let app = App::launch_in_env("en_US.UTF-8", tmp, data_dir, &env);
    app.wait_text(30, "No accounts yet");
    open_settings(&app);
    assert!(!checkbox(&app), "off by default");
    assert!(entries(&home).is_empty(), "no entry by default");

    app.click("#autostart");
    app.wait(10, "the entry", |_| !entries(&home).is_empty());
    let found = entries(&home);
    assert_eq!(found.len(), 1, "{found:?}");
    let entry = std::fs::read_to_string(&found[0]).unwrap();
    assert!(entry.contains("[Desktop Entry]"), "{entry}");
    let exec = entry
        .lines()
        .find(|l| l.starts_with("Exec="))
        .unwrap_or_else(|| panic!("no Exec line: {entry}"));
    assert!(exec.contains("spse-authenticator"), "{exec}");
    assert!(exec.contains("--hidden"), "{exec}");
    assert!(checkbox(&app));
    assert_eq!(app.invoke("autostart_status", json!({})).unwrap(), true);

    // The state survives a restart: the entry is the one truth.
    let app = app.relaunch_env(|_| {}, &env);
    app.wait_text(30, "No accounts yet");
    open_settings(&app);
    assert!(checkbox(&app), "still on after a restart");
    app.click("#settings-close");

    // Deleted by hand: the app shows it off.
    std::fs::remove_file(&found[0]).unwrap();
    open_settings(&app);
    assert!(!checkbox(&app), "off once the entry is gone");

    // On, then off again from the app: the entry is removed.
    app.click("#autostart");
    app.wait(10, "the entry again", |_| !entries(&home).is_empty());
    app.click("#autostart");
    app.wait(10, "the entry removed", |_| entries(&home).is_empty());
    assert!(!checkbox(&app));
    assert_eq!(app.invoke("autostart_status", json!({})).unwrap(), false);
}
