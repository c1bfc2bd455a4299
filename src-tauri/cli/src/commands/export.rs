//! `spse-auth export --format FORMAT --output PATH [--plaintext] [QUERY...]`: the accounts (all,
//! or those the QUERYs name) to another authenticator's import or to QR codes.
//!
//! Contract (README, "Command line"):
//! - `aegis` and `proton` write one file at PATH, encrypted with an export password (asked twice
//!   on a terminal, or the next `--password-stdin` line; at least 8 characters).
//! - `otpauth` (one file of Key URIs), `qr` (one PNG per account into the folder PATH) and
//!   `migration-qr` (Google Authenticator transfer QR codes into the folder PATH,
//!   `google-authenticator-1-of-3.png`…) hold the secrets in the clear: refused without
//!   `--plaintext`; when the vault has a recovery password it is asked (or read from standard
//!   input) and checked before anything is written.
//! - Standard input lines with `--password-stdin`: the vault's recovery password when the keyring
//!   key is missing (read by `password.rs` before this runs), then the recovery password that
//!   confirms a plain export, then the export password.
//! - Output: `skipped ISSUER ACCOUNT KIND: MESSAGE` for each account the format cannot carry,
//!   `written PATH` for each file, then `exported: N accounts, N skipped`. Files are owner-only
//!   and written atomically; nothing is written when a check fails. No secret is ever printed.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use spse_auth_core::accounts::{self, Store};
use spse_auth_core::enrolment::Enrolment;
use spse_auth_core::export::{self, ExportFormat};
use zeroize::Zeroizing;

use crate::hints;
use crate::output::dash;
use crate::password::Passwords;

/// What `export` was asked to do.
pub struct Request<'a> {
    /// The format.
    pub format: ExportFormat,
    /// The file (aegis, proton, otpauth) or folder (qr, migration-qr) to write.
    pub output: &'a Path,
    /// The user confirmed a plain-text export.
    pub plaintext: bool,
    /// Accounts to export (ids, id prefixes or parts of "issuer account"); none = all.
    pub queries: &'a [String],
}

/// Checks, asks for the passwords, writes the export and prints what was written.
pub fn run(
    store: &mut Store,
    req: &Request<'_>,
    pw: &mut Passwords,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let format = req.format;
    if format.is_plaintext() && !req.plaintext {
        anyhow::bail!(
            "the {} export holds every secret in the clear (anyone who sees the file or image can \
             make your codes); pass --plaintext to confirm, or choose --format aegis or proton \
             (encrypted with a password); nothing was written",
            format.as_str()
        );
    }
    let ids = resolve(store, req.queries)?;
    if format.is_plaintext() {
        reauthenticate(store, pw)?;
    }
    let password = if format.is_plaintext() {
        None
    } else {
        Some(export_password(pw)?)
    };
    let entries = store.export_enrolments(&ids)?;
    if entries.is_empty() {
        anyhow::bail!("there are no accounts to export; nothing was written");
    }
    let skipped = format.skipped(&entries);
    for s in &skipped {
        writeln!(
            out,
            "skipped {} {} {}: {}",
            dash(&s.issuer),
            dash(&s.account),
            s.reason.kind(),
            s.reason.message()
        )?;
    }
    let exported = entries.len() - skipped.len();
    if exported == 0 {
        anyhow::bail!(
            "none of the {} accounts can be exported as {}; nothing was written",
            entries.len(),
            format.as_str()
        );
    }
    let written = write(
        format,
        req.output,
        &entries,
        password.as_deref().map(String::as_str),
    )?;
    for path in &written {
        writeln!(out, "written {}", path.display())?;
    }
    writeln!(
        out,
        "exported: {exported} accounts, {} skipped",
        skipped.len()
    )?;
    Ok(())
}

/// The ids of the accounts the queries name (none = every account), each once. Fails before any
/// password is asked when there is no account.
fn resolve(store: &mut Store, queries: &[String]) -> anyhow::Result<Vec<String>> {
    let all = store.list()?;
    if all.is_empty() {
        anyhow::bail!("there are no accounts to export; nothing was written");
    }
    let mut ids: Vec<String> = Vec::new();
    for q in queries {
        let a = accounts::resolve(&all, q).map_err(hints::see_list)?;
        if !ids.contains(&a.id) {
            ids.push(a.id.clone());
        }
    }
    Ok(ids)
}

/// A plain export needs the recovery password, when the vault has one (checked, not used).
fn reauthenticate(store: &mut Store, pw: &mut Passwords) -> anyhow::Result<()> {
    if !store.has_recovery_password()? {
        return Ok(());
    }
    let Some(password) = pw.next("Recovery password (to confirm a plain-text export): ")? else {
        anyhow::bail!(
            "a plain-text export needs the vault's recovery password: no terminal to ask on; pass \
             it with --password-stdin; nothing was written"
        );
    };
    store.verify_recovery_password(&password).map_err(|e| {
        anyhow::anyhow!(
            "{e}; the plain-text export needs the vault's recovery password; nothing was written"
        )
    })
}

