//! `spse-auth code [QUERY] [--at UNIX_SECONDS] [--json]`: one account's code (just the digits),
//! or every account's code with its seconds left.

use std::io::Write;

use spse_auth_core::accounts::{self, CodeInfo, Store};

use crate::hints;
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
    let codes = match query {
        Some(q) => vec![one_code(store, q, t)?],
        None => store.codes_at(t)?,
    };
    if json {
        let rows: Vec<CodeRow> = codes.iter().map(CodeRow::from).collect();
        return print_json(&rows, out);
    }
    if query.is_some() {
        for c in &codes {
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

/// The code of the one account `query` resolves to. The code is looked up by the resolved id:
/// when that account is removed between the two (another process), this fails with "no account
/// matches …" (exit 1) instead of printing nothing.
fn one_code(store: &mut Store, query: &str, t: u64) -> anyhow::Result<CodeInfo> {
    one_code_with(store, query, t, |_| {})
}

/// [`one_code`], with `between` run after the query is resolved and before the code is looked up
/// (tests put another process's change there).
fn one_code_with(
    store: &mut Store,
    query: &str,
    t: u64,
    between: impl FnOnce(&mut Store),
) -> anyhow::Result<CodeInfo> {
    let one = store.find(query).map_err(hints::see_list)?;
    between(store);
    store.code_at(&one.id, t).map_err(hints::see_list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use spse_auth_core::import;

    /// Defect 7: the account goes between the lookup and the code: an error, not an empty line.
    #[test]
    fn an_account_removed_meanwhile_is_an_error() {
        let tmp = tempfile::tempdir().expect("tempdir");
        // An in-memory key store: a unit test never writes into a real keyring.
        let keys = Box::new(spse_auth_test_support::MemKeys::new());
        let mut store = Store::with_keystore(tmp.path().join("d"), keys);
        let uri = "otpauth://totp/Kota%20Fiktif:budi?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Kota%20Fiktif";
        store
            .add(import::from_text(uri).expect("uri"), false)
            .expect("add");
        let c = one_code(&mut store, "budi", 59).expect("code");
        assert_eq!(c.code.len(), 6);
        let err = one_code_with(&mut store, "budi", 59, |s| {
            let id = s.find("budi").expect("find").id;
            s.remove(&id).expect("remove");
        })
        .expect_err("the account is gone");
        assert!(format!("{err:#}").contains("no account matches"), "{err:#}");
    }
}
