//! Key URI (`otpauth://TYPE/LABEL?PARAMS`) parsing and formatting.
//!
//! Follows Google's Key URI Format (<https://github.com/google/google-authenticator/wiki/Key-Uri-Format>)
//! for RFC 4226 (HOTP) and RFC 6238 (TOTP) accounts, plus Steam Guard as Aegis writes it
//! (`otpauth://steam/…`) or KeePassXC and KeeWeb do (`otpauth://totp/…&encoder=steam`), with the
//! tolerance real enrolment QR codes and other authenticators need (see `tests/data/cases.tsv`):
//! `%3A` as the label separator, `+` for spaces, raw spaces and raw UTF-8, padded or spaced
//! secrets, lower-case algorithm names, bare `issuer` parameters, 1–10 digits, an empty label,
//! Apple's `apple-otpauth://` spelling.
//!
//! Invariants: [`parse`] returns only validated parameters ([`Params::validate`]); [`format`]
//! writes what [`parse`] reads back to the same enrolment. Nothing here touches the network
//! (`image=` is ignored) and no error message contains a secret.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use zeroize::Zeroizing;

use crate::enrolment::{strip_prefix_ci, Enrolment};
use crate::error::{Detail, Error, ErrorKind, Result};
use crate::otp::{self, Algorithm, OtpType, Params, Secret};

/// The account name given to an enrolment whose label is empty and that has no issuer either.
pub const UNNAMED_ACCOUNT: &str = "unnamed";

/// The schemes read as Key URIs: `otpauth://` and Apple's spelling of it (iOS Passwords).
const SCHEMES: [&str; 2] = ["otpauth://", "apple-otpauth://"];

/// True when `text` (trimmed) starts like a Key URI: `otpauth:` or `apple-otpauth:`, any case
/// (not an `otpauth-migration:` export). What the importers route to [`parse`].
pub(crate) fn is_key_uri(text: &str) -> bool {
    let text = text.trim_start();
    strip_prefix_ci(text, "otpauth-migration:").is_none()
        && (strip_prefix_ci(text, "otpauth:").is_some()
            || strip_prefix_ci(text, "apple-otpauth:").is_some())
}

/// Parses one Key URI, `otpauth://TYPE/LABEL?PARAMS` (Google Key URI Format; codes per RFC 4226 and
/// RFC 6238; Steam Guard).
///
/// - Scheme `otpauth://` or `apple-otpauth://` (any case; surrounding whitespace ignored). `TYPE`
///   is `totp`, `hotp` or `steam` (any case); `hotp` needs `counter`. `totp` with
///   `encoder=steam` is Steam Guard too (KeePassXC, KeeWeb); an issuer "Steam" alone is not.
/// - `LABEL` is `issuer:account` or `account`; the separator is `:` or `%3A`. Parts are
///   percent-decoded (UTF-8, invalid sequences replaced), `+` is a space, and spaces around each
///   part are trimmed. A non-empty `issuer` parameter wins over the label prefix; when the label
///   starts with `<issuer>:` that prefix is removed, so an issuer containing `:` works. An empty or
///   bare `issuer` parameter counts as absent. An empty label (no issuer, no account in it) names
///   the account after the `issuer` parameter, or [`UNNAMED_ACCOUNT`] without one.
/// - `secret` is Base32 (see [`Secret::from_base32`]); under 128 bits it is accepted with
///   [`crate::enrolment::Warning::WeakSecret`]. `algorithm` is SHA1 (default), SHA256 or SHA512;
///   `digits` 1–10 (default 6; under 6 with [`crate::enrolment::Warning::ShortCode`]); `period`
///   1–86400 seconds (default 30, TOTP only); `counter` a `u64` (HOTP only). An empty
///   `algorithm`/`period` counts as absent; an empty `digits=` is refused. Steam Guard always has [`Params::steam`]:
///   its `algorithm`, `digits` and `period` parameters (Aegis writes SHA1, 5, 30) are not read.
///   Unknown parameters (`image`, `color`…) are ignored and never fetched.
///
/// Errors (kind — when):
/// - [`ErrorKind::NotOtpauth`] — the text is not an `otpauth://` URI; the message shows at most the
///   scheme (or the first 40 characters when there is none), never what follows.
/// - [`ErrorKind::InvalidUri`] — no type, no `?`, or an `otpauth-migration://` export (use
///   [`crate::import::parse_payload`]).
/// - [`ErrorKind::UnsupportedOtpType`] — any type but `totp`, `hotp` and `steam` (`motp`,
///   `yandex`…), or `hotp` with `encoder=steam`.
/// - [`ErrorKind::InvalidSecret`] — no secret, or not Base32.
/// - [`ErrorKind::UnsupportedAlgorithm`] — e.g. `MD5`.
/// - [`ErrorKind::InvalidParameter`] — `digits`, `period` or `counter` not a number or out of
///   range; an empty `digits=`; HOTP without `counter`.
pub fn parse(text: &str) -> Result<Enrolment> {
    parse_with_names(text, "", "")
}

