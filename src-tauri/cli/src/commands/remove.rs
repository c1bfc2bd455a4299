//! `spse-auth remove QUERY [--yes]`: removes one account, after asking on a terminal.

use std::io::{IsTerminal, Write};

use spse_auth_core::accounts::Store;

use crate::hints;
use crate::output::dash;

/// Removes the account `query` resolves to; without `yes` asks on a terminal, and refuses when
/// there is none.
pub fn run(store: &mut Store, query: &str, yes: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let a = store.find(query).map_err(hints::see_list)?;
    if !yes {
        if !std::io::stdin().is_terminal() {
            anyhow::bail!(
                "refusing to remove '{}' without confirmation: no terminal to ask on; pass --yes",
                a.label()
            );
        }
        eprint!(
            "Remove {} / {} ({})?\nThis does not disable TOTP in SPSE: disable it there first, or you \
             will need SPSE \"Reset TOTP\" to log in again. Type 'yes' to remove: ",
            dash(&a.issuer),
            dash(&a.account),
            a.id
        );
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        let answer = answer.trim().to_lowercase();
        if !matches!(answer.as_str(), "yes" | "y" | "ya") {
            anyhow::bail!("not removed");
        }
    }
    let removed = store.remove(&a.id).map_err(hints::see_list)?;
    let info = removed.info();
    writeln!(
        out,
        "removed {} {} {}",
        info.id,
        dash(&info.issuer),
        dash(&info.account)
    )?;
    Ok(())
}
