//! Settings remembered between runs (`settings.json` in the data folder) and the language rules.
//!
//! Invariants:
//! - Settings hold no secret (a language, an idle-lock delay, the clock check's switch and
//!   servers, the close-to-tray choice, the global shortcut).
//! - A missing or unreadable `settings.json` means the defaults (follow the system language, no
//!   idle lock, clock check on with the default servers); a file from an older version (fields
//!   missing) keeps what it has and takes the defaults for the rest (close-to-tray not asked yet,
//!   shortcut [`DEFAULT_SHORTCUT`]). Only a failed *write* is an
//!   error the user sees.
//! - Only accepted values are stored: a language of [`LANGUAGES`], a delay of [`LOCK_MINUTES`],
//!   time servers that parse as `HOST[:PORT]` (at most [`MAX_TIME_SERVERS`]).

use std::path::Path;

use serde::{Deserialize, Serialize};
use spse_auth_core::Error;

/// The settings file's name in the data folder.
pub const FILE_NAME: &str = "settings.json";
/// Idle-lock delays the settings accept, in minutes.
pub const LOCK_MINUTES: [u32; 4] = [1, 5, 15, 30];
/// The UI's languages.
pub const LANGUAGES: [&str; 2] = ["id", "en"];

/// The most time servers the clock check asks (one thread and one UDP request each).
pub const MAX_TIME_SERVERS: usize = 8;

/// Settings remembered between runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// `"id"`, `"en"`, or `None` to follow the system locale.
    #[serde(default)]
    pub language: Option<String>,
    /// Lock the app after this many idle minutes (one of [`LOCK_MINUTES`]); `None`: never.
    #[serde(default)]
    pub lock_minutes: Option<u32>,
    /// Check the clock against time servers at start, every hour and on demand (the app's only
    /// network traffic); on by default.
    #[serde(default = "on")]
    pub clock_check: bool,
    /// The time servers (`HOST[:PORT]`) the clock check asks; empty: the default servers
    /// (`spse_auth_clock::DEFAULT_SERVERS`).
    #[serde(default)]
    pub time_servers: Vec<String>,
    /// Closing the window hides it to the tray (`Some(true)`) or quits (`Some(false)`); `None`:
    /// not chosen yet — hide on Windows, ask the first time elsewhere
    /// ([`Settings::closes_to_tray`]).
    #[serde(default)]
    pub close_to_tray: Option<bool>,
    /// The first hide to the tray has said where the app went.
    #[serde(default)]
    pub tray_hint_shown: bool,
    /// The global shortcut that brings the window (`"Ctrl+Alt+A"`, [`crate::shortcut`]'s
    /// syntax); empty: none.
    #[serde(default = "default_shortcut")]
    pub shortcut: String,
}

/// The global shortcut out of the box.
pub const DEFAULT_SHORTCUT: &str = "Ctrl+Alt+A";

fn on() -> bool {
    true
}

fn default_shortcut() -> String {
    DEFAULT_SHORTCUT.to_string()
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: None,
            lock_minutes: None,
            clock_check: true,
            time_servers: Vec::new(),
            close_to_tray: None,
            tray_hint_shown: false,
            shortcut: default_shortcut(),
        }
    }
}

