//! Arbitrary text into the Key URI parser and the text import: never panics; what parses formats
//! and parses back to the same secret and parameters.
#![no_main]
use libfuzzer_sys::fuzz_target;
use spse_auth_core::{import, uri};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = import::parse_payload(text);
    let _ = import::from_text(text);
    if let Ok(e) = uri::parse(text) {
        let again = uri::parse(&uri::format(&e)).expect("a formatted URI parses");
        assert!(again.secret == e.secret && again.params == e.params);
    }
});
