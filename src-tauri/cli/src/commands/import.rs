//! `spse-auth import [--dry-run] [--replace] FILE...`: other authenticators' exports, texts of Key
//! URIs and QR images, imported entry by entry.
//!
//! Contract (README, "Command line"): one line per entry,
//! `added|unchanged|replaced|skipped <id or -> <issuer> <account> [reason]`, then a summary line
//! `imported: N added, N unchanged, N replaced, N skipped` (`would import: …` with `--dry-run`,
//! where the id of an account to be added is `-`). A skipped entry is not a failure (exit 0); an
//! account already here with another key is `skipped <id> … needs_replace: …` unless
//! `--replace`. Every file is read (and decrypted) before the vault is touched: a wrong password
//! or an unreadable file fails the command (exit 1) and nothing changes.
//!
//! Passwords of encrypted exports: with `--password-stdin`, the next line of standard input for
//! each encrypted file in FILE order (after the vault's recovery password, which comes first
//! when the keyring key is missing); otherwise asked on the terminal; without either, an
//! encrypted file is refused.

use std::io::Write;
use std::path::{Path, PathBuf};

use spse_auth_core::accounts::{AddOutcome, AddStatus, Store};
use spse_auth_core::import::{self, ImportBatch};
use spse_auth_core::ErrorKind;

use crate::output::{dash, note_no_recovery_password, print_warnings};
use crate::password::Passwords;

/// Reads every file, then adds (or with `dry_run` previews) their entries in one change of the
/// vault and prints one line per entry and the summary.
pub fn run(
    store: &mut Store,
    files: &[PathBuf],
    dry_run: bool,
    replace: bool,
    pw: &mut Passwords,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut entries = Vec::new();
    for file in files {
        entries.extend(read_file(file, pw)?.entries);
    }
    import::keep_entries_apart(&mut entries);
    let outcomes = if dry_run {
        store.preview_entries(&entries)?
    } else {
        store.add_entries(&entries, replace)?
    };
    let mut counts = [0usize; 4]; // added, unchanged, replaced, skipped
    for o in &outcomes {
        let (word, slot) = line_status(o.status, dry_run, replace);
        counts[slot] += 1;
        let id = match o.status {
            AddStatus::Skipped => "-",
            AddStatus::Added if dry_run => "-",
            _ => o.account.id.as_str(),
        };
        let mut line = format!(
            "{word} {id} {} {}",
            dash(&o.account.issuer),
            dash(&o.account.account)
        );
        if let Some(why) = reason(o, dry_run, replace) {
            line.push(' ');
            line.push_str(&why);
        }
        writeln!(out, "{line}")?;
        if !dry_run {
            print_warnings(o);
        }
        if let (Some(original), AddStatus::Added) = (&o.renamed_from, o.status) {
            eprintln!(
                "spse-auth: note: '{}' is a second account '{original}' with another key in the \
                 import; it is named '{}' so that both are kept",
                o.account.label(),
                o.account.account
            );
        }
    }
    writeln!(
        out,
        "{}: {} added, {} unchanged, {} replaced, {} skipped",
        if dry_run { "would import" } else { "imported" },
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    )?;
    let stored = counts[0] + counts[2] > 0;
    if !dry_run && stored && !store.has_recovery_password().unwrap_or(true) {
        note_no_recovery_password();
    }
    Ok(())
}

/// The word of an outcome's line and its summary slot (0 added, 1 unchanged, 2 replaced,
/// 3 skipped). A dry run says what the real run would do.
fn line_status(status: AddStatus, dry_run: bool, replace: bool) -> (&'static str, usize) {
    match status {
        AddStatus::Added => ("added", 0),
        AddStatus::Unchanged => ("unchanged", 1),
        AddStatus::Replaced => ("replaced", 2),
        AddStatus::NeedsReplace if dry_run && replace => ("replaced", 2),
        AddStatus::NeedsReplace | AddStatus::Skipped => ("skipped", 3),
    }
}

/// `KIND: MESSAGE` of a skipped entry (never a secret), or `None`.
fn reason(o: &AddOutcome, dry_run: bool, replace: bool) -> Option<String> {
    match (o.status, &o.reason) {
        (AddStatus::Skipped, Some(r)) => Some(format!("{}: {}", r.kind(), r.message())),
        (AddStatus::NeedsReplace, _) if !(dry_run && replace) => Some(
            "needs_replace: already here with a different key (a re-enrolment after SPSE \
             \"Reset TOTP\"); run again with --replace to replace the old key"
                .to_string(),
        ),
        _ => None,
    }
}

/// The entries of one file, asking for its password when it is an encrypted export. Errors name
/// the file.
fn read_file(path: &Path, pw: &mut Passwords) -> anyhow::Result<ImportBatch> {
    let named = |e: spse_auth_core::Error| {
        let msg = e.to_string();
        let shown = path.display().to_string();
        if msg.contains(&shown) {
            anyhow::Error::from(e)
        } else {
            anyhow::anyhow!("{shown}: {msg}")
        }
    };
    let bytes = import::read_file(path).map_err(named)?;
    let source = path.display().to_string();
    match import::batch_from_bytes(&bytes, &source, None) {
        Err(e) if e.kind() == ErrorKind::PasswordRequired => {
            let prompt = format!("Password of {source}: ");
            let Some(password) = pw
                .next(&prompt)
                .map_err(|e| anyhow::anyhow!("{source}: {e:#}"))?
            else {
                anyhow::bail!(
                    "{source}: the export is encrypted; give its password on a terminal, or with \
                     --password-stdin as a line of standard input"
                );
            };
            import::batch_from_bytes(&bytes, &source, Some(&password)).map_err(named)
        }
        other => other.map_err(named),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dry_run_says_what_the_real_run_would_do() {
        use AddStatus::*;
        let words = |dry_run, replace| {
            [Added, Unchanged, Replaced, NeedsReplace, Skipped]
                .map(|s| line_status(s, dry_run, replace))
        };
        assert_eq!(
            words(false, false),
            [
                ("added", 0),
                ("unchanged", 1),
                ("replaced", 2),
                ("skipped", 3),
                ("skipped", 3)
            ]
        );
        assert_eq!(words(true, true)[3], ("replaced", 2));
        assert_eq!(words(true, false)[3], ("skipped", 3));
    }
}
