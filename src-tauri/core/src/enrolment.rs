//! The enrolment: one account as a service hands it out (issuer, account, secret, parameters),
//! with the remarks ([`Warning`]) the user should see — and the rules every source of enrolments
//! shares.
//!
//! Invariants:
//! - Data flows one way: this module knows no text format. [`crate::uri`] (Key URIs) and
//!   [`crate::migration`] (Google Authenticator exports) build [`Enrolment`]s through
//!   [`Enrolment::new`], manual entry through [`Enrolment::manual`]; [`crate::import`] sits on top
//!   of both, and the store ([`crate::store`]) only consumes enrolments.
//! - An [`Enrolment`] built here carries the warnings that follow from its secret and parameters
//!   (a secret under 128 bits: [`Warning::WeakSecret`]; a TOTP or HOTP code of fewer than 6
//!   digits: [`Warning::ShortCode`]); parameters are validated by those who build one from text.
//! - Manual entry is stricter than enrolments other apps wrote: TOTP or HOTP only, 6–10 digits.
//! - Two accounts are the same account when [`same_identity`] says so (issuer and account, trimmed,
//!   case-insensitive) — the one spelling of that rule.
//! - The secret never appears in `Debug` output (see [`Secret`]).

use crate::error::{Error, ErrorKind, Result};
use crate::otp::{self, Algorithm, OtpType, Params, Secret, SHORT_DIGITS};
use zeroize::Zeroizing;

/// A non-fatal remark about an enrolment, shown to the user next to the account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Warning {
    /// The secret is shorter than 128 bits (RFC 4226 §4); `bits` is its length.
    WeakSecret {
        /// Length of the secret in bits.
        bits: usize,
    },
    /// The code has fewer than 6 digits (RFC 4226 §5.3 asks for at least 6): accepted, since the
    /// service chose it, but easier to guess. Never for Steam Guard (always 5 characters).
    ShortCode {
        /// Number of digits of the code.
        digits: u8,
    },
    /// A Google Authenticator export batch is incomplete: part(s) missing.
    MissingBatchParts {
        /// Batch id from the export.
        batch_id: i32,
        /// 0-based index of the part that was imported.
        batch_index: i32,
        /// Number of parts in the batch.
        batch_size: i32,
    },
}

/// One account as enrolled: everything a Key URI carries that this app keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// The issuer (for SPSE: the LPSE), "" when none is given.
    pub issuer: String,
    /// The account name (for SPSE: the user ID), "" when none is given.
    pub account: String,
    /// The shared secret (redacted in `Debug`).
    pub secret: Secret,
    /// Type, algorithm, digits, period, counter.
    pub params: Params,
    /// Remarks for the user (weak secret, incomplete export batch…).
    pub warnings: Vec<Warning>,
}

impl Enrolment {
    /// An enrolment of `issuer` / `account` with `secret` and `params`, with the warnings that
    /// follow from them (a secret under 128 bits: [`Warning::WeakSecret`]; a TOTP or HOTP code
    /// of fewer than [`SHORT_DIGITS`] digits: [`Warning::ShortCode`]).
    pub fn new(issuer: String, account: String, secret: Secret, params: Params) -> Self {
        let mut warnings = Vec::new();
        if secret.is_weak() {
            warnings.push(Warning::WeakSecret {
                bits: secret.bits(),
            });
        }
        if params.otp_type != OtpType::Steam && params.digits < SHORT_DIGITS {
            warnings.push(Warning::ShortCode {
                digits: params.digits,
            });
        }
        Enrolment {
            issuer,
            account,
            secret,
            params,
            warnings,
        }
    }
}

/// Case-insensitive ASCII `strip_prefix`.
pub(crate) fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// An account's identity: issuer and account, trimmed and lower-cased (Unicode). Two accounts
/// with equal keys are the same account (see [`same_identity`]).
pub fn identity_key(issuer: &str, account: &str) -> (String, String) {
    (issuer.trim().to_lowercase(), account.trim().to_lowercase())
}

/// True when `(issuer_a, account_a)` and `(issuer_b, account_b)` name the same account: issuer
/// and account equal after trimming, case-insensitive. The same account name at different issuers
/// are different accounts. The one rule for "already enrolled" everywhere.
pub fn same_identity(issuer_a: &str, account_a: &str, issuer_b: &str, account_b: &str) -> bool {
    identity_key(issuer_a, account_a) == identity_key(issuer_b, account_b)
}

