//! A long list (300 accounts, as a vendor with accounts at many LPSE may hold): only the rows near
//! the view are in the DOM (ui/rowwindow.js), and every account is still reachable with
//! oathtool's code — by scrolling, by the search, by the arrow keys and Home/End. Made-up names
//! and secrets only.

use spse_app_e2e::*;

const N: usize = 300;
/// At most this many rows in the DOM: a 680 px window shows 5–8 rows (≈ 160 px each at the
/// window's 520 px width, less when wider), plus 4 on each side.
const MAX_ROWS: u64 = 24;

fn account(i: usize) -> String {
    format!("PENYEDIA-{i:03}")
}

fn issuer(i: usize) -> String {
    format!("LPSE Contoh {}", i / 25 + 1)
}

/// The accounts in list order, as indexes `i` of [`account`]`(i)` (`spse-auth list --json`).
fn list_order(app: &App) -> Vec<usize> {
    let (ok, out, err) = app.cli(&["list", "--json"]);
    assert!(ok, "{err}");
    let listed: serde_json::Value = serde_json::from_str(&out).expect("list --json");
    listed
        .as_array()
        .expect("an array")
        .iter()
        .map(|a| {
            let name = a["account"].as_str().expect("account");
            name.strip_prefix("PENYEDIA-")
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("not ours: {name}"))
        })
        .collect()
}

fn rows_in_dom(app: &App) -> u64 {
    app.js("return document.querySelectorAll('#list .row').length;")
        .as_u64()
        .unwrap_or(0)
}

/// The account name and code of the row of the focused element ("" when the focus is elsewhere).
fn focused_row(app: &App) -> (String, String) {
    let v = app.js(
        "const r = document.activeElement?.closest?.('.row'); \
         return r ? [r.querySelector('.account').textContent, (r.querySelector('.code')?.textContent ?? '')] : ['', ''];",
    );
    let s = |i: usize| v[i].as_str().unwrap_or_default().replace(' ', "");
    (s(0), s(1))
}

/// Whether the focused row lies wholly in the view, below the sticky toolbar.
fn focused_row_in_view(app: &App) -> bool {
    app.js(
        "const r = document.activeElement?.closest?.('.row')?.getBoundingClientRect(); \
         const bar = document.querySelector('.toolbar').getBoundingClientRect(); \
         return !!r && r.top >= bar.bottom - 1 && r.bottom <= window.innerHeight + 1;",
    ) == true
}

/// Waits until the focus is on account `i`'s row, in view, showing oathtool's code.
fn assert_focus_on(app: &App, i: usize) {
    app.wait(10, &format!("the focus on {}", account(i)), |a| {
        focused_row(a).0 == account(i)
    });
    assert!(focused_row_in_view(app), "{} is not in view", account(i));
    app.wait(5, "oathtool's code", |a| {
        oathtool_window(&made_up_secret(i)).contains(&focused_row(a).1)
    });
}

#[test]
fn three_hundred_accounts_keep_few_rows_and_every_one_is_reachable() {
    let app = App::launch("en_US.UTF-8");
    app.wait_text(30, "No accounts yet");
    let uris: String = (0..N)
        .map(|i| {
            format!(
                "otpauth://totp/{}:{}?secret={}&issuer={}\n",
                issuer(i).replace(' ', "%20"),
                account(i),
                made_up_secret(i),
                issuer(i).replace(' ', "%20"),
            )
        })
        .collect();
    let file = app.data_dir.parent().unwrap().join("uris.txt");
    std::fs::write(&file, uris).unwrap();
    let (ok, out, err) = app.cli(&["add", file.to_str().unwrap()]);
    assert!(ok, "{out}{err}");

    // The list knows all 300 but draws only the rows near the view.
    app.wait(20, "the rows", |a| rows_in_dom(a) > 0);
    app.wait(10, "the list's size", |a| {
        a.js("return document.querySelector('#list .row').getAttribute('aria-setsize');") == "300"
    });
    let drawn = rows_in_dom(&app);
    assert!((5..=MAX_ROWS).contains(&drawn), "{drawn} rows in the DOM");
    println!("ok: {drawn} of {N} rows in the DOM at the top");

    // The list's order (the CLI's, by LPSE then user ID): order[k] is the account at position k.
    let order = list_order(&app);
    assert_eq!(order.len(), N);
    let last = order[N - 1];

    // Scrolled to the end: the last account's row, with oathtool's code; still few rows.
    app.js("window.scrollTo(0, document.documentElement.scrollHeight); return null;");
    // The row comes at once, its code right after (only the drawn rows' codes are asked for).
    let code_of = |a: &App| {
        a.js(&format!(
            "const r = [...document.querySelectorAll('#list .row')].find(r => r.querySelector('.account').textContent === '{}'); \
             return r ? (r.querySelector('.code')?.textContent ?? '').replace(/ /g, '') : '';",
            account(last)
        ))
        .as_str()
        .unwrap_or_default()
        .to_string()
    };
    app.wait(10, "the last row with its code", |a| !code_of(a).is_empty());
    assert!(rows_in_dom(&app) <= MAX_ROWS, "{} rows", rows_in_dom(&app));
    let last_code = code_of(&app);
    assert!(
        oathtool_window(&made_up_secret(last)).contains(&last_code),
        "last row's code {last_code}"
    );
    // The row really is on screen (not left above the view by the padding's estimate).
    assert!(
        app.js(&format!(
            "const r = [...document.querySelectorAll('#list .row')].find(r => r.querySelector('.account').textContent === '{}').getBoundingClientRect(); \
             return r.top >= 0 && r.bottom <= window.innerHeight + 1;",
            account(last)
        )) == true,
        "the last row is not in view at the end of the page"
    );
    println!(
        "ok: scrolled to the end, {} shows oathtool's code",
        account(last)
    );

    // The search finds an account in the middle, which was never drawn.
    app.js("window.scrollTo(0, 0); return null;");
    app.type_into("#search", &account(150));
    app.wait(10, "one match, with its code", |a| {
        rows_in_dom(a) == 1
            && a.element_text(".row .account") == account(150)
            && !a.element_text(".row .code").is_empty()
    });
    assert!(
        oathtool_window(&made_up_secret(150))
            .contains(&app.element_text(".row .code").replace(' ', "")),
        "searched row's code"
    );
    // ArrowDown from the search focuses it; Esc in the list leaves the search as it is, Esc in
    // the search clears it.
    app.keys(&["\u{E015}"]);
    assert_focus_on(&app, 150);
    app.click("#search");
    app.keys(&["\u{E00C}"]);
    app.wait(10, "the whole list again", |a| {
        a.js("return document.getElementById('search').value;") == "" && rows_in_dom(a) >= 8
    });
    println!("ok: the search reaches {}", account(150));

    // Keys: ArrowDown into the list, End to the last account, Home to the first, then ArrowDown
    // across the edge of the drawn rows: each focused row is scrolled into view and drawn.
    app.keys(&["\u{E015}"]);
    assert_focus_on(&app, order[0]);
    app.keys(&["\u{E010}"]);
    assert_focus_on(&app, last);
    app.keys(&["\u{E011}"]);
    assert_focus_on(&app, order[0]);
    for _ in 0..20 {
        app.keys(&["\u{E015}"]);
    }
    assert_focus_on(&app, order[20]);
    assert!(rows_in_dom(&app) <= MAX_ROWS, "{} rows", rows_in_dom(&app));
    app.keys(&["\u{E013}"]);
    assert_focus_on(&app, order[19]);
    println!("ok: arrows, Home and End reach every account, in view");
}
