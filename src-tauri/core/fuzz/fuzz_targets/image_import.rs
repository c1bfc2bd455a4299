//! Arbitrary bytes as an image to import (QR decoding included): never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use spse_auth_core::import;

fuzz_target!(|data: &[u8]| {
    let _ = import::from_image(data, "fuzz");
});
