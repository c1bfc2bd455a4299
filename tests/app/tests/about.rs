//! End to end: Settings → About shows the app's name, its version (the workspace version, the
//! one `spse-auth --version` prints too) and the data folder the vault lives in, in Indonesian and
//! in English. Run with `tests/app/run.sh about`.

use spse_app_e2e::*;

/// This test crate takes the workspace version, like the app and the CLI.
const VERSION: &str = env!("CARGO_PKG_VERSION");

fn open_settings(app: &App) {
    app.click("#btn-settings");
    app.wait(10, "the About section", |a| {
        a.visible("#about-version") && !a.element_text("#about-version").is_empty()
    });
}

fn choose_language(app: &App, value: &str) {
    app.js(&format!(
        "const s = document.getElementById('lang'); s.value = '{value}'; \
         s.dispatchEvent(new Event('change')); return null;"
    ));
}

/// The About section's heading and its label/value pairs, as shown.
fn about_section(app: &App) -> String {
    app.js("return document.getElementById('s-about-title').closest('section').innerText;")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn about_in_settings_shows_the_version_and_the_data_folder() {
    let app = App::launch("id_ID.UTF-8");
    app.wait_text(30, "Belum ada akun");
    open_settings(&app);

    assert_eq!(app.element_text("#about-version"), VERSION);
    assert_eq!(app.element_text("#about-name"), "SPSE Authenticator");
    let data_dir = app.data_dir.display().to_string();
    assert_eq!(app.element_text("#about-data-dir"), data_dir);
    let shown = about_section(&app);
    for label in ["Tentang", "Aplikasi", "Versi", "Folder data"] {
        assert!(shown.contains(label), "{label:?} missing in:\n{shown}");
    }

    // The same in English (the page is re-translated, the values stay).
    choose_language(&app, "en");
    app.wait(10, "English labels", |a| about_section(a).contains("About"));
    let shown = about_section(&app);
    for label in ["App", "Version", "Data folder"] {
        assert!(shown.contains(label), "{label:?} missing in:\n{shown}");
    }
    assert_eq!(app.element_text("#about-version"), VERSION);
    assert_eq!(app.element_text("#about-data-dir"), data_dir);

    // The command itself: nothing but these three fields.
    let about = app.invoke("about", serde_json::json!({})).expect("about");
    assert_eq!(
        about,
        serde_json::json!({"name": "SPSE Authenticator", "version": VERSION, "data_dir": data_dir})
    );
}
