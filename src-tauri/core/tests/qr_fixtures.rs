//! QR import on the project's fixtures (tests/data/fixtures, tests/data/cases-qr) and on bad input.
//!
//! Expected payloads come from the sidecar files (`<name>.txt`, `<name>.2.txt`, UTF-8, no trailing
//! newline) and from cases.tsv rows C069–C081; nothing here is a recorded decoder output.

use std::path::{Path, PathBuf};

use spse_auth_core::error::Detail;
use spse_auth_core::qr;
use spse_auth_core::ErrorKind;

fn data() -> PathBuf {
    spse_auth_test_support::data_dir()
}

fn fixtures() -> PathBuf {
    data().join("fixtures")
}

fn read(p: &Path) -> Option<String> {
    std::fs::read_to_string(p).ok()
}

/// Every fixture of manifest.json: (file, expected payloads from the sidecars, sorted).
fn manifest() -> Vec<(String, Vec<String>)> {
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&fixtures().join("manifest.json")).expect("manifest.json"))
            .expect("manifest is JSON");
    manifest["fixtures"]
        .as_array()
        .expect("fixtures array")
        .iter()
        .map(|f| {
            let file = f["file"].as_str().expect("file").to_owned();
            let stem = fixtures().join(&file).with_extension("");
            let mut expected: Vec<String> = ["txt", "2.txt"]
                .iter()
                .filter_map(|ext| read(&PathBuf::from(format!("{}.{ext}", stem.display()))))
                .filter(|t| !t.is_empty())
                .collect();
            expected.sort();
            (file, expected)
        })
        .collect()
}

