//! Text of Key URIs, one a line: Aegis's plain-text export, Ente Auth's plain-text export, and
//! any app's list of `otpauth://` (or Google Authenticator `otpauth-migration://`) lines.
//!
//! Sources followed: Google's Key URI Format (see [`crate::uri`]); Aegis's
//! `GoogleAuthUriImporter.java` (what Aegis writes and reads as "plain text"); Ente Auth's
//! plain-text export, whose URIs carry Ente's own parameters (`codeDisplay=…`, ignored like any
//! unknown parameter) and sometimes the literal value `null` for `algorithm`, `digits`, `period`
//! or `counter` (read as absent, as Proton's Ente importer does). Lines may use Apple's
//! `apple-otpauth://` spelling; Steam Guard lines are `otpauth://steam/…` (both apps).
//!
//! Every non-blank line is an entry: a line that is not a Key URI is skipped
//! ([`SkipReason::InvalidEntry`], naming its line number, never its text).

use super::common::Input;
use super::entry::{from_uri, SkipReason};
use super::{Entry, Format, FormatId};
use crate::enrolment::strip_prefix_ci;
use crate::error::Result;
use crate::migration;

/// Key URIs, one a line.
pub struct OtpauthText;

impl Format for OtpauthText {
    const ID: FormatId = FormatId::OtpauthText;

    /// UTF-8 text whose first non-blank line starts with `otpauth:`, `apple-otpauth:` or
    /// `otpauth-migration:` (any case).
    fn sniff(input: &Input<'_>) -> bool {
        input
            .text
            .and_then(|t| t.lines().map(str::trim).find(|l| !l.is_empty()))
            .is_some_and(|first| {
                strip_prefix_ci(first, "otpauth").is_some() || crate::uri::is_key_uri(first)
            })
    }

    fn read(input: &Input<'_>, _password: Option<&str>) -> Result<Vec<Entry>> {
        Ok(entries(input.text.unwrap_or("")))
    }
}

/// One entry per non-blank line of `text` (also the plaintext of Ente Auth's encrypted export).
pub(crate) fn entries(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if strip_prefix_ci(line, "otpauth-migration:").is_some() {
            match migration::parse(line) {
                Ok(batch) => out.extend(batch.enrolments.into_iter().map(Entry::ok)),
                Err(e) => out.push(invalid_line(i, e.message())),
            }
        } else if crate::uri::is_key_uri(line) {
            out.push(from_uri(&without_nulls(line), "", ""));
        } else {
            out.push(invalid_line(i, "it is not a Key URI (otpauth://…)"));
        }
    }
    out
}

fn invalid_line(index: usize, why: &str) -> Entry {
    Entry::skipped(
        "",
        "",
        SkipReason::InvalidEntry {
            message: format!("line {}: {why}", index + 1),
        },
    )
}

/// `line` without the parameters `algorithm`, `digits`, `period`, `counter` whose value is the
/// literal `null` (Ente writes them so).
fn without_nulls(line: &str) -> zeroize::Zeroizing<String> {
    let Some((head, query)) = line.split_once('?') else {
        return zeroize::Zeroizing::new(line.to_string());
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let k = k.trim().to_ascii_lowercase();
            !(v.trim() == "null"
                && matches!(k.as_str(), "algorithm" | "digits" | "period" | "counter"))
        })
        .collect();
    zeroize::Zeroizing::new(format!("{head}?{}", kept.join("&")))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_common_fixture, read, COMMON_EXPECTED, SECRET_A};
    use super::super::{detect, FormatId};

    const AEGIS_TXT: &[u8] = include_bytes!("fixtures/aegis_plain.txt");

    #[test]
    fn aegis_plain_text_export() {
        check_common_fixture(AEGIS_TXT, None, FormatId::OtpauthText, COMMON_EXPECTED);
    }

    #[test]
    fn odd_lines_are_skipped_not_fatal() {
        let text = format!(
            "\n\u{feff}otpauth://totp/Kota:budi?secret={SECRET_A}&algorithm=null&digits=null&period=null\n\
             https://contoh.test/?secret={SECRET_A}\n\
             otpauth-migration://offline?data=\n\
             otpauth://totp/Kota:ani?secret={SECRET_A}&algorithm=MD5\n"
        );
        assert_eq!(
            detect(text.as_bytes()),
            None,
            "a BOM mid-text is not a first line"
        );
        let text = text.replace('\u{feff}', "");
        assert_eq!(detect(text.as_bytes()), Some(FormatId::OtpauthText));
        assert_eq!(
            read(text.as_bytes(), None).unwrap(),
            [
                "ok Kota|budi",
                "skip invalid_entry |",
                "skip invalid_entry |",
                "skip unsupported_algorithm Kota|ani",
            ]
        );
    }
}
