//! `spse-auth`: the command line of SPSE Authenticator, over `spse-auth-core`.
//!
//! Contract (scripts and tests rely on it): see README.md, "Command line". Exit codes: 0 ok,
//! 1 error (one actionable line on stderr), 2 usage. Secrets are never printed, except by
//! `decode`, whose job is to print what a QR code holds.
//!
//! When the keyring has no key for the vault (or cannot be reached) and the vault has a recovery
//! password, every vault command asks for the password on the terminal — or reads it from standard
//! input with the global `--password-stdin` — opens the vault with it, and stores the key in the
//! keyring again (asking first on a terminal; automatically, with a note on stderr, otherwise).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use spse_auth_core::accounts::{
    self, AccountInfo, AddOutcome, AddStatus, BackupInfo, KeyringState, Store,
};
use spse_auth_core::enrolment::{Enrolment, Warning};
use spse_auth_core::{import, qr, Error as CoreError};
use zeroize::Zeroizing;

/// SPSE Authenticator command line: TOTP codes for SPSE (LPSE) accounts.
#[derive(Parser, Debug)]
#[command(name = "spse-auth", version, about, long_about = None)]
struct Cli {
    /// Folder of the vault (default: $SPSE_AUTH_DATA_DIR, else the platform data folder).
    #[arg(long, global = false, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Read the recovery password(s) from standard input, one a line, instead of asking on the
    /// terminal: first the password that opens the vault (only when its keyring key is missing),
    /// then, for `recovery set`, the new password.
    #[arg(long, global = true)]
    password_stdin: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Add accounts from images, text files of Key URIs, literal URIs, or `-` (stdin).
    Add {
        /// Replace the key of an existing account (re-enrolment after SPSE "Reset TOTP").
        #[arg(long)]
        replace: bool,
        /// Image files, text files, `otpauth://` / `otpauth-migration://` URIs, or `-`.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<String>,
    },
    /// List accounts (never secrets).
    List {
        /// JSON array of {id, issuer, account, type, algorithm, digits, period, counter}.
        #[arg(long)]
        json: bool,
    },
    /// Print codes: one account's code, or every account's.
    Code {
        /// Account id, unique id prefix, or part of "issuer account".
        query: Option<String>,
        /// Compute at this Unix time (seconds) instead of now.
        #[arg(long, value_name = "UNIX_SECONDS")]
        at: Option<u64>,
        /// JSON array of {id, issuer, account, code, seconds_left, period}.
        #[arg(long)]
        json: bool,
    },
    /// Remove an account (asks on a terminal).
    Remove {
        /// Account id, unique id prefix, or part of "issuer account".
        query: String,
        /// Do not ask.
        #[arg(long)]
        yes: bool,
    },
    /// Add the accounts whose enrolment QR is on the screen (every monitor; on Wayland through the
    /// desktop's screenshot portal, which may ask for permission).
    ///
    /// Prints one line per account, like `add`: `added|replaced|unchanged ID ISSUER ACCOUNT`.
    /// With --dry-run nothing is saved and each line says what `scan` would do:
    /// `would-add - ISSUER ACCOUNT` (the id is chosen when it is added),
    /// `would-replace ID …` (with --replace), `needs-replace ID …` (a re-enrolment: `scan` would
    /// stop and ask for --replace) or `unchanged ID …`. Exit 1 when no QR code is on the screen.
    Scan {
        /// Only print what would be added; touch no vault.
        #[arg(long)]
        dry_run: bool,
        /// Replace the key of an existing account (re-enrolment after SPSE "Reset TOTP").
        #[arg(long)]
        replace: bool,
    },
    /// Set, change or remove the recovery password (a second way to open the vault when the
    /// system keyring loses its key).
    Recovery {
        #[command(subcommand)]
        action: RecoveryAction,
    },
    /// List or restore the automatic backups (one is kept before every change; the last 20).
    Backup {
        #[command(subcommand)]
        action: BackupAction,
    },
    /// Print the text of every QR code in images (diagnostics; touches no vault).
    Decode {
        /// Image files.
        #[arg(required = true, value_name = "IMAGE")]
        images: Vec<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum RecoveryAction {
    /// Set or change the recovery password (asks twice on a terminal, or --password-stdin).
    Set,
    /// Remove the recovery password (only while the keyring holds the vault key).
    Remove {
        /// Do not ask.
        #[arg(long)]
        yes: bool,
    },
    /// Show whether a recovery password is set and whether the keyring holds the key.
    Status,
}

#[derive(Subcommand, Debug)]
enum BackupAction {
    /// List backups, newest first: id, time (UTC), accounts ("?" when it does not open), size.
    List {
        /// JSON array of {id, created, accounts, size}.
        #[arg(long)]
        json: bool,
    },
    /// Restore a backup by id; the current vault becomes a backup first.
    Restore {
        /// Backup id, as `backup list` shows it.
        id: String,
    },
}

/// Where passwords come from: standard input lines (`--password-stdin`) or the terminal.
struct Passwords {
    stdin_lines: Option<std::vec::IntoIter<Zeroizing<String>>>,
}

impl Passwords {
    fn new(from_stdin: bool) -> anyhow::Result<Self> {
        if !from_stdin {
            return Ok(Passwords { stdin_lines: None });
        }
        let mut text = Zeroizing::new(String::new());
        std::io::stdin()
            .read_to_string(&mut text)
            .context("--password-stdin: reading standard input")?;
        let lines: Vec<Zeroizing<String>> = text
            .lines()
            .map(|l| Zeroizing::new(l.trim_end_matches('\r').to_string()))
            .collect();
        Ok(Passwords {
            stdin_lines: Some(lines.into_iter()),
        })
    }

    fn interactive() -> bool {
        std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
    }

    /// The next password: a line of standard input, or asked on the terminal (not echoed).
    /// `None` when neither is possible.
    fn next(&mut self, prompt: &str) -> anyhow::Result<Option<Zeroizing<String>>> {
        if let Some(lines) = self.stdin_lines.as_mut() {
            return match lines.next() {
                Some(l) => Ok(Some(l)),
                None => {
                    anyhow::bail!("--password-stdin: standard input has no more password lines")
                }
            };
        }
        if !Self::interactive() {
            return Ok(None);
        }
        let p = Zeroizing::new(rpassword::prompt_password(prompt).context("reading the password")?);
        Ok(Some(p))
    }
}

fn ask_yes(question: &str, default_yes: bool) -> bool {
    eprint!("{question} ");
    let mut answer = String::new();
    if std::io::stdin().read_line(&mut answer).is_err() {
        return false;
    }
    let a = answer.trim().to_lowercase();
    if a.is_empty() {
        return default_yes;
    }
    matches!(a.as_str(), "y" | "yes" | "ya")
}

/// Opens the vault with the recovery password when its keyring key is missing or the keyring is
/// unreachable, then puts the key back in the keyring. Does nothing when the vault opens as it is,
/// or has no recovery password (the command then fails with "vault key missing").
fn unlock_if_needed(store: &mut Store, pw: &mut Passwords, strict: bool) -> anyhow::Result<()> {
    let st = match store.status() {
        Ok(s) => s,
        Err(_) if !strict => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if st.ready || !st.has_recovery_password {
        return Ok(());
    }
    let why = match st.keyring {
        KeyringState::NoEntry => "the system keyring has no key for this vault",
        KeyringState::Locked => "the system keyring is locked",
        _ => "the system keyring is unavailable",
    };
    if Passwords::interactive() && pw.stdin_lines.is_none() {
        eprintln!("spse-auth: {why}; open the vault with its recovery password.");
    }
    let Some(password) = pw.next("Recovery password: ")? else {
        return Ok(());
    };
    store.unlock_with_password(&password)?;
    match st.keyring {
        KeyringState::NoEntry => {
            let store_it = if pw.stdin_lines.is_none() && Passwords::interactive() {
                ask_yes(
                    "Store the vault key in the system keyring again, so that the password is not needed next time? [Y/n]",
                    true,
                )
            } else {
                true
            };
            if store_it {
                match store.restore_keyring_key() {
                    Ok(()) => eprintln!(
                        "spse-auth: opened with the recovery password; the vault key was stored in the system keyring again"
                    ),
                    Err(e) => eprintln!(
                        "spse-auth: opened with the recovery password; the vault key could not be stored in the keyring: {e}"
                    ),
                }
            } else {
                eprintln!(
                    "spse-auth: opened with the recovery password; the keyring was left as it is"
                );
            }
        }
        _ => eprintln!(
            "spse-auth: opened with the recovery password ({why}; the key was not stored in it)"
        ),
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("spse-auth: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let dir = accounts::data_dir(cli.data_dir.as_deref())?;
    let mut store = Store::new(dir);
    let mut out = std::io::stdout().lock();
    if let Command::Add { inputs, .. } = &cli.command {
        if cli.password_stdin && inputs.iter().any(|i| i == "-") {
            anyhow::bail!("--password-stdin and `add -` both need standard input; give the Key URIs in a file");
        }
    }
    let mut pw = Passwords::new(cli.password_stdin)?;
    match &cli.command {
        Command::Decode { .. } => {}
        Command::Backup { .. } => unlock_if_needed(&mut store, &mut pw, false)?,
        _ => unlock_if_needed(&mut store, &mut pw, true)?,
    }
    match cli.command {
        Command::Add { replace, inputs } => {
            add(&mut store, &inputs, replace, &mut out)?;
            if !store.has_recovery_password().unwrap_or(true) {
                eprintln!(
                    "spse-auth: note: no recovery password is set: if the system keyring loses the vault key \
                     (new machine, keyring reset), the accounts can only be re-enrolled by an SPSE \
                     \"Reset TOTP\" e-mail for each LPSE; set one with `spse-auth recovery set`"
                );
            }
            Ok(())
        }
        Command::Recovery { action } => recovery(&mut store, action, &mut pw, &mut out),
        Command::Backup { action } => backup(&mut store, action, &mut out),
        Command::List { json } => list(&mut store, json, &mut out),
        Command::Code { query, at, json } => code(&mut store, query.as_deref(), at, json, &mut out),
        Command::Remove { query, yes } => remove(&mut store, &query, yes, &mut out),
        Command::Scan { dry_run, replace } => scan(&mut store, dry_run, replace, &mut out),
        Command::Decode { images } => decode(&images, &mut out),
    }
}

fn recovery(
    store: &mut Store,
    action: RecoveryAction,
    pw: &mut Passwords,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match action {
        RecoveryAction::Set => {
            if !store.vault_exists() {
                anyhow::bail!(
                    "there is no vault yet: add an account first, then set the recovery password"
                );
            }
            let from_stdin = pw.stdin_lines.is_some();
            let Some(new) = pw.next("New recovery password: ")? else {
                anyhow::bail!(
                    "no terminal to ask for the new recovery password on; pass --password-stdin"
                );
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
        RecoveryAction::Remove { yes } => {
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
        RecoveryAction::Status => {
            let st = store.status()?;
            if !st.exists {
                writeln!(out, "no vault yet")?;
                return Ok(());
            }
            writeln!(
                out,
                "recovery password: {}",
                if st.has_recovery_password {
                    "set"
                } else {
                    "not set"
                }
            )?;
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
    }
}

fn backup(store: &mut Store, action: BackupAction, out: &mut impl Write) -> anyhow::Result<()> {
    match action {
        BackupAction::List { json } => {
            let list = store.backups()?;
            if json {
                let arr: Vec<serde_json::Value> = list
                    .iter()
                    .map(|b| {
                        serde_json::json!({
                            "id": b.id, "created": b.created, "accounts": b.accounts, "size": b.size,
                        })
                    })
                    .collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&arr)?)?;
                return Ok(());
            }
            if list.is_empty() {
                eprintln!(
                    "spse-auth: no backups yet (one is kept before every change of the vault)"
                );
                return Ok(());
            }
            let rows: Vec<[String; 4]> = list.iter().map(backup_row).collect();
            print_table(&["ID", "TAKEN", "ACCOUNTS", "SIZE"], &rows, out)
        }
        BackupAction::Restore { id } => {
            let info = store.restore_backup(&id)?;
            writeln!(
                out,
                "restored {} ({} account(s)); the previous vault was kept as a backup",
                info.id,
                info.accounts
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "?".into())
            )?;
            if !store.has_recovery_password().unwrap_or(true) {
                eprintln!(
                    "spse-auth: note: the restored vault has no recovery password; set one again with `spse-auth recovery set`"
                );
            }
            Ok(())
        }
    }
}

fn backup_row(b: &BackupInfo) -> [String; 4] {
    [
        b.id.clone(),
        chrono::DateTime::from_timestamp(b.created, 0)
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| "?".into()),
        b.accounts
            .map(|n| n.to_string())
            .unwrap_or_else(|| "?".into()),
        format!("{} B", b.size),
    ]
}

fn read_input(input: &str) -> anyhow::Result<Vec<Enrolment>> {
    if input == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        if import::looks_like_image(&bytes) {
            return Ok(import::from_image(&bytes, "standard input")?);
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("standard input is neither an image nor UTF-8 text"))?;
        return Ok(import::from_text(&text)?);
    }
    if is_uri(input) {
        return Ok(import::from_text(input)?);
    }
    let path = Path::new(input);
    if !path.exists() {
        anyhow::bail!(
            "'{}' is neither a file nor an otpauth:// or otpauth-migration:// URI",
            short(input)
        );
    }
    Ok(import::from_file(path)?)
}

/// True for a literal `otpauth://` or `otpauth-migration://` argument.
fn is_uri(input: &str) -> bool {
    let lower = input.trim_start().to_ascii_lowercase();
    lower.starts_with("otpauth://") || lower.starts_with("otpauth-migration://")
}

/// At most 40 characters of user input for messages (a URI may hold a secret further on).
fn short(s: &str) -> String {
    let head: String = s.chars().take(40).collect();
    if head.len() < s.len() {
        format!("{head}…")
    } else {
        head
    }
}

fn add(
    store: &mut Store,
    inputs: &[String],
    replace: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut all = Vec::new();
    for input in inputs {
        let list = read_input(input).map_err(|e| {
            // Name a file input unless the message already does; never echo a literal URI (it
            // may hold a secret).
            let msg = format!("{e:#}");
            if is_uri(input) || msg.contains(input.as_str()) {
                e
            } else if input == "-" {
                anyhow::anyhow!("standard input: {msg}")
            } else {
                anyhow::anyhow!("{input}: {msg}")
            }
        })?;
        all.extend(list);
    }
    let outcomes = store.add(all, replace)?;
    for o in &outcomes {
        print_outcome(o, out)?;
    }
    Ok(())
}

fn scan(
    store: &mut Store,
    dry_run: bool,
    replace: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let found = spse_auth_screen::enrolments()?;
    if !dry_run {
        for o in &store.add(found, replace)? {
            print_outcome(o, out)?;
        }
        return Ok(());
    }
    for o in &store.preview(&found)? {
        let (status, id) = match o.status {
            AddStatus::Added => ("would-add", "-"),
            AddStatus::NeedsReplace if replace => ("would-replace", o.account.id.as_str()),
            AddStatus::NeedsReplace => ("needs-replace", o.account.id.as_str()),
            AddStatus::Replaced => ("would-replace", o.account.id.as_str()),
            AddStatus::Unchanged => ("unchanged", o.account.id.as_str()),
        };
        writeln!(
            out,
            "{status} {id} {} {}",
            display_or_dash(&o.account.issuer),
            display_or_dash(&o.account.account)
        )?;
    }
    Ok(())
}

fn print_outcome(o: &AddOutcome, out: &mut impl Write) -> anyhow::Result<()> {
    let a = &o.account;
    writeln!(
        out,
        "{} {} {} {}",
        o.status.as_str(),
        a.id,
        display_or_dash(&a.issuer),
        display_or_dash(&a.account)
    )?;
    let fresh = matches!(o.status, AddStatus::Added | AddStatus::Replaced);
    for w in o.warnings.iter().filter(|_| fresh) {
        match w {
            Warning::WeakSecret { bits } => eprintln!(
                "spse-auth: note: {} has a secret of {bits} bits (RFC 4226 asks for at least 128)",
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
    Ok(())
}

fn display_or_dash(s: &str) -> &str {
    if s.is_empty() {
        "-"
    } else {
        s
    }
}

fn list(store: &mut Store, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let accounts = store.list()?;
    if json {
        let arr: Vec<serde_json::Value> = accounts
            .iter()
            .map(|a| {
                serde_json::json!({
                    "id": a.id, "issuer": a.issuer, "account": a.account,
                    "type": a.otp_type.as_str(), "algorithm": a.algorithm.as_str(),
                    "digits": a.digits, "period": a.period, "counter": a.counter,
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&arr)?)?;
        return Ok(());
    }
    if accounts.is_empty() {
        eprintln!("spse-auth: no accounts yet; add one with `spse-auth add SCREENSHOT.png`");
        return Ok(());
    }
    let rows: Vec<[String; 8]> = accounts
        .iter()
        .map(|a| {
            [
                a.id.clone(),
                display_or_dash(&a.issuer).to_string(),
                display_or_dash(&a.account).to_string(),
                a.otp_type.as_str().to_string(),
                a.algorithm.as_str().to_string(),
                a.digits.to_string(),
                if a.otp_type == spse_auth_core::otp::OtpType::Totp {
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

fn print_table<const N: usize>(
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
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(c);
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

fn code(
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
        let arr: Vec<serde_json::Value> = codes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "id": c.id, "issuer": c.issuer, "account": c.account, "code": c.code,
                    "seconds_left": c.seconds_left, "period": c.period,
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&arr)?)?;
        return Ok(());
    }
    if query.is_some() {
        if let Some(c) = codes.first() {
            writeln!(out, "{}", c.code)?;
        }
        return Ok(());
    }
    if codes.is_empty() {
        eprintln!("spse-auth: no accounts yet; add one with `spse-auth add SCREENSHOT.png`");
    }
    let rows: Vec<[String; 4]> = codes
        .iter()
        .map(|c| {
            [
                display_or_dash(&c.issuer).to_string(),
                display_or_dash(&c.account).to_string(),
                c.code.clone(),
                if c.period > 0 && c.seconds_left > 0 {
                    c.seconds_left.to_string()
                } else {
                    "-".into()
                },
            ]
        })
        .collect();
    for r in &rows {
        writeln!(out, "{}  {}  {}  {}", r[0], r[1], r[2], r[3])?;
    }
    Ok(())
}

fn remove(store: &mut Store, query: &str, yes: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let a = store.find(query)?;
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
            display_or_dash(&a.issuer),
            display_or_dash(&a.account),
            a.id
        );
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        let answer = answer.trim().to_lowercase();
        if !matches!(answer.as_str(), "yes" | "y" | "ya") {
            anyhow::bail!("not removed");
        }
    }
    let removed = store.remove(&a.id)?;
    let info = removed.info();
    writeln!(
        out,
        "removed {} {} {}",
        info.id,
        display_or_dash(&info.issuer),
        display_or_dash(&info.account)
    )?;
    Ok(())
}

fn decode(images: &[PathBuf], out: &mut impl Write) -> anyhow::Result<()> {
    // Every image that fails gets its line; the last one is printed by `main` (exit 1).
    let mut failed: Vec<CoreError> = Vec::new();
    for path in images {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
        };
        match qr::decode_bytes(&bytes, &path.display().to_string()) {
            Ok(texts) => {
                for t in texts {
                    writeln!(out, "{t}")?;
                }
            }
            Err(e) => failed.push(e),
        }
    }
    match failed.pop() {
        Some(last) => {
            for e in &failed {
                eprintln!("spse-auth: {e}");
            }
            Err(last.into())
        }
        None => Ok(()),
    }
}
