//! `index.html` served with the page's start-up state in it, so the page draws its first codes
//! without waiting for a round trip into Rust.
//!
//! Tauri serves `ui/` from the binary. [`PageAssets`] wraps those assets and changes one thing:
//! `index.html` gets, right before `</head>`, `<script type="application/json" id="boot-data">`
//! holding the [`Bootstrap`](crate::ipc::Bootstrap) the `bootstrap` command would answer — when
//! the warm-up thread (started before Tauri, while GTK and WebKit start) has opened the vault and
//! prepared the first codes ([`ServedStart::prepare`]). The page (`ui/startup.js`) takes it at its first start
//! instead of calling `ui_language` and `bootstrap`; without it, it asks as before.
//!
//! Invariants:
//! - Serving never waits: `index.html` is answered on the UI thread, so it only takes what is
//!   already prepared (no keyring call, no file lock, no vault decryption there).
//! - Only fresh, only once: prepared at most [`FRESH_FOR`] ago and taken by the first
//!   `index.html`; the app lock, settings and language are read when serving, so the page gets
//!   what `bootstrap` would answer then (locked: no names, no codes). The page uses it only at
//!   its first start; a later start (after an unlock, "Try again") always asks Rust.
//! - Nothing secret: the same facts `bootstrap` answers (ids, names, parameters, codes). The JSON
//!   is escaped so that no text in it can end the element or start a comment: `<`, `>`, `&`,
//!   U+2028 and U+2029 are written as `\u` escapes (still the same JSON).
//! - The CSP is unchanged: a JSON data block is not a script and runs nothing. Every other asset
//!   is served exactly as built.

use std::borrow::Cow;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use tauri::utils::assets::{AssetKey, AssetsIter, CspHash};
use tauri::{App, AppHandle, Assets, Context, Runtime};

use spse_auth_core::accounts::VaultStatus;

use crate::ipc::{CodesNow, Reply};
use crate::state::lock_mutex;

/// How long a prepared start-up state may be served: the page asks Rust after that.
pub const FRESH_FOR: Duration = Duration::from_secs(3);

/// The id of the JSON element in the served `index.html` (read by `ui/startup.js`).
pub const ELEMENT_ID: &str = "boot-data";

/// What the warm-up thread prepared for the page's HTML: the vault's first answers.
#[derive(Default)]
pub struct ServedStart(Mutex<Option<Prepared>>);

/// The parts of the [`Bootstrap`](crate::ipc::Bootstrap) that need the vault (the rest is read when serving).
pub struct Prepared {
    at: Instant,
    /// Every account and the first codes, or why the vault cannot be read.
    pub accounts: Reply<CodesNow>,
    /// The vault's start-up state.
    pub vault: Reply<VaultStatus>,
}

impl ServedStart {
    /// Keeps the vault's first answers for the page's HTML.
    pub fn prepare(&self, accounts: Reply<CodesNow>, vault: Reply<VaultStatus>) {
        *lock_mutex(&self.0) = Some(Prepared {
            at: Instant::now(),
            accounts,
            vault,
        });
    }

    /// Takes what was prepared, when it is younger than [`FRESH_FOR`] (once: the next page load
    /// asks Rust).
    pub fn take_fresh(&self) -> Option<Prepared> {
        let p = lock_mutex(&self.0).take()?;
        (p.at.elapsed() <= FRESH_FOR).then_some(p)
    }
}

/// `json` with every character that could end a `<script>` element or open a comment in it
/// written as a JSON `\u` escape (`<`, `>`, `&`), and the two line separators JavaScript once
/// treated as line ends. `json` must be JSON: these characters can only occur in its strings,
/// where the escape means the same character.
pub fn escape_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// `html` with the JSON element holding `json` inserted before `</head>` (unchanged when it
/// has no `</head>`).
pub fn with_start_state(html: &str, json: &str) -> Option<String> {
    let at = html.find("</head>")?;
    let element =
        format!("<script type=\"application/json\" id=\"{ELEMENT_ID}\">{json}</script>\n");
    let mut out = String::with_capacity(html.len() + element.len());
    out.push_str(&html[..at]);
    out.push_str(&element);
    out.push_str(&html[at..]);
    Some(out)
}

