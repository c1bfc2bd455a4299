//! One export entry → an [`Entry`]: from separate fields ([`Fields::build`]) or from a Key URI
//! ([`from_uri`]), with the validation Key URIs get ([`crate::uri::parse`] itself, or the same
//! constructors), and the reason an entry is skipped ([`SkipReason`]).

use percent_encoding::percent_decode_str;
use serde_json::Value;
use zeroize::Zeroizing;

use super::Entry;
use crate::enrolment::{strip_prefix_ci, Enrolment};
use crate::error::{Error, ErrorKind};
use crate::otp::{Algorithm, OtpType, Params, Secret};
use crate::uri;

/// Why an entry of an export was not imported. Serialized with a stable snake_case `kind`
/// (`unsupported_type`, `missing_secret`, …) for the front ends to localise; messages are English
/// and never contain a secret.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SkipReason {
    /// A type this app cannot generate codes for: `yandex`, `motp`… (lower case, at
    /// most 20 characters).
    UnsupportedType {
        /// The type as the export names it.
        otp_type: String,
    },
    /// The entry has no secret.
    MissingSecret,
    /// The secret is not valid (not Base32, not bytes…).
    InvalidSecret {
        /// What is wrong (English).
        message: String,
    },
    /// An algorithm other than SHA1, SHA256, SHA512.
    UnsupportedAlgorithm {
        /// What is wrong (English).
        message: String,
    },
    /// Digits, period or counter out of range or not a number.
    InvalidParameter {
        /// What is wrong (English).
        message: String,
    },
    /// The entry is malformed (e.g. not an object, not a Key URI).
    InvalidEntry {
        /// What is wrong (English).
        message: String,
    },
}

impl SkipReason {
    /// Every kind, for front ends that must have a string for each (the UI's test).
    pub const ALL_KINDS: &'static [&'static str] = &[
        "unsupported_type",
        "missing_secret",
        "invalid_secret",
        "unsupported_algorithm",
        "invalid_parameter",
        "invalid_entry",
    ];

    /// The stable snake_case kind.
    pub fn kind(&self) -> &'static str {
        match self {
            SkipReason::UnsupportedType { .. } => "unsupported_type",
            SkipReason::MissingSecret => "missing_secret",
            SkipReason::InvalidSecret { .. } => "invalid_secret",
            SkipReason::UnsupportedAlgorithm { .. } => "unsupported_algorithm",
            SkipReason::InvalidParameter { .. } => "invalid_parameter",
            SkipReason::InvalidEntry { .. } => "invalid_entry",
        }
    }

    /// An English sentence for the user.
    pub fn message(&self) -> String {
        match self {
            SkipReason::UnsupportedType { otp_type } => {
                format!(
                    "unsupported type {otp_type}: this app generates only TOTP, HOTP and Steam Guard \
                     codes"
                )
            }
            SkipReason::MissingSecret => "the entry has no secret".to_string(),
            SkipReason::InvalidSecret { message }
            | SkipReason::UnsupportedAlgorithm { message }
            | SkipReason::InvalidParameter { message }
            | SkipReason::InvalidEntry { message } => message.clone(),
        }
    }

    /// The reason for an unsupported `otp_type` (lower-cased, cut to 20 characters).
    pub(crate) fn unsupported_type(otp_type: &str) -> Self {
        SkipReason::UnsupportedType {
            otp_type: otp_type.trim().to_lowercase().chars().take(20).collect(),
        }
    }

    /// The reason for a validation error of the core (its message has no secret).
    fn from_error(e: &Error) -> Self {
        let message = e.message().to_string();
        match e.kind() {
            ErrorKind::InvalidSecret => SkipReason::InvalidSecret { message },
            ErrorKind::UnsupportedAlgorithm => SkipReason::UnsupportedAlgorithm { message },
            ErrorKind::InvalidParameter => SkipReason::InvalidParameter { message },
            _ => SkipReason::InvalidEntry { message },
        }
    }
}

/// The secret of an entry as the export writes it.
pub(crate) enum SecretField {
    /// Base32 text (as in Key URIs).
    Base32(Zeroizing<String>),
    /// Raw key bytes.
    Bytes(Zeroizing<Vec<u8>>),
}

