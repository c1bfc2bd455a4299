//! End to end: the tray icon and its menu, under Xvfb with a real XEmbed tray host (Debian's
//! `trayer`, where libayatana-appindicator falls back to an XEmbed icon when no StatusNotifier
//! watcher runs). The menu is read and clicked as a StatusNotifier host does, over D-Bus through
//! the dbusmenu interface (`tests/app/tray_menu.py`, GLib's client), and once through the host
//! itself: a real click on the icon in trayer, then the keyboard in the GTK menu.
//!
//! Checked: the icon is embedded in the host; the menu lists the accounts ("issuer — account");
//! choosing one puts its code (= oathtool's) on the clipboard; accounts added and removed by the
//! CLI (another process) appear and disappear; the tray's Lock locks the window too, and locked,
//! the menu names no account; Show window brings a hidden window back; Quit ends the app; over
//! 100 accounts the menu lists none and offers the window's search instead.
//! Run with `tests/app/run.sh tray`.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use spse_app_e2e::*;

const KOTA: (&str, &str, &str) = ("LPSE Kota Contoh", "budi01", "JBSWY3DPEHPK3PXP");
const KAB: (&str, &str, &str) = ("LPSE Kabupaten Contoh", "budi01", "GEZDGNBVGY3TQOJQ");

fn uri((issuer, account, secret): (&str, &str, &str)) -> String {
    let enc = |s: &str| s.replace(' ', "%20");
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}",
        enc(issuer),
        account,
        enc(issuer)
    )
}

fn label((issuer, account, _): (&str, &str, &str)) -> String {
    format!("{issuer} — {account}")
}

/// The XEmbed tray host, stopped when dropped.
struct Trayer(Child);