/// The export password: asked twice on a terminal, or the next `--password-stdin` line.
fn export_password(pw: &mut Passwords) -> anyhow::Result<Zeroizing<String>> {
    let from_stdin = pw.reads_stdin();
    let Some(password) = pw.next("Export password: ")? else {
        anyhow::bail!(
            "an encrypted export needs a password: no terminal to ask on; pass it with \
             --password-stdin; nothing was written"
        );
    };
    export::check_export_password(&password)?;
    if !from_stdin {
        let again = pw.next("Repeat the export password: ")?.unwrap_or_default();
        if *again != *password {
            anyhow::bail!("the two passwords differ; nothing was written");
        }
    }
    Ok(password)
}

/// Writes the export; the paths written, in order.
fn write(
    format: ExportFormat,
    output: &Path,
    entries: &[Enrolment],
    password: Option<&str>,
) -> anyhow::Result<Vec<PathBuf>> {
    let password = password.unwrap_or_default();
    let one_file = |bytes: &[u8]| -> anyhow::Result<Vec<PathBuf>> {
        if output.is_dir() {
            anyhow::bail!(
                "{} is a folder; give the name of the file to write",
                output.display()
            );
        }
        export::write_private_file(output, bytes)?;
        Ok(vec![output.to_path_buf()])
    };
    match format {
        ExportFormat::Aegis => one_file(&export::aegis::write_encrypted(entries, password)?),
        ExportFormat::Proton => one_file(&export::proton::write_encrypted(entries, password)?),
        ExportFormat::Otpauth => one_file(export::otpauth::write(entries).as_bytes()),
        ExportFormat::Qr => {
            let mut pngs = Vec::new();
            let mut taken = HashSet::new();
            for e in entries {
                let name = unique_name(&file_stem(&e.issuer, &e.account), &mut taken);
                pngs.push((name, export::qr::account_png(e)?));
            }
            write_folder(output, pngs)
        }
        ExportFormat::MigrationQr => {
            let codes = export::migration_qr::pngs(entries)?;
            let pngs = codes
                .images
                .into_iter()
                .map(|i| {
                    let name = format!("google-authenticator-{}-of-{}.png", i.index, i.count);
                    (name, i.png)
                })
                .collect();
            write_folder(output, pngs)
        }
    }
}

/// Writes `files` (name, PNG) into the folder `dir`, created (owner-only) when missing.
fn write_folder(
    dir: &Path,
    files: Vec<(String, Zeroizing<Vec<u8>>)>,
) -> anyhow::Result<Vec<PathBuf>> {
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!(
            "{} is a file; --output of a QR export is a folder",
            dir.display()
        );
    }
    if !dir.exists() {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("creating {}: {e}", dir.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| anyhow::anyhow!("securing {}: {e}", dir.display()))?;
        }
    }
    let mut written = Vec::new();
    for (name, png) in files {
        let path = dir.join(name);
        export::write_private_file(&path, &png)?;
        written.push(path);
    }
    Ok(written)
}

/// A file name stem from issuer and account: ASCII letters, digits, `.`, `-` and `_`; any run of
/// other characters becomes one `_`; at most 80 characters; never empty or a Windows device name.
fn file_stem(issuer: &str, account: &str) -> String {
    let label = if issuer.is_empty() {
        account.to_string()
    } else {
        format!("{issuer}-{account}")
    };
    let mut stem = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
            stem.push(c);
        } else if !stem.ends_with('_') {
            stem.push('_');
        }
    }
    let stem: String = stem
        .trim_matches(|c| matches!(c, '.' | '_' | '-'))
        .chars()
        .take(80)
        .collect();
    let device = ["con", "prn", "aux", "nul"].contains(&stem.to_lowercase().as_str())
        || (stem.len() == 4
            && ["com", "lpt"].contains(&stem[..3].to_lowercase().as_str())
            && stem.as_bytes()[3].is_ascii_digit());
    if stem.is_empty() {
        "account".to_string()
    } else if device {
        format!("{stem}_")
    } else {
        stem
    }
}

/// `stem.png`, or `stem-2.png`, `stem-3.png`… when taken (case-insensitive); records it.
fn unique_name(stem: &str, taken: &mut HashSet<String>) -> String {
    let mut name = format!("{stem}.png");
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        name = format!("{stem}-{n}.png");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_unique() {
        assert_eq!(
            file_stem("LPSE Kota Contoh", "budi.santoso"),
            "LPSE_Kota_Contoh-budi.santoso"
        );
        assert_eq!(file_stem("", "../../etc/passwd"), "etc_passwd");
        assert_eq!(file_stem("Ćontoh", "rina/ü"), "ontoh-rina");
        assert_eq!(file_stem("", "\u{1F600}"), "account");
        assert_eq!(file_stem("", "CON"), "CON_");
        assert_eq!(file_stem("", "lpt1"), "lpt1_");
        assert_eq!(file_stem("x", &"a".repeat(200)).len(), 80);
        let mut taken = HashSet::new();
        assert_eq!(unique_name("a-b", &mut taken), "a-b.png");
        assert_eq!(unique_name("A-B", &mut taken), "A-B-2.png");
        assert_eq!(unique_name("a-b", &mut taken), "a-b-3.png");
    }
}
