//! End to end: the clock banner. A real NTP server (Debian's `chronyd`, serving this machine's
//! time on 127.0.0.1 without touching the clock, `spse_auth_test_support::Chrony`, as in `tests/e2e/clock.rs`) and the
//! app's own clock shifted by libfaketime (`LD_PRELOAD` + `FAKETIME` in the app's environment
//! only). The app is pointed at the server by `time_servers` in `settings.json`, written before
//! launch. At +90 s the banner says how far off the clock is and how to fix it (English and
//! Indonesian); at +2 s, and with the server down, nothing is shown; switched off in Settings,
//! nothing is asked. Run with `tests/app/run.sh clock`.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};
use spse_app_e2e::*;
use spse_auth_test_support::{free_udp_port, libfaketime, Chrony};

/// Starts the app in `lang` with `settings.json` naming `server`, its clock shifted by `shift`.
fn launch_shifted(lang: &str, server: &str, shift: &str) -> App {
    let tmp = tempfile::tempdir().unwrap();
    let data_dir = tmp.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    let settings = json!({"language": null, "time_servers": [server]});
    std::fs::write(data_dir.join("settings.json"), settings.to_string()).unwrap();
    let preload = libfaketime().display().to_string();
    App::launch_in_env(
        lang,
        tmp,
        data_dir,
        &[
            ("LD_PRELOAD", preload.as_str()),
            ("FAKETIME", shift),
            // Only the wall clock moves; timers keep real time.
            ("FAKETIME_DONT_FAKE_MONOTONIC", "1"),
        ],
    )
}

/// Waits until the app has a result of a finished check, and returns its status.
fn checked(app: &App) -> Value {
    let mut status = Value::Null;
    app.wait(20, "a finished clock check", |a| {
        status = a.invoke("clock_status", json!({})).expect("clock_status");
        !status["last"].is_null() && status["checking"] == false
    });
    status
}

/// With `SPSE_E2E_SHOTS=DIR`, saves a screenshot `DIR/NAME.png`.
fn shot(app: &App, name: &str) {
    if let Some(dir) = std::env::var_os("SPSE_E2E_SHOTS") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::thread::sleep(Duration::from_secs(1));
        app.screenshot(&dir.join(format!("{name}.png")));
    }
}

fn open_settings(app: &App) {
    app.click("#btn-settings");
    app.wait(10, "Settings", |a| a.visible("#clock-enabled"));
}

#[test]
fn clock_90_seconds_ahead_shows_the_banner_in_both_languages() {
    let chrony = Chrony::start();
    let app = launch_shifted("en_US.UTF-8", &chrony.server(), "+90s");
    app.wait(30, "the clock banner", |a| a.visible("#clock-banner"));
    let status = checked(&app);
    let offset = status["last"]["offset_secs"].as_f64().expect("an offset");
    assert!((offset - 90.0).abs() <= 2.0, "{status}");
    let text = app.element_text("#clock-banner");
    let secs = status["last"]["banner"]["offset_secs"]
        .as_i64()
        .expect("banner");
    assert!(
        text.contains(&format!("{secs} seconds ahead of the time servers")),
        "{text}"
    );
    assert!(text.contains("SPSE will reject the codes"), "{text}");
    assert!(text.contains("timedatectl set-ntp true"), "{text}");
    shot(&app, "clock-banner-en");

    // Settings says what was measured; "Check clock" measures again.
    open_settings(&app);
    let state = app.element_text("#clock-state");
    assert!(state.contains("off by +"), "{state}");
    app.click("#clock-check");
    let again = checked(&app);
    assert!(again["last"]["banner"].is_object(), "{again}");
    app.click("#settings-close");

    // Indonesian: the same banner, translated.
    app.js(
        "const s = document.getElementById('lang'); s.value = 'id'; \
         s.dispatchEvent(new Event('change')); return null;",
    );
    app.wait(10, "the Indonesian banner", |a| {
        a.element_text("#clock-banner")
            .contains("detik lebih cepat")
    });
    let text = app.element_text("#clock-banner");
    assert!(text.contains("SPSE akan menolak kode"), "{text}");
    assert!(text.contains("timedatectl set-ntp true"), "{text}");
    shot(&app, "clock-banner-id");
}

#[test]
fn clock_2_seconds_ahead_or_no_server_shows_nothing() {
    let chrony = Chrony::start();
    let app = launch_shifted("en_US.UTF-8", &chrony.server(), "+2s");
    app.wait_text(30, "No accounts yet");
    let status = checked(&app);
    let offset = status["last"]["offset_secs"].as_f64().expect("an offset");
    assert!((offset - 2.0).abs() <= 1.0, "{status}");
    assert!(status["last"]["banner"].is_null(), "{status}");
    assert!(!app.visible("#clock-banner"));
    drop(app);
    drop(chrony);

    // The server down (nothing listens on its port): offline says nothing, even at +90 s.
    let down = format!("127.0.0.1:{}", free_udp_port());
    let app = launch_shifted("en_US.UTF-8", &down, "+90s");
    app.wait_text(30, "No accounts yet");
    let status = checked(&app);
    assert!(status["last"]["offset_secs"].is_null(), "{status}");
    assert!(!app.visible("#clock-banner"));
    open_settings(&app);
    let state = app.element_text("#clock-state");
    assert!(state.contains("no time server answered"), "{state}");

    // Switched off in Settings: remembered in settings.json, no result kept, nothing to check.
    app.click("#clock-enabled");
    app.wait(10, "the check switched off", |a| {
        a.element_text("#clock-state")
            .contains("The clock check is off")
    });
    let saved: Value =
        serde_json::from_slice(&std::fs::read(app.data_dir.join("settings.json")).unwrap())
            .unwrap();
    assert_eq!(saved["clock_check"], false, "{saved}");
    assert_eq!(saved["time_servers"], json!([down]), "{saved}");
    let status = app.invoke("clock_status", json!({})).expect("status");
    assert_eq!(status["enabled"], false);
    assert!(status["last"].is_null(), "{status}");

    // A server that is not HOST[:PORT] is refused with its own message; nothing changes.
    let err = app
        .invoke(
            "set_clock_check",
            json!({"enabled": true, "servers": ["host:port"]}),
        )
        .expect_err("refused");
    assert_eq!(err["kind"], "invalid_server", "{err}");
    let saved: Value =
        serde_json::from_slice(&std::fs::read(app.data_dir.join("settings.json")).unwrap())
            .unwrap();
    assert_eq!(saved["clock_check"], false, "{saved}");
}
