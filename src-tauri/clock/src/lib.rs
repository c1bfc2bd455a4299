//! `spse-auth-clock`: how far this computer's clock is off, measured against time servers with
//! SNTP (RFC 4330), so that the app and the CLI can explain "wrong code" (TOTP codes start to fail
//! at about ±30 s; [`THRESHOLD_SECS`] warns at 15 s).
//!
//! [`check`] asks every server at once (one thread each), takes the median of the offsets of the
//! servers that answered, and compares it with the threshold. It is a plain blocking function
//! with a total deadline ([`Options::deadline`]), meant to run on a background thread; what it
//! returns is `Send` and serialises (serde) for the app's page.
//!
//! Invariants:
//! - It never changes the system clock and never adjusts codes: it only measures and reports.
//! - Its only network traffic is one SNTP request (UDP) per address tried of the servers it is
//!   given (plus the OS resolver's lookups of their names); it reads and writes no file.
//! - It returns by the deadline, whatever the network does: a server that has not answered by
//!   then is a `timeout` answer (its thread is left to end on its own, sending to no one).
//! - Signs: a positive offset means this computer's clock is ahead of the servers' time.
//! - Offline is not an error to report loudly: the result then has no offset and the error
//!   `no_server_answered`, with each server's reason.

mod error;
mod query;
mod server;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::Serialize;

pub use error::{Error, ErrorKind};
pub use server::Server;

/// The servers asked when the user has configured none: the NTP Pool's Indonesian zone and two
/// large anycast services, all reachable from Indonesia.
pub const DEFAULT_SERVERS: &[&str] = &["id.pool.ntp.org", "time.google.com", "time.cloudflare.com"];

/// An offset larger than this many seconds (either way) makes the clock "off": a 30-second TOTP
/// code is then close to failing (codes start to fail at about ±30 s).
pub const THRESHOLD_SECS: f64 = 15.0;

/// [`DEFAULT_SERVERS`], parsed.
pub fn default_servers() -> Vec<Server> {
    DEFAULT_SERVERS
        .iter()
        .map(|s| Server::parse(s).expect("the default servers parse"))
        .collect()
}

/// How [`check`] asks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// How long to wait for one server's reply (default 3 s).
    pub query_timeout: Duration,
    /// The longest the whole check may take, name resolution included (default 5 s).
    pub deadline: Duration,
    /// Seconds of offset (either way) beyond which the clock is "off" (default [`THRESHOLD_SECS`]).
    pub threshold_secs: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            query_timeout: Duration::from_secs(3),
            deadline: Duration::from_secs(5),
            threshold_secs: THRESHOLD_SECS,
        }
    }
}

/// The result of a clock check. Serialises as
/// `{"offset_secs": f64|null, "off": bool, "threshold_secs": f64, "servers": [ServerAnswer…],
/// "error": null|{"kind", "message"}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockCheck {
    /// Seconds this computer's clock is ahead of the servers' time (negative: behind): the median
    /// of the answering servers' offsets. `None` when no server answered.
    pub offset_secs: Option<f64>,
    /// True when `|offset_secs| > threshold_secs` (false when the offset is unknown).
    pub off: bool,
    /// The threshold it was compared with, in seconds.
    pub threshold_secs: f64,
    /// Each server's answer, in the order given.
    pub servers: Vec<ServerAnswer>,
    /// `no_server_answered` when no server answered (then `offset_secs` is `None`); else `None`.
    pub error: Option<Error>,
}

/// One server's answer. Serialises as `{"server": "HOST:PORT", "offset_secs": f64,
/// "round_trip_secs": f64}` or `{"server": "HOST:PORT", "error": {"kind", "message"}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerAnswer {
    /// The server, as `HOST:PORT` (`[IPv6]:PORT`).
    pub server: String,
    /// Its offset, or why there is none.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What one server answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Outcome {
    /// A usable reply.
    Answered {
        /// Seconds this computer's clock is ahead of this server's (negative: behind).
        offset_secs: f64,
        /// Seconds the request and reply spent on the network (round trip).
        round_trip_secs: f64,
    },
    /// No usable reply: `dns`, `server_unreachable`, `timeout`, `bad_reply` or `network`.
    Failed {
        /// Why.
        error: Error,
    },
}

/// Measures the clock's offset against `servers` (all asked at once) and returns within
/// `options.deadline`. Never fails: a server that does not answer is an answer with an error, and
/// when none answers the result says `no_server_answered` (so does an empty list).
pub fn check(servers: &[Server], options: &Options) -> ClockCheck {
    let start = Instant::now();
    let deadline = start + options.deadline;
    let (tx, rx) = mpsc::channel();
    let mut results: Vec<Option<Result<query::Reply, Error>>> = vec![None; servers.len()];
    for (i, server) in servers.iter().enumerate() {
        let (tx, asked, timeout) = (tx.clone(), server.clone(), options.query_timeout);
        let spawned = std::thread::Builder::new()
            .name(format!("sntp-{i}"))
            .spawn(move || {
                // The receiver is gone once the deadline has passed: nothing to do then.
                let _ = tx.send((i, query::query(&asked, timeout, deadline)));
            });
        if let Err(e) = spawned {
            let why = format!("{server}: no thread for the query ({e})");
            results[i] = Some(Err(Error::new(ErrorKind::Network, why)));
        }
    }
    drop(tx);
    while results.iter().any(Option::is_none) {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((i, result)) => results[i] = Some(result),
            Err(_) => break, // the deadline (or every thread has ended)
        }
    }
    let waited = options.deadline.as_secs_f64();
    let answers: Vec<ServerAnswer> = servers
        .iter()
        .zip(results)
        .map(|(server, result)| ServerAnswer {
            server: server.to_string(),
            outcome: match result {
                Some(Ok(r)) => Outcome::Answered {
                    offset_secs: r.offset_secs,
                    round_trip_secs: r.round_trip_secs,
                },
                Some(Err(error)) => Outcome::Failed { error },
                None => Outcome::Failed {
                    error: Error::new(
                        ErrorKind::Timeout,
                        format!("{server}: no answer within {waited} s"),
                    ),
                },
            },
        })
        .collect();
    summarise(answers, options.threshold_secs)
}

/// The [`ClockCheck`] of these answers: the median offset, compared with `threshold_secs`.
fn summarise(servers: Vec<ServerAnswer>, threshold_secs: f64) -> ClockCheck {
    let offsets: Vec<f64> = servers
        .iter()
        .filter_map(|a| match a.outcome {
            Outcome::Answered { offset_secs, .. } => Some(offset_secs),
            Outcome::Failed { .. } => None,
        })
        .collect();
    let offset_secs = median(&offsets);
    let error = offset_secs.is_none().then(|| {
        let why = if servers.is_empty() {
            "no time server answered (none was given)".to_string()
        } else {
            format!(
                "no time server answered ({} asked; offline, or UDP port 123 blocked?)",
                servers.len()
            )
        };
        Error::new(ErrorKind::NoServerAnswered, why)
    });
    ClockCheck {
        offset_secs,
        off: offset_secs.is_some_and(|o| is_off(o, threshold_secs)),
        threshold_secs,
        servers,
        error,
    }
}

/// The median of `values` (the mean of the two middle ones for an even count); `None` if empty.
fn median(values: &[f64]) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

/// True when an offset of `offset_secs` is beyond `threshold_secs` either way (at the threshold
/// itself the clock is still fine).
fn is_off(offset_secs: f64, threshold_secs: f64) -> bool {
    offset_secs.abs() > threshold_secs
}

#[cfg(test)]
mod tests;