/// An entry's fields as an export writes them; [`Fields::build`] validates them.
pub(crate) struct Fields<'a> {
    /// Issuer ("" when none).
    pub issuer: &'a str,
    /// Account ("" when none).
    pub account: &'a str,
    /// `totp`, `hotp`, `steam` (any case; "" is TOTP) or another type (skipped). Steam Guard gets
    /// [`Params::steam`] whatever `algorithm`, `digits` and `period` say.
    pub otp_type: &'a str,
    /// The secret; `None` or empty: [`SkipReason::MissingSecret`].
    pub secret: Option<SecretField>,
    /// `SHA1` (default when absent, null or ""), `SHA256`, `SHA512`.
    pub algorithm: Option<&'a Value>,
    /// Digits (default 6; 1–10): a JSON number or numeric string.
    pub digits: Option<&'a Value>,
    /// TOTP period in seconds (default 30).
    pub period: Option<&'a Value>,
    /// HOTP counter (default 0: exports always write it).
    pub counter: Option<&'a Value>,
}

impl Fields<'_> {
    /// The entry these fields describe: an enrolment validated like a Key URI's, or a skip.
    pub fn build(self) -> Entry {
        let skip = |reason| Entry::skipped(self.issuer, self.account, reason);
        let otp_type = match self.otp_type.trim().to_ascii_lowercase().as_str() {
            "totp" | "" => OtpType::Totp,
            "hotp" => OtpType::Hotp,
            "steam" => OtpType::Steam,
            other => return skip(SkipReason::unsupported_type(other)),
        };
        let secret = match &self.secret {
            None => return skip(SkipReason::MissingSecret),
            Some(SecretField::Base32(s)) if s.trim().is_empty() => {
                return skip(SkipReason::MissingSecret)
            }
            Some(SecretField::Bytes(b)) if b.is_empty() => return skip(SkipReason::MissingSecret),
            Some(SecretField::Base32(s)) => Secret::from_base32(s),
            Some(SecretField::Bytes(b)) => Secret::from_bytes(b.to_vec()),
        };
        let built = secret.and_then(|secret| {
            if otp_type == OtpType::Steam {
                return Ok(Enrolment::new(
                    self.issuer.trim().to_string(),
                    self.account.trim().to_string(),
                    secret,
                    Params::steam(),
                ));
            }
            let algorithm = match self.algorithm {
                None | Some(Value::Null) => Algorithm::Sha1,
                Some(Value::String(a)) if a.trim().is_empty() => Algorithm::Sha1,
                Some(Value::String(a)) => Algorithm::parse(a.trim())?,
                Some(other) => Algorithm::parse(&other.to_string())?,
            };
            let mut params = Params {
                otp_type,
                algorithm,
                ..Params::default()
            };
            if let Some(d) = number("digits", self.digits)? {
                params.digits = u8::try_from(d).map_err(|_| out_of_range("digits", d))?;
            }
            match otp_type {
                OtpType::Totp => {
                    if let Some(p) = number("period", self.period)? {
                        params.period = u32::try_from(p).map_err(|_| out_of_range("period", p))?;
                    }
                }
                OtpType::Hotp => params.counter = number("counter", self.counter)?.unwrap_or(0),
                OtpType::Steam => {}
            }
            params.validate()?;
            Ok(Enrolment::new(
                self.issuer.trim().to_string(),
                self.account.trim().to_string(),
                secret,
                params,
            ))
        });
        match built {
            Ok(e) => Entry::ok(e),
            Err(e) => skip(SkipReason::from_error(&e)),
        }
    }
}

/// A non-negative whole number from a JSON number or numeric string; `None` when absent or null.
fn number(name: &str, v: Option<&Value>) -> crate::Result<Option<u64>> {
    let parsed = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) => s.trim().parse().ok(),
        Some(_) => None,
    };
    parsed.map(Some).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidParameter,
            format!("{name} is not a whole number"),
        )
    })
}

fn out_of_range(name: &str, value: u64) -> Error {
    Error::new(
        ErrorKind::InvalidParameter,
        format!("{name} {value} is out of range"),
    )
}

