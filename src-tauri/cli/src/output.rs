//! Everything `spse-auth` writes: result lines and tables on stdout, `--json` arrays (from the
//! `#[derive(Serialize)]` row structs below), notes and errors on stderr, and the exit code.
//!
//! Exit codes do not differ by error kind: 0 ok, 1 error, 2 usage (clap). An `import` whose
//! entries were partly skipped did what it was asked (exit 0, a `skipped` line each); a wrong
//! export password or an unreadable file is an error (exit 1, nothing changed). That is the README's
//! contract, which scripts and tests rely on; the kind of an error is in its one stderr line
//! ("no account matches …", "vault key missing …"), written for a person to act on, and a script
//! only needs to know whether the command did what it asked. A finer split would break scripts
//! that test `[ $? -eq 1 ]` for no gain.
//!
//! The JSON keys come out in alphabetical order (serde_json's map order without
//! `preserve_order`, as the earlier hand-built objects did): the row structs declare their fields
//! in that order, so the output is byte for byte what it was.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;
use spse_auth_core::accounts::{AccountInfo, AddOutcome, AddStatus, BackupInfo, CodeInfo};
use spse_auth_core::enrolment::Warning;

/// Exit code of a command that did what it was asked.
pub const EXIT_OK: u8 = 0;
/// Exit code of any failure (one `spse-auth: …` line on stderr says what and what to do).
pub const EXIT_ERROR: u8 = 1;
/// Exit code of a command line clap rejects (its usage message is on stderr).
pub const EXIT_USAGE: u8 = 2;

/// Prints the error line of a failed command (`spse-auth: MESSAGE: CAUSE…`) and returns exit 1.
pub fn fail(e: &anyhow::Error) -> ExitCode {
    eprintln!("spse-auth: {e:#}");
    ExitCode::from(EXIT_ERROR)
}

/// `s`, or "-" when it is empty (so that columns stay separable by spaces).
pub fn dash(s: &str) -> &str {
    if s.is_empty() {
        "-"
    } else {
        s
    }
}

/// At most 40 characters of user input for messages (a URI may hold a secret further on).
pub fn short(s: &str) -> String {
    let head: String = s.chars().take(40).collect();
    if head.len() < s.len() {
        format!("{head}…")
    } else {
        head
    }
}

/// Writes `rows` as pretty-printed JSON array, then a newline.
pub fn print_json<T: Serialize>(rows: &[T], out: &mut impl Write) -> anyhow::Result<()> {
    writeln!(out, "{}", serde_json::to_string_pretty(rows)?)?;
    Ok(())
}

/// A table: a header line, then one line per row; columns padded to their widest cell plus two
/// spaces, trailing spaces trimmed.
pub fn print_table<const N: usize>(
    header: &[&str; N],
    rows: &[[String; N]],
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut widths = header.map(|h| h.chars().count());
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            s.push_str(c);
            if i + 1 != cells.len() {
                s.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
            }
        }
        s.trim_end().to_string()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for r in rows {
        writeln!(out, "{}", line(r.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

/// The line of one `add`/`scan` outcome (`added|replaced|unchanged ID ISSUER ACCOUNT`), and on
/// stderr the warnings of a newly stored key.
pub fn print_outcome(o: &AddOutcome, out: &mut impl Write) -> anyhow::Result<()> {
    let a = &o.account;
    writeln!(
        out,
        "{} {} {} {}",
        o.status.as_str(),
        a.id,
        dash(&a.issuer),
        dash(&a.account)
    )?;
    print_warnings(o);
    Ok(())
}

/// On stderr, the warnings of a newly stored key (weak secret, incomplete export batch).
pub fn print_warnings(o: &AddOutcome) {
    let a = &o.account;
    let fresh = matches!(o.status, AddStatus::Added | AddStatus::Replaced);
    for w in o.warnings.iter().filter(|_| fresh) {
        match w {
            Warning::WeakSecret { bits } => eprintln!(
                "spse-auth: note: {} has a secret of {bits} bits (RFC 4226 asks for at least 128)",
                a.label()
            ),
            Warning::ShortCode { digits } => eprintln!(
                "spse-auth: note: {} has codes of {digits} digits (RFC 4226 asks for at least 6)",
                a.label()
            ),
            Warning::MissingBatchParts {
                batch_index,
                batch_size,
                ..
            } => eprintln!(
                "spse-auth: warning: export part {} of {batch_size} imported; scan the other part(s) too",
                batch_index + 1
            ),
        }
    }
}

/// The note printed after accounts were stored while the vault has no recovery password.
pub fn note_no_recovery_password() {
    eprintln!(
        "spse-auth: note: no recovery password is set: if the system keyring loses the vault key \
         (new machine, keyring reset), the accounts can only be re-enrolled by an SPSE \
         \"Reset TOTP\" e-mail for each LPSE; set one with `spse-auth recovery set`"
    );
}

/// The note printed when a listing is empty.
pub fn note_no_accounts() {
    eprintln!("spse-auth: no accounts yet; add one with `spse-auth add SCREENSHOT.png`");
}

/// One account of `list --json` (never the secret).
#[derive(Serialize)]
pub struct AccountRow<'a> {
    account: &'a str,
    algorithm: &'a str,
    counter: u64,
    digits: u8,
    id: &'a str,
    issuer: &'a str,
    period: u32,
    #[serde(rename = "type")]
    otp_type: &'a str,
}

impl<'a> From<&'a AccountInfo> for AccountRow<'a> {
    fn from(a: &'a AccountInfo) -> Self {
        AccountRow {
            account: &a.account,
            algorithm: a.algorithm.as_str(),
            counter: a.counter,
            digits: a.digits,
            id: &a.id,
            issuer: &a.issuer,
            period: a.period,
            otp_type: a.otp_type.as_str(),
        }
    }
}

/// One code of `code --json`.
#[derive(Serialize)]
pub struct CodeRow<'a> {
    account: &'a str,
    code: &'a str,
    id: &'a str,
    issuer: &'a str,
    period: u32,
    seconds_left: u32,
}

impl<'a> From<&'a CodeInfo> for CodeRow<'a> {
    fn from(c: &'a CodeInfo) -> Self {
        CodeRow {
            account: &c.account,
            code: &c.code,
            id: &c.id,
            issuer: &c.issuer,
            period: c.period,
            seconds_left: c.seconds_left,
        }
    }
}

/// One backup of `backup list --json`.
#[derive(Serialize)]
pub struct BackupRow<'a> {
    accounts: Option<usize>,
    created: i64,
    id: &'a str,
    size: u64,
}

impl<'a> From<&'a BackupInfo> for BackupRow<'a> {
    fn from(b: &'a BackupInfo) -> Self {
        BackupRow {
            accounts: b.accounts,
            created: b.created,
            id: &b.id,
            size: b.size,
        }
    }
}
