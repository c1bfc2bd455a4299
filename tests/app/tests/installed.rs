//! The installed Linux package (run by `tests/packaging/deb.sh` after `apt-get install`): the
//! installed CLI seeds a vault, the installed app shows oathtool's codes for it, and its X window
//! class is the `StartupWMClass` of the installed `.desktop` file (so docks group the window
//! under the launcher). Skipped (passes) unless `SPSE_INSTALLED_APP` is set, e.g.
//! `SPSE_INSTALLED_APP=/usr/bin/spse-authenticator SPSE_APP_BIN=/usr/bin/spse-authenticator
//!  SPSE_CLI_BIN=/usr/bin/spse-auth SPSE_INSTALLED_DATA_DIR=DIR`. The vault stays in DIR (the
//! script checks that uninstalling keeps it). Made-up names and secrets only.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use spse_app_e2e::*;

/// (issuer, account, secret): made up.
const ACCOUNTS: [(&str, &str, &str); 2] = [
    (
        "LPSE Kota Fiktif",
        "PPK.SITI-02",
        "KRUGS4ZANFZSAYJAMZQWWZJAONSWG4TF",
    ),
    (
        "LPSE Kabupaten Contoh",
        "KPA.BUDI-01",
        "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U",
    ),
];

fn uri(issuer: &str, account: &str, secret: &str) -> String {
    let enc = |s: &str| s.replace(' ', "%20");
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}",
        enc(issuer),
        enc(account),
        enc(issuer)
    )
}

#[test]
fn installed_app_shows_the_seeded_codes() {
    let Some(installed) = std::env::var_os("SPSE_INSTALLED_APP").map(PathBuf::from) else {
        eprintln!("skipped: SPSE_INSTALLED_APP is not set (tests/packaging/deb.sh sets it)");
        return;
    };
    assert_eq!(
        app_bin(),
        installed,
        "set SPSE_APP_BIN to the installed app too"
    );
    let cli = cli_bin();
    assert!(
        cli.starts_with("/usr"),
        "SPSE_CLI_BIN must be the installed CLI, not {}",
        cli.display()
    );
    let data_dir = PathBuf::from(
        std::env::var_os("SPSE_INSTALLED_DATA_DIR").expect("SPSE_INSTALLED_DATA_DIR (the vault)"),
    );

    // Seed with the installed CLI, one account per call (so the second call leaves a backup).
    for (issuer, account, secret) in ACCOUNTS {
        let out = Command::new(&cli)
            .arg("--data-dir")
            .arg(&data_dir)
            .arg("add")
            .arg(uri(issuer, account, secret))
            .stdin(Stdio::null())
            .output()
            .expect("installed spse-auth");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.starts_with("added ") && stdout.contains(account),
            "spse-auth add: {stdout} {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    println!(
        "ok: the installed spse-auth seeded {} accounts",
        ACCOUNTS.len()
    );

    let tmp = tempfile::tempdir().unwrap();
    let app = App::launch_in("en_US.UTF-8", tmp, data_dir);
    app.wait(30, "two rows with codes", |a| {
        a.js("return document.querySelectorAll('.row .code').length")
            .as_u64()
            == Some(2)
    });
    let exe = std::fs::read_link(format!("/proc/{}/exe", app.pid())).unwrap();
    assert_eq!(
        exe, installed,
        "the running app is not the installed binary"
    );
    // Each row's code, read again until all match (a code may roll over between reads).
    app.wait(10, "every row showing oathtool's code", |a| {
        let rows = a.js(
            "return [...document.querySelectorAll('.row')].map(r => [r.querySelector('.who').innerText, (r.querySelector('.code')?.innerText ?? '')])",
        );
        let rows = rows.as_array().cloned().unwrap_or_default();
        ACCOUNTS.iter().all(|(issuer, account, secret)| {
            rows.iter().any(|r| {
                let who = r[0].as_str().unwrap_or_default();
                let code = r[1].as_str().unwrap_or_default().replace(' ', "");
                who.contains(issuer)
                    && who.contains(account)
                    && oathtool_window(secret).contains(&code)
            })
        })
    });
    println!("ok: the installed app shows oathtool's code for every seeded account");

    // The window's WM_CLASS matches the installed launcher's StartupWMClass.
    let desktop =
        std::fs::read_to_string("/usr/share/applications/spse-authenticator.desktop").unwrap();
    let wm_class = desktop
        .lines()
        .find_map(|l| l.strip_prefix("StartupWMClass="))
        .expect("StartupWMClass in the .desktop file");
    let window = app.main_x_window();
    let out = Command::new("xprop")
        .args(["-id", &window, "WM_CLASS"])
        .output()
        .expect("xprop (apt-get install x11-utils)");
    let prop = String::from_utf8_lossy(&out.stdout);
    assert!(
        prop.contains(&format!("\"{wm_class}\"")),
        "window {prop:?}, .desktop StartupWMClass={wm_class}"
    );
    println!(
        "ok: the window's WM_CLASS ({}) matches StartupWMClass",
        prop.trim()
    );
}