/// The entry a Key URI (`otpauth://…`, or Bitwarden's and Proton's `steam://…`) describes,
/// parsed by [`uri::parse`]; an empty issuer or account is replaced by `issuer` / `account`
/// (the names the export gives beside the URI) before an empty label is named.
pub(crate) fn from_uri(text: &str, issuer: &str, account: &str) -> Entry {
    let text = text.trim();
    if let Some(secret) = strip_prefix_ci(text, "steam://") {
        return from_steam_uri(secret, issuer, account);
    }
    match uri::parse_with_names(text, issuer, account) {
        Ok(e) => Entry::ok(e),
        Err(err) => {
            let (label_issuer, label_account) = label_of(text);
            let issuer = if label_issuer.is_empty() {
                issuer
            } else {
                &label_issuer
            };
            let account = if label_account.is_empty() {
                account
            } else {
                &label_account
            };
            let reason = match err.kind() {
                ErrorKind::UnsupportedOtpType => SkipReason::unsupported_type(&type_of(text)),
                ErrorKind::InvalidSecret if !has_secret(text) => SkipReason::MissingSecret,
                _ => SkipReason::from_error(&err),
            };
            Entry::skipped(issuer, account, reason)
        }
    }
}

/// The Steam Guard entry of `steam://SECRET` (Bitwarden's `login.totp`, Proton Authenticator's
/// `Steam` entries): `SECRET` is Base32 (Bitwarden, Proton) or, when it is not, Base64 (Steam's
/// own `shared_secret`, which Proton also accepts). The issuer is `issuer`, or "Steam".
fn from_steam_uri(secret: &str, issuer: &str, account: &str) -> Entry {
    let issuer = if issuer.trim().is_empty() {
        "Steam"
    } else {
        issuer
    };
    let secret = Zeroizing::new(
        percent_decode_str(secret.trim().trim_end_matches('/'))
            .decode_utf8_lossy()
            .into_owned(),
    );
    if secret.trim().is_empty() {
        return Entry::skipped(issuer, account, SkipReason::MissingSecret);
    }
    // Base32 when it is nothing but upper-case Base32 (Proton tries Base32 first too); else Base64,
    // and when that fails too, the Base32 parser names the characters that are wrong.
    let unpadded = secret.trim().trim_end_matches('=');
    let base32 = unpadded
        .bytes()
        .all(|b| matches!(b, b'A'..=b'Z' | b'2'..=b'7'));
    let decoded = if base32 {
        Secret::from_base32(&secret)
    } else {
        match data_encoding::BASE64_NOPAD.decode(unpadded.as_bytes()) {
            Ok(bytes) => Secret::from_bytes(bytes),
            Err(_) => Secret::from_base32(&secret),
        }
    };
    match decoded {
        Ok(secret) => Entry::ok(Enrolment::new(
            issuer.trim().to_string(),
            account.trim().to_string(),
            secret,
            Params::steam(),
        )),
        Err(e) => Entry::skipped(issuer, account, SkipReason::from_error(&e)),
    }
}

/// The `TYPE` of `otpauth://TYPE/…`.
fn type_of(text: &str) -> String {
    let rest = strip_prefix_ci(text, "otpauth://").unwrap_or("");
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    percent_decode_str(&rest[..end])
        .decode_utf8_lossy()
        .into_owned()
}

/// True when the Key URI has a non-empty `secret` parameter.
fn has_secret(text: &str) -> bool {
    let query = text.split_once('?').map_or("", |(_, q)| q);
    query.split('&').any(|pair| {
        pair.split_once('=')
            .is_some_and(|(k, v)| k.trim().eq_ignore_ascii_case("secret") && !v.trim().is_empty())
    })
}

