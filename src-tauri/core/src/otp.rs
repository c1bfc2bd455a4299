//! Secrets and one-time codes of three types: TOTP (RFC 6238), HOTP (RFC 4226) and Steam Guard.
//!
//! Code generation is delegated to `totp-rs` (its non-compliant builder, since real services issue
//! 80-bit secrets; its `steam` feature for Steam Guard); validation and messages are ours. A TOTP
//! code at Unix time `t` with period `p` is HOTP at counter `floor(t / p)`; HOTP at counter `c` is
//! computed as TOTP with period 1 at time `c`. A Steam Guard code is TOTP with HMAC-SHA1 and a
//! 30-second period whose RFC 4226 dynamic truncation is written as 5 characters of Steam's
//! alphabet [`STEAM_ALPHABET`] (least significant first) instead of decimal digits.
//!
//! Invariants: a [`Params`] that passed [`Params::validate`] has 1–10 digits and a period of
//! 1–86400 s; a Steam one is exactly [`Params::steam`] (SHA1, 5 characters, 30 s, counter 0), so
//! code generation never panics and a Steam code is always 5 characters.

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Error, ErrorKind, Result};

/// A shared secret: raw key bytes (not Base32). Zeroized on drop; `Debug` prints only its length.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps raw key bytes. Errors with [`ErrorKind::InvalidSecret`] when `bytes` is empty.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self> {
        if bytes.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidSecret,
                "invalid secret: it is empty",
            ));
        }
        Ok(Secret(bytes))
    }

    /// Parses a Base32 secret (RFC 4648 alphabet) the way real enrolments write it: spaces, `-`, `+`
    /// and trailing `=` (or `%3D`) are removed and letters upper-cased before decoding.
    ///
    /// Errors: [`ErrorKind::InvalidSecret`] naming the offending characters (never the secret) when
    /// anything else remains, or when the result is empty or not a valid Base32 length.
    pub fn from_base32(text: &str) -> Result<Self> {
        // Built in one allocation of the input's length (the filter only removes characters, so it
        // never grows and moves) and upper-cased and trimmed in place, then zeroized: no copy of the
        // secret made here is left behind. The caller's `text` is the caller's to zeroize.
        let mut cleaned = String::with_capacity(text.len());
        cleaned.extend(
            text.chars()
                .filter(|c| !matches!(c, ' ' | '-' | '+' | '\t')),
        );
        cleaned.make_ascii_uppercase();
        loop {
            if let Some(rest) = cleaned.strip_suffix('=') {
                cleaned.truncate(rest.len());
            } else if let Some(rest) = cleaned.strip_suffix("%3D") {
                cleaned.truncate(rest.len());
            } else {
                break;
            }
        }
        let mut bad: Vec<char> = cleaned
            .chars()
            .filter(|c| !matches!(c, 'A'..='Z' | '2'..='7'))
            .collect();
        if !bad.is_empty() {
            bad.sort_unstable();
            bad.dedup();
            let list: Vec<String> = bad.iter().map(|c| format!("'{c}'")).collect();
            cleaned.zeroize();
            return Err(Error::new(
                ErrorKind::InvalidSecret,
                format!(
                    "invalid secret: {} {} not Base32 (only A–Z and 2–7 are allowed)",
                    list.join(", "),
                    if bad.len() == 1 { "is" } else { "are" }
                ),
            ));
        }
        if cleaned.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidSecret,
                "invalid secret: it is empty",
            ));
        }
        let decoded = base32_lenient().decode(cleaned.as_bytes());
        cleaned.zeroize();
        match decoded {
            Ok(bytes) if !bytes.is_empty() => Ok(Secret(bytes)),
            _ => Err(Error::new(
                ErrorKind::InvalidSecret,
                "invalid secret: its length is not a valid Base32 length (a character is missing or extra)",
            )),
        }
    }

    /// The secret as unpadded upper-case Base32 — only for an export the user asked for and for the
    /// vault's encrypted payload.
    pub fn to_base32(&self) -> String {
        data_encoding::BASE32_NOPAD.encode(&self.0)
    }

    /// Raw key bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Key length in bits (e.g. 80 or 160).
    pub fn bits(&self) -> usize {
        self.0.len() * 8
    }

    /// True for secrets under 128 bits (RFC 4226 §4 requires 128, recommends 160): accepted, but noted.
    pub fn is_weak(&self) -> bool {
        self.bits() < 128
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret(<redacted, {} bits>)", self.bits())
    }
}

