//! What the tray menu shows, as plain data ([`model`]); [`crate::tray`] turns it into the
//! platform's menu and acts on the clicks.
//!
//! Invariants:
//! - While the app lock is on, or the vault cannot be read, the menu names no account and no
//!   issuer: it says so and offers only Show window and Quit.
//! - An account item's id is [`COPY_PREFIX`] + the account's id (8 hex digits, no secret); the
//!   other ids are [`SHOW`], [`LOCK`] and [`QUIT`]. Lock is offered only when a recovery password
//!   is set (it is what unlocks the app).
//! - From [`GROUP_AT`] accounts on, accounts are grouped into one submenu per issuer, in the
//!   order of the list; accounts without an issuer stay at the top level.
//! - Over [`LIST_AT_MOST`] accounts the menu lists none: a menu that long cannot be used, and
//!   every item is a native widget made on the main thread and kept in memory (≈ 5 KB each).
//!   Its first item, [`SEARCH`], brings up the window with the search focused instead.
//! - Labels are escaped for the menus' mnemonic syntax (a lone `&` would underline the next
//!   letter on Windows and Linux), so an account named `PT A&B` reads as typed.

use spse_auth_core::accounts::AccountInfo;

/// The id prefix of an account's item: `copy:<account id>`.
pub const COPY_PREFIX: &str = "copy:";
/// The id of "Show window".
pub const SHOW: &str = "show";
/// The id of "Lock".
pub const LOCK: &str = "lock";
/// The id of "Quit".
pub const QUIT: &str = "quit";
/// The id of "Search the N accounts…" (over [`LIST_AT_MOST`] accounts).
pub const SEARCH: &str = "search";
/// From this many accounts on, the menu has one submenu per issuer.
pub const GROUP_AT: usize = 10;
/// The most accounts the menu lists; over it, [`SEARCH`] stands for them.
pub const LIST_AT_MOST: usize = 100;

/// The accounts, as far as the menu may show them.
#[derive(Debug, Clone, Copy)]
pub enum Accounts<'a> {
    /// The vault is open and the app unlocked.
    Open(&'a [AccountInfo]),
    /// The app lock is on.
    Locked,
    /// The vault cannot be read now (keyring key missing, corrupt file…): the window says why.
    Unavailable,
}

/// One item of the tray menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// An account: clicking copies its code. `id` is the menu item's id (`copy:<account id>`).
    Copy {
        /// The menu item id.
        id: String,
        /// "Issuer — account", or the account alone inside its issuer's submenu.
        label: String,
    },
    /// An issuer's accounts.
    Group {
        /// The issuer.
        label: String,
        /// Its [`Item::Copy`] items.
        items: Vec<Item>,
    },
    /// A line of text that cannot be clicked.
    Note(String),
    /// A separator line.
    Separator,
    /// Search, Show window, Lock or Quit (`id` one of [`SEARCH`], [`SHOW`], [`LOCK`], [`QUIT`]).
    Action {
        /// The menu item id.
        id: &'static str,
        /// The label.
        label: String,
    },
}

/// The menu's fixed words in `language` (`id` or `en`; anything else is English).
struct Words {
    hint: &'static str,
    empty: &'static str,
    locked: &'static str,
    unavailable: &'static str,
    show: &'static str,
    lock: &'static str,
    quit: &'static str,
    /// "Search the {n} accounts…", `{n}` the number.
    search: &'static str,
}

fn words(language: &str) -> Words {
    if language == "id" {
        Words {
            hint: "Klik akun untuk menyalin kodenya",
            empty: "Belum ada akun",
            locked: "Terkunci — buka jendela untuk membuka kunci",
            unavailable: "Akun tidak dapat dibaca — buka jendela",
            show: "Tampilkan jendela",
            lock: "Kunci",
            quit: "Keluar",
            search: "Cari di antara {n} akun…",
        }
    } else {
        Words {
            hint: "Click an account to copy its code",
            empty: "No accounts yet",
            locked: "Locked — open the window to unlock",
            unavailable: "The accounts cannot be read — open the window",
            show: "Show window",
            lock: "Lock",
            quit: "Quit",
            search: "Search the {n} accounts…",
        }
    }
}

