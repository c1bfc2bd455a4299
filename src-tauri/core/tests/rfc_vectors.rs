//! Code generation against the published test vectors (RFC 6238 Appendix B, RFC 4226 Appendix D)
//! and against the reference `oathtool` binary (OATH Toolkit) for generated secrets and parameters
//! (that one needs `oathtool`: it runs only with `SPSE_E2E=1`, as `.ci/test` sets).

use spse_auth_core::otp::{self, Algorithm, OtpType, Params, Secret};
use spse_auth_test_support::{e2e_enabled, oathtool_hotp, oathtool_totp, Rng};

/// The RFC's ASCII seed "1234567890…" repeated to `len` bytes (20 for SHA1, 32 for SHA256, 64 for
/// SHA512, as in RFC 6238 Appendix A's reference code).
fn rfc_seed(len: usize) -> Secret {
    let bytes: Vec<u8> = b"1234567890".iter().copied().cycle().take(len).collect();
    Secret::from_bytes(bytes).unwrap()
}

#[test]
fn rfc6238_appendix_b() {
    // (time, SHA1, SHA256, SHA512), 8 digits, period 30, T0 = 0.
    const ROWS: [(u64, &str, &str, &str); 6] = [
        (59, "94287082", "46119246", "90693936"),
        (1111111109, "07081804", "68084774", "25091201"),
        (1111111111, "14050471", "67062674", "99943326"),
        (1234567890, "89005924", "91819424", "93441116"),
        (2000000000, "69279037", "90698825", "38618901"),
        (20000000000, "65353130", "77737706", "47863826"),
    ];
    let mut checked = 0;
    for (t, sha1, sha256, sha512) in ROWS {
        for (alg, len, want) in [
            (Algorithm::Sha1, 20, sha1),
            (Algorithm::Sha256, 32, sha256),
            (Algorithm::Sha512, 64, sha512),
        ] {
            let got = otp::totp(&rfc_seed(len), alg, 8, 30, t);
            assert_eq!(got, want, "RFC 6238 {alg:?} at T={t}");
            checked += 1;
        }
    }
    assert_eq!(checked, 18);
}

#[test]
fn rfc4226_appendix_d() {
    const CODES: [&str; 10] = [
        "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871",
        "520489",
    ];
    let secret = rfc_seed(20);
    for (counter, want) in CODES.iter().enumerate() {
        let counter = counter as u64;
        assert_eq!(
            otp::hotp(&secret, Algorithm::Sha1, 6, counter),
            *want,
            "RFC 4226 counter {counter}"
        );
        let params = Params {
            otp_type: OtpType::Hotp,
            counter,
            ..Params::default()
        };
        // code_at ignores the time for HOTP.
        assert_eq!(otp::code_at(&secret, &params, 1_700_000_000), *want);
    }
}

#[test]
fn ten_digit_codes_extend_the_nine_digit_ones() {
    // The 31-bit truncated value is below 10^10, so the 10-digit code is that value zero-padded
    // and its last 9 (8) digits are the 9-digit (8-digit) code.
    let secret = rfc_seed(20);
    for t in [59u64, 1111111109, 2000000000] {
        let ten = otp::totp(&secret, Algorithm::Sha1, 10, 30, t);
        let nine = otp::totp(&secret, Algorithm::Sha1, 9, 30, t);
        let eight = otp::totp(&secret, Algorithm::Sha1, 8, 30, t);
        assert_eq!(ten.len(), 10);
        assert_eq!(&ten[1..], nine);
        assert_eq!(&ten[2..], eight);
        assert!(ten.parse::<u64>().unwrap() < 1 << 31);
    }
}

#[test]
fn seconds_left_counts_down_to_the_next_step() {
    assert_eq!(otp::seconds_left(30, 1_700_000_009), 1);
    assert_eq!(otp::seconds_left(30, 1_700_000_010), 30);
    assert_eq!(otp::seconds_left(60, 1_700_000_000), 40);
    assert_eq!(otp::seconds_left(1, 12345), 1);
}

#[test]
fn matches_oathtool_for_generated_cases() {
    if !e2e_enabled("oathtool") {
        return;
    }
    // A fixed seed: the same 50 cases every run.
    let mut rng = Rng::new(0x5eed_1234_abcd_0042);
    let mut compared = 0;
    for case in 0..50 {
        let len = [10, 16, 20, 32, 64, 5 + rng.below(60) as usize][rng.below(6) as usize];
        let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        let secret = Secret::from_bytes(bytes).unwrap();
        let b32 = secret.to_base32();
        // Our Base32 parser must read back what we wrote.
        assert_eq!(Secret::from_base32(&b32).unwrap(), secret);
        let digits = [6u8, 7, 8][rng.below(3) as usize];

        if case % 5 == 4 {
            // HOTP (oathtool's HOTP is SHA1 only).
            let counter = rng.below(1 << 40);
            let ours = otp::hotp(&secret, Algorithm::Sha1, digits, counter);
            let theirs = oathtool_hotp(&b32, u32::from(digits), counter);
            assert_eq!(
                ours, theirs,
                "case {case}: HOTP c={counter} d={digits} len={len}"
            );
        } else {
            let (alg, mode) = [
                (Algorithm::Sha1, "sha1"),
                (Algorithm::Sha256, "sha256"),
                (Algorithm::Sha512, "sha512"),
            ][rng.below(3) as usize];
            let period = [30u32, 60][rng.below(2) as usize];
            let t = rng.below(4_000_000_000);
            let ours = otp::totp(&secret, alg, digits, period, t);
            let theirs = oathtool_totp(&b32, mode, u32::from(digits), period, t);
            assert_eq!(
                ours, theirs,
                "case {case}: TOTP {mode} d={digits} p={period} t={t} len={len}"
            );
            // Same through Params/code_at.
            let params = Params {
                otp_type: OtpType::Totp,
                algorithm: alg,
                digits,
                period,
                counter: 0,
            };
            assert_eq!(otp::code_at(&secret, &params, t), theirs);
        }
        compared += 1;
    }
    assert_eq!(compared, 50);
}