/// RFC 4648 Base32 without padding that ignores non-zero trailing bits (some issuers emit them).
fn base32_lenient() -> data_encoding::Encoding {
    let mut spec = data_encoding::Specification::new();
    spec.symbols.push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    spec.check_trailing_bits = false;
    spec.encoding()
        .unwrap_or_else(|_| data_encoding::BASE32_NOPAD.clone())
}

/// HMAC hash function of the code (the Key URI's `algorithm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "UPPERCASE")]
pub enum Algorithm {
    /// HMAC-SHA-1, the default.
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl Algorithm {
    /// Parses `SHA1`, `SHA256`, `SHA512`, case-insensitive. Anything else is an
    /// [`ErrorKind::UnsupportedAlgorithm`] error — never a silent SHA1 fallback.
    pub fn parse(text: &str) -> Result<Self> {
        match text.to_ascii_uppercase().as_str() {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(Error::new(
                ErrorKind::UnsupportedAlgorithm,
                format!(
                    "unsupported algorithm '{}': only SHA1, SHA256 and SHA512 are supported",
                    text.chars().take(20).collect::<String>()
                ),
            )),
        }
    }

    /// `SHA1`, `SHA256` or `SHA512`, as written in a Key URI.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }
}

/// The kind of one-time password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OtpType {
    /// Time-based, RFC 6238.
    Totp,
    /// Counter-based, RFC 4226.
    Hotp,
    /// Steam Guard: time-based (SHA1, 30 s) with 5 characters of [`STEAM_ALPHABET`].
    Steam,
}

impl OtpType {
    /// `totp`, `hotp` or `steam` (as in Key URIs and the vault).
    pub fn as_str(self) -> &'static str {
        match self {
            OtpType::Totp => "totp",
            OtpType::Hotp => "hotp",
            OtpType::Steam => "steam",
        }
    }

    /// True for the types whose code changes with the time (TOTP and Steam), false for HOTP.
    pub fn is_time_based(self) -> bool {
        !matches!(self, OtpType::Hotp)
    }
}

/// The 26 characters of a Steam Guard code (digits and consonants without look-alikes).
pub const STEAM_ALPHABET: &str = "23456789BCDFGHJKMNPQRTVWXY";

/// Allowed range of `digits` (Key URIs, other apps' exports, the vault). Under
/// [`SHORT_DIGITS`] a code is accepted with [`crate::enrolment::Warning::ShortCode`].
pub const DIGITS_RANGE: std::ops::RangeInclusive<u8> = 1..=10;
/// Fewest digits that get no warning (RFC 4226 §5.3 asks for at least 6). Manual entry
/// ([`crate::enrolment::Enrolment::manual`]) allows only 6–10: short codes come only from enrolments
/// and exports other apps wrote.
pub const SHORT_DIGITS: u8 = 6;
/// Allowed range of `period`, in seconds.
pub const PERIOD_RANGE: std::ops::RangeInclusive<u32> = 1..=86_400;

/// Code parameters: type, algorithm, digits (1–10), period in seconds (1–86400, TOTP) and counter
/// (HOTP; the counter of the *next* code to show). Steam Guard's are fixed: [`Params::steam`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Params {
    /// TOTP, HOTP or Steam.
    #[serde(rename = "type")]
    pub otp_type: OtpType,
    /// HMAC hash.
    pub algorithm: Algorithm,
    /// Number of digits, 1–10 (Steam: 5 characters).
    pub digits: u8,
    /// TOTP and Steam time step in seconds, 1–86400 (30 for HOTP, unused).
    pub period: u32,
    /// HOTP moving factor (0 for TOTP, unused).
    pub counter: u64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            otp_type: OtpType::Totp,
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: 30,
            counter: 0,
        }
    }
}

