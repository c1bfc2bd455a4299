//! `spse-auth`: the command line of SPSE Authenticator, over `spse-auth-core`. This file holds
//! the command line's definition (clap) and hands each subcommand to its file in `commands/`.
//!
//! Contract (scripts and tests rely on it): see README.md, "Command line". Exit codes: 0 ok,
//! 1 error (one actionable line on stderr), 2 usage (see `output.rs`). Secrets are never printed,
//! except by `decode`, whose job is to print what a QR code holds.
//!
//! When the keyring has no key for the vault (or cannot be reached) and the vault has a recovery
//! password, every vault command asks for the password on the terminal — or reads it from standard
//! input with the global `--password-stdin` — opens the vault with it, and stores the key in the
//! keyring again (asking first on a terminal; automatically, with a note on stderr, otherwise):
//! see `password.rs`.

mod commands;
mod hints;
mod output;
mod password;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use spse_auth_core::accounts::{self, Store};
use spse_auth_core::export::ExportFormat;

use crate::commands::{
    add, backup, clock, code, decode, export, import, list, recovery, remove, scan,
};
use crate::output::{EXIT_OK, EXIT_USAGE};
use crate::password::{unlock_if_needed, Passwords};

/// SPSE Authenticator command line: TOTP codes for SPSE (LPSE) accounts.
#[derive(Parser, Debug)]
#[command(name = "spse-auth", version, about, long_about = None)]
struct Cli {
    /// Folder of the vault (default: $SPSE_AUTH_DATA_DIR, else the platform data folder).
    #[arg(long, global = false, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Read the recovery password(s) from standard input, one a line, instead of asking on the
    /// terminal: first the password that opens the vault (only when its keyring key is missing),
    /// then, for `import`, the password of each encrypted export (in FILE order), for `recovery
    /// set`, the new password, or, for `export`, the recovery password that confirms a plain-text
    /// export (when the vault has one), then the export password (aegis, proton).
    #[arg(long, global = true)]
    password_stdin: bool,
    #[command(subcommand)]
    command: Command,
}

/// The subcommands; each is run by its file in `commands/`.
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
    /// Import other authenticators' exports (Aegis, 2FAS, Proton, Ente, Bitwarden, andOTP,
    /// FreeOTP+), texts of Key URIs and QR images, entry by entry.
    ///
    /// Prints one line per entry, `added|unchanged|replaced|skipped ID|- ISSUER ACCOUNT [REASON]`,
    /// then a summary line. Skipped entries (unsupported type such as Steam, missing secret, an
    /// account already here with another key without --replace) are not failures: exit 0. A
    /// wrong password or an unreadable file: exit 1 and nothing changes. An encrypted export's
    /// password is asked on the terminal or read with the global --password-stdin.
    Import {
        /// Only print what would be imported; save nothing.
        #[arg(long)]
        dry_run: bool,
        /// Replace the key of an account already here (re-enrolment after SPSE "Reset TOTP").
        #[arg(long)]
        replace: bool,
        /// Export files, text files of Key URIs, or images.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Export accounts to another authenticator (Aegis, Proton Authenticator, Google
    /// Authenticator) or to QR codes.
    ///
    /// aegis and proton write one file, encrypted with an export password (asked twice on a
    /// terminal, or read with --password-stdin). otpauth (a text of Key URIs, one file), qr (one
    /// PNG per account into the folder PATH) and migration-qr (Google Authenticator transfer QR
    /// codes into the folder PATH) hold the secrets in the clear: they need --plaintext and, when
    /// the vault has one, the recovery password. Prints `written PATH` per file, `skipped ISSUER
    /// ACCOUNT REASON` per account the format cannot carry, then a summary line.
    Export {
        /// aegis, proton, otpauth, qr or migration-qr.
        #[arg(long, value_name = "FORMAT", value_parser = ["aegis", "proton", "otpauth", "qr", "migration-qr"])]
        format: String,
        /// The file (aegis, proton, otpauth) or folder (qr, migration-qr) to write.
        #[arg(long, value_name = "PATH")]
        output: PathBuf,
        /// Confirm an export that holds the secrets in the clear (otpauth, qr, migration-qr).
        #[arg(long)]
        plaintext: bool,
        /// Accounts to export: ids, unique id prefixes or parts of "issuer account"; none = all.
        #[arg(value_name = "QUERY")]
        queries: Vec<String>,
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
    /// Check this computer's clock against time servers (SNTP): a clock that is off makes
    /// every code wrong. Touches no vault.
    ///
    /// Prints the offset in seconds (the median of the servers that answered; positive: this
    /// computer is ahead) and each server's answer. Exit 0 within ±15 s; exit 1 beyond it, or
    /// when no time server answered.
    Clock {
        /// Ask this time server instead of the default ones (repeatable).
        #[arg(long = "server", value_name = "HOST[:PORT]", value_parser = spse_auth_clock::Server::parse)]
        servers: Vec<spse_auth_clock::Server>,
        /// JSON object {offset_secs, off, threshold_secs, servers, error} (see README).
        #[arg(long)]
        json: bool,
    },
}

/// The actions of `spse-auth recovery`.
#[derive(Subcommand, Debug)]
pub enum RecoveryAction {
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

/// The actions of `spse-auth backup`.
#[derive(Subcommand, Debug)]
pub enum BackupAction {
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

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(e) => output::fail(&hints::by_detail(e)),
    }
}

/// Opens the store (after the recovery password when needed) and runs the subcommand.
fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Clock { servers, json } = &cli.command {
        return clock::run(servers, *json, &mut std::io::stdout().lock()); // no vault, no keyring
    }
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
        Command::Decode { .. } | Command::Clock { .. } => {}
        Command::Backup { .. } => unlock_if_needed(&mut store, &mut pw, false)?,
        _ => unlock_if_needed(&mut store, &mut pw, true)?,
    }
    let s = &mut store;
    match cli.command {
        Command::Add { replace, inputs } => add::run(s, &inputs, replace, &mut out),
        Command::Import {
            dry_run,
            replace,
            files,
        } => import::run(s, &files, dry_run, replace, &mut pw, &mut out),
        Command::Export {
            format,
            output,
            plaintext,
            queries,
        } => {
            let format = ExportFormat::parse(&format)
                .ok_or_else(|| anyhow::anyhow!("unknown export format '{format}'"))?;
            let req = export::Request {
                format,
                output: &output,
                plaintext,
                queries: &queries,
            };
            export::run(s, &req, &mut pw, &mut out)
        }
        Command::Recovery { action } => recovery::run(s, action, &mut pw, &mut out),
        Command::Backup { action } => backup::run(s, action, &mut out),
        Command::List { json } => list::run(s, json, &mut out),
        Command::Code { query, at, json } => code::run(s, query.as_deref(), at, json, &mut out),
        Command::Remove { query, yes } => remove::run(s, &query, yes, &mut out),
        Command::Scan { dry_run, replace } => scan::run(s, dry_run, replace, &mut out),
        Command::Decode { images } => decode::run(&images, &mut out),
        Command::Clock { .. } => unreachable!("run before the vault is opened"),
    }
}