/// [`parse`] for a Key URI an export holds beside names of its own: an empty issuer or account
/// of the URI is replaced by `fallback_issuer` / `fallback_account` (trimmed) before an empty
/// label names the account (after the issuer, or [`UNNAMED_ACCOUNT`]).
pub(crate) fn parse_with_names(
    text: &str,
    fallback_issuer: &str,
    fallback_account: &str,
) -> Result<Enrolment> {
    let text = text.trim();
    let rest = match SCHEMES.iter().find_map(|s| strip_prefix_ci(text, s)) {
        Some(rest) => rest,
        None => {
            if strip_prefix_ci(text, "otpauth-migration://").is_some() {
                return Err(Error::new(
                    ErrorKind::InvalidUri,
                    "this is a Google Authenticator export (otpauth-migration://) holding several \
                     accounts, not a single Key URI; import it as an export",
                ));
            }
            if is_key_uri(text) {
                return Err(Error::new(
                    ErrorKind::InvalidUri,
                    "the Key URI is malformed: it must start with 'otpauth://' followed by the type \
                     (totp or hotp); ask the service for a new QR code",
                ));
            }
            return Err(not_otpauth(text));
        }
    };

    let Some((path, query)) = rest.split_once('?') else {
        return Err(Error::new(
            ErrorKind::InvalidUri,
            "the Key URI is malformed: it has no parameters ('?secret=…' is missing); ask the \
             service for a new QR code or enter the secret manually",
        ));
    };
    let (raw_type, raw_label) = path.split_once('/').unwrap_or((path, ""));
    let q = Query::parse(query);
    let otp_type = parse_type(raw_type, q.encoder)?;
    let params = q.params(otp_type)?;

    let secret =
        match &q.secret {
            Some(raw) if !raw.is_empty() => {
                let decoded = Zeroizing::new(decode_component(raw));
                Secret::from_base32(&decoded)?
            }
            _ => return Err(Error::new(
                ErrorKind::InvalidSecret,
                "the Key URI has no secret; ask the service for a new QR code or enter the secret \
                 manually",
            )),
        };

    let empty_label = split_label(raw_label, None) == (String::new(), String::new());
    let (mut issuer, mut account) = split_label(raw_label, q.issuer.as_deref());
    if issuer.is_empty() {
        issuer = fallback_issuer.trim().to_string();
    }
    if account.is_empty() {
        account = fallback_account.trim().to_string();
    }
    if empty_label && account.is_empty() {
        account = if issuer.is_empty() {
            UNNAMED_ACCOUNT.to_string()
        } else {
            issuer.clone()
        };
    }
    Ok(Enrolment::new(issuer, account, secret, params))
}