/// `text` with every `&` doubled, so the menu shows it instead of making a mnemonic.
pub fn escape(text: &str) -> String {
    text.replace('&', "&&")
}

fn copy_item(a: &AccountInfo, with_issuer: bool) -> Item {
    let label = if with_issuer && !a.issuer.is_empty() {
        format!("{} — {}", a.issuer, a.account)
    } else {
        a.account.clone()
    };
    Item::Copy {
        id: format!("{COPY_PREFIX}{}", a.id),
        label: escape(&label),
    }
}

/// The account items: flat below [`GROUP_AT`], else one group per issuer (first-seen order).
fn account_items(accounts: &[AccountInfo]) -> Vec<Item> {
    if accounts.len() < GROUP_AT {
        return accounts.iter().map(|a| copy_item(a, true)).collect();
    }
    let mut items: Vec<Item> = Vec::new();
    let mut groups: Vec<(&str, Vec<Item>)> = Vec::new();
    for a in accounts {
        if a.issuer.is_empty() {
            items.push(copy_item(a, false));
        } else if let Some((_, g)) = groups.iter_mut().find(|(i, _)| *i == a.issuer) {
            g.push(copy_item(a, false));
        } else {
            groups.push((&a.issuer, vec![copy_item(a, false)]));
        }
    }
    let mut grouped: Vec<Item> = groups
        .into_iter()
        .map(|(issuer, items)| Item::Group {
            label: escape(issuer),
            items,
        })
        .collect();
    grouped.append(&mut items);
    grouped
}

/// The tray menu for `accounts` in `language`; `can_lock`: a recovery password is set.
pub fn model(accounts: Accounts<'_>, can_lock: bool, language: &str) -> Vec<Item> {
    let w = words(language);
    let mut menu = match accounts {
        Accounts::Open([]) => vec![Item::Note(w.empty.into())],
        Accounts::Open(list) if list.len() > LIST_AT_MOST => vec![Item::Action {
            id: SEARCH,
            label: w.search.replace("{n}", &list.len().to_string()),
        }],
        Accounts::Open(list) => {
            let mut m = vec![Item::Note(w.hint.into())];
            m.extend(account_items(list));
            m
        }
        Accounts::Locked => vec![Item::Note(w.locked.into())],
        Accounts::Unavailable => vec![Item::Note(w.unavailable.into())],
    };
    menu.push(Item::Separator);
    menu.push(Item::Action {
        id: SHOW,
        label: w.show.into(),
    });
    if can_lock && matches!(accounts, Accounts::Open(_)) {
        menu.push(Item::Action {
            id: LOCK,
            label: w.lock.into(),
        });
    }
    menu.push(Item::Action {
        id: QUIT,
        label: w.quit.into(),
    });
    menu
}

#[cfg(test)]
mod tests {
    use super::*;
    use spse_auth_core::otp::{Algorithm, OtpType};

    fn account(id: &str, issuer: &str, name: &str) -> AccountInfo {
        AccountInfo {
            id: id.into(),
            issuer: issuer.into(),
            account: name.into(),
            otp_type: OtpType::Totp,
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: 30,
            counter: 0,
            secret_bits: 160,
            added_at: 0,
        }
    }

