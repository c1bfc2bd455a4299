//! Arbitrary bytes as the protobuf payload of a Google Authenticator export: never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use spse_auth_core::migration;

fuzz_target!(|data: &[u8]| {
    // The payload as the export carries it (Base64, percent-encoded) ...
    let mut b64 = String::new();
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for c in data.chunks(3) {
        let n = c
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..=c.len() {
            b64.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    let enc = b64.replace('+', "%2B").replace('/', "%2F");
    let _ = migration::parse(&format!("otpauth-migration://offline?data={enc}"));
    // ... and as raw text.
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = migration::parse(text);
    }
});