/// Formats `e` as a canonical Key URI that [`parse`] reads back to the same issuer, account, secret
/// and parameters: `otpauth://TYPE/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=…&digits=…` then
/// `&period=…` (TOTP, Steam) or `&counter=…` (HOTP). Steam Guard is `otpauth://steam/…` with
/// `algorithm=SHA1&digits=5&period=30`, as Aegis writes and reads it. (An enrolment with an empty
/// issuer and account, which [`parse`] never returns, reads back named [`UNNAMED_ACCOUNT`].) Label and issuer are percent-encoded (UTF-8, only
/// `A–Z a–z 0–9 - . _ ~` left as is); the secret is unpadded upper-case Base32.
///
/// The result contains the secret: only for an export the user asked for.
pub fn format(e: &Enrolment) -> String {
    let issuer = encode_component(&e.issuer);
    let account = encode_component(&e.account);
    // With no issuer, an account containing ':' gets an empty issuer prefix so that parsing does not
    // split it.
    let label = if !e.issuer.is_empty() || e.account.contains(':') {
        std::format!("{issuer}:{account}")
    } else {
        account
    };
    let p = &e.params;
    let mut out = std::format!(
        "otpauth://{}/{label}?secret={}",
        p.otp_type.as_str(),
        e.secret.to_base32()
    );
    if !e.issuer.is_empty() {
        out.push_str("&issuer=");
        out.push_str(&issuer);
    }
    out.push_str(&std::format!(
        "&algorithm={}&digits={}",
        p.algorithm.as_str(),
        p.digits
    ));
    match p.otp_type {
        OtpType::Totp | OtpType::Steam => out.push_str(&std::format!("&period={}", p.period)),
        OtpType::Hotp => out.push_str(&std::format!("&counter={}", p.counter)),
    }
    out
}

/// Longest prefix shown in a "not an enrolment" message when the text has no scheme.
const NOT_OTPAUTH_PREVIEW: usize = 40;

/// The [`ErrorKind::NotOtpauth`] error for `text`: names its scheme (`https://`, `WIFI:`…) or,
/// without one, its first 40 characters — never more, since a secret could follow — and never a
/// text that looks like a bare Base32 secret.
pub(crate) fn not_otpauth(text: &str) -> Error {
    let scheme = uri_scheme(text);
    let shown = match scheme.clone() {
        Some(scheme) => std::format!("a '{scheme}…' link"),
        None if looks_like_bare_secret(text) => {
            "what looks like a bare secret (no otpauth:// Key URI); add the account by entering \
             the secret manually"
                .to_string()
        }
        None if text.is_empty() => "no text".to_string(),
        None => {
            let preview: String = text
                .chars()
                .take(NOT_OTPAUTH_PREVIEW)
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            let more = if text.chars().count() > NOT_OTPAUTH_PREVIEW {
                "…"
            } else {
                ""
            };
            std::format!("'{preview}{more}'")
        }
    };
    Error::new(
        ErrorKind::NotOtpauth,
        std::format!(
            "the QR code is not an authenticator enrolment; it contains {shown}. Scan the QR code \
             shown on the service's two-factor (2FA) setup page"
        ),
    )
    .with_detail(scheme.map(Detail::Scheme).unwrap_or_default())
}

/// The RFC 3986 scheme of `text` with its `:` (and `//` when present), e.g. `https://`, `WIFI:`.
fn uri_scheme(text: &str) -> Option<String> {
    let colon = text.find(':')?;
    let name = &text[..colon];
    let mut chars = name.chars();
    let first = chars.next()?;
    if !first.is_ascii_alphabetic()
        || name.len() > 32
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    let slashes = if text[colon + 1..].starts_with("//") {
        "//"
    } else {
        ""
    };
    Some(std::format!("{name}:{slashes}"))
}

/// 16+ characters of nothing but Base32 letters, digits 2–7, spaces and `=`: probably a secret.
fn looks_like_bare_secret(text: &str) -> bool {
    let significant = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '=' | '-'))
        .count();
    significant >= 16
        && text
            .chars()
            .all(|c| matches!(c.to_ascii_uppercase(), 'A'..='Z' | '2'..='7' | ' ' | '=' | '-'))
}