impl Drop for Trayer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_trayer() -> Trayer {
    let child = Command::new("trayer")
        .args([
            "--edge",
            "top",
            "--align",
            "right",
            "--widthtype",
            "request",
            "--height",
            "32",
            "--SetDockType",
            "false",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("trayer (apt-get install trayer)");
    let t = Trayer(child);
    let start = Instant::now();
    while xdotool(&["search", "--onlyvisible", "--class", "trayer"]).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "trayer did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    t
}

/// The app's tray menu as the dbusmenu client reads it.
fn menu(app: &App) -> Value {
    let script = manifest_dir().join("tray_menu.py");
    let out = Command::new("/usr/bin/python3")
        .arg(&script)
        .args(["layout", &app.pid().to_string()])
        .output()
        .expect("python3 (Debian python3-gi)");
    if !out.status.success() {
        return Value::Null;
    }
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

/// The visible items' labels, a submenu's items as "group > item", separators as "-".
fn labels(menu: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for item in menu.as_array().into_iter().flatten() {
        if item["visible"] == false {
            continue;
        }
        if item["type"] == "separator" {
            out.push("-".to_string());
            continue;
        }
        let l = item["label"].as_str().unwrap_or_default().to_string();
        let children = labels(&item["children"]);
        if children.is_empty() {
            out.push(l);
        } else {
            out.extend(children.into_iter().map(|c| format!("{l} > {c}")));
        }
    }
    out
}

/// The dbusmenu id of the item labelled `wanted`.
fn item_id(menu: &Value, wanted: &str) -> i64 {
    fn find(menu: &Value, wanted: &str) -> Option<i64> {
        menu.as_array()?.iter().find_map(|i| {
            if i["label"] == wanted {
                i["id"].as_i64()
            } else {
                find(&i["children"], wanted)
            }
        })
    }
    find(menu, wanted)
        .unwrap_or_else(|| panic!("no item {wanted:?} in {}", labels(menu).join(" | ")))
}

fn click(app: &App, id: i64) {
    let script = manifest_dir().join("tray_menu.py");
    let out = Command::new("/usr/bin/python3")
        .arg(&script)
        .args(["click", &app.pid().to_string(), &id.to_string()])
        .output()
        .expect("python3");
    assert!(out.status.success(), "click: {out:?}");
}

fn wait_menu(app: &App, what: &str, cond: impl Fn(&[String]) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let m = menu(app);
        if cond(&labels(&m)) {
            return m;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "tray menu: {what}; it shows {:?}",
            labels(&m)
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// The app's XEmbed icon inside trayer's panel: in `xwininfo -root -tree`, a window of class
/// "tray-icon tray app …" (Tauri's tray on Linux) nested under the window of class "trayer".
fn icon_in_trayer() -> Option<String> {
    let out = Command::new("xwininfo")
        .args(["-root", "-tree"])
        .output()
        .ok()?;
    let tree = String::from_utf8_lossy(&out.stdout).to_string();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut panel: Option<usize> = None;
    for line in tree.lines() {
        if let Some(depth) = panel {
            if indent(line) <= depth {
                panel = None;
            } else if line.contains("\"tray-icon tray app") {
                return line.split_whitespace().next().map(str::to_string);
            }
        }
        if line.contains("\"trayer\")") {
            panel = Some(indent(line));
        }
    }
    None
}

#[test]
fn tray_menu_copies_codes_follows_the_vault_and_names_nothing_when_locked() {
    let _host = start_trayer();
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");

    // The icon is embedded in the tray host, with its menu.
    app.wait(20, "the icon in trayer", |_| icon_in_trayer().is_some());
    wait_menu(&app, "empty", |l| {
        l == ["No accounts yet", "-", "Show window", "Quit"]
    });

    // Accounts added by the CLI (another process) appear.
    let (ok, _, err) = app.cli(&["add", &uri(KOTA), &uri(KAB)]);
    assert!(ok, "{err}");
    // (In the window's order: by LPSE.)
    let m = wait_menu(&app, "two accounts", |l| {
        l.len() == 6 && l[1] == label(KAB) && l[2] == label(KOTA)
    });
    assert_eq!(labels(&m)[0], "Click an account to copy its code");

    // Choosing one copies its code (= oathtool's), as the window's copy does.
    click(&app, item_id(&m, &label(KAB)));
    wait_clipboard_code(KAB.2);
    click(&app, item_id(&m, &label(KOTA)));
    wait_clipboard_code(KOTA.2);

    // The real host: a click on the icon in trayer opens the GTK menu; Down selects the first
    // account (the hint line cannot be chosen), Enter copies it.
    let icon = icon_in_trayer().expect("icon");
    xdotool(&["mousemove", "--window", &icon, "8", "8"]);
    xdotool(&["click", "1"]);
    std::thread::sleep(Duration::from_millis(800));
    xdotool(&["key", "Down", "Return"]);
    wait_clipboard_code(KAB.2);

    // Removed by the CLI: gone from the menu.
    let (ok, _, err) = app.cli(&["remove", "--yes", KAB.0]);
    assert!(ok, "{err}");
    wait_menu(&app, "one account", |l| {
        l.contains(&label(KOTA)) && !l.contains(&label(KAB))
    });

    // Lock appears with a recovery password; the tray's Lock locks the window too, and the
    // locked menu names no account and no LPSE.
    app.cli_set_recovery("tray-test-password-1");
    let m = wait_menu(&app, "Lock offered", |l| l.iter().any(|x| x == "Lock"));
    click(&app, item_id(&m, "Lock"));
    app.wait(10, "the lock screen", |a| a.visible("#lockscreen"));
    let m = wait_menu(&app, "locked", |l| {
        l == [
            "Locked — open the window to unlock",
            "-",
            "Show window",
            "Quit",
        ]
    });
    let text = m.to_string();
    for name in [KOTA.0, KOTA.1, KAB.0, "LPSE"] {
        assert!(!text.contains(name), "{name} in the locked menu: {text}");
    }

    // Unlocked again: the accounts come back. Show window brings a hidden window back.
    app.type_into("#lock-password", "tray-test-password-1");
    app.click("#lock-ok");
    wait_menu(&app, "unlocked", |l| l.contains(&label(KOTA)));
    app.invoke("hide_window", json!({})).expect("hide");
    app.wait(10, "hidden", |a| !a.window_shown());
    let m = menu(&app);
    click(&app, item_id(&m, "Show window"));
    app.wait(10, "shown again", |a| a.window_shown());

    // Quit ends the app.
    let pid = app.pid();
    click(&app, item_id(&m, "Quit"));
    let start = Instant::now();
    while Path::new(&format!("/proc/{pid}")).exists() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "still running after Quit"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn many_accounts_are_grouped_by_lpse_and_the_menu_speaks_indonesian() {
    let _host = start_trayer();
    let app = App::launch("id_ID.UTF-8");
    app.wait_text(30, "Belum ada akun");
    let mut uris = Vec::new();
    for i in 0..12 {
        let issuer = [
            "LPSE Kota Contoh",
            "LPSE Kabupaten Contoh",
            "LPSE Kementerian Contoh",
        ][i % 3];
        uris.push(format!(
            "otpauth://totp/{}:penyedia{i}?secret=JBSWY3DPEHPK3PX{}&issuer={}",
            issuer.replace(' ', "%20"),
            ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"][i],
            issuer.replace(' ', "%20")
        ));
    }
    let args: Vec<&str> = std::iter::once("add")
        .chain(uris.iter().map(String::as_str))
        .collect();
    let (ok, _, err) = app.cli(&args);
    assert!(ok, "{err}");
    let m = wait_menu(&app, "grouped", |l| l.len() == 16);
    let l = labels(&m);
    assert_eq!(l[0], "Klik akun untuk menyalin kodenya");
    assert_eq!(
        l[13..],
        ["-", "Tampilkan jendela", "Keluar"].map(String::from)
    );
    // One submenu per LPSE, in the window's order (the CLI's list), each with its 4 accounts.
    let (ok, out, err) = app.cli(&["list", "--json"]);
    assert!(ok, "{err}");
    let listed: Value = serde_json::from_str(&out).expect("list --json");
    let expected: Vec<String> = listed
        .as_array()
        .expect("array")
        .iter()
        .map(|a| {
            format!(
                "{} > {}",
                a["issuer"].as_str().unwrap(),
                a["account"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(l[1..13], expected[..]);
    let groups: Vec<&Value> = m
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["children"].as_array().is_some_and(|c| !c.is_empty()))
        .collect();
    assert_eq!(groups.len(), 3, "{l:?}");
    for g in groups {
        assert_eq!(g["children"].as_array().unwrap().len(), 4, "{g}");
    }
    // An item inside a group copies too.
    click(&app, item_id(&m, "penyedia4"));
    wait_clipboard_code("JBSWY3DPEHPK3PXE");

    // Over 100 accounts the menu lists none; its first item brings up the window's search.
    let more: String = (0..90)
        .map(|i| {
            let secret = made_up_secret(i);
            format!("otpauth://totp/LPSE%20Contoh%20Lain:vendor{i}?secret={secret}&issuer=LPSE%20Contoh%20Lain\n")
        })
        .collect();
    let file = app.data_dir.parent().unwrap().join("more.txt");
    std::fs::write(&file, more).unwrap();
    let (ok, _, err) = app.cli(&["add", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let m = wait_menu(&app, "the search item", |l| {
        l.first().is_some_and(|f| f.starts_with("Cari"))
    });
    assert_eq!(
        labels(&m),
        [
            "Cari di antara 102 akun…",
            "-",
            "Tampilkan jendela",
            "Keluar"
        ]
        .map(String::from)
    );
    app.invoke("hide_window", json!({})).expect("hide");
    app.wait(10, "hidden", |a| !a.window_shown());
    click(&app, item_id(&m, "Cari di antara 102 akun…"));
    app.wait(10, "shown with the search focused", |a| {
        a.window_shown() && a.js("return document.activeElement?.id;") == "search"
    });
}
