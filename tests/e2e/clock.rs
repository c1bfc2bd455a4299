//! End-to-end tests of `spse-auth clock`: the real binary asks a real NTP server (Debian's
//! `chronyd`, serving this machine's time on 127.0.0.1 without touching the system clock) while
//! Debian's `faketime` (libfaketime, LD_PRELOAD) shifts the CLI's own clock by a known amount.
//!
//! The tests that need chronyd and faketime run only with `SPSE_E2E=1` (`.ci/test`; they are
//! skipped, saying why, otherwise). chronyd runs as the invoking user (`-U`; as root it drops to
//! its own user), with no command socket and no control of the clock (`-x`). The ones that need
//! nothing but loopback (a port nothing listens on) always run. Only 127.0.0.1 is ever asked.

mod common;

use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::{cli, text};
use spse_auth_test_support::{free_udp_port, libfaketime, Chrony, TIME_SERVER_NEEDS};

const NEEDS: &str = TIME_SERVER_NEEDS;

/// `spse-auth clock ARGS…`, with the CLI's clock shifted by `shift` (libfaketime's FAKETIME
/// syntax, e.g. `+90s`) when given; returns the output and how long it took.
fn clock(args: &[&str], shift: Option<&str>) -> (Output, Duration) {
    let mut all = vec!["clock"];
    all.extend_from_slice(args);
    let mut cmd = cli(&all);
    if let Some(shift) = shift {
        cmd.env("LD_PRELOAD", libfaketime())
            .env("FAKETIME", shift)
            // Only the wall clock moves; timeouts keep real time.
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    }
    cmd.stdin(Stdio::null());
    let t0 = Instant::now();
    let out = cmd.output().expect("run spse-auth clock");
    (out, t0.elapsed())
}

/// The offset of the first line, `offset: +90.013 s (…)`.
fn offset_line(out: &Output) -> f64 {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let first = stdout.lines().next().unwrap_or_default();
    first
        .strip_prefix("offset: ")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no offset line: {}", text(out)))
}

fn assert_near(got: f64, want: f64, out: &Output) {
    assert!(
        (got - want).abs() <= 2.0,
        "offset {got}, expected ≈ {want}: {}",
        text(out)
    );
}

/// Skips the calling test unless chronyd and faketime may be used (and the CLI is a Linux build).
fn needs_chrony() -> bool {
    common::e2e_enabled(NEEDS) && !common::skip_under_wine("faketime shifts Linux programs only")
}

#[test]
fn a_clock_90_s_ahead_is_reported_and_fails() {
    if !needs_chrony() {
        return;
    }
    let chrony = Chrony::start();
    let (out, _) = clock(&["--server", &chrony.server()], Some("+90s"));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_near(offset_line(&out), 90.0, &out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("s ahead of the time servers (over ±15 s)"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("\n{}: +", chrony.server())),
        "{stdout}"
    );
}

#[test]
fn a_clock_2_s_ahead_is_fine() {
    if !needs_chrony() {
        return;
    }
    let chrony = Chrony::start();
    let (out, _) = clock(&["--server", &chrony.server()], Some("+2s"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_near(offset_line(&out), 2.0, &out);
    assert!(out.stderr.is_empty(), "{}", text(&out));
}

#[test]
fn a_clock_90_s_behind_is_negative_and_fails() {
    if !needs_chrony() {
        return;
    }
    let chrony = Chrony::start();
    let (out, _) = clock(&["--server", &chrony.server()], Some("-90s"));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_near(offset_line(&out), -90.0, &out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("s behind the time servers"));
}

#[test]
fn json_gives_the_offset_and_each_server() {
    if !needs_chrony() {
        return;
    }
    let chrony = Chrony::start();
    let down = format!("127.0.0.1:{}", free_udp_port());
    let (out, _) = clock(
        &["--json", "--server", &chrony.server(), "--server", &down],
        Some("+90s"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("--json is JSON");
    assert_near(
        json["offset_secs"].as_f64().expect("offset_secs"),
        90.0,
        &out,
    );
    assert_eq!(json["off"], true);
    assert_eq!(json["threshold_secs"], 15.0);
    assert!(json["error"].is_null());
    let servers = json["servers"].as_array().expect("servers");
    assert_eq!(servers.len(), 2);
    assert_eq!(servers[0]["server"], chrony.server());
    assert_near(
        servers[0]["offset_secs"].as_f64().expect("offset"),
        90.0,
        &out,
    );
    assert!(servers[0]["round_trip_secs"].as_f64().expect("round trip") < 1.0);
    assert_eq!(servers[1]["server"], down);
    assert_eq!(servers[1]["error"]["kind"], "server_unreachable");
}

#[test]
fn with_one_server_down_the_other_answers() {
    if !needs_chrony() {
        return;
    }
    let chrony = Chrony::start();
    let down = format!("127.0.0.1:{}", free_udp_port());
    let (out, took) = clock(&["--server", &down, "--server", &chrony.server()], None);
    // chronyd serves this machine's own clock: the offset is about 0.
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_near(offset_line(&out), 0.0, &out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("{down}: not reachable")),
        "{stdout}"
    );
    assert!(stdout.contains("[server_unreachable]"), "{stdout}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

/// Needs nothing but loopback: always runs (on Linux).
#[test]
fn with_the_server_down_no_time_server_answered_quickly() {
    if common::skip_under_wine("Wine reports no ICMP port unreachable: a closed port times out") {
        return;
    }
    let down = format!("127.0.0.1:{}", free_udp_port());
    for json in [false, true] {
        let args: Vec<&str> = if json {
            vec!["--json", "--server", &down]
        } else {
            vec!["--server", &down]
        };
        let (out, took) = clock(&args, None);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with("spse-auth: no time server answered"),
            "{stderr}"
        );
        // A closed port answers at once (ICMP): well within the 3 s timeout.
        assert!(took < Duration::from_secs(3), "took {took:?}");
        if json {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
            assert!(v["offset_secs"].is_null() && v["off"] == false, "{v}");
            assert_eq!(v["error"]["kind"], "no_server_answered");
            assert_eq!(v["servers"][0]["error"]["kind"], "server_unreachable");
        } else {
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                stdout.starts_with("offset: unknown (no time server answered)\n"),
                "{stdout}"
            );
        }
    }
}

/// Needs nothing but loopback: always runs. `clock` opens no vault: a data folder that does not
/// exist stays so, and no keyring is asked.
#[test]
fn clock_needs_no_vault() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing: &Path = &dir.path().join("no-vault-here");
    let down = format!("127.0.0.1:{}", free_udp_port());
    let out = cli(&[
        "--data-dir",
        missing.to_str().expect("utf-8"),
        "clock",
        "--server",
        &down,
    ])
    .env_remove("DBUS_SESSION_BUS_ADDRESS")
    .stdin(Stdio::null())
    .output()
    .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("no time server answered"),
        "{}",
        text(&out)
    );
    assert!(!missing.exists());
}

/// A malformed `--server` is a usage error (exit 2), before anything is asked.
#[test]
fn a_malformed_server_is_a_usage_error() {
    for bad in ["", "host:0", "host:99999", "a b"] {
        let (out, _) = clock(&["--server", bad], None);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("is not a time server"),
            "{bad:?}"
        );
    }
}