/// The type of `otpauth://TYPE/…`; `encoder` is the raw `encoder` parameter (`steam` makes a
/// `totp` URI Steam Guard).
fn parse_type(raw: &str, encoder: Option<&str>) -> Result<OtpType> {
    let decoded = decode_component(raw);
    let t = decoded.trim();
    if t.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidUri,
            "the Key URI is malformed: it has no type (expected 'otpauth://totp/…' or \
             'otpauth://hotp/…'); ask the service for a new QR code",
        ));
    }
    let steam_encoder = Query::value(encoder).is_some_and(|e| e.eq_ignore_ascii_case("steam"));
    if t.eq_ignore_ascii_case("steam") || (t.eq_ignore_ascii_case("totp") && steam_encoder) {
        Ok(OtpType::Steam)
    } else if t.eq_ignore_ascii_case("totp") {
        Ok(OtpType::Totp)
    } else if t.eq_ignore_ascii_case("hotp") && !steam_encoder {
        Ok(OtpType::Hotp)
    } else {
        let shown: String = t.chars().take(20).collect();
        let what = if steam_encoder {
            std::format!("'{shown}' with encoder=steam (Steam Guard codes are time-based)")
        } else {
            std::format!("'{shown}'")
        };
        Err(Error::new(
            ErrorKind::UnsupportedOtpType,
            std::format!(
                "unsupported OTP type {what}: this app generates only TOTP, HOTP and Steam Guard \
                 codes, so the account cannot be added"
            ),
        ))
    }
}

/// Percent-decodes a label part or query value: `+` is a space, invalid UTF-8 is replaced.
fn decode_component(raw: &str) -> String {
    let plus_as_space = Zeroizing::new(raw.replace('+', " "));
    percent_decode_str(&plus_as_space)
        .decode_utf8_lossy()
        .into_owned()
}

/// Everything but RFC 3986 unreserved characters is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// Splits the label into (issuer, account), both decoded and trimmed. `issuer_param` is the
/// decoded, trimmed, non-empty `issuer` parameter if any.
fn split_label(raw_label: &str, issuer_param: Option<&str>) -> (String, String) {
    let label = decode_component(raw_label);
    let label = label.trim();
    if let Some(issuer) = issuer_param {
        // The label repeats the issuer (which may itself contain ':'): strip exactly that prefix.
        if let Some(head) = label.get(..issuer.len()) {
            if head.eq_ignore_ascii_case(issuer) {
                if let Some(account) = label[issuer.len()..].trim_start().strip_prefix(':') {
                    return (issuer.to_string(), account.trim().to_string());
                }
            }
        }
        let account = label.split_once(':').map_or(label, |(_, account)| account);
        return (issuer.to_string(), account.trim().to_string());
    }
    match label.split_once(':') {
        Some((issuer, account)) => (issuer.trim().to_string(), account.trim().to_string()),
        None => (String::new(), label.to_string()),
    }
}

/// The query parameters this module reads (first occurrence of each wins; `issuer`: first
/// non-empty one), still raw except `issuer`.
#[derive(Default)]
struct Query<'a> {
    secret: Option<&'a str>,
    issuer: Option<String>,
    algorithm: Option<&'a str>,
    digits: Option<&'a str>,
    period: Option<&'a str>,
    counter: Option<&'a str>,
    encoder: Option<&'a str>,
}

