//! SPSE Authenticator, the desktop app: a Tauri 2 shell over `spse-auth-core`.
//!
//! Codes are computed in Rust and fetched by the UI once a second; secrets never cross IPC as
//! text (an export's QR code, drawn in Rust, goes to the page as an image).
//! One instance at a time (a second launch focuses the first), so the vault has one writer.
//!
//! Modules: [`commands`] (the IPC surface, one line each) over [`state`], [`imports`],
//! [`exports`] and [`clock_check`] (the operations), built from [`settings`], [`app_lock`],
//! [`staging`] and [`clipboard`]; the desktop around the window is [`tray`] (+ [`tray_menu`]),
//! [`shortcut`], [`main_window`] (show, hide to the tray, close) and [`autostart`];
//! [`page_html`] serves the page with its first codes in it and [`first_frame`] keeps
//! WebKitGTK from waiting for the web view's first frame; [`ipc`]
//! holds what crosses IPC and [`error`] the one error type. Every command's answer and every
//! event's payload uses the shapes of [`ipc`]: a value, an [`error::AppError`] `{kind, message}`,
//! or, for a result inside an answer or an event, [`ipc::Reply`] `{ok}` / `{error}`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[cfg(test)]
mod acl_check;
mod app_lock;
mod autostart;
mod clipboard;
mod clock_check;
mod commands;
mod error;
mod exports;
mod first_frame;
mod imports;
mod ipc;
mod main_window;
mod page_html;
mod settings;
mod shortcut;
mod staging;
mod state;
#[cfg(test)]
mod test_support;
mod tray;
mod tray_menu;
mod web_engine;
mod webview2;

use std::time::{SystemTime, UNIX_EPOCH};

use tauri::{DragDropEvent, Emitter, Manager, WindowEvent};

use ipc::{Preview, Reply};
use state::AppState;

/// `--measure`: print `SPSE_AUTH_MEASURE <event>_unix_ms=…` at the steps of start-up that
/// `tests/app/measure.sh` reports: `main` (entered), `setup` (plugins initialised and the window
/// made), `page_load_started` (the web view began loading the page), `web_view_shown_at_load` or
/// `…_by_fallback` ([`first_frame`]), `desktop` (tray and clock check started), `bootstrap` (the
/// page's start-up state taken: served in its HTML, or asked by its `bootstrap` call) and
/// `first_code_visible` (the UI painted its first codes).
pub(crate) fn report(measure: bool, event: &str) {
    if measure {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        println!("SPSE_AUTH_MEASURE {event}_unix_ms={ms}");
    }
}

/// `--measure`: print the page's start-up marks (name → ms; see `startupMarks` in ui/list.js)
/// as `SPSE_AUTH_MEASURE page name=ms…`. Names other than short `[a-z_]` words and values other
/// than finite numbers are left out (the page's data goes to stdout).
pub(crate) fn report_marks(measure: bool, marks: &std::collections::BTreeMap<String, f64>) {
    if measure {
        let fine =
            |k: &str| k.len() <= 32 && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        let line: String = marks
            .iter()
            .filter(|(k, v)| fine(k) && v.is_finite())
            .map(|(k, v)| format!(" {k}={v:.0}"))
            .collect();
        println!("SPSE_AUTH_MEASURE page{line}");
    }
}

/// Starts the clock check's thread: at start, hourly and on demand, its status goes to the
/// page as the event `clock-checked`.
fn start_clock_check(app: &tauri::AppHandle) {
    let (for_settings, for_publish) = (app.clone(), app.clone());
    app.state::<AppState>().clock.spawn(
        move || for_settings.state::<AppState>().settings_now(),
        move |status| {
            let _ = for_publish.emit_to("main", clock_check::EVENT, status);
        },
    );
}

/// Starts what the app does around its window, once (on the UI thread; after the page's first
/// load, or [`first_frame::FALLBACK`] after setup should that never come): the clock check and
/// the tray icon. `--measure` says when (`desktop`). (The global shortcut is registered in
/// setup: Settings and the close question read its state from the first moment.)
fn start_desktop(app: &tauri::AppHandle, measure: bool) {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        start_clock_check(app);
        if let Err(e) = tray::create(app) {
            eprintln!("spse-authenticator: no tray icon: {e}");
        }
        report(measure, "desktop");
    });
}

