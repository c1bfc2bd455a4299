//! The drift test of the app's command list: every `#[tauri::command]` of `commands.rs` must be
//! registered in `main.rs`'s `generate_handler!`, listed in `build.rs`'s `COMMANDS`, allowed by
//! the generated `app-commands` permission set, and that set granted to the main window by
//! `capabilities/default.json` — and nothing more anywhere. The files are read as text.

use std::collections::BTreeSet;

const COMMANDS_RS: &str = include_str!("commands.rs");
const MAIN_RS: &str = include_str!("main.rs");
const BUILD_RS: &str = include_str!("../build.rs");
const CAPABILITY: &str = include_str!("../capabilities/default.json");
/// The permission set build.rs generated (its path is passed by build.rs).
const PERMISSION_SET: &str = include_str!(env!("SPSE_APP_PERMISSION_SET"));

/// The names of the `pub fn`s that follow a `#[tauri::command…]` attribute, and of every other
/// `pub fn` (which should not exist in `commands.rs`).
fn command_fns(src: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut commands, mut others) = (BTreeSet::new(), BTreeSet::new());
    let mut attributed = false;
    for line in src.lines().map(str::trim) {
        if line.starts_with("#[tauri::command") {
            attributed = true;
        } else if let Some(rest) = line.strip_prefix("pub fn ") {
            let name = rest
                .split(['(', '<'])
                .next()
                .unwrap_or_default()
                .to_string();
            if attributed {
                commands.insert(name);
            } else {
                others.insert(name);
            }
            attributed = false;
        }
    }
    (commands, others)
}

/// The `commands::name` entries of `generate_handler![…]`.
fn registered(main_rs: &str) -> BTreeSet<String> {
    let start = main_rs
        .find("generate_handler![")
        .expect("generate_handler! in main.rs");
    let body = &main_rs[start..];
    let body = &body[..body.find(']').expect("end of generate_handler!")];
    body.split([',', '[', '\n'])
        .filter_map(|item| item.trim().strip_prefix("commands::"))
        .map(str::to_string)
        .collect()
}

/// The quoted strings of the `const COMMANDS` array in build.rs.
fn listed(build_rs: &str) -> Vec<String> {
    const START: &str = "const COMMANDS: &[&str] = &[";
    let start = build_rs.find(START).expect("COMMANDS in build.rs") + START.len();
    let body = &build_rs[start..];
    let body = &body[..body.find("];").expect("end of COMMANDS")];
    body.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_matches('"').to_string())
        .collect()
}

/// The quoted `allow-…` entries of a permission set.
fn allowed(toml: &str) -> BTreeSet<String> {
    toml.split('"')
        .filter(|s| s.starts_with("allow-"))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_command_is_registered_listed_and_granted_and_nothing_else() {
    let (commands, others) = command_fns(COMMANDS_RS);
    assert!(
        others.is_empty(),
        "pub fns without #[tauri::command]: {others:?}"
    );
    assert!(commands.contains("bootstrap") && commands.contains("cancel_import"));

    assert_eq!(
        registered(MAIN_RS),
        commands,
        "generate_handler! in main.rs"
    );

    let list = listed(BUILD_RS);
    let set: BTreeSet<String> = list.iter().cloned().collect();
    assert_eq!(set.len(), list.len(), "a command listed twice in build.rs");
    assert_eq!(set, commands, "COMMANDS in build.rs");

    assert!(
        PERMISSION_SET.contains("identifier = \"app-commands\""),
        "{PERMISSION_SET}"
    );
    let want: BTreeSet<String> = commands
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    assert_eq!(
        allowed(PERMISSION_SET),
        want,
        "the generated permission set"
    );

    let capability: serde_json::Value = serde_json::from_str(CAPABILITY).expect("json");
    let app_grants: Vec<&str> = capability["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .map(|p| p.as_str().expect("plain identifiers"))
        .filter(|p| !p.contains(':'))
        .collect();
    assert_eq!(app_grants, ["app-commands"], "capabilities/default.json");
}

#[test]
fn the_parsers_see_what_they_should() {
    let (c, o) = command_fns(
        "#[tauri::command(async)]\npub fn a(x: u8) {}\n#[tauri::command]\npub fn b<R>() {}\npub fn c() {}\n",
    );
    assert_eq!(c.into_iter().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(o.into_iter().collect::<Vec<_>>(), ["c"]);
    let r = registered(
        "x.invoke_handler(tauri::generate_handler![\n  commands::a,\n  commands::b,\n])",
    );
    assert_eq!(r.into_iter().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(
        listed("const COMMANDS: &[&str] = &[\n  \"a\",\n  \"b\",\n];"),
        ["a", "b"]
    );
}