impl Params {
    /// Steam Guard's parameters, the only ones a Steam code has: SHA1, 5 characters, 30 seconds.
    pub const fn steam() -> Self {
        Params {
            otp_type: OtpType::Steam,
            algorithm: Algorithm::Sha1,
            digits: 5,
            period: 30,
            counter: 0,
        }
    }

    /// Checks `digits` and `period` ranges, and that a Steam account has exactly
    /// [`Params::steam`]. Errors: [`ErrorKind::InvalidParameter`].
    pub fn validate(&self) -> Result<()> {
        if self.otp_type == OtpType::Steam && *self != Params::steam() {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                format!(
                    "a Steam Guard code has 5 characters, SHA1 and a 30-second period, not {} \
                     digits, {} and {} seconds",
                    self.digits,
                    self.algorithm.as_str(),
                    self.period
                ),
            ));
        }
        if !DIGITS_RANGE.contains(&self.digits) {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                format!("digits must be between 1 and 10, not {}", self.digits),
            ));
        }
        if !PERIOD_RANGE.contains(&self.period) {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                format!(
                    "period must be between 1 and 86400 seconds, not {}",
                    self.period
                ),
            ));
        }
        Ok(())
    }
}

fn totp_rs_algorithm(a: Algorithm) -> totp_rs::Algorithm {
    match a {
        Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
        Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
        Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
    }
}

/// The Steam Guard code at `unix_seconds`: the RFC 4226 §5.3 dynamic truncation of HMAC-SHA1 at
/// counter `floor(t / 30)`, written as 5 characters of [`STEAM_ALPHABET`], least significant first.
pub fn steam(secret: &Secret, unix_seconds: u64) -> String {
    let p = Params::steam();
    totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::Steam)
        .with_digits(p.digits)
        .with_step_duration(u64::from(p.period))
        .with_skew(0)
        .with_secret(secret.as_bytes().to_vec())
        .build_noncompliant()
        .generate(unix_seconds)
        .to_string()
}

/// The HOTP value (RFC 4226 §5.3) of `secret` at moving factor `counter`, zero-padded to `digits`.
pub fn hotp(secret: &Secret, algorithm: Algorithm, digits: u8, counter: u64) -> String {
    generate(secret, algorithm, digits, 1, counter)
}

/// The TOTP value (RFC 6238 §4) at `unix_seconds` (seconds since 1970-01-01 UTC) with a time step
/// of `period` seconds (T0 = 0), zero-padded to `digits`.
pub fn totp(
    secret: &Secret,
    algorithm: Algorithm,
    digits: u8,
    period: u32,
    unix_seconds: u64,
) -> String {
    generate(
        secret,
        algorithm,
        digits,
        u64::from(period.max(1)),
        unix_seconds,
    )
}

fn generate(secret: &Secret, algorithm: Algorithm, digits: u8, step: u64, time: u64) -> String {
    let t = totp_rs::Builder::new()
        .with_algorithm(totp_rs_algorithm(algorithm))
        .with_digits(digits)
        .with_step_duration(step)
        .with_skew(0)
        .with_secret(secret.as_bytes().to_vec())
        .build_noncompliant();
    if digits <= 9 {
        return t.generate(time).to_string();
    }
    // totp-rs panics for 10 digits (10^10 does not fit its u32 modulus). The RFC 4226 §5.3 dynamic
    // truncation yields a 31-bit value (< 10^10), so a 10-digit code is that value zero-padded.
    let mac = t.sign(time);
    let mac = mac.as_ref();
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let value = u32::from_be_bytes([
        mac[offset],
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ]) & 0x7fff_ffff;
    format!("{value:0width$}", width = usize::from(digits))
}