impl<'a> Query<'a> {
    fn parse(query: &'a str) -> Self {
        let mut q = Query::default();
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = key.trim();
            let slot = if key.eq_ignore_ascii_case("secret") {
                &mut q.secret
            } else if key.eq_ignore_ascii_case("algorithm") {
                &mut q.algorithm
            } else if key.eq_ignore_ascii_case("digits") {
                &mut q.digits
            } else if key.eq_ignore_ascii_case("period") {
                &mut q.period
            } else if key.eq_ignore_ascii_case("counter") {
                &mut q.counter
            } else if key.eq_ignore_ascii_case("encoder") {
                &mut q.encoder
            } else {
                if key.eq_ignore_ascii_case("issuer") && q.issuer.is_none() {
                    let issuer = decode_component(value).trim().to_string();
                    if !issuer.is_empty() {
                        q.issuer = Some(issuer);
                    }
                }
                continue;
            };
            if slot.is_none() {
                *slot = Some(value);
            }
        }
        q
    }

    /// Decoded, trimmed value of a non-secret parameter; `None` when absent or empty.
    fn value(raw: Option<&str>) -> Option<String> {
        raw.map(|v| decode_component(v).trim().to_string())
            .filter(|v| !v.is_empty())
    }

    fn params(&self, otp_type: OtpType) -> Result<Params> {
        if otp_type == OtpType::Steam {
            return Ok(Params::steam());
        }
        let mut p = Params {
            otp_type,
            ..Params::default()
        };
        if let Some(a) = Self::value(self.algorithm) {
            p.algorithm = Algorithm::parse(&a)?;
        }
        // Present but empty is refused (as Aegis and Google Authenticator do), unlike the other
        // parameters: a code length must be said or left out.
        if self.digits.is_some() && Self::value(self.digits).is_none() {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                "digits is empty in the Key URI ('digits=' without a number); ask the service for a new \
                 QR code",
            ));
        }
        if let Some(d) = Self::value(self.digits) {
            p.digits = d
                .parse::<u8>()
                .ok()
                .filter(|d| otp::DIGITS_RANGE.contains(d))
                .ok_or_else(|| out_of_range("digits", "between 1 and 10", &d))?;
        }
        match otp_type {
            OtpType::Totp | OtpType::Steam => {
                if let Some(s) = Self::value(self.period) {
                    p.period = s
                        .parse::<u32>()
                        .ok()
                        .filter(|s| otp::PERIOD_RANGE.contains(s))
                        .ok_or_else(|| out_of_range("period", "between 1 and 86400 seconds", &s))?;
                }
            }
            OtpType::Hotp => {
                let Some(c) = Self::value(self.counter) else {
                    return Err(Error::new(
                        ErrorKind::InvalidParameter,
                        "HOTP needs a counter, but the Key URI has no 'counter' parameter; ask the \
                         service for a new QR code",
                    ));
                };
                p.counter = c.parse::<u64>().map_err(|_| {
                    out_of_range(
                        "counter",
                        "a whole number from 0 to 18446744073709551615",
                        &c,
                    )
                })?;
            }
        }
        p.validate()?;
        Ok(p)
    }
}

