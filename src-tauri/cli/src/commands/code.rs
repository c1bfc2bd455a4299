//! `spse-auth code [QUERY] [--at UNIX_SECONDS] [--json]`: one account's code (just the digits),
//! or every account's code with its seconds left.

use std::io::Write;

use spse_auth_core::accounts::{self, AccountInfo, Store};

use crate::output::{dash, note_no_accounts, print_json, CodeRow};

/// Prints the code of the account `query` resolves to, or with no query every account's code.
pub fn run(
    store: &mut Store,
    query: Option<&str>,
    at: Option<u64>,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let t = at.unwrap_or_else(accounts::now_unix);
    let mut codes = store.codes_at(t)?;
    if let Some(q) = query {
        let infos: Vec<AccountInfo> = store.list()?;
        let one = accounts::resolve(&infos, q)?;
        codes.retain(|c| c.id == one.id);
    }
    if json {
        let rows: Vec<CodeRow> = codes.iter().map(CodeRow::from).collect();
        return print_json(&rows, out);
    }
    if query.is_some() {
        if let Some(c) = codes.first() {
            writeln!(out, "{}", c.code)?;
        }
        return Ok(());
    }
    if codes.is_empty() {
        note_no_accounts();
    }
    for c in &codes {
        let left = if c.period > 0 && c.seconds_left > 0 {
            c.seconds_left.to_string()
        } else {
            "-".into()
        };
        writeln!(
            out,
            "{}  {}  {}  {left}",
            dash(&c.issuer),
            dash(&c.account),
            c.code
        )?;
    }
    Ok(())
}