impl Settings {
    /// The settings in `data_dir`, or the defaults when the file is missing or unreadable.
    pub fn load(data_dir: &Path) -> Settings {
        std::fs::read(data_dir.join(FILE_NAME))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Writes the settings to `data_dir` (creating it).
    pub fn save(&self, data_dir: &Path) -> Result<(), Error> {
        let json = serde_json::to_vec_pretty(self).unwrap_or_default();
        std::fs::create_dir_all(data_dir)
            .and_then(|_| std::fs::write(data_dir.join(FILE_NAME), json))
            .map_err(|e| Error::io("writing", data_dir, &e))
    }

    /// Sets the language: one of [`LANGUAGES`], anything else (`None`, `"system"`) follows the
    /// system.
    pub fn set_language(&mut self, language: Option<String>) {
        self.language = language.filter(|l| LANGUAGES.contains(&l.as_str()));
    }

    /// Sets the idle-lock delay: one of [`LOCK_MINUTES`], anything else (`None`, 0) is off.
    pub fn set_lock_minutes(&mut self, minutes: Option<u32>) {
        self.lock_minutes = minutes.filter(|m| LOCK_MINUTES.contains(m));
    }

    /// Sets the clock check's switch and servers. Every server must parse as `HOST[:PORT]`
    /// (blank lines are dropped; none left: the default servers); otherwise nothing changes and
    /// the first bad one's error is returned.
    pub fn set_clock(
        &mut self,
        enabled: bool,
        servers: &[String],
    ) -> Result<(), spse_auth_clock::Error> {
        let servers: Vec<String> = servers
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if servers.len() > MAX_TIME_SERVERS {
            return Err(spse_auth_clock::Error::new(
                spse_auth_clock::ErrorKind::InvalidServer,
                format!("at most {MAX_TIME_SERVERS} time servers"),
            ));
        }
        for s in &servers {
            spse_auth_clock::Server::parse(s)?;
        }
        self.clock_check = enabled;
        self.time_servers = servers;
        Ok(())
    }

    /// The servers the clock check asks: the configured ones, else the default servers. A server
    /// that no longer parses (a hand-edited file) is left out.
    pub fn clock_servers(&self) -> Vec<spse_auth_clock::Server> {
        if self.time_servers.is_empty() {
            return spse_auth_clock::default_servers();
        }
        self.time_servers
            .iter()
            .filter_map(|s| spse_auth_clock::Server::parse(s).ok())
            .collect()
    }

    /// What closing the window does: `Some(true)` hide to the tray, `Some(false)` quit, `None`
    /// ask (not chosen yet, and not Windows, where hiding is the default: Windows users expect
    /// tray apps to keep running).
    pub fn closes_to_tray(&self) -> Option<bool> {
        self.close_to_tray.or(cfg!(windows).then_some(true))
    }

    /// The language to show: the user's choice, else the system's.
    pub fn ui_language(&self) -> String {
        self.language.clone().unwrap_or_else(system_language)
    }
}

/// `id` when the system locale is Indonesian (`id`, `id_ID`, `id-ID`, `in_ID`…), else `en`.
pub fn system_language() -> String {
    // POSIX variables first (in their precedence order), so `LANG=id_ID.UTF-8 app` works everywhere.
    let posix = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty());
    let locale = posix.or_else(sys_locale::get_locale).unwrap_or_default();
    language_of(&locale).to_string()
}

