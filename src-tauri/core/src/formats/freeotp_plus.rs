//! FreeOTP+ JSON backups.
//!
//! Source followed: Aegis's `FreeOtpPlusImporter.java` and `FreeOtpImporter.java`
//! (beemdevelopment/Aegis), and FreeOTP+'s `Token.java` (its JSON keys). The file is
//! `{"tokenOrder": [...], "tokens": [...]}`; a token: `secret` (the key as a list of signed bytes,
//! -128..127), `algo`, `digits`, `period`, `counter`, `type` (`TOTP`, `HOTP`, `STEAM` = Steam Guard),
//! `issuerExt` (the issuer), `issuerInt`, `label` (the account).

use serde_json::Value;
use zeroize::Zeroizing;

use super::common::{array_at, str_at, Input};
use super::entry::{Fields, SecretField, SkipReason};
use super::{Entry, Format, FormatId};
use crate::error::Result;

/// The FreeOTP+ backup format.
pub struct FreeOtpPlus;

impl Format for FreeOtpPlus {
    const ID: FormatId = FormatId::FreeOtpPlus;

    /// An object with a `tokens` list.
    fn sniff(input: &Input<'_>) -> bool {
        input
            .json()
            .is_some_and(|j| j.get("tokens").is_some_and(Value::is_array))
    }

    fn read(input: &Input<'_>, _password: Option<&str>) -> Result<Vec<Entry>> {
        let json = input.json().unwrap_or(&Value::Null);
        Ok(array_at(json, "tokens", "FreeOTP+")?
            .iter()
            .map(token)
            .collect())
    }
}

fn token(t: &Value) -> Entry {
    let issuer = match str_at(t, "issuerExt") {
        "" => str_at(t, "issuerInt"),
        ext => ext,
    };
    let account = str_at(t, "label");
    let secret = match t.get("secret") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => {
            let bytes: Option<Vec<u8>> = items
                .iter()
                .map(|b| {
                    b.as_i64()
                        .filter(|b| (-128..=255).contains(b))
                        .map(|b| b as u8) // two's complement: -1 → 0xFF
                })
                .collect();
            match bytes {
                Some(bytes) => Some(SecretField::Bytes(Zeroizing::new(bytes))),
                None => return invalid_secret(issuer, account),
            }
        }
        Some(_) => return invalid_secret(issuer, account),
    };
    Fields {
        issuer,
        account,
        otp_type: str_at(t, "type"),
        secret,
        algorithm: t.get("algo"),
        digits: t.get("digits"),
        period: t.get("period"),
        counter: t.get("counter"),
    }
    .build()
}

fn invalid_secret(issuer: &str, account: &str) -> Entry {
    Entry::skipped(
        issuer,
        account,
        SkipReason::InvalidSecret {
            message: "invalid secret: it is not a list of bytes".into(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_common_fixture, read, COMMON_EXPECTED};
    use super::*;

    const PLAIN: &[u8] = include_bytes!("fixtures/freeotp_plus.json");

    #[test]
    fn backup() {
        check_common_fixture(PLAIN, None, FormatId::FreeOtpPlus, COMMON_EXPECTED);
    }

    #[test]
    fn secrets_are_signed_bytes() {
        let json = br#"{"tokens": [
            {"secret": [-1, 0, 127, -128, 1, 2, 3, 4, 5, 6], "type": "TOTP", "label": "a"},
            {"secret": [1, 999], "type": "TOTP", "label": "b"},
            {"secret": "GX4A", "type": "TOTP", "label": "c"}]}"#;
        let batch = crate::formats::read_export(json, None).unwrap();
        let e = batch.enrolments().next().unwrap();
        assert_eq!(e.secret.as_bytes(), [0xFF, 0, 0x7F, 0x80, 1, 2, 3, 4, 5, 6]);
        assert_eq!(
            read(json, None).unwrap(),
            ["ok |a", "skip invalid_secret |b", "skip invalid_secret |c"]
        );
    }
}
