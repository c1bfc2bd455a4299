//! The clock check: how far this computer's clock is off (`spse-auth-clock`), so the window can
//! explain "wrong code" with a banner.
//!
//! One background thread ([`ClockChecker::spawn`]) checks at start, then every [`CHECK_EVERY`],
//! and at once when woken ([`ClockChecker::check_now`], the "Check clock" button or a changed
//! setting). Each result is kept ([`ClockChecker::status`]) and sent to the page as the event
//! [`EVENT`] (a [`ClockStatus`]).
//!
//! Invariants:
//! - The check never runs on the window's or an IPC thread: commands only read the last result
//!   or wake the thread.
//! - With the check switched off (Settings), no server is asked and no result is kept.
//! - The banner ([`banner`]) shows only for a measured offset beyond the threshold; offline (no
//!   server answered) it says nothing. Codes are never shifted by the offset.
//! - What crosses IPC holds no secret: an offset, the servers' names, the OS family.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use spse_auth_clock::{ClockCheck, Options, Server, DEFAULT_SERVERS};

use crate::error::AppError;
use crate::settings::Settings;
use crate::state::{lock_mutex, AppResult, AppState};

/// How often the clock is checked while the app runs.
pub const CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

/// The event that carries a [`ClockStatus`] to the page when a check starts or ends.
pub const EVENT: &str = "clock-checked";

/// The banner's facts: the clock is off by more than the threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockBanner {
    /// Seconds this computer is ahead (negative: behind), rounded to whole seconds.
    pub offset_secs: i64,
    /// The threshold the offset is beyond, in seconds.
    pub threshold_secs: f64,
}

/// The result of the last check, as the page shows it in Settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LastCheck {
    /// The measured offset in seconds (positive: ahead); `None` when no server answered.
    pub offset_secs: Option<f64>,
    /// The banner to show, if any (see [`banner`]).
    pub banner: Option<ClockBanner>,
}

/// What the page gets: the setting, the state of the check and the last result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockStatus {
    /// The check is switched on.
    pub enabled: bool,
    /// The servers configured (empty: the defaults).
    pub servers: Vec<String>,
    /// The default servers (for Settings' placeholder).
    pub default_servers: Vec<String>,
    /// A check is running now.
    pub checking: bool,
    /// The last check's result (`None`: none yet, or the check is off).
    pub last: Option<LastCheck>,
    /// `windows`, `macos` or `linux` (others: `linux`): which fix the banner explains.
    pub os: &'static str,
}

/// The banner decision: a measured offset beyond the threshold shows it; an offset within it,
/// or none (offline), shows nothing.
pub fn banner(check: &ClockCheck) -> Option<ClockBanner> {
    match check.offset_secs {
        Some(offset) if check.off => Some(ClockBanner {
            offset_secs: offset.round() as i64,
            threshold_secs: check.threshold_secs,
        }),
        _ => None,
    }
}

/// The OS family whose clock settings the banner explains.
fn os_family() -> &'static str {
    match std::env::consts::OS {
        "windows" => "windows",
        "macos" => "macos",
        _ => "linux",
    }
}

/// The last result and the thread's wake-up line.
#[derive(Default)]
pub struct ClockChecker {
    last: Mutex<Option<LastCheck>>,
    checking: AtomicBool,
    wake: Mutex<Option<Sender<()>>>,
}

impl ClockChecker {
    /// The status to show, with the current settings.
    pub fn status(&self, settings: &Settings) -> ClockStatus {
        ClockStatus {
            enabled: settings.clock_check,
            servers: settings.time_servers.clone(),
            default_servers: DEFAULT_SERVERS.iter().map(|s| s.to_string()).collect(),
            checking: settings.clock_check && self.checking.load(Ordering::SeqCst),
            last: if settings.clock_check {
                lock_mutex(&self.last).clone()
            } else {
                None
            },
            os: os_family(),
        }
    }

    /// Wakes the thread to check now (no-op before [`ClockChecker::spawn`]).
    pub fn check_now(&self) {
        if let Some(tx) = lock_mutex(&self.wake).as_ref() {
            let _ = tx.send(());
        }
    }

    /// Starts the checking thread. `settings` gives the current settings at each check,
    /// `publish` is called with the status when a check starts and when it ends.
    pub fn spawn(
        self: &Arc<Self>,
        settings: impl Fn() -> Settings + Send + 'static,
        publish: impl Fn(ClockStatus) + Send + 'static,
    ) {
        let (tx, rx) = mpsc::channel();
        *lock_mutex(&self.wake) = Some(tx);
        let this = Arc::clone(self);
        let spawned = std::thread::Builder::new()
            .name("clock-check".into())
            .spawn(move || this.run(&rx, settings, publish));
        if let Err(e) = spawned {
            eprintln!("spse-authenticator: no thread for the clock check: {e}");
        }
    }

