//! `spse-auth add [--replace] INPUT...`: reads enrolments from images, text files of Key URIs,
//! literal URIs or standard input, and stores them in one change of the vault.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::Context;
use spse_auth_core::accounts::Store;
use spse_auth_core::enrolment::Enrolment;
use spse_auth_core::import;

use crate::hints;
use crate::output::{note_no_recovery_password, print_outcome, short};

/// Adds (or, with `replace`, re-enrols) the accounts of every input, then prints one outcome
/// line each; notes on stderr when the vault has no recovery password.
pub fn run(
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
    let outcomes = store.add(all, replace).map_err(hints::use_replace)?;
    for o in &outcomes {
        print_outcome(o, out)?;
    }
    if !store.has_recovery_password().unwrap_or(true) {
        note_no_recovery_password();
    }
    Ok(())
}

/// The enrolments of one input: `-` (an image or text on stdin), a literal URI, or a file.
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

/// True for a literal `otpauth://` (or `apple-otpauth://`) or `otpauth-migration://` argument.
fn is_uri(input: &str) -> bool {
    let lower = input.trim_start().to_ascii_lowercase();
    lower.starts_with("otpauth://")
        || lower.starts_with("apple-otpauth://")
        || lower.starts_with("otpauth-migration://")
}

#[cfg(test)]
mod tests {
    use super::is_uri;

    #[test]
    fn uris_are_told_from_files() {
        assert!(is_uri("otpauth://totp/Kota%20Fiktif:budi?secret=X"));
        assert!(is_uri("  OTPAUTH-MIGRATION://offline?data=X"));
        assert!(is_uri("apple-otpauth://steam/Steam:budi?secret=X"));
        assert!(!is_uri("tangkapan-layar.png"));
    }
}
