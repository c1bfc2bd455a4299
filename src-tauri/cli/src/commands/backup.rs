//! `spse-auth backup list [--json]` / `spse-auth backup restore ID`: the automatic backups kept
//! before every change of the vault.

use std::io::Write;

use spse_auth_core::accounts::{BackupInfo, Store};

use crate::hints;
use crate::output::{print_json, print_table, BackupRow};
use crate::BackupAction;

/// Runs one `backup` action.
pub fn run(store: &mut Store, action: BackupAction, out: &mut impl Write) -> anyhow::Result<()> {
    match action {
        BackupAction::List { json } => list(store, json, out),
        BackupAction::Restore { id } => restore(store, &id, out),
    }
}

/// Backups newest first: a table, or with `json` an array of [`BackupRow`].
fn list(store: &mut Store, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let list = store.backups()?;
    if json {
        let rows: Vec<BackupRow> = list.iter().map(BackupRow::from).collect();
        return print_json(&rows, out);
    }
    if list.is_empty() {
        eprintln!("spse-auth: no backups yet (one is kept before every change of the vault)");
        return Ok(());
    }
    let rows: Vec<[String; 4]> = list.iter().map(row).collect();
    print_table(&["ID", "TAKEN", "ACCOUNTS", "SIZE"], &rows, out)
}

/// Restores backup `id`; the current vault becomes a backup first.
fn restore(store: &mut Store, id: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let info = store.restore_backup(id).map_err(hints::see_backup_list)?;
    writeln!(
        out,
        "restored {} ({} account(s)); the previous vault was kept as a backup",
        info.id,
        count(info.accounts)
    )?;
    if !store.has_recovery_password().unwrap_or(true) {
        eprintln!(
            "spse-auth: note: the restored vault has no recovery password; set one again with `spse-auth recovery set`"
        );
    }
    Ok(())
}

/// An account count, or "?" when the backup does not open with the keys at hand.
fn count(n: Option<usize>) -> String {
    n.map(|n| n.to_string()).unwrap_or_else(|| "?".into())
}

/// One line of the table: id, time taken (UTC), accounts, size.
fn row(b: &BackupInfo) -> [String; 4] {
    [
        b.id.clone(),
        chrono::DateTime::from_timestamp(b.created, 0)
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| "?".into()),
        count(b.accounts),
        format!("{} B", b.size),
    ]
}
