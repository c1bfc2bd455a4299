//! `spse-auth`: the command line of SPSE Authenticator, over `spse-auth-core`.
//!
//! Contract (scripts and tests rely on it): see README.md, "Command line". Exit codes: 0 ok,
//! 1 error (one actionable line on stderr), 2 usage. Secrets are never printed, except by
//! `decode`, whose job is to print what a QR code holds.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use spse_auth_core::accounts::{self, AccountInfo, AddOutcome, AddStatus, Store};
use spse_auth_core::{import, qr, uri::Enrolment, uri::Warning, Error as CoreError};

/// SPSE Authenticator command line: TOTP codes for SPSE (LPSE) accounts.
#[derive(Parser, Debug)]
#[command(name = "spse-auth", version, about, long_about = None)]
struct Cli {
    /// Folder of the vault (default: $SPSE_AUTH_DATA_DIR, else the platform data folder).
    #[arg(long, global = false, value_name = "DIR")]
    data_dir: Option<PathBuf>,
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
    /// Print the text of every QR code in images (diagnostics; touches no vault).
    Decode {
        /// Image files.
        #[arg(required = true, value_name = "IMAGE")]
        images: Vec<PathBuf>,
    },
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
    match cli.command {
        Command::Add { replace, inputs } => add(&mut store, &inputs, replace, &mut out),
        Command::List { json } => list(&mut store, json, &mut out),
        Command::Code { query, at, json } => code(&mut store, query.as_deref(), at, json, &mut out),
        Command::Remove { query, yes } => remove(&mut store, &query, yes, &mut out),
        Command::Decode { images } => decode(&images, &mut out),
    }
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
                "spse-auth: note: {} has a {bits}-bit secret (RFC 4226 asks for at least 128)",
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
    let mut failed: Option<CoreError> = None;
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
            Err(e) => {
                eprintln!("spse-auth: {e}");
                failed.get_or_insert(e);
            }
        }
    }
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}
