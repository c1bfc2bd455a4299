//! `spse-auth clock [--server HOST[:PORT]]... [--json]`: how far this computer's clock is off,
//! measured against time servers (SNTP, `spse-auth-clock`). Touches no vault and no keyring.
//!
//! Prints the offset (median of the servers that answered; positive: this computer is ahead) and
//! each server's answer; with `--json` the check's result as one object (see README). Exit 0
//! within ±15 s; exit 1 beyond it, or when no time server answered (one line on stderr each).

use std::io::Write;

use spse_auth_clock::{ClockCheck, Options, Outcome, Server};

/// Asks `servers` (the default servers when empty) and prints the result.
pub fn run(servers: &[Server], json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let servers = match servers {
        [] => spse_auth_clock::default_servers(),
        given => given.to_vec(),
    };
    let check = spse_auth_clock::check(&servers, &Options::default());
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&check)?)?;
    } else {
        print_text(&check, out)?;
    }
    out.flush()?;
    verdict(&check)
}

/// `offset: +1.234 s (…)`, then one line per server.
fn print_text(check: &ClockCheck, out: &mut impl Write) -> anyhow::Result<()> {
    let limit = check.threshold_secs;
    match check.offset_secs {
        Some(o) => {
            let side = match o {
                _ if o.abs() < 0.0005 => "on time", // +0.000 s as printed
                _ if o > 0.0 => "this computer is ahead",
                _ => "this computer is behind",
            };
            let within = if check.off { "over" } else { "within" };
            writeln!(out, "offset: {o:+.3} s ({side}; {within} ±{limit} s)")?;
        }
        None => writeln!(out, "offset: unknown (no time server answered)")?,
    }
    for a in &check.servers {
        match &a.outcome {
            Outcome::Answered {
                offset_secs,
                round_trip_secs,
            } => writeln!(
                out,
                "{}: {offset_secs:+.3} s (round trip {round_trip_secs:.3} s)",
                a.server
            )?,
            Outcome::Failed { error } => writeln!(out, "{error} [{}]", error.kind())?,
        }
    }
    Ok(())
}

/// Ok within the threshold; otherwise the error line for stderr (exit 1).
fn verdict(check: &ClockCheck) -> anyhow::Result<()> {
    if let Some(e) = &check.error {
        anyhow::bail!("{e}");
    }
    match check.offset_secs {
        Some(o) if check.off => {
            let side = if o >= 0.0 { "ahead of" } else { "behind" };
            anyhow::bail!(
                "this computer's clock is {:.0} s {side} the time servers (over ±{} s): codes \
                 will be refused; set the clock right (automatic time) and try again",
                o.abs(),
                check.threshold_secs
            )
        }
        _ => Ok(()),
    }
}