/// The UI language for a locale name: `id` for Indonesian (also the old code `in`), else `en`.
pub fn language_of(locale: &str) -> &'static str {
    let l = locale.to_ascii_lowercase();
    if l.starts_with("id") || l.starts_with("in_") || l.starts_with("in-") {
        "id"
    } else {
        "en"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::TempDir;

    #[test]
    fn language_of_knows_indonesian_by_every_name() {
        for id in ["id", "id_ID", "id-ID", "ID_id.UTF-8", "in_ID", "in-ID"] {
            assert_eq!(language_of(id), "id", "{id}");
        }
        for en in ["en_US", "en", "", "C", "POSIX", "in", "it_IT"] {
            assert_eq!(language_of(en), "en", "{en}");
        }
    }

    #[test]
    fn only_accepted_values_are_kept() {
        let mut s = Settings::default();
        s.set_language(Some("id".into()));
        assert_eq!(s.language.as_deref(), Some("id"));
        s.set_language(Some("system".into()));
        assert_eq!(s.language, None);
        s.set_language(Some("fr".into()));
        assert_eq!(s.language, None);
        s.set_lock_minutes(Some(15));
        assert_eq!(s.lock_minutes, Some(15));
        for off in [None, Some(0), Some(7)] {
            s.set_lock_minutes(off);
            assert_eq!(s.lock_minutes, None, "{off:?}");
        }
        s.set_language(Some("en".into()));
        assert_eq!(s.ui_language(), "en");
    }

    #[test]
    fn settings_survive_a_restart_and_a_bad_file_means_defaults() {
        let dir = TempDir::new("settings");
        assert_eq!(Settings::load(&dir.0), Settings::default(), "no file yet");
        let s = Settings {
            language: Some("en".into()),
            lock_minutes: Some(5),
            ..Settings::default()
        };
        s.save(&dir.0).expect("save creates the folder");
        assert_eq!(Settings::load(&dir.0), s);
        std::fs::write(dir.0.join(FILE_NAME), b"{not json").expect("write");
        assert_eq!(Settings::load(&dir.0), Settings::default());
        // Older files without a field still load.
        std::fs::write(dir.0.join(FILE_NAME), br#"{"language":"id"}"#).expect("write");
        assert_eq!(Settings::load(&dir.0).language.as_deref(), Some("id"));
    }

    #[test]
    fn the_clock_check_is_on_by_default_also_for_older_files() {
        let dir = TempDir::new("settings-clock");
        std::fs::create_dir_all(&dir.0).expect("data folder");
        let d = Settings::default();
        assert!(d.clock_check);
        assert!(d.time_servers.is_empty());
        let names: Vec<String> = d.clock_servers().iter().map(|s| s.to_string()).collect();
        let defaults: Vec<String> = spse_auth_clock::default_servers()
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(names, defaults);
        // A settings.json written before the clock check existed: its values stay, the check is on.
        std::fs::write(
            dir.0.join(FILE_NAME),
            br#"{"language":"id","lock_minutes":5}"#,
        )
        .expect("write");
        let old = Settings::load(&dir.0);
        assert_eq!(old.language.as_deref(), Some("id"));
        assert_eq!(old.lock_minutes, Some(5));
        assert!(old.clock_check);
        assert!(old.time_servers.is_empty());
        // Turned off with a test server: survives a restart.
        let mut s = old;
        s.set_clock(false, &[" 127.0.0.1:12300 ".into(), "".into()])
            .expect("valid");
        s.save(&dir.0).expect("save");
        let back = Settings::load(&dir.0);
        assert!(!back.clock_check);
        assert_eq!(back.time_servers, ["127.0.0.1:12300"]);
        assert_eq!(back.clock_servers()[0].to_string(), "127.0.0.1:12300");
    }

    #[test]
    fn older_files_get_the_desktop_defaults() {
        let dir = TempDir::new("settings-desktop");
        std::fs::create_dir_all(&dir.0).expect("data folder");
        std::fs::write(
            dir.0.join(FILE_NAME),
            br#"{"language":"en","clock_check":false}"#,
        )
        .expect("write");
        let old = Settings::load(&dir.0);
        assert_eq!(old.language.as_deref(), Some("en"));
        assert!(!old.clock_check);
        assert_eq!(old.close_to_tray, None);
        assert!(!old.tray_hint_shown);
        assert_eq!(old.shortcut, "Ctrl+Alt+A");
        // Not chosen yet: hide on Windows, ask elsewhere; a choice wins everywhere.
        assert_eq!(old.closes_to_tray(), cfg!(windows).then_some(true));
        let chosen = Settings {
            close_to_tray: Some(false),
            shortcut: String::new(),
            ..old
        };
        assert_eq!(chosen.closes_to_tray(), Some(false));
        chosen.save(&dir.0).expect("save");
        let back = Settings::load(&dir.0);
        assert_eq!(back.close_to_tray, Some(false));
        assert_eq!(back.shortcut, "", "no shortcut survives a restart");
    }

    #[test]
    fn bad_time_servers_change_nothing() {
        let mut s = Settings::default();
        for bad in [vec!["host:notaport".to_string()], vec![":123".to_string()]] {
            let err = s.set_clock(false, &bad).expect_err("refused");
            assert_eq!(
                err.kind(),
                spse_auth_clock::ErrorKind::InvalidServer,
                "{bad:?}"
            );
        }
        let many: Vec<String> = (0..=MAX_TIME_SERVERS).map(|i| format!("s{i}")).collect();
        assert!(s.set_clock(true, &many).is_err());
        assert_eq!(s, Settings::default(), "nothing changed");
        // An empty list means the defaults again.
        s.set_clock(true, &["a.example".into()]).expect("valid");
        s.set_clock(true, &[]).expect("valid");
        assert!(s.time_servers.is_empty());
    }

    #[test]
    fn a_failed_write_is_an_io_error() {
        let dir = TempDir::new("settings-blocked");
        // The data folder's path is taken by a file: it cannot be created.
        std::fs::write(&dir.0, b"file").expect("write");
        let err = Settings::default().save(&dir.0).expect_err("blocked");
        assert_eq!(err.kind(), spse_auth_core::ErrorKind::Io);
        std::fs::remove_file(&dir.0).expect("cleanup");
    }
}