fn out_of_range(name: &str, allowed: &str, value: &str) -> Error {
    let shown: String = value.chars().take(20).collect();
    Error::new(
        ErrorKind::InvalidParameter,
        std::format!("{name} must be {allowed}, not '{shown}'; ask the service for a new QR code"),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::enrolment::Warning;

    /// A made-up secret that no error message may contain.
    pub(crate) const S: &str = "AWS7VRHGRHH3KXDQBVRAQE25BMTQAWHH";

    /// Parses `text`, which must be a valid Key URI.
    pub(crate) fn ok(text: &str) -> Enrolment {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    /// The error kind of `text`, which must fail; the message must not hold [`S`].
    pub(crate) fn kind(text: &str) -> ErrorKind {
        match parse(text) {
            Ok(e) => panic!("{text}: expected an error, got {e:?}"),
            Err(e) => {
                assert!(!e.message().contains(S), "secret in message: {e}");
                e.kind()
            }
        }
    }

    #[test]
    fn separators() {
        for label in [
            "Acme:bo",
            "Acme%3Abo",
            "Acme%3abo",
            "Acme%3A%20bo",
            " Acme : bo ",
        ] {
            let e = ok(&std::format!("otpauth://totp/{label}?secret={S}"));
            assert_eq!(
                (e.issuer.as_str(), e.account.as_str()),
                ("Acme", "bo"),
                "{label}"
            );
        }
    }

    #[test]
    fn issuer_param_wins_and_strips_own_prefix() {
        let e = ok(&std::format!(
            "otpauth://totp/Label%20Co:bo?secret={S}&issuer=Param"
        ));
        assert_eq!((e.issuer.as_str(), e.account.as_str()), ("Param", "bo"));
        let e = ok(&std::format!(
            "otpauth://totp/A%3A%20B:c:d?secret={S}&issuer=A%3A%20B"
        ));
        assert_eq!((e.issuer.as_str(), e.account.as_str()), ("A: B", "c:d"));
        let e = ok(&std::format!("otpauth://totp/bo?secret={S}&issuer=Only"));
        assert_eq!((e.issuer.as_str(), e.account.as_str()), ("Only", "bo"));
    }

    #[test]
    fn plus_is_a_space() {
        let e = ok(&std::format!(
            "otpauth://totp/Big+Co:j+d?secret={S}&issuer=Big+Co"
        ));
        assert_eq!((e.issuer.as_str(), e.account.as_str()), ("Big Co", "j d"));
    }

    #[test]
    fn bare_or_empty_issuer_is_absent() {
        for q in ["&issuer", "&issuer=", "&issuer=%20", "&issuer&issuer="] {
            let e = ok(&std::format!("otpauth://totp/Lbl:bo?secret={S}{q}"));
            assert_eq!(
                (e.issuer.as_str(), e.account.as_str()),
                ("Lbl", "bo"),
                "{q}"
            );
        }
    }

    #[test]
    fn raw_utf8_and_spaces() {
        let e = ok(&std::format!("otpauth://totp/Łódź Café:jürgen?secret={S}"));
        assert_eq!(
            (e.issuer.as_str(), e.account.as_str()),
            ("Łódź Café", "jürgen")
        );
    }

    #[test]
    fn unsupported_types() {
        for t in ["motp", "yandex", "Yandex"] {
            assert_eq!(
                kind(&std::format!("otpauth://{t}/S:v?secret={S}")),
                ErrorKind::UnsupportedOtpType,
                "{t}"
            );
        }
        let msg = parse(&std::format!("otpauth://motp/S:v?secret={S}"))
            .unwrap_err()
            .to_string();
        assert!(msg.contains("unsupported OTP type 'motp'"), "{msg}");
        assert!(msg.contains("TOTP, HOTP and Steam Guard"), "{msg}");
        // Steam Guard is time-based: a counter-based "Steam" is refused, never a wrong code.
        assert_eq!(
            kind(&std::format!(
                "otpauth://hotp/S:v?secret={S}&counter=1&encoder=steam"
            )),
            ErrorKind::UnsupportedOtpType
        );
    }

    #[test]
    fn steam_guard_uris() {
        // Aegis writes otpauth://steam/ with SHA1, 5 digits and 30 s; KeePassXC and KeeWeb a totp
        // URI with encoder=steam. Their parameters are Steam's whatever the URI says.
        for uri in [
            std::format!("otpauth://steam/Steam:vale?secret={S}&issuer=Steam&digits=5&period=30&algorithm=SHA1"),
            std::format!("otpauth://STEAM/Steam:vale?secret={S}"),
            std::format!("otpauth://totp/Steam:vale?secret={S}&issuer=Steam&encoder=steam&digits=5"),
            std::format!("otpauth://totp/Steam:vale?secret={S}&encoder=Steam&digits=6&algorithm=SHA256&period=60"),
            std::format!("apple-otpauth://steam/Steam:vale?secret={S}"),
        ] {
            let e = ok(&uri);
            assert_eq!(e.params, Params::steam(), "{uri}");
            assert_eq!((e.issuer.as_str(), e.account.as_str()), ("Steam", "vale"));
            assert!(e.warnings.is_empty(), "{uri}: {:?}", e.warnings);
            assert_eq!(otp::code_at(&e.secret, &e.params, 59).len(), 5);
        }
        // The issuer "Steam" alone does not make an account Steam Guard.
        let e = ok(&std::format!(
            "otpauth://totp/Steam:vale?secret={S}&issuer=Steam&digits=5"
        ));
        assert_eq!((e.params.otp_type, e.params.digits), (OtpType::Totp, 5));
        assert_eq!(e.warnings, vec![Warning::ShortCode { digits: 5 }]);
        // Format writes what Aegis reads: otpauth://steam/ with its fixed parameters.
        let steam = ok(&std::format!("otpauth://steam/Steam:vale?secret={S}"));
        let text = format(&steam);
        assert_eq!(
            text,
            std::format!(
                "otpauth://steam/Steam:vale?secret={S}&issuer=Steam&algorithm=SHA1&digits=5&period=30"
            )
        );
        assert_eq!(parse(&text).unwrap(), steam);
    }

    #[test]
    fn apple_otpauth_is_a_spelling_of_otpauth() {
        let plain = ok(&std::format!("otpauth://totp/A:b?secret={S}&digits=8"));
        for scheme in ["apple-otpauth://", "Apple-OTPAuth://", " apple-otpauth://"] {
            let text = std::format!("{scheme}totp/A:b?secret={S}&digits=8");
            assert_eq!(ok(&text), plain, "{text}");
            assert_eq!(
                crate::import::parse_payload(&text).unwrap(),
                vec![plain.clone()]
            );
        }
        assert_eq!(
            kind(&std::format!("apple-otpauth:totp/A:b?secret={S}")),
            ErrorKind::InvalidUri
        );
        assert_eq!(
            kind(&std::format!("apple-otp://totp/A:b?secret={S}")),
            ErrorKind::NotOtpauth
        );
    }

    #[test]
    fn an_empty_label_names_the_account_after_the_issuer_or_unnamed() {
        let e = ok(&std::format!(
            "otpauth://totp/?secret={S}&issuer=Kota%20Uji"
        ));
        assert_eq!(
            (e.issuer.as_str(), e.account.as_str()),
            ("Kota Uji", "Kota Uji")
        );
        for label in ["", "%20", ":", "+:+"] {
            let e = ok(&std::format!("otpauth://totp/{label}?secret={S}"));
            assert_eq!(
                (e.issuer.as_str(), e.account.as_str()),
                ("", UNNAMED_ACCOUNT),
                "{label:?}"
            );
        }
        let e = ok(&std::format!("otpauth://totp?secret={S}"));
        assert_eq!(e.account, UNNAMED_ACCOUNT);
        // A label with an issuer only keeps its empty account (as before).
        let e = ok(&std::format!(
            "otpauth://totp/Juniper:?secret={S}&issuer=Juniper"
        ));
        assert_eq!((e.issuer.as_str(), e.account.as_str()), ("Juniper", ""));
        // Names an export gives beside the URI come first.
        let e =
            parse_with_names(&std::format!("otpauth://totp/?secret={S}"), " Nama ", "").unwrap();
        assert_eq!((e.issuer.as_str(), e.account.as_str()), ("Nama", "Nama"));
        let e = parse_with_names(&std::format!("otpauth://totp/?secret={S}"), "", "orang").unwrap();
        assert_eq!((e.issuer.as_str(), e.account.as_str()), ("", "orang"));
        // What parse gives, format writes and parse reads back unchanged.
        let e = ok(&std::format!("otpauth://totp/?secret={S}"));
        assert_eq!(parse(&format(&e)).unwrap(), e);
    }

    #[test]
    fn hotp_needs_counter() {
        let err = parse(&std::format!("otpauth://hotp/A:b?secret={S}")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidParameter);
        assert!(err.message().contains("HOTP needs a counter"), "{err}");
        let e = ok(&std::format!("otpauth://HOTP/A:b?secret={S}&counter=42"));
        assert_eq!((e.params.otp_type, e.params.counter), (OtpType::Hotp, 42));
    }

    #[test]
    fn algorithms() {
        assert_eq!(
            kind(&std::format!("otpauth://totp/A:b?secret={S}&algorithm=MD5")),
            ErrorKind::UnsupportedAlgorithm
        );
        let e = ok(&std::format!(
            "otpauth://totp/A:b?secret={S}&algorithm=sha512"
        ));
        assert_eq!(e.params.algorithm, Algorithm::Sha512);
    }

    #[test]
    fn digits_and_period_ranges() {
        for q in [
            "digits=",
            "digits=%20",
            "digits=0",
            "digits=11",
            "digits=x",
            "digits=-6",
            "period=0",
            "period=86401",
            "period=-1",
            "counter=x",
        ] {
            let t = if q.starts_with("counter") {
                "hotp"
            } else {
                "totp"
            };
            let err = parse(&std::format!("otpauth://{t}/A:b?secret={S}&{q}")).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidParameter, "{q}");
            let name = q.split('=').next().unwrap();
            assert!(err.message().starts_with(name), "{q}: {err}");
        }
        assert!(
            parse(&std::format!("otpauth://totp/A:b?secret={S}&digits=11"))
                .unwrap_err()
                .message()
                .contains("between 1 and 10")
        );
        assert!(
            parse(&std::format!("otpauth://totp/A:b?secret={S}&period=0"))
                .unwrap_err()
                .message()
                .contains("between 1 and 86400")
        );
        let e = ok(&std::format!(
            "otpauth://totp/A:b?secret={S}&digits=10&period=86400"
        ));
        assert_eq!((e.params.digits, e.params.period), (10, 86400));
        // 10 digits must not panic (totp-rs stops at 9).
        assert_eq!(otp::code_at(&e.secret, &e.params, 59).len(), 10);
        // 1–5 digits are accepted with a note; an empty digits= counts as absent (6).
        for digits in 1..=5u8 {
            let e = ok(&std::format!(
                "otpauth://totp/A:b?secret={S}&digits={digits}"
            ));
            assert_eq!(e.params.digits, digits);
            assert_eq!(e.warnings, vec![Warning::ShortCode { digits }]);
            assert_eq!(
                otp::code_at(&e.secret, &e.params, 59).len(),
                usize::from(digits)
            );
            assert_eq!(parse(&format(&e)).unwrap(), e);
        }
        // Left out: 6. Present but empty: refused (see `digits_and_period_ranges`).
        let e = ok(&std::format!("otpauth://totp/A:b?secret={S}"));
        assert_eq!(e.params.digits, 6);
        assert!(e.warnings.is_empty());
        assert_eq!(
            kind(&std::format!("otpauth://totp/A:b?secret={S}&digits=")),
            ErrorKind::InvalidParameter
        );
    }

    #[test]
    fn secrets() {
        assert_eq!(
            kind("otpauth://totp/A:b?issuer=A"),
            ErrorKind::InvalidSecret
        );
        assert_eq!(
            kind("otpauth://totp/A:b?secret=&issuer=A"),
            ErrorKind::InvalidSecret
        );
        assert!(parse("otpauth://totp/A:b?issuer=A")
            .unwrap_err()
            .message()
            .contains("has no secret"));
        assert_eq!(
            kind("otpauth://totp/A:b?secret=JBSW1Y3DP8EHPK0"),
            ErrorKind::InvalidSecret
        );
        let e = ok("otpauth://totp/A:b?secret=jbsw+y3dp-ehpk+3pxp%3D%3D");
        assert_eq!(e.secret.to_base32(), "JBSWY3DPEHPK3PXP");
        assert_eq!(e.warnings, vec![Warning::WeakSecret { bits: 80 }]);
        assert!(ok(&std::format!("otpauth://totp/A:b?secret={S}"))
            .warnings
            .is_empty());
    }

    #[test]
    fn malformed_otpauth() {
        assert_eq!(
            kind(&std::format!("otpauth://?secret={S}")),
            ErrorKind::InvalidUri
        );
        assert_eq!(
            kind(&std::format!("otpauth:///A:b?secret={S}")),
            ErrorKind::InvalidUri
        );
        assert_eq!(
            kind(&std::format!("otpauth://totp/A:b&secret={S}")),
            ErrorKind::InvalidUri
        );
        assert_eq!(
            kind(&std::format!("otpauth:totp/A:b?secret={S}")),
            ErrorKind::InvalidUri
        );
        // Unknown and bare parameters are fine.
        let e = ok(&std::format!(
            "otpauth://totp/A:b?secret={S}&x&image=http%3A%2F%2Fa"
        ));
        assert_eq!(e.account, "b");
    }

    #[test]
    fn format_round_trips() {
        let secret = || Secret::from_base32(S).unwrap();
        let cases = [
            ("Acme", "bo@example.test", OtpType::Totp),
            ("Ledger: Home Box", "rosa", OtpType::Totp),
            ("", "no:issuer", OtpType::Totp),
            ("", "plain", OtpType::Hotp),
            ("Łódź+Café & Co", "a b%c?d#e", OtpType::Hotp),
            ("Juniper", "", OtpType::Totp),
        ];
        for (issuer, account, otp_type) in cases {
            let e = Enrolment {
                issuer: issuer.into(),
                account: account.into(),
                secret: secret(),
                params: Params {
                    otp_type,
                    algorithm: Algorithm::Sha256,
                    digits: 8,
                    period: if otp_type == OtpType::Totp { 45 } else { 30 },
                    counter: if otp_type == OtpType::Hotp { 99 } else { 0 },
                },
                warnings: vec![],
            };
            let text = format(&e);
            assert_eq!(parse(&text).unwrap(), e, "{text}");
        }
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let e = ok(&std::format!("otpauth://totp/A:b?secret={S}"));
        let dbg = std::format!("{e:?} {e:#?}");
        assert!(!dbg.contains(S), "{dbg}");
        assert!(!dbg.contains(&S[..16]), "{dbg}");
    }
}
