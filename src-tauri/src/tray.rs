//! The tray icon and its menu (Tauri's tray: a StatusNotifierItem/AppIndicator on Linux, with
//! libayatana-appindicator's fallback to an XEmbed icon; the notification area on Windows; the
//! menu bar on macOS). The menu's content is [`crate::tray_menu::model`].
//!
//! Invariants:
//! - The menu follows the vault: a thread compares what the menu is made from (language, lock,
//!   the account list's digest) every [`REFRESH_EVERY`] with the last time, and then the model
//!   with the one shown, and rebuilds the menu only when it differs, so accounts added or removed by the
//!   window or by the CLI (another process writing the vault) appear within that time, and
//!   locking hides the names as soon as the lock is on (the tray's Lock refreshes at once).
//! - Clicking an account copies its current code through [`AppState::copy_code`]: the same
//!   clipboard marking and clearing as the window. While locked, nothing is copied and the
//!   window comes up instead.

use std::sync::Mutex;
use std::time::Duration;

use tauri::menu::{IsMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use spse_auth_core::accounts::{self, ListDigest};

use crate::state::{lock_mutex, AppState};
use crate::tray_menu::{self, Accounts, Item};

/// The tray icon's id.
const TRAY_ID: &str = "main";
/// How often the menu is compared with the vault.
pub const REFRESH_EVERY: Duration = Duration::from_secs(2);
/// How long after start-up the first menu is made (the icon shows at once, its menu then).
pub const FIRST_MENU_AFTER: Duration = Duration::from_millis(1500);
/// The event telling the page that the tray's Lock locked the app (no payload).
pub const LOCKED_EVENT: &str = "app-locked";

/// The model shown in the menu now and what it was made from, managed by Tauri.
#[derive(Default)]
pub struct TrayShown {
    model: Mutex<Option<Vec<Item>>>,
    inputs: Mutex<Option<MenuInputs>>,
}

/// What the menu is made from. While it stays the same, the refresh neither lists the accounts
/// nor makes the model (a vendor's 1,000 accounts every [`REFRESH_EVERY`]).
#[derive(Debug, Clone, PartialEq, Eq)]
struct MenuInputs {
    language: String,
    locked: bool,
    can_lock: bool,
    /// The account list's digest; `None` when the vault cannot be read (or while locked).
    list: Option<ListDigest>,
}

fn inputs_now(state: &AppState) -> MenuInputs {
    let language = state.ui_language();
    if state.app_lock.is_on() {
        return MenuInputs {
            language,
            locked: true,
            can_lock: true,
            list: None,
        };
    }
    let mut store = lock_mutex(&state.store);
    MenuInputs {
        language,
        locked: false,
        can_lock: store.has_recovery_password().unwrap_or(false),
        list: store
            .codes_of(&[], accounts::now_unix())
            .ok()
            .map(|c| c.list_digest),
    }
}

/// The menu model for the app's state now.
fn current_model(state: &AppState) -> Vec<Item> {
    let language = state.ui_language();
    if state.app_lock.is_on() {
        return tray_menu::model(Accounts::Locked, true, &language);
    }
    let mut store = lock_mutex(&state.store);
    let can_lock = store.has_recovery_password().unwrap_or(false);
    match store.list() {
        Ok(list) => tray_menu::model(Accounts::Open(&list), can_lock, &language),
        Err(_) => tray_menu::model(Accounts::Unavailable, can_lock, &language),
    }
}

fn append<R: Runtime>(
    app: &AppHandle<R>,
    item: &Item,
    add: &dyn Fn(&dyn IsMenuItem<R>) -> tauri::Result<()>,
) -> tauri::Result<()> {
    match item {
        Item::Copy { id, label } => add(&MenuItem::with_id(app, id, label, true, None::<&str>)?),
        Item::Action { id, label } => add(&MenuItem::with_id(app, *id, label, true, None::<&str>)?),
        Item::Note(label) => add(&MenuItem::new(app, label, false, None::<&str>)?),
        Item::Separator => add(&PredefinedMenuItem::separator(app)?),
        Item::Group { label, items } => {
            let sub = Submenu::new(app, label, true)?;
            for i in items {
                append(app, i, &|m| sub.append(m))?;
            }
            add(&sub)
        }
    }
}

fn build_menu<R: Runtime>(app: &AppHandle<R>, model: &[Item]) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    for item in model {
        append(app, item, &|m| menu.append(m))?;
    }
    Ok(menu)
}

/// Shows the menu for the state now, if it differs from the one shown.
pub fn refresh<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let shown = app.state::<TrayShown>();
    let inputs = inputs_now(&state);
    let mut last_inputs = lock_mutex(&shown.inputs);
    if last_inputs.as_ref() == Some(&inputs) {
        return;
    }
    let model = current_model(&state);
    let mut last = lock_mutex(&shown.model);
    if last.as_ref() == Some(&model) {
        *last_inputs = Some(inputs);
        return;
    }
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    if let Ok(menu) = build_menu(app, &model) {
        if tray.set_menu(Some(menu)).is_ok() {
            *last = Some(model);
            *last_inputs = Some(inputs);
        }
    }
}

fn on_menu<R: Runtime>(app: &AppHandle<R>, id: &str) {
    let state = app.state::<AppState>();
    if let Some(account) = id.strip_prefix(tray_menu::COPY_PREFIX) {
        if state.copy_code(app, account, false).is_err() {
            crate::main_window::show(app);
        }
    } else if id == tray_menu::SHOW {
        crate::main_window::show(app);
    } else if id == tray_menu::SEARCH {
        crate::shortcut::bring_up_search(app);
    } else if id == tray_menu::LOCK {
        if state.lock_app(app).is_ok() {
            let _ = app.emit_to("main", LOCKED_EVENT, ());
        }
        refresh(app);
    } else if id == tray_menu::QUIT {
        app.exit(0);
    }
}

/// Creates the tray icon with its menu and starts the thread that keeps the menu current. A
/// system without a tray (or, on Linux, without libayatana-appindicator3) still runs the app:
/// the error is returned for the log.
pub fn create<R: Runtime>(app: &AppHandle<R>) -> Result<(), String> {
    app.manage(TrayShown::default());
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("SPSE Authenticator")
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| on_menu(app, event.id().as_ref()));
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    // On Linux the AppIndicator library is loaded at run time, and its loader panics when the
    // system has none: then the app runs without a tray icon instead of not at all.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| builder.build(app))) {
        Ok(built) => built.map_err(|e| e.to_string())?,
        Err(_) => return Err("libayatana-appindicator3 could not be loaded".into()),
    };
    // The first menu too is made on the refresh thread: reading the accounts waits for the vault
    // to open (the keyring), and on the main thread that wait held back WebKit's start-up. It
    // comes after FIRST_MENU_AFTER: building one item per account runs on the main thread, which
    // WebKit needs to start the page and paint the first codes.
    let handle = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(FIRST_MENU_AFTER);
        loop {
            refresh(&handle);
            std::thread::sleep(REFRESH_EVERY);
        }
    });
    Ok(())
}