    /// The thread's loop: check (when on), then wait for a wake-up or the next hour.
    fn run(
        &self,
        rx: &Receiver<()>,
        settings: impl Fn() -> Settings,
        publish: impl Fn(ClockStatus),
    ) {
        loop {
            let s = settings();
            if s.clock_check {
                self.checking.store(true, Ordering::SeqCst);
                publish(self.status(&s));
                let servers: Vec<Server> = s.clock_servers();
                let check = spse_auth_clock::check(&servers, &Options::default());
                *lock_mutex(&self.last) = Some(LastCheck {
                    offset_secs: check.offset_secs,
                    banner: banner(&check),
                });
                self.checking.store(false, Ordering::SeqCst);
            } else {
                *lock_mutex(&self.last) = None;
            }
            publish(self.status(&settings()));
            match rx.recv_timeout(CHECK_EVERY) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {
                    // Several clicks while checking: one more check, not one each.
                    while rx.try_recv().is_ok() {}
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}

impl AppState {
    /// The clock check's setting, state and last result. Not guarded by the app lock: an offset
    /// and server names are no secret.
    pub fn clock_status(&self) -> ClockStatus {
        self.clock.status(&self.settings_now())
    }

    /// "Check clock": wakes the checking thread (the result comes as the event [`EVENT`]).
    pub fn check_clock(&self) -> ClockStatus {
        self.clock.check_now();
        self.clock_status()
    }

    /// Settings: switches the clock check on or off and sets its servers (empty: the
    /// defaults), then checks again with them (or forgets the last result when off).
    pub fn set_clock_check(&self, enabled: bool, servers: &[String]) -> AppResult<ClockStatus> {
        self.app_lock.guard()?;
        self.update_settings(|s| {
            s.set_clock(enabled, servers)
                .map_err(|e| AppError::InvalidServer(e.message().to_string()))
        })?;
        Ok(self.check_clock())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spse_auth_clock::THRESHOLD_SECS;

    fn check(offset: Option<f64>) -> ClockCheck {
        ClockCheck {
            offset_secs: offset,
            off: offset.is_some_and(|o| o.abs() > THRESHOLD_SECS),
            threshold_secs: THRESHOLD_SECS,
            servers: Vec::new(),
            error: None,
        }
    }

    #[test]
    fn the_banner_shows_only_beyond_the_threshold() {
        assert_eq!(
            banner(&check(Some(90.4))),
            Some(ClockBanner {
                offset_secs: 90,
                threshold_secs: THRESHOLD_SECS
            })
        );
        assert_eq!(
            banner(&check(Some(-47.6))).map(|b| b.offset_secs),
            Some(-48)
        );
        for quiet in [Some(2.0), Some(-15.0), Some(15.0), Some(0.0), None] {
            assert_eq!(banner(&check(quiet)), None, "{quiet:?}");
        }
    }

    #[test]
    fn switched_off_there_is_no_result_to_show() {
        let checker = ClockChecker::default();
        *lock_mutex(&checker.last) = Some(LastCheck {
            offset_secs: Some(90.0),
            banner: banner(&check(Some(90.0))),
        });
        let mut s = Settings::default();
        assert!(checker.status(&s).last.is_some());
        s.clock_check = false;
        let st = checker.status(&s);
        assert!(!st.enabled);
        assert_eq!(st.last, None);
        assert!(st.default_servers.iter().any(|d| d == "time.google.com"));
    }

    #[test]
    fn the_thread_checks_at_start_and_when_woken_and_not_when_off() {
        // A server on 127.0.0.1 that never answers: each check ends with "no server answered".
        let silent = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
        let server = silent.local_addr().expect("addr").to_string();
        let checker = Arc::new(ClockChecker::default());
        let on = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let flag = on.clone();
        checker.spawn(
            move || {
                let mut s = Settings::default();
                s.set_clock(flag.load(Ordering::SeqCst), std::slice::from_ref(&server))
                    .expect("valid");
                s
            },
            move |st| {
                let _ = tx.send(st);
            },
        );
        // Off: one status, no check.
        let st = rx.recv_timeout(Duration::from_secs(2)).expect("status");
        assert!(!st.enabled && !st.checking && st.last.is_none());
        on.store(true, Ordering::SeqCst);
        checker.check_now();
        let started = rx.recv_timeout(Duration::from_secs(2)).expect("started");
        assert!(started.checking);
        let done = rx.recv_timeout(Duration::from_secs(8)).expect("done");
        assert!(!done.checking);
        let last = done.last.expect("a result");
        assert_eq!(last.offset_secs, None, "offline");
        assert_eq!(last.banner, None, "offline says nothing");
    }
}