/// What the user typed into a manual-entry form: issuer, account and Base32 secret, the rest
/// optional (defaults: TOTP, SHA1, 6 digits, 30 seconds, counter 0). The desktop app deserialises
/// its form straight into this type (JSON field names as below), so validation lives only in
/// [`Enrolment::manual`].
///
/// The secret is overwritten when the entry is dropped and never appears in `Debug` output.
#[derive(Clone, Default, serde::Deserialize)]
pub struct ManualEntry {
    /// Issuer (LPSE); trimmed, may be empty.
    pub issuer: String,
    /// Account (SPSE user ID); trimmed, must not be empty.
    pub account: String,
    /// The secret in Base32 (see [`Secret::from_base32`]); zeroized on drop.
    #[serde(deserialize_with = "zeroizing_string")]
    pub secret: Zeroizing<String>,
    /// `totp` (the default) or `hotp`, case-insensitive; anything else (`steam` too: Steam Guard
    /// accounts come from an export or a Key URI) is refused.
    #[serde(default)]
    pub otp_type: Option<String>,
    /// `SHA1`, `SHA256` or `SHA512` (default SHA1).
    #[serde(default)]
    pub algorithm: Option<String>,
    /// Number of digits, 6–10 (default 6).
    #[serde(default)]
    pub digits: Option<u8>,
    /// TOTP period in seconds (default 30).
    #[serde(default)]
    pub period: Option<u32>,
    /// HOTP counter (default 0).
    #[serde(default)]
    pub counter: Option<u64>,
}

/// Deserialises a string straight into a [`Zeroizing`] wrapper (no unzeroized copy is kept).
fn zeroizing_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Zeroizing<String>, D::Error> {
    <String as serde::Deserialize>::deserialize(d).map(Zeroizing::new)
}

