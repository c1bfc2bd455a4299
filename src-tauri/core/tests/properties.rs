//! Property tests: arbitrary input to the Key URI parser, the migration decoder, the image import
//! and the vault reader never panics, and never changes the vault (nor writes a key).
//! The same entry points are `cargo fuzz` targets in `fuzz/` (run outside CI).

use proptest::prelude::*;
use spse_auth_core::accounts::Store;
use spse_auth_core::{import, migration, uri, ErrorKind};
use spse_auth_test_support::MemKeys;

/// A vault with two accounts in a fresh folder.
fn vault() -> (tempfile::TempDir, MemKeys, Vec<u8>) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let keys = MemKeys::default();
    let mut s = Store::with_keystore(tmp.path(), Box::new(keys.clone()));
    let e = import::from_text(
        "otpauth://totp/Kota%20Uji:satu?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Kota%20Uji\n\
         otpauth://totp/Kota%20Uji:dua?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=Kota%20Uji",
    )
    .expect("valid");
    s.add(e, false).expect("add");
    let bytes = std::fs::read(s.vault_path()).expect("vault");
    (tmp, keys, bytes)
}

/// Text that looks like a Key URI often enough to reach deep into the parser.
fn uri_like() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        Just("otpauth://".to_string()),
        Just("totp/".to_string()),
        Just("hotp/".to_string()),
        Just("Kota%20Uji:".to_string()),
        Just("?secret=".to_string()),
        Just("&issuer=".to_string()),
        Just("&digits=".to_string()),
        Just("&period=".to_string()),
        Just("&counter=".to_string()),
        Just("&algorithm=SHA512".to_string()),
        Just("%".to_string()),
        "[A-Z2-7=]{0,40}",
        "[0-9]{0,25}",
        "\\PC{0,12}",
    ];
    proptest::collection::vec(part, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn key_uri_parser_never_panics(text in uri_like(), junk in "\\PC{0,200}") {
        let _ = uri::parse(&text);
        let _ = import::parse_payload(&text);
        let _ = uri::parse(&junk);
        let _ = import::from_text(&format!("{text}\n{junk}"));
        if let Ok(e) = uri::parse(&text) {
            // What parses formats and parses back to the same enrolment.
            let again = uri::parse(&uri::format(&e)).expect("formatted URI parses");
            prop_assert_eq!(again.secret, e.secret);
            prop_assert_eq!(again.params, e.params);
        }
    }

    #[test]
    fn migration_decoder_never_panics(data in proptest::collection::vec(any::<u8>(), 0..400), raw in "\\PC{0,100}") {
        let b64 = data_encoding::BASE64.encode(&data);
        let enc: String = percent_encoding::utf8_percent_encode(&b64, percent_encoding::NON_ALPHANUMERIC).to_string();
        let _ = migration::parse(&format!("otpauth-migration://offline?data={enc}"));
        let _ = migration::parse(&format!("otpauth-migration://offline?data={b64}"));
        let _ = migration::parse(&format!("otpauth-migration://offline?data={raw}"));
        let _ = import::parse_payload(&format!("otpauth-migration://offline?data={enc}"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn image_import_never_panics(
        head in prop_oneof![
            Just(b"\x89PNG\r\n\x1a\n".to_vec()),
            Just(vec![0xFF, 0xD8, 0xFF]),
            Just(b"GIF89a".to_vec()),
            Just(b"BM".to_vec()),
            Just(b"RIFF\0\0\0\0WEBPVP8 ".to_vec()),
            Just(Vec::new()),
        ],
        body in proptest::collection::vec(any::<u8>(), 0..2000),
    ) {
        let bytes = [head, body].concat();
        if let Err(e) = import::from_image(&bytes, "fuzz") {
            prop_assert!(!matches!(e.kind(), ErrorKind::VaultDamaged | ErrorKind::Io));
        }
    }

    /// A vault file of arbitrary bytes: every operation fails cleanly, the file is untouched and
    /// no key is written.
    #[test]
    fn arbitrary_vault_bytes_are_refused_and_left_untouched(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let keys = MemKeys::default();
        let path = tmp.path().join("vault.spse");
        std::fs::write(&path, &bytes).expect("write");
        let mut s = Store::with_keystore(tmp.path(), Box::new(keys.clone()));
        prop_assert!(s.list().is_err());
        let e = import::from_text("otpauth://totp/X:y?secret=GEZDGNBVGY3TQOJQ&issuer=X").expect("valid");
        prop_assert!(s.add(e, false).is_err());
        prop_assert_eq!(std::fs::read(&path).expect("read"), bytes);
        prop_assert!(keys.is_empty(), "a key was written");
    }

    /// A real vault with bytes flipped, cut or inserted: refused as damaged (or unsupported), left
    /// untouched; the unmodified vault still opens afterwards.
    #[test]
    fn mutated_vaults_are_refused_and_left_untouched(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
    ) {
        let (tmp, keys, good) = vault();
        let mut bad = good.clone();
        for (at, byte, op) in edits {
            if bad.is_empty() { break; }
            let i = at.index(bad.len());
            match op {
                0 => bad[i] ^= byte | 1,
                1 => bad.truncate(i),
                _ => bad.insert(i, byte),
            }
        }
        prop_assume!(bad != good);
        let path = tmp.path().join("vault.spse");
        std::fs::write(&path, &bad).expect("write");
        let mut s = Store::with_keystore(tmp.path(), Box::new(keys.clone()));
        let err = s.list().expect_err("a changed vault must not open");
        // An edit that turns the header's vault id into another well-formed id points at a keyring
        // entry that does not exist: without the key that cannot be told from a lost key, so
        // "vault key missing" is also a correct refusal (nothing is written either way).
        prop_assert!(
            matches!(err.kind(), ErrorKind::VaultDamaged | ErrorKind::VaultUnsupported | ErrorKind::VaultKeyMissing),
            "{}", err
        );
        let e = import::from_text("otpauth://totp/X:y?secret=GEZDGNBVGY3TQOJQ&issuer=X").expect("valid");
        prop_assert!(s.add(e, false).is_err());
        prop_assert_eq!(std::fs::read(&path).expect("read"), bad);
        std::fs::write(&path, &good).expect("write");
        prop_assert_eq!(s.list().expect("opens").len(), 2);
    }
}
