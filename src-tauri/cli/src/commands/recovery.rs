//! `spse-auth recovery set|remove|status`: the recovery password, a second key slot that opens
//! the vault when the system keyring loses its key.

use std::io::{IsTerminal, Write};

use spse_auth_core::accounts::{KeyringState, Store};

use crate::password::{ask_yes, Passwords};
use crate::RecoveryAction;

/// Runs one `recovery` action.
pub fn run(
    store: &mut Store,
    action: RecoveryAction,
    pw: &mut Passwords,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match action {
        RecoveryAction::Set => set(store, pw, out),
        RecoveryAction::Remove { yes } => remove(store, yes, out),
        RecoveryAction::Status => status(store, out),
    }
}

/// Sets or changes the password: asked twice on a terminal, or the next `--password-stdin` line.
fn set(store: &mut Store, pw: &mut Passwords, out: &mut impl Write) -> anyhow::Result<()> {
    if !store.vault_exists() {
        anyhow::bail!(
            "there is no vault yet: add an account first, then set the recovery password"
        );
    }
    let from_stdin = pw.reads_stdin();
    let Some(new) = pw.next("New recovery password: ")? else {
        anyhow::bail!("no terminal to ask for the new recovery password on; pass --password-stdin");
    };
    spse_auth_core::recovery::check_new_password(&new)?;
    if !from_stdin {
        let again = pw
            .next("Repeat the recovery password: ")?
            .unwrap_or_default();
        if *again != *new {
            anyhow::bail!("the two passwords differ; nothing was changed");
        }
    }
    let had = store.has_recovery_password()?;
    store.set_recovery_password(&new)?;
    writeln!(
        out,
        "recovery password {}",
        if had { "changed" } else { "set" }
    )?;
    eprintln!(
        "spse-auth: keep it somewhere safe (a password manager, or on paper with your SPSE papers): \
         it cannot be recovered, and it opens this vault on any machine if the keyring key is lost"
    );
    Ok(())
}

/// Removes the password, after asking on a terminal unless `yes`.
fn remove(store: &mut Store, yes: bool, out: &mut impl Write) -> anyhow::Result<()> {
    if !store.has_recovery_password()? {
        writeln!(out, "no recovery password was set")?;
        return Ok(());
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            anyhow::bail!("refusing to remove the recovery password without confirmation: no terminal to ask on; pass --yes");
        }
        if !ask_yes(
            "Remove the recovery password? If the system keyring then loses the vault key, the accounts are lost. [y/N]",
            false,
        ) {
            anyhow::bail!("not removed");
        }
    }
    store.remove_recovery_password()?;
    writeln!(out, "recovery password removed")?;
    Ok(())
}

/// Whether a password is set, what the keyring holds, and how many backups there are.
fn status(store: &mut Store, out: &mut impl Write) -> anyhow::Result<()> {
    let st = store.status()?;
    if !st.exists {
        writeln!(out, "no vault yet")?;
        return Ok(());
    }
    let set = if st.has_recovery_password {
        "set"
    } else {
        "not set"
    };
    writeln!(out, "recovery password: {set}")?;
    let k = match st.keyring {
        KeyringState::HasKey => "holds the vault key",
        KeyringState::NoEntry => "has no entry for this vault",
        KeyringState::Unavailable => "unavailable",
        KeyringState::Locked => "locked",
        KeyringState::NotChecked => "not checked",
    };
    writeln!(out, "keyring: {k}")?;
    writeln!(out, "backups: {}", st.backups)?;
    Ok(())
}
