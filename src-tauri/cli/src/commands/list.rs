//! `spse-auth list [--json]`: the accounts as a table or a JSON array (never secrets).

use std::io::Write;

use spse_auth_core::accounts::Store;

use crate::output::{dash, note_no_accounts, print_json, print_table, AccountRow};

/// Prints every account: a table, or with `json` an array of [`AccountRow`].
pub fn run(store: &mut Store, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let accounts = store.list()?;
    if json {
        let rows: Vec<AccountRow> = accounts.iter().map(AccountRow::from).collect();
        return print_json(&rows, out);
    }
    if accounts.is_empty() {
        note_no_accounts();
        return Ok(());
    }
    let rows: Vec<[String; 8]> = accounts
        .iter()
        .map(|a| {
            [
                a.id.clone(),
                dash(&a.issuer).to_string(),
                dash(&a.account).to_string(),
                a.otp_type.as_str().to_string(),
                a.algorithm.as_str().to_string(),
                a.digits.to_string(),
                if a.otp_type.is_time_based() {
                    format!("{}s", a.period)
                } else {
                    format!("counter {}", a.counter)
                },
                if a.secret_bits < 128 {
                    format!("weak secret ({} bits)", a.secret_bits)
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let header = [
        "ID",
        "ISSUER",
        "ACCOUNT",
        "TYPE",
        "ALGORITHM",
        "DIGITS",
        "PERIOD",
        "NOTE",
    ];
    print_table(&header, &rows, out)
}