#[test]
fn every_fixture_decodes_to_its_sidecar_payloads() {
    let all = manifest();
    assert_eq!(all.len(), 24, "fixture count");
    let mut failures = Vec::new();
    for (file, expected) in &all {
        let path = fixtures().join(file);
        match qr::decode_file(&path) {
            Ok(mut texts) => {
                texts.sort();
                if texts != *expected {
                    // Report counts only: payloads hold (made-up) secrets.
                    failures.push(format!(
                        "{file}: decoded {} text(s), {} expected, equal: false",
                        texts.len(),
                        expected.len()
                    ));
                }
            }
            Err(e) if expected.is_empty() && e.kind() == ErrorKind::NoQrFound => {}
            Err(e) => failures.push(format!("{file}: {} ({})", e.message(), e.kind())),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn no_qr_page_is_no_qr_found_naming_the_file() {
    let path = fixtures().join("09_no_qr_page.png");
    let err = qr::decode_file(&path).expect_err("09 has no QR code");
    assert_eq!(err.kind(), ErrorKind::NoQrFound);
    assert!(
        err.message().contains("09_no_qr_page.png"),
        "{}",
        err.message()
    );
    assert_eq!(err.detail, Detail::Path(path));
}

#[test]
fn two_codes_come_in_reading_order() {
    // 08: the app-download URL at the left, the otpauth code at the right, on one row.
    let image = image::open(fixtures().join("08_two_qr_codes.png")).expect("08 loads");
    let texts = qr::decode(&image);
    let url = read(&fixtures().join("08_two_qr_codes.2.txt")).expect("08 .2.txt");
    let otpauth = read(&fixtures().join("08_two_qr_codes.txt")).expect("08 .txt");
    assert!(texts == [url, otpauth], "left-to-right order expected");
    let symbols = qr::decode_symbols(&image);
    assert_eq!(symbols.len(), 2);
    assert!(symbols[0].bounds[0] < symbols[1].bounds[0]);
    // Positions are in the input's pixels.
    for s in &symbols {
        let [l, t, r, b] = s.bounds;
        assert!(
            0.0 <= l && l < r && r <= 1920.0 && 0.0 <= t && t < b && b <= 1080.0,
            "{s:?}"
        );
    }
}

#[test]
fn hidpi_positions_are_in_input_pixels() {
    // The 4K screenshot is decoded from a half-size copy first; positions must map back.
    let big = image::open(fixtures().join("03a_screenshot_3840x2160_hidpi.png")).expect("03a");
    let small = image::open(fixtures().join("02_screenshot_1920x1080.png")).expect("02");
    let (b, s) = (qr::decode_symbols(&big), qr::decode_symbols(&small));
    assert_eq!((b.len(), s.len()), (1, 1));
    assert_eq!(b[0].text, s[0].text);
    for i in 0..4 {
        let ratio = b[0].bounds[i] / s[0].bounds[i];
        assert!((1.9..2.1).contains(&ratio), "bound {i}: ratio {ratio}");
    }
}

#[test]
fn debug_output_hides_the_text() {
    let image = image::open(fixtures().join("01_clean_qr.png")).expect("01");
    let symbols = qr::decode_symbols(&image);
    let debug = format!("{symbols:?}");
    assert!(!debug.contains("secret="), "{debug}");
    assert!(debug.contains("chars"), "{debug}");
}

#[test]
fn transparent_background_is_composited_over_white() {
    // Black modules on a fully transparent background (RGBA 0,0,0,0): without compositing the
    // whole image would read as black.
    let gray = image::open(fixtures().join("01_clean_qr.png"))
        .expect("01")
        .to_luma8();
    let rgba = image::RgbaImage::from_fn(gray.width(), gray.height(), |x, y| {
        if gray.get_pixel(x, y).0[0] < 128 {
            image::Rgba([0, 0, 0, 255])
        } else {
            image::Rgba([0, 0, 0, 0])
        }
    });
    let texts = qr::decode(&image::DynamicImage::ImageRgba8(rgba));
    assert_eq!(
        texts,
        [read(&fixtures().join("01_clean_qr.txt")).expect("01 txt")]
    );
}

#[test]
fn truncated_png_is_unreadable() {
    let bytes = std::fs::read(fixtures().join("01_clean_qr.png")).expect("01");
    let err = qr::decode_bytes(&bytes[..bytes.len() / 2], "clipboard image").expect_err("cut");
    assert_eq!(err.kind(), ErrorKind::ImageUnreadable, "{}", err.message());
    assert!(
        err.message()
            .starts_with("cannot read clipboard image as an image (PNG, JPEG, WebP, BMP or GIF): "),
        "{}",
        err.message()
    );
}

#[test]
fn non_image_files_are_unreadable() {
    let err = qr::decode_bytes(b"otpauth://totp/not-an-image", "notes.txt").expect_err("text");
    assert_eq!(err.kind(), ErrorKind::ImageUnreadable);
    assert!(err.message().contains("notes.txt"));
    assert!(!err.message().contains("otpauth"), "content leaked");

    let err = qr::decode_bytes(&[], "empty.png").expect_err("empty");
    assert_eq!(err.kind(), ErrorKind::ImageUnreadable);

    let sidecar = fixtures().join("01_clean_qr.txt");
    let err = qr::decode_file(&sidecar).expect_err("a .txt file");
    assert_eq!(err.kind(), ErrorKind::ImageUnreadable);
    assert!(!err.message().contains("secret"), "content leaked");

    let missing = fixtures().join("does-not-exist.png");
    let err = qr::decode_file(&missing).expect_err("missing");
    assert_eq!(err.kind(), ErrorKind::ImageUnreadable);
    assert!(err.message().contains("does-not-exist.png"));
    assert_eq!(err.detail, Detail::Path(missing));
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG with a valid header claiming `width`×`height` (8-bit RGBA) and a few bytes of data.
fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    };
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(b"IEND", &[]);
    out
}

#[test]
fn huge_png_header_is_refused_before_decoding() {
    // 100000×100000 RGBA would need 40 GB; the guard must answer from the header alone.
    let started = std::time::Instant::now();
    let err = qr::decode_bytes(&png_header_only(100_000, 100_000), "bomb.png").expect_err("bomb");
    assert_eq!(err.kind(), ErrorKind::ImageTooLarge, "{}", err.message());
    assert_eq!(err.detail, Detail::Size(100_000, 100_000));
    assert!(
        err.message()
            .starts_with("image too large: 100000×100000 pixels (the limit is "),
        "{}",
        err.message()
    );
    assert!(
        started.elapsed().as_secs() < 2,
        "took {:?}",
        started.elapsed()
    );

    // One side over the limit, few pixels in total.
    let err = qr::decode_bytes(&png_header_only(20_000, 10), "strip.png").expect_err("strip");
    assert_eq!(err.kind(), ErrorKind::ImageTooLarge);
    assert_eq!(err.detail, Detail::Size(20_000, 10));
}

#[test]
fn degenerate_images_give_nothing_without_panicking() {
    for (w, h) in [(0, 0), (1, 1), (3, 500), (500, 3), (64, 64)] {
        assert!(qr::decode(&image::DynamicImage::new_luma8(w, h)).is_empty());
        assert!(qr::decode(&image::DynamicImage::new_rgba8(w, h)).is_empty());
    }
    // Noise: finder-like blobs everywhere, nothing decodable.
    let mut state = 0x2545_F491u32;
    let noise = image::GrayImage::from_fn(300, 300, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        image::Luma([if state & 1 == 0 { 0 } else { 255 }])
    });
    assert!(qr::decode(&image::DynamicImage::ImageLuma8(noise)).is_empty());
}

const MANGO: &str = "otpauth://totp/Mango%20Mail:teo%40example.test?secret=EKXA4OGFRB3WK4AVMD6JCVMUIHMCLNVV&issuer=Mango%20Mail";

#[test]
fn cases_qr_images() {
    // cases.tsv C069–C081 (kind qr).
    let dir = data().join("cases-qr");
    for name in [
        "q01_plain.png",
        "q02_inverted.png",
        "q04_logo_ecc_h.png",
        "q06_no_quiet_zone.png",
        "q08_rotated_20.png",
        "q09_low_contrast.png",
    ] {
        let texts = qr::decode_file(&dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(texts == [MANGO], "{name}: payload differs");
    }
    assert_eq!(
        qr::decode_file(&dir.join("q10_not_otpauth.png")).expect("q10"),
        ["https://example.test/setup/complete"]
    );
    let part1 = qr::decode_file(&dir.join("q11_ga_part1.png")).expect("q11");
    let part2 = qr::decode_file(&dir.join("q12_ga_part2.png")).expect("q12");
    for part in [&part1, &part2] {
        assert_eq!(part.len(), 1);
        assert!(part[0].starts_with("otpauth-migration://offline?data="));
    }
    assert_ne!(part1, part2);
    let err = qr::decode_file(&dir.join("q14_no_qr.png")).expect_err("q14");
    assert_eq!(err.kind(), ErrorKind::NoQrFound);
}

#[test]
fn decode_bytes_guesses_the_format_from_content() {
    // A JPEG fixture under a misleading name still decodes.
    let bytes = std::fs::read(fixtures().join("04_screenshot_jpeg_q60.jpg")).expect("04");
    let texts = qr::decode_bytes(&bytes, "screenshot.png").expect("JPEG content");
    assert_eq!(
        texts,
        [read(&fixtures().join("04_screenshot_jpeg_q60.txt")).expect("04 txt")]
    );
}
