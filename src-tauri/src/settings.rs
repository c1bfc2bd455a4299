//! Settings remembered between runs (`settings.json` in the data folder) and the language rules.
//!
//! Invariants:
//! - Settings hold no secret (a language and an idle-lock delay).
//! - A missing or unreadable `settings.json` means the defaults (follow the system language, no
//!   idle lock); only a failed *write* is an error the user sees.
//! - Only accepted values are stored: a language of [`LANGUAGES`], a delay of [`LOCK_MINUTES`].

use std::path::Path;

use serde::{Deserialize, Serialize};
use spse_auth_core::Error;

/// The settings file's name in the data folder.
pub const FILE_NAME: &str = "settings.json";
/// Idle-lock delays the settings accept, in minutes.
pub const LOCK_MINUTES: [u32; 4] = [1, 5, 15, 30];
/// The UI's languages.
pub const LANGUAGES: [&str; 2] = ["id", "en"];

/// Settings remembered between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// `"id"`, `"en"`, or `None` to follow the system locale.
    #[serde(default)]
    pub language: Option<String>,
    /// Lock the app after this many idle minutes (one of [`LOCK_MINUTES`]); `None`: never.
    #[serde(default)]
    pub lock_minutes: Option<u32>,
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
    fn a_failed_write_is_an_io_error() {
        let dir = TempDir::new("settings-blocked");
        // The data folder's path is taken by a file: it cannot be created.
        std::fs::write(&dir.0, b"file").expect("write");
        let err = Settings::default().save(&dir.0).expect_err("blocked");
        assert_eq!(err.kind(), spse_auth_core::ErrorKind::Io);
        std::fs::remove_file(&dir.0).expect("cleanup");
    }
}
