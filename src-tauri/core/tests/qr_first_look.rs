//! The first look (issue 13): on large images, a finder-pattern scan decides whether the retries
//! after the first pass run. It must see every code the retries could read — plain, inverted
//! (dark mode), blurred, small on a page — and a page of text must stop after one pass.

use std::path::PathBuf;

use image::{DynamicImage, RgbImage};
use spse_auth_core::qr;

fn fixtures() -> PathBuf {
    spse_auth_test_support::data_dir().join("fixtures")
}

fn open(name: &str) -> DynamicImage {
    image::open(fixtures().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn sidecar(name: &str) -> String {
    let path = fixtures().join(name).with_extension("txt");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `code` pasted in the middle of the no-QR page (fixture 09, 1920×1080).
fn on_the_page(code: &RgbImage) -> DynamicImage {
    let mut page = open("09_no_qr_page.png").to_rgb8();
    let (x, y) = ((1920 - code.width()) / 2, (1080 - code.height()) / 2);
    image::imageops::overlay(&mut page, code, x.into(), y.into());
    DynamicImage::ImageRgb8(page)
}

#[test]
fn large_screenshots_with_a_code_open_the_retries() {
    for name in [
        "02_screenshot_1920x1080.png",
        "03a_screenshot_3840x2160_hidpi.png",
        "03b_screenshot_2400x1350_scale125.png",
        "03c_screenshot_1280x720_downscaled.png",
        "04_screenshot_jpeg_q60.jpg",
        "05a_dark_mode_screenshot_1920x1080.png",
        "07a_photo_rotated_7deg.jpg",
        "07b_photo_rotated_13deg.jpg",
        "08_two_qr_codes.png",
        "12b_google_auth_export_phone_screenshot.png",
    ] {
        let trace = qr::decode_traced(&open(name));
        let seen = trace
            .finder_candidates
            .expect("large images get the first look");
        assert!(seen >= qr::FIRST_LOOK_OPEN, "{name}: {seen} candidate(s)");
        assert!(!trace.symbols.is_empty(), "{name}: no code");
    }
}

#[test]
fn pages_without_a_code_stop_after_the_first_pass() {
    let page = open("09_no_qr_page.png");
    let big = page.resize_exact(3840, 2160, image::imageops::FilterType::Triangle);
    for (what, image) in [("1080p", page), ("4K", big)] {
        let trace = qr::decode_traced(&image);
        let seen = trace
            .finder_candidates
            .expect("large images get the first look");
        assert!(seen < qr::FIRST_LOOK_OPEN, "{what}: {seen} candidate(s)");
        assert_eq!(trace.passes, ["cpp"], "{what}");
        assert!(trace.symbols.is_empty(), "{what}");
    }
}

#[test]
fn small_images_get_every_retry_without_a_look() {
    let trace = qr::decode_traced(&open("02c_tight_crop_no_quiet_zone.png"));
    assert_eq!(trace.finder_candidates, None);
    assert!(!trace.symbols.is_empty());
}

#[test]
fn codes_on_a_page_are_seen_inverted_blurred_and_small() {
    // Dark mode: a light-on-dark code needs the inverted pass, behind the first look.
    let inverted = on_the_page(&open("05b_inverted_qr.png").to_rgb8());
    let trace = qr::decode_traced(&inverted);
    assert!(trace
        .finder_candidates
        .is_some_and(|n| n >= qr::FIRST_LOOK_OPEN));
    assert!(
        trace.passes.len() > 1,
        "read after a retry: {:?}",
        trace.passes
    );
    assert_eq!(qr::decode(&inverted), [sidecar("05b_inverted_qr.png")]);

    let clean = open("01_clean_qr.png").to_rgb8();
    let blurred = on_the_page(&image::imageops::blur(&clean, 1.0));
    assert_eq!(qr::decode(&blurred), [sidecar("01_clean_qr.png")]);

    // Half size: 4-pixel modules among the page's text.
    let small = image::imageops::resize(&clean, 228, 228, image::imageops::FilterType::Triangle);
    assert_eq!(
        qr::decode(&on_the_page(&small)),
        [sidecar("01_clean_qr.png")]
    );
}
