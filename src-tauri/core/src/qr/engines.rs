//! The decoders: rxing (its zxing-cpp port, in multi-symbol and "pure barcode" modes, and the
//! classic ZXing multi-QR reader) and rqrr, each run on one [`Luma`] image.
//!
//! Invariants: every decoder call runs under `catch_unwind` (a panic counts as "nothing found");
//! only QR codes with a non-empty text are returned; positions are in the pixels of the image
//! given.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::multi::qrcode::QRCodeMultiReader;
use rxing::multi::MultipleBarcodeReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::{
    BarcodeFormat, Binarizer, BinaryBitmap, DecodeHints, Luma8Source, RXingResult,
    RXingResultMetadataType, RXingResultMetadataValue, Reader,
};

use super::luma::Luma;
use super::StructuredAppend;

/// A symbol found by one pass, in that pass's pixel coordinates.
pub(super) struct Found {
    pub(super) text: String,
    pub(super) bounds: [f32; 4],
    pub(super) sa: Option<StructuredAppend>,
}

fn qr_hints() -> DecodeHints {
    DecodeHints {
        TryHarder: Some(true),
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        ..DecodeHints::default()
    }
}

fn bounds_of(points: impl IntoIterator<Item = (f32, f32)>) -> Option<[f32; 4]> {
    let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    let mut any = false;
    for (x, y) in points {
        any = true;
        b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    }
    any.then_some(b)
}

fn from_rxing(r: &RXingResult, java: bool) -> Found {
    let meta = r.getRXingResultMetadata();
    let seq = match meta.get(&RXingResultMetadataType::STRUCTURED_APPEND_SEQUENCE) {
        Some(RXingResultMetadataValue::StructuredAppendSequence(v)) => Some(*v),
        _ => None,
    };
    let par = match meta.get(&RXingResultMetadataType::STRUCTURED_APPEND_PARITY) {
        Some(RXingResultMetadataValue::StructuredAppendParity(v)) => Some(*v),
        _ => None,
    };
    // The two rxing readers store structured append differently: the Java port keeps the raw
    // sequence byte (index << 4 | count - 1) and the parity byte; the zxing-cpp port stores the
    // index in SEQUENCE and the count in PARITY, with -1 for "not structured append".
    let sa = if java {
        seq.filter(|v| (0..=255).contains(v))
            .map(|v| StructuredAppend {
                index: (v >> 4) as u8,
                count: ((v & 0xF) + 1) as u8,
                parity: par.and_then(|p| u8::try_from(p).ok()),
            })
    } else {
        match (seq, par) {
            (Some(i), Some(c)) if (2..=16).contains(&c) && (0..c).contains(&i) => {
                Some(StructuredAppend {
                    index: i as u8,
                    count: c as u8,
                    parity: None,
                })
            }
            _ => None,
        }
    };
    let sa = sa.filter(|s| s.count >= 2 && s.index < s.count);
    Found {
        text: r.getText().to_owned(),
        bounds: bounds_of(r.getPoints().iter().map(|p| (p.x, p.y))).unwrap_or([0.0; 4]),
        sa,
    }
}

#[derive(Clone, Copy, Debug)]
pub(super) enum Bin {
    Hybrid,
    Global,
}

fn run_rxing_bitmap<B: Binarizer>(
    bitmap: &mut BinaryBitmap<B>,
    java: bool,
) -> Option<Vec<RXingResult>> {
    let hints = qr_hints();
    if java {
        QRCodeMultiReader::new()
            .decode_multiple_with_hints(bitmap, &hints)
            .ok()
    } else {
        QrReader.decode_multiple_with_hints(bitmap, &hints).ok()
    }
}

/// rxing on `img`; `java` selects the classic ZXing multi detector instead of the zxing-cpp port.
pub(super) fn rxing_pass(img: &Luma, bin: Bin, java: bool) -> Vec<Found> {
    let run = || -> Option<Vec<RXingResult>> {
        let source = Luma8Source::new_with_slice(&img.px, img.w, img.h).ok()?;
        match bin {
            Bin::Hybrid => {
                run_rxing_bitmap(&mut BinaryBitmap::new(HybridBinarizer::new(source)), java)
            }
            Bin::Global => run_rxing_bitmap(
                &mut BinaryBitmap::new(GlobalHistogramBinarizer::new(source)),
                java,
            ),
        }
    };
    catch_unwind(AssertUnwindSafe(run))
        .ok()
        .flatten()
        .unwrap_or_default()
        .iter()
        .filter(|r| *r.getBarcodeFormat() == BarcodeFormat::QR_CODE && !r.getText().is_empty())
        .map(|r| from_rxing(r, java))
        .collect()
}

/// rxing's zxing-cpp port on `img` taken as one pure, upright symbol.
pub(super) fn pure_pass(img: &Luma) -> Vec<Found> {
    let run = || -> Option<RXingResult> {
        let source = Luma8Source::new_with_slice(&img.px, img.w, img.h).ok()?;
        let hints = DecodeHints {
            PureBarcode: Some(true),
            ..qr_hints()
        };
        QrReader
            .decode_with_hints(&mut BinaryBitmap::new(HybridBinarizer::new(source)), &hints)
            .ok()
    };
    catch_unwind(AssertUnwindSafe(run))
        .ok()
        .flatten()
        .filter(|r| *r.getBarcodeFormat() == BarcodeFormat::QR_CODE && !r.getText().is_empty())
        .map(|r| vec![from_rxing(&r, false)])
        .unwrap_or_default()
}

/// rqrr on `img` (its own binarisation); rqrr can panic in grid detection, hence `catch_unwind`.
pub(super) fn rqrr_pass(img: &Luma) -> Vec<Found> {
    let run = || {
        let (w, h) = (img.w as usize, img.h as usize);
        let mut prepared =
            rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| img.px[y * w + x]);
        let mut out = Vec::new();
        for grid in prepared.detect_grids() {
            // Non-UTF-8 payloads fail here; rxing (which knows charsets) is the decoder for those.
            if let Ok((_, text)) = grid.decode() {
                if text.is_empty() {
                    continue;
                }
                let bounds = bounds_of(grid.bounds.iter().map(|p| (p.x as f32, p.y as f32)))
                    .unwrap_or([0.0; 4]);
                out.push(Found {
                    text,
                    bounds,
                    sa: None,
                });
            }
        }
        out
    };
    catch_unwind(AssertUnwindSafe(run)).unwrap_or_default()
}