/// The app's assets: the built ones, `index.html` with the start-up state when one is fresh.
pub struct PageAssets<R: Runtime> {
    built: Box<dyn Assets<R>>,
    /// The app, known from [`Assets::setup`] on (before the window's page is asked for).
    app: OnceLock<AppHandle<R>>,
    /// The JSON for `index.html`, or `None` (must not wait: see the module's invariants).
    state: fn(&AppHandle<R>) -> Option<String>,
}

impl<R: Runtime> PageAssets<R> {
    /// Serves `context`'s own assets through [`PageAssets`]; `state` gives the JSON to put in
    /// `index.html` (or `None`) and must answer at once.
    pub fn install(context: &mut Context<R>, state: fn(&AppHandle<R>) -> Option<String>) {
        let built = context.set_assets(Box::new(NoAssets));
        context.set_assets(Box::new(PageAssets {
            built,
            app: OnceLock::new(),
            state,
        }));
    }
}

fn is_index(key: &AssetKey) -> bool {
    key.as_ref() == AssetKey::from("index.html").as_ref()
}

impl<R: Runtime> Assets<R> for PageAssets<R> {
    fn setup(&self, app: &App<R>) {
        let _ = self.app.set(app.handle().clone());
        self.built.setup(app);
    }

    fn get(&self, key: &AssetKey) -> Option<Cow<'_, [u8]>> {
        let asset = self.built.get(key)?;
        if !is_index(key) {
            return Some(asset);
        }
        let with_state = self
            .app
            .get()
            .and_then(self.state)
            .and_then(|json| with_start_state(std::str::from_utf8(&asset).ok()?, &json));
        match with_state {
            Some(html) => Some(Cow::Owned(html.into_bytes())),
            None => Some(asset),
        }
    }

    fn iter(&self) -> Box<AssetsIter<'_>> {
        self.built.iter()
    }

    fn csp_hashes(&self, html_path: &AssetKey) -> Box<dyn Iterator<Item = CspHash<'_>> + '_> {
        self.built.csp_hashes(html_path)
    }
}

/// Holds the place of the built assets for the moment they are taken out of the context.
struct NoAssets;

impl<R: Runtime> Assets<R> for NoAssets {
    fn get(&self, _key: &AssetKey) -> Option<Cow<'_, [u8]>> {
        None
    }

    fn iter(&self) -> Box<AssetsIter<'_>> {
        Box::new(std::iter::empty())
    }

    fn csp_hashes(&self, _html_path: &AssetKey) -> Box<dyn Iterator<Item = CspHash<'_>> + '_> {
        Box::new(std::iter::empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_in_the_json_can_end_the_element_and_it_reads_back_the_same() {
        let name = "</script><!-- & \u{2028}x\u{2029} <b>LPSE</b>";
        let json = serde_json::to_string(&serde_json::json!({ "issuer": name })).unwrap();
        let escaped = escape_for_script(&json);
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!escaped.contains(bad), "{bad:?} left in {escaped}");
        }
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["issuer"], name);
    }

    #[test]
    fn the_element_goes_right_before_the_head_ends() {
        let html = "<html><head><title>x</title></head><body></body></html>";
        let out = with_start_state(html, "{\"a\":1}").unwrap();
        assert_eq!(
            out,
            "<html><head><title>x</title><script type=\"application/json\" id=\"boot-data\">{\"a\":1}</script>\n</head><body></body></html>"
        );
        assert_eq!(with_start_state("<p>no head end</p>", "{}"), None);
    }

    #[test]
    fn a_prepared_start_is_taken_once_and_only_fresh() {
        let served = ServedStart::default();
        assert!(served.take_fresh().is_none(), "nothing prepared");
        let accounts = || Reply::Error(crate::error::AppError::AppLocked);
        let vault = || Reply::Error(crate::error::AppError::AppLocked);
        served.prepare(accounts(), vault());
        assert!(served.take_fresh().is_some());
        assert!(served.take_fresh().is_none(), "taken once");
        served.prepare(accounts(), vault());
        if let Some(p) = lock_mutex(&served.0).as_mut() {
            p.at = Instant::now()
                .checked_sub(FRESH_FOR + Duration::from_millis(1))
                .expect("a clock older than FRESH_FOR");
        }
        assert!(served.take_fresh().is_none(), "too old");
    }
}
