//! Codes from `oathtool` (OATH Toolkit), the independent reference implementation the tests compare
//! with. Gate the calling test with [`crate::e2e_enabled`]: `oathtool` is not part of Rust.

use std::process::Command;

fn run(args: &[String]) -> String {
    let out = Command::new("oathtool")
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run oathtool ({e}); install it (Debian/Ubuntu: apt-get install oathtool)"
            )
        });
    assert!(
        out.status.success(),
        "oathtool {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("oathtool prints UTF-8")
        .trim()
        .to_string()
}

/// The TOTP code `oathtool` computes for the Base32 `secret_b32` at Unix time `t`; `algorithm` is
/// `SHA1`, `SHA256` or `SHA512` (any case).
pub fn oathtool_totp(
    secret_b32: &str,
    algorithm: &str,
    digits: u32,
    period: u32,
    t: u64,
) -> String {
    run(&[
        format!("--totp={}", algorithm.to_lowercase()),
        "--base32".into(),
        "-d".into(),
        digits.to_string(),
        "-s".into(),
        format!("{period}s"),
        "-N".into(),
        format!("@{t}"),
        secret_b32.into(),
    ])
}

/// The HOTP code `oathtool` computes for the Base32 `secret_b32` at `counter` (SHA1: the only
/// HOTP algorithm `oathtool` offers).
pub fn oathtool_hotp(secret_b32: &str, digits: u32, counter: u64) -> String {
    run(&[
        "--hotp".into(),
        "--base32".into(),
        "-c".into(),
        counter.to_string(),
        "-d".into(),
        digits.to_string(),
        secret_b32.into(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_and_rfc4226_vectors_through_oathtool() {
        if !crate::e2e_enabled("oathtool") {
            return;
        }
        // The RFCs' seed "12345678901234567890" in Base32.
        let seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assert_eq!(oathtool_totp(seed, "SHA1", 8, 30, 59), "94287082");
        assert_eq!(oathtool_hotp(seed, 6, 1), "287082");
    }
}
