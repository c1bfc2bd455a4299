//! andOTP plain JSON backups.
//!
//! Source followed: Aegis's `AndOtpImporter.java` (beemdevelopment/Aegis) and andOTP's
//! `Entry.java` (its JSON keys). The file is a JSON list of entries: `secret` (Base32), `issuer`,
//! `label` (the account; in backups without `issuer`, `ISSUER - ACCOUNT`), `digits`, `type`
//! (`TOTP`, `HOTP`, `STEAM` = Steam Guard), `algorithm`, `period`, `counter`, `thumbnail`, `tags`, …
//! andOTP's encrypted backups (`.json.aes`, binary) are not read.

use serde_json::Value;
use zeroize::Zeroizing;

use super::common::{damaged, str_at, Input};
use super::entry::{Fields, SecretField, SkipReason};
use super::{Entry, Format, FormatId};
use crate::error::Result;

/// The andOTP plain backup format.
pub struct AndOtp;

impl Format for AndOtp {
    const ID: FormatId = FormatId::AndOtp;

    /// A JSON list whose first item is an object with `secret`, `type` and `label` or `issuer`.
    fn sniff(input: &Input<'_>) -> bool {
        input
            .json()
            .and_then(Value::as_array)
            .and_then(|list| list.first())
            .is_some_and(|e| {
                e.get("secret").is_some()
                    && e.get("type").is_some()
                    && (e.get("label").is_some() || e.get("issuer").is_some())
            })
    }

    fn read(input: &Input<'_>, _password: Option<&str>) -> Result<Vec<Entry>> {
        let list = input
            .json()
            .and_then(Value::as_array)
            .ok_or_else(|| damaged("andOTP", "it is not a JSON list"))?;
        Ok(list.iter().map(entry).collect())
    }
}

fn entry(e: &Value) -> Entry {
    if !e.is_object() {
        return Entry::skipped(
            "",
            "",
            SkipReason::InvalidEntry {
                message: "an andOTP entry is not an object".into(),
            },
        );
    }
    let label = str_at(e, "label");
    let (issuer, account) = match e.get("issuer").and_then(Value::as_str) {
        Some(issuer) => (issuer, label),
        None => label.split_once(" - ").unwrap_or(("", label)),
    };
    Fields {
        issuer,
        account,
        otp_type: str_at(e, "type"),
        secret: e
            .get("secret")
            .and_then(Value::as_str)
            .map(|s| SecretField::Base32(Zeroizing::new(s.to_string()))),
        algorithm: e.get("algorithm"),
        digits: e.get("digits"),
        period: e.get("period"),
        counter: e.get("counter"),
    }
    .build()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_common_fixture, read, COMMON_EXPECTED};
    use super::*;

    const PLAIN: &[u8] = include_bytes!("fixtures/andotp.json");

    #[test]
    fn plain_backup() {
        check_common_fixture(PLAIN, None, FormatId::AndOtp, COMMON_EXPECTED);
    }

    #[test]
    fn old_backups_put_the_issuer_in_the_label() {
        let old = br#"[{"secret": "GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2", "label": "Kota Uji - budi",
            "type": "TOTP", "digits": 6, "period": 30, "algorithm": "SHA1"}, 4]"#;
        assert_eq!(
            read(old, None).unwrap(),
            ["ok Kota Uji|budi", "skip invalid_entry |"]
        );
    }
}