/// Seconds until the TOTP code shown at `unix_seconds` changes: `period - (t mod period)`, 1..=period.
pub fn seconds_left(period: u32, unix_seconds: u64) -> u32 {
    let p = u64::from(period.max(1));
    (p - unix_seconds % p) as u32
}

/// The code for `params` at `unix_seconds`: TOTP or Steam Guard at that time, or HOTP at
/// `params.counter` (time ignored). `params` must have passed [`Params::validate`] (a Steam code
/// always has Steam's fixed parameters, whatever `params` holds).
pub fn code_at(secret: &Secret, params: &Params, unix_seconds: u64) -> String {
    match params.otp_type {
        OtpType::Totp => totp(
            secret,
            params.algorithm,
            params.digits,
            params.period,
            unix_seconds,
        ),
        OtpType::Hotp => hotp(secret, params.algorithm, params.digits, params.counter),
        OtpType::Steam => steam(secret, unix_seconds),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes made by an independent implementation, npm `steam-totp` 2.1.2
    /// (`node tests/steam/codes.mjs --vectors`): `base32 or -`, `base64`, time, code.
    const STEAM_VECTORS: &str = include_str!("../../../tests/data/steam_vectors.tsv");

    #[test]
    fn steam_codes_equal_the_independent_vectors() {
        let mut checked = 0;
        for line in STEAM_VECTORS.lines().filter(|l| !l.starts_with('#')) {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 4, "{line}");
            let bytes = data_encoding::BASE64
                .decode(cols[1].as_bytes())
                .expect("base64");
            let secret = Secret::from_bytes(bytes).expect("secret");
            if cols[0] != "-" {
                assert_eq!(Secret::from_base32(cols[0]).expect("base32"), secret);
            }
            let t: u64 = cols[2].parse().expect("time");
            assert_eq!(steam(&secret, t), cols[3], "{line}");
            assert_eq!(code_at(&secret, &Params::steam(), t), cols[3], "{line}");
            checked += 1;
        }
        assert!(checked >= 60, "only {checked} vectors");
    }

    #[test]
    fn steam_codes_use_the_alphabet_and_change_every_30_seconds() {
        let secret = Secret::from_base32("GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2").unwrap();
        for t in (0..3000).step_by(7) {
            let code = steam(&secret, t);
            assert_eq!(code.chars().count(), 5, "{code}");
            assert!(code.chars().all(|c| STEAM_ALPHABET.contains(c)), "{code}");
            assert_eq!(code, steam(&secret, t - t % 30), "{t}");
        }
        assert_eq!(STEAM_ALPHABET.len(), 26);
    }

    #[test]
    fn steam_params_are_fixed() {
        assert!(Params::steam().validate().is_ok());
        for p in [
            Params {
                digits: 6,
                ..Params::steam()
            },
            Params {
                algorithm: Algorithm::Sha256,
                ..Params::steam()
            },
            Params {
                period: 60,
                ..Params::steam()
            },
            Params {
                counter: 1,
                ..Params::steam()
            },
        ] {
            let err = p.validate().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidParameter, "{p:?}");
            assert!(err.message().contains("Steam Guard"), "{err}");
        }
        assert!(OtpType::Steam.is_time_based() && OtpType::Totp.is_time_based());
        assert!(!OtpType::Hotp.is_time_based());
        assert_eq!(
            serde_json::to_value(OtpType::Steam).unwrap(),
            serde_json::json!("steam")
        );
    }

    #[test]
    fn digits_from_1_to_10_are_valid_and_give_codes_of_that_length() {
        let secret = Secret::from_base32("GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2").unwrap();
        for digits in 1..=10 {
            let p = Params {
                digits,
                ..Params::default()
            };
            assert!(p.validate().is_ok(), "{digits}");
            assert_eq!(code_at(&secret, &p, 59).len(), usize::from(digits));
        }
        for digits in [0, 11] {
            let p = Params {
                digits,
                ..Params::default()
            };
            assert_eq!(
                p.validate().unwrap_err().kind(),
                ErrorKind::InvalidParameter
            );
        }
    }
}