/// Issuer and account of a Key URI's label, for naming a skipped entry (best effort; `issuer=`
/// wins over the label's prefix).
fn label_of(text: &str) -> (String, String) {
    let decode = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .trim()
            .to_string()
    };
    let rest = strip_prefix_ci(text, "otpauth://").unwrap_or("");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let label = decode(path.split_once('/').map_or("", |(_, l)| l));
    let (mut issuer, account) = match label.split_once(':') {
        Some((i, a)) => (i.trim().to_string(), a.trim().to_string()),
        None => (String::new(), label.clone()),
    };
    for pair in query.split('&') {
        if let Some((k, v)) = pair.split_once('=') {
            if k.trim().eq_ignore_ascii_case("issuer") && !v.trim().is_empty() {
                issuer = decode(v);
                break;
            }
        }
    }
    (issuer, account)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{summary, SECRET_A};
    use super::super::{FormatId, ImportBatch};
    use super::*;
    use serde_json::json;

    fn line(entry: Entry) -> String {
        let batch = ImportBatch {
            format: FormatId::OtpauthText,
            entries: vec![entry],
        };
        summary(&batch).remove(0)
    }

    fn fields(otp_type: &str, values: &Value) -> String {
        line(
            Fields {
                issuer: " Kota ",
                account: "budi ",
                otp_type,
                secret: values["secret"]
                    .as_str()
                    .map(|s| SecretField::Base32(Zeroizing::new(s.to_string()))),
                algorithm: values.get("algorithm"),
                digits: values.get("digits"),
                period: values.get("period"),
                counter: values.get("counter"),
            }
            .build(),
        )
    }

    #[test]
    fn fields_are_validated_like_key_uris() {
        let ok = "ok Kota|budi";
        let cases = [
            ("TOTP", json!({"secret": SECRET_A}), ok),
            (
                "",
                json!({"secret": "gx4a fjmg v4m4 f34z 2j2n d5ym vk3w 7im2"}),
                ok,
            ),
            (
                "totp",
                json!({"secret": SECRET_A, "digits": "8", "period": " 45 "}),
                ok,
            ),
            (
                "totp",
                json!({"secret": SECRET_A, "algorithm": "", "digits": null}),
                ok,
            ),
            ("hotp", json!({"secret": SECRET_A}), ok),
            (
                "Yandex",
                json!({"secret": SECRET_A}),
                "skip unsupported_type:yandex Kota|budi",
            ),
            (
                "mOTP",
                json!({"secret": SECRET_A}),
                "skip unsupported_type:motp Kota|budi",
            ),
            (
                "STEAM",
                json!({"secret": SECRET_A, "digits": 5, "period": 30}),
                ok,
            ),
            (
                "totp",
                json!({"secret": SECRET_A, "digits": 5}),
                "ok Kota|budi",
            ),
            (
                "totp",
                json!({"secret": SECRET_A, "digits": 0}),
                "skip invalid_parameter Kota|budi",
            ),
            (
                "totp",
                json!({"secret": "  "}),
                "skip missing_secret Kota|budi",
            ),
            ("totp", json!({}), "skip missing_secret Kota|budi"),
            (
                "totp",
                json!({"secret": "1!"}),
                "skip invalid_secret Kota|budi",
            ),
            (
                "totp",
                json!({"secret": SECRET_A, "algorithm": "MD5"}),
                "skip unsupported_algorithm Kota|budi",
            ),
            (
                "totp",
                json!({"secret": SECRET_A, "algorithm": 1}),
                "skip unsupported_algorithm Kota|budi",
            ),
            (
                "totp",
                json!({"secret": SECRET_A, "digits": "x"}),
                "skip invalid_parameter Kota|budi",
            ),
            (
                "totp",
                json!({"secret": SECRET_A, "digits": 300}),
                "skip invalid_parameter Kota|budi",
            ),
            (
                "totp",
                json!({"secret": SECRET_A, "digits": -6}),
                "skip invalid_parameter Kota|budi",
            ),
            (
                "totp",
                json!({"secret": SECRET_A, "period": 0}),
                "skip invalid_parameter Kota|budi",
            ),
            (
                "totp",
                json!({"secret": SECRET_A, "period": 5e9}),
                "skip invalid_parameter Kota|budi",
            ),
            (
                "hotp",
                json!({"secret": SECRET_A, "counter": "7x"}),
                "skip invalid_parameter Kota|budi",
            ),
        ];
        for (otp_type, values, want) in cases {
            assert_eq!(fields(otp_type, &values), want, "{otp_type} {values}");
        }
        let Entry::Ok { enrolment, .. } = Fields {
            issuer: "",
            account: "a",
            otp_type: "HOTP",
            secret: Some(SecretField::Bytes(Zeroizing::new(vec![7; 20]))),
            algorithm: Some(&json!("sha512")),
            digits: Some(&json!(8)),
            period: Some(&json!("not read for HOTP")),
            counter: None,
        }
        .build() else {
            panic!("an HOTP enrolment");
        };
        assert_eq!(
            (
                enrolment.params.otp_type,
                enrolment.params.algorithm,
                enrolment.params.digits
            ),
            (OtpType::Hotp, Algorithm::Sha512, 8)
        );
        assert_eq!(enrolment.params.counter, 0, "no counter: 0");
    }

    /// The enrolment of an entry that must be imported.
    fn enrolment(entry: Entry) -> Enrolment {
        match entry {
            Entry::Ok { enrolment, .. } => enrolment,
            Entry::Skipped { reason, .. } => panic!("skipped: {}", reason.message()),
        }
    }

    #[test]
    fn steam_entries_get_steams_parameters() {
        let values = json!({"secret": SECRET_A, "digits": 6, "period": 60, "algorithm": "SHA512"});
        let e = enrolment(fields_entry("steam", &values));
        assert_eq!(e.params, Params::steam());
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
        let short = enrolment(fields_entry(
            "TOTP",
            &json!({"secret": SECRET_A, "digits": 5}),
        ));
        assert_eq!(
            short.warnings,
            vec![crate::enrolment::Warning::ShortCode { digits: 5 }]
        );
        // steam://: Base32 (Bitwarden, Proton) or Steam's Base64 shared_secret.
        let b32 = enrolment(from_uri(&format!("steam://{SECRET_A}"), "Steam", "a"));
        assert_eq!(b32.secret.to_base32(), SECRET_A);
        assert_eq!(b32.params, Params::steam());
        let b64 = data_encoding::BASE64.encode(b32.secret.as_bytes());
        for text in [
            format!("steam://{b64}"),
            format!("steam://{}", b64.trim_end_matches('=')),
        ] {
            let e = enrolment(from_uri(&text, "", "a"));
            assert_eq!(e.secret, b32.secret, "{text}");
            assert_eq!((e.issuer.as_str(), e.params), ("Steam", Params::steam()));
        }
        let Entry::Skipped { reason, .. } = from_uri("steam://ab!cd", "", "a") else {
            panic!("not a secret");
        };
        assert_eq!(reason.kind(), "invalid_secret");
        assert!(!reason.message().contains("ab!cd"), "{}", reason.message());
    }

    fn fields_entry(otp_type: &str, values: &Value) -> Entry {
        Fields {
            issuer: "Steam",
            account: "pemain",
            otp_type,
            secret: values["secret"]
                .as_str()
                .map(|s| SecretField::Base32(Zeroizing::new(s.to_string()))),
            algorithm: values.get("algorithm"),
            digits: values.get("digits"),
            period: values.get("period"),
            counter: values.get("counter"),
        }
        .build()
    }

    #[test]
    fn uris_are_parsed_by_the_key_uri_parser() {
        let uri = |text: &str| line(from_uri(text, "Nama", "pengguna"));
        assert_eq!(
            uri(&format!("otpauth://totp/A:b?secret={SECRET_A}")),
            "ok A|b"
        );
        assert_eq!(
            uri(&format!("otpauth://totp/?secret={SECRET_A}")),
            "ok Nama|pengguna"
        );
        assert_eq!(uri("steam://ABC"), "skip invalid_secret Nama|pengguna");
        assert_eq!(uri("steam://"), "skip missing_secret Nama|pengguna");
        assert_eq!(
            line(from_uri(&format!("steam://{SECRET_A}"), "", "pemain")),
            "ok Steam|pemain"
        );
        assert_eq!(
            uri(&format!("otpauth://Yandex/A:b?secret={SECRET_A}")),
            "skip unsupported_type:yandex A|b"
        );
        assert_eq!(
            uri("otpauth://totp/A%20B:c%40d?issuer=Lain&secret="),
            "skip missing_secret Lain|c@d"
        );
        assert_eq!(
            uri(&format!(
                "otpauth://totp/A:b?secret={SECRET_A}&algorithm=MD5"
            )),
            "skip unsupported_algorithm A|b"
        );
        assert_eq!(uri("otpauth:/rusak"), "skip invalid_entry Nama|pengguna");
        let Entry::Skipped { reason, .. } = from_uri("otpauth://totp/A:b?secret=1!", "", "") else {
            panic!("skipped");
        };
        assert_eq!(reason.kind(), "invalid_secret");
        assert!(!reason.message().is_empty());
    }
}