    fn labels(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|i| match i {
                Item::Copy { label, .. } | Item::Note(label) | Item::Action { label, .. } => {
                    label.clone()
                }
                Item::Group { label, items } => format!("{label} {:?}", labels(items)),
                Item::Separator => "-".into(),
            })
            .collect()
    }

    #[test]
    fn a_few_accounts_are_listed_flat_then_show_lock_quit() {
        let list = [
            account("0a0b0c0d", "LPSE Kota Contoh", "budi01"),
            account("11223344", "", "tanpa_penerbit"),
            account("55667788", "A&B", "x"),
        ];
        let m = model(Accounts::Open(&list), true, "en");
        assert_eq!(
            labels(&m),
            [
                "Click an account to copy its code",
                "LPSE Kota Contoh — budi01",
                "tanpa_penerbit",
                "A&&B — x",
                "-",
                "Show window",
                "Lock",
                "Quit"
            ]
        );
        assert_eq!(
            m[1],
            Item::Copy {
                id: "copy:0a0b0c0d".into(),
                label: "LPSE Kota Contoh — budi01".into()
            }
        );
        // No recovery password: no Lock.
        let m = model(Accounts::Open(&list), false, "id");
        assert_eq!(
            labels(&m)[4..],
            ["-", "Tampilkan jendela", "Keluar"].map(String::from)
        );
        assert_eq!(
            labels(&model(Accounts::Open(&[]), false, "id"))[0],
            "Belum ada akun"
        );
    }

    #[test]
    fn many_accounts_are_grouped_by_issuer_in_list_order() {
        let mut list: Vec<AccountInfo> = (0..9)
            .map(|i| {
                let issuer = ["LPSE B", "LPSE A", "LPSE C"][i % 3];
                account(&format!("{i:08x}"), issuer, &format!("user{i}"))
            })
            .collect();
        list.push(account("000000ff", "", "solo"));
        let m = model(Accounts::Open(&list), false, "en");
        assert_eq!(
            labels(&m),
            [
                "Click an account to copy its code",
                r#"LPSE B ["user0", "user3", "user6"]"#,
                r#"LPSE A ["user1", "user4", "user7"]"#,
                r#"LPSE C ["user2", "user5", "user8"]"#,
                "solo",
                "-",
                "Show window",
                "Quit"
            ]
        );
        let Item::Group { items, .. } = &m[2] else {
            panic!("a group: {m:?}")
        };
        assert_eq!(
            items[0],
            Item::Copy {
                id: "copy:00000001".into(),
                label: "user1".into()
            }
        );
    }

    #[test]
    fn over_the_limit_the_menu_offers_the_search_and_names_no_account() {
        let list: Vec<AccountInfo> = (0..=LIST_AT_MOST)
            .map(|i| account(&format!("{i:08x}"), "LPSE Contoh", &format!("user{i}")))
            .collect();
        let m = model(Accounts::Open(&list), true, "en");
        assert_eq!(
            labels(&m),
            [
                "Search the 101 accounts…",
                "-",
                "Show window",
                "Lock",
                "Quit"
            ]
        );
        assert_eq!(
            m[0],
            Item::Action {
                id: SEARCH,
                label: "Search the 101 accounts…".into()
            }
        );
        assert_eq!(
            labels(&model(Accounts::Open(&list), false, "id"))[0],
            "Cari di antara 101 akun…"
        );
        // At the limit they are all there, grouped.
        let m = model(Accounts::Open(&list[..LIST_AT_MOST]), false, "en");
        let Item::Group { items, .. } = &m[1] else {
            panic!("a group: {m:?}")
        };
        assert_eq!(items.len(), LIST_AT_MOST);
    }

    #[test]
    fn locked_or_unreadable_names_no_account() {
        for (accounts, note) in [
            (Accounts::Locked, "Locked — open the window to unlock"),
            (
                Accounts::Unavailable,
                "The accounts cannot be read — open the window",
            ),
        ] {
            let m = model(accounts, true, "en");
            assert_eq!(labels(&m), [note, "-", "Show window", "Quit"]);
            assert!(m
                .iter()
                .all(|i| !matches!(i, Item::Copy { .. } | Item::Group { .. })));
        }
        assert_eq!(
            labels(&model(Accounts::Locked, true, "id"))[0],
            "Terkunci — buka jendela untuk membuka kunci"
        );
    }
}