impl std::fmt::Debug for ManualEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManualEntry")
            .field("issuer", &self.issuer)
            .field("account", &self.account)
            .field("secret", &"<redacted>")
            .field("otp_type", &self.otp_type)
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl Enrolment {
    /// The enrolment a manual-entry form describes, validated like a Key URI.
    ///
    /// Errors: [`ErrorKind::InvalidInput`] (empty account), [`ErrorKind::InvalidSecret`],
    /// [`ErrorKind::UnsupportedOtpType`] (a type other than `totp` or `hotp`),
    /// [`ErrorKind::UnsupportedAlgorithm`], [`ErrorKind::InvalidParameter`] (digits outside 6–10,
    /// period out of range).
    pub fn manual(m: &ManualEntry) -> Result<Enrolment> {
        let issuer = m.issuer.trim().to_string();
        let account = m.account.trim().to_string();
        if account.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "the account (SPSE user ID) is empty",
            ));
        }
        let secret = Secret::from_base32(&m.secret)?;
        let otp_type = match m.otp_type.as_deref().map(str::trim) {
            None => OtpType::Totp,
            Some(t) if t.eq_ignore_ascii_case("totp") => OtpType::Totp,
            Some(t) if t.eq_ignore_ascii_case("hotp") => OtpType::Hotp,
            Some(_) => {
                return Err(Error::new(
                    ErrorKind::UnsupportedOtpType,
                    "unsupported OTP type: only TOTP (time-based) and HOTP (counter-based) are supported",
                ))
            }
        };
        let params = Params {
            otp_type,
            algorithm: Algorithm::parse(m.algorithm.as_deref().unwrap_or("SHA1"))?,
            digits: m.digits.unwrap_or(6),
            period: m.period.unwrap_or(30),
            counter: m.counter.unwrap_or(0),
        };
        if !(SHORT_DIGITS..=*otp::DIGITS_RANGE.end()).contains(&params.digits) {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                format!("digits must be between 6 and 10, not {}", params.digits),
            ));
        }
        params.validate()?;
        Ok(Enrolment::new(issuer, account, secret, params))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: &str = "AWS7VRHGRHH3KXDQBVRAQE25BMTQAWHH";

    #[test]
    fn manual_entry_is_trimmed_defaulted_and_validated() {
        let m = ManualEntry {
            issuer: " Kota Uji ".into(),
            account: " budi ".into(),
            secret: Zeroizing::new(S.into()),
            ..ManualEntry::default()
        };
        let e = Enrolment::manual(&m).expect("valid");
        assert_eq!(
            (e.issuer.as_str(), e.account.as_str()),
            ("Kota Uji", "budi")
        );
        assert_eq!(e.params, Params::default());
        assert!(e.warnings.is_empty());
        assert!(!format!("{m:?} {e:?}").contains(S));
        let kind = |m: ManualEntry| Enrolment::manual(&m).expect_err("invalid").kind();
        assert_eq!(
            kind(ManualEntry {
                account: " ".into(),
                ..m.clone()
            }),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            kind(ManualEntry {
                secret: Zeroizing::new("1!".into()),
                ..m.clone()
            }),
            ErrorKind::InvalidSecret
        );
        assert_eq!(
            kind(ManualEntry {
                algorithm: Some("MD5".into()),
                ..m.clone()
            }),
            ErrorKind::UnsupportedAlgorithm
        );
        assert_eq!(
            kind(ManualEntry {
                digits: Some(5),
                ..m.clone()
            }),
            ErrorKind::InvalidParameter
        );
        let h = Enrolment::manual(&ManualEntry {
            otp_type: Some("hotp".into()),
            counter: Some(7),
            ..m.clone()
        })
        .expect("hotp");
        assert_eq!((h.params.otp_type, h.params.counter), (OtpType::Hotp, 7));
    }

    #[test]
    fn manual_entry_refuses_an_unknown_otp_type_and_ignores_case() {
        let m = ManualEntry {
            account: "budi".into(),
            secret: Zeroizing::new(S.into()),
            ..ManualEntry::default()
        };
        let with = |t: &str| {
            Enrolment::manual(&ManualEntry {
                otp_type: Some(t.into()),
                ..m.clone()
            })
        };
        for unknown in ["steam", "Steam", "motp", "", "totp2"] {
            let err = with(unknown).expect_err(unknown);
            assert_eq!(err.kind(), ErrorKind::UnsupportedOtpType, "{unknown:?}");
            assert!(err.message().contains("TOTP"), "{}", err.message());
        }
        assert_eq!(with("TOTP").expect("TOTP").params.otp_type, OtpType::Totp);
        assert_eq!(with("Hotp").expect("Hotp").params.otp_type, OtpType::Hotp);
    }

    #[test]
    fn manual_entry_deserialises_from_the_form_json() {
        let json = format!(
            r#"{{"issuer":"Kota Uji","account":"budi","secret":"{S}","otp_type":"hotp","algorithm":"SHA256","digits":8,"period":30,"counter":3}}"#
        );
        let m: ManualEntry = serde_json::from_str(&json).expect("json");
        assert_eq!(m.secret.as_str(), S);
        assert!(!format!("{m:?}").contains(S));
        let e = Enrolment::manual(&m).expect("valid");
        assert_eq!(
            (e.params.otp_type, e.params.digits, e.params.counter),
            (OtpType::Hotp, 8, 3)
        );
        let min: ManualEntry = serde_json::from_str(&format!(
            r#"{{"issuer":"","account":"budi","secret":"{S}"}}"#
        ))
        .expect("optional fields");
        assert_eq!(
            Enrolment::manual(&min).expect("valid").params,
            Params::default()
        );
        assert!(serde_json::from_str::<ManualEntry>(r#"{"issuer":"","account":"budi"}"#).is_err());
    }

    #[test]
    fn short_codes_are_noted_except_steam_and_refused_by_manual_entry() {
        let secret = || Secret::from_base32(S).unwrap();
        let with_digits = |digits| Params {
            digits,
            ..Params::default()
        };
        let e = Enrolment::new("A".into(), "b".into(), secret(), with_digits(5));
        assert_eq!(e.warnings, vec![Warning::ShortCode { digits: 5 }]);
        let e = Enrolment::new("A".into(), "b".into(), secret(), with_digits(6));
        assert!(e.warnings.is_empty());
        let e = Enrolment::new("Steam".into(), "b".into(), secret(), Params::steam());
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
        assert_eq!(
            serde_json::to_value(Warning::ShortCode { digits: 4 }).unwrap(),
            serde_json::json!({"kind": "short_code", "digits": 4})
        );
        for digits in [1, 5, 11] {
            let err = Enrolment::manual(&ManualEntry {
                account: "budi".into(),
                secret: Zeroizing::new(S.into()),
                digits: Some(digits),
                ..ManualEntry::default()
            })
            .expect_err("manual entry: 6-10 digits");
            assert_eq!(err.kind(), ErrorKind::InvalidParameter, "{digits}");
            assert!(err.message().contains("between 6 and 10"), "{err}");
        }
    }

    #[test]
    fn identity_is_issuer_and_account_trimmed_and_case_insensitive() {
        assert!(same_identity("Kota Uji", "Budi", " kota uji ", "BUDI "));
        assert!(same_identity("ŁÓDŹ", "Jürgen", "łódź", "JÜRGEN"));
        assert!(same_identity("", "budi", " ", "Budi"));
        assert!(!same_identity("Kota Uji", "budi", "Kota Lain", "budi"));
        assert!(!same_identity("Kota Uji", "budi", "Kota Uji", "budi2"));
        assert!(!same_identity("Kota", "Uji budi", "Kota Uji", "budi"));
        assert_eq!(
            identity_key(" Kota Uji", "Budi "),
            ("kota uji".to_string(), "budi".to_string())
        );
    }
}