fn main() {
    web_engine::configure();
    let measure = std::env::args().any(|a| a == "--measure");
    report(measure, "main");
    webview2::require_runtime();
    let data_dir = match spse_auth_core::accounts::data_dir(None) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("spse-authenticator: {e}");
            std::process::exit(1);
        }
    };
    // The vault opens while GTK, Tauri and WebKit start; index.html goes out with the start-up
    // state in it when the warm-up thread has it ready.
    let state = AppState::new(data_dir, measure);
    state.start_warm_up();
    let mut context = tauri::generate_context!();
    page_html::PageAssets::install(&mut context, |app| {
        app.try_state::<AppState>()?.served_bootstrap()
    });
    tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            main_window::show(app)
        }))
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(autostart::plugin())
        .plugin(shortcut::plugin())
        .manage(state)
        .manage(shortcut::Registered::default())
        .setup(move |app| {
            // Plugins initialised and the window (its web process started) made: --measure says when.
            report(measure, "setup");
            // Started by the system at log-in: straight into the tray (hidden before the event
            // loop first runs, so the window is never drawn).
            if autostart::started_hidden(std::env::args()) {
                main_window::hide(app.handle());
            }
            // The global shortcut at once (a key grab on the shortcut plugin's own thread; what
            // Settings and the close question show is known from the start). The tray and the
            // clock check wait for the page's load: until then the UI thread serves the page.
            shortcut::register_saved(app.handle());
            let window = app.get_webview_window("main");
            if let Some(window) = &window {
                first_frame::hold(window, measure);
            }
            // One fallback for both, should the page never report its load.
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                std::thread::sleep(first_frame::FALLBACK);
                let app = handle.clone();
                let _ = handle.run_on_main_thread(move || {
                    if let Some(window) = window {
                        first_frame::fallback(&window);
                    }
                    start_desktop(&app, measure);
                });
            });
            Ok(())
        })
        .on_page_load(move |webview, payload| match payload.event() {
            tauri::webview::PageLoadEvent::Started => report(measure, "page_load_started"),
            tauri::webview::PageLoadEvent::Finished => {
                first_frame::page_loaded(webview);
                start_desktop(webview.app_handle(), measure);
            }
        })
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                main_window::close_requested(window, || api.prevent_close());
            }
            // Files dropped on the window: read in Rust (the UI only gets the preview), answered
            // with the event `import-dropped`, a `Reply<Preview>` (an encrypted export: the error
            // `password_required` with the token for `import_with_password`).
            if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
                let app = window.app_handle().clone();
                let paths = paths.clone();
                std::thread::spawn(move || {
                    let payload: Reply<Preview> =
                        app.state::<AppState>().import_files(&paths).into();
                    let _ = app.emit_to("main", "import-dropped", payload);
                });
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::ui_language,
            commands::bootstrap,
            commands::codes,
            commands::copy_code,
            commands::next_hotp,
            commands::import_clipboard,
            commands::open_file,
            commands::import_with_password,
            commands::import_manual,
            commands::commit_add,
            commands::cancel_import,
            commands::remove_account,
            commands::undo_remove,
            commands::set_language,
            commands::first_codes_shown,
            commands::scan_screen,
            commands::unlock_vault,
            commands::restore_keyring_key,
            commands::safety_info,
            commands::set_recovery_password,
            commands::remove_recovery_password,
            commands::backups,
            commands::restore_backup,
            commands::set_lock_minutes,
            commands::lock_app,
            commands::unlock_app,
            commands::about,
            commands::show_account_qr,
            commands::show_migration_qrs,
            commands::export_file,
            commands::clock_status,
            commands::check_clock,
            commands::set_clock_check,
            commands::autostart_status,
            commands::set_autostart,
            commands::desktop_status,
            commands::set_close_to_tray,
            commands::hide_window,
            commands::quit_app,
            commands::set_shortcut,
        ])
        .run(context)
        .unwrap_or_else(|e| {
            eprintln!("spse-authenticator: cannot start: {e}");
            std::process::exit(1);
        });
}
