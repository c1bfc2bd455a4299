//! Decode rate on zxing-cpp's public QR samples (tests/data/zxing-qr, Apache-2.0, see its README).
//!
//! Expected texts are the `.txt` files, compared byte for byte as UTF-8 (zxing-cpp stores them UTF-8,
//! with Shift_JIS / ECI content already converted, as rxing converts it; trailing newlines are part
//! of some payloads). `*.result.txt` files are zxing-cpp metadata and are ignored.
//!
//! An image counts as correct when its expected text is among the decoded texts, and as wrong when
//! something else was decoded instead. qrcode-2/16 holds two nested codes ("double QR") and its
//! expected text names only the inner one; decoding both is correct.

use std::path::PathBuf;

use spse_auth_core::qr;

fn zxing() -> PathBuf {
    spse_auth_test_support::data("zxing-qr")
}

/// Floor measured with this pipeline (95 of 98; zxing-cpp 3.1 reaches 95 on its own set).
const MIN_CORRECT: usize = 95;

#[test]
fn zxing_qr_samples_decode_rate_floor() {
    let (mut total, mut correct) = (0, 0);
    let (mut wrong, mut missed) = (Vec::new(), Vec::new());
    for folder in ["qrcode-1", "qrcode-2", "qrcode-3", "qrcode-5"] {
        let dir = zxing().join(folder);
        let mut images: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e != "txt"))
            .collect();
        images.sort();
        for path in images {
            total += 1;
            let expected =
                std::fs::read_to_string(path.with_extension("txt")).expect("expected text");
            let image = image::open(&path).expect("sample loads");
            let texts = qr::decode(&image);
            let name = format!("{folder}/{}", path.file_name().unwrap().to_string_lossy());
            if texts.contains(&expected) {
                correct += 1;
            } else if texts.is_empty() {
                missed.push(name);
            } else {
                wrong.push(name);
            }
        }
    }
    eprintln!("zxing-qr: {correct}/{total} correct, missed {missed:?}, wrong {wrong:?}");
    assert_eq!(total, 98);
    assert!(wrong.is_empty(), "wrong text for {wrong:?}");
    assert!(
        correct >= MIN_CORRECT,
        "{correct}/{total} correct (floor {MIN_CORRECT}); missed {missed:?}"
    );
}

fn qrcode7() -> (Vec<image::DynamicImage>, String) {
    let dir = zxing().join("qrcode-7");
    let parts = (1..=4)
        .map(|i| image::open(dir.join(format!("01-0{i}.png"))).expect("part loads"))
        .collect();
    let expected = std::fs::read_to_string(dir.join("01.txt")).expect("01.txt");
    (parts, expected)
}

#[test]
fn structured_append_parts_from_four_images_join_into_one_payload() {
    let (parts, expected) = qrcode7();
    let mut symbols = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let found = qr::decode_symbols(part);
        assert_eq!(found.len(), 1, "part {i}");
        let sa = found[0]
            .structured_append
            .expect("structured-append metadata");
        assert_eq!((sa.index, sa.count), (i as u8, 4));
        // Alone, a part is returned as it is (its own text, not the message).
        assert_eq!(qr::decode(part), [found[0].text.clone()]);
        symbols.extend(found);
    }
    // Any scan order gives the same message.
    symbols.reverse();
    assert!(qr::join_structured_append(symbols.clone()) == [expected.clone()]);
    // An incomplete set is not joined.
    symbols.pop();
    let partial = qr::join_structured_append(symbols);
    assert_eq!(partial.len(), 3);
    assert!(!partial.contains(&expected));
}

#[test]
fn structured_append_parts_in_one_image_decode_as_one_payload() {
    let (parts, expected) = qrcode7();
    let (w, h) = (parts[0].width(), parts[0].height());
    let mut canvas = image::RgbImage::from_pixel(2 * w + 40, 2 * h + 40, image::Rgb([255; 3]));
    for (i, part) in parts.iter().enumerate() {
        let (x, y) = ((i as u32 % 2) * (w + 40), (i as u32 / 2) * (h + 40));
        image::imageops::overlay(&mut canvas, &part.to_rgb8(), x.into(), y.into());
    }
    let texts = qr::decode(&image::DynamicImage::ImageRgb8(canvas));
    assert!(texts == [expected], "got {} text(s)", texts.len());
}
