//! QR import: an image (file, clipboard, screen capture) → the text of every QR code in it.
//!
//! One API for every front end:
//! - [`decode`]: a decoded [`image::DynamicImage`] → the distinct texts, top-to-bottom, left-to-right.
//! - [`decode_bytes`]: encoded image bytes (PNG, JPEG, WebP, BMP, GIF) → texts, with a size guard that
//!   runs before any pixel is decoded (decompression bombs) and [`ErrorKind::NoQrFound`] when empty.
//! - `decode_file` (tests only, feature `test-support`): the same for a file on disk.
//! - [`decode_symbols`] / [`join_structured_append`]: the per-symbol view (position, structured-append
//!   part number) for callers that scan the parts of one split code from several images.
//!
//! # Pipeline
//! The image is converted once to 8-bit luminance (integer BT.601; transparent pixels composited over
//! white). Inputs longer than 2560 px are box-filtered to a *base* copy of at most 2048 px (a 4K
//! screenshot becomes 1920×1080: its modules are still several pixels wide and every pass costs a
//! quarter); smaller inputs are their own base. Then a fixed list of passes runs, cheapest and most
//! likely first, and stops at the first pass that finds at least one code:
//! 1. rxing's port of zxing-cpp's QR reader (finds every symbol in one pass, structured-append
//!    metadata included) on the local-threshold (hybrid) binarisation of the base;
//! 2. the same on the full-resolution input, when the base is reduced (small codes on huge screens);
//! 3. the base inverted (dark mode, light-on-dark codes);
//! 4. rxing's classic ZXing multi-QR detector, a different finder-pattern search;
//! 5. a global-histogram binarisation (uneven backgrounds, low contrast);
//! 6. rqrr, the project's second decoder, with its own binarisation and grid detection;
//! 7. small images (< 400 px): zxing-cpp's "pure barcode" mode, a nearest-neighbour upscale with an
//!    added quiet zone (< 120 px) or a 2× bilinear upscale, with rxing and rqrr;
//! 8. Otsu's global threshold, with rxing and rqrr;
//! 9. a half-size copy, straight and inverted (base > 1000 px: huge modules, JPEG noise);
//! 10. a 3×3 box blur (noisy photos), then the inverted base with the Java detector and rqrr.
//!
//! Passes that do not apply to the image size are skipped, and the work is capped: each pass costs
//! the pixels it reads (an rqrr pass four times that, as measured), and once the passes would exceed
//! [`WORK_BUDGET_FACTOR`] times the base's pixels (at least 4 megapixels, so small crops and photos
//! get every retry) the remaining ones are skipped. A 1920×1080 or 3840×2160 screenshot without a QR
//! code thus stops after passes 1–5 or 1–6. Every decoder call runs under
//! [`std::panic::catch_unwind`]: a decoder panic (rqrr can panic in its geometry code) counts as
//! "nothing found" for that pass.
//!
//! Both decoders apply Reed–Solomon error correction, so a returned text is what the symbol holds;
//! nothing is guessed. Decoded text is never written into errors or logs (it may hold a secret).

use std::collections::HashSet;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use image::{DynamicImage, ImageError, ImageFormat, ImageReader, Limits};
use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::multi::qrcode::QRCodeMultiReader;
use rxing::multi::MultipleBarcodeReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::{
    BarcodeFormat, Binarizer, BinaryBitmap, DecodeHints, Luma8Source, RXingResult,
    RXingResultMetadataType, RXingResultMetadataValue, Reader,
};

use crate::error::{Detail, Error, ErrorKind, Result};

/// Largest accepted image, in pixels (width × height): 60 megapixels.
pub const MAX_PIXELS: u64 = 60_000_000;
/// Largest accepted width or height, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// Most memory the image decoder may allocate for one image, in bytes (1 GiB: a 60-megapixel,
/// 16-bit RGBA PNG needs 480 MB).
pub const MAX_ALLOC_BYTES: u64 = 1 << 30;
/// Work cap of the retry passes, as a multiple of the base image's pixel count (see the module
/// documentation; a pass over a half-size copy costs a quarter). Passes that would exceed it are
/// skipped.
pub const WORK_BUDGET_FACTOR: u64 = 8;
/// Work budget floor, in pixels: small images (crops, phone photos) can afford every retry.
const MIN_WORK_BUDGET: u64 = 4_000_000;

/// Position of a structured-append part: symbol `index` (0-based) of `count` symbols that together
/// hold one message (ISO/IEC 18004 §8: a message split over up to 16 QR codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StructuredAppend {
    /// 0-based position of this symbol in the message.
    pub index: u8,
    /// Number of symbols in the message (2–16).
    pub count: u8,
    /// The parity byte shared by all parts of one message, when the decoder reports it.
    pub parity: Option<u8>,
}

/// One decoded QR symbol.
///
/// `Debug` prints the text's length only: a payload may hold a secret.
#[derive(Clone, PartialEq)]
pub struct QrSymbol {
    /// The decoded text (byte segments decoded with the symbol's ECI / a charset guess, as ZXing does).
    pub text: String,
    /// Bounding box in pixels of the input image: `[left, top, right, bottom]`.
    pub bounds: [f32; 4],
    /// `Some` when the symbol is one part of a structured-append message.
    pub structured_append: Option<StructuredAppend>,
}

impl std::fmt::Debug for QrSymbol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QrSymbol")
            .field(
                "text",
                &format_args!("<{} chars>", self.text.chars().count()),
            )
            .field("bounds", &self.bounds)
            .field("structured_append", &self.structured_append)
            .finish()
    }
}

/// The text of every distinct QR code in `image`, ordered top-to-bottom then left-to-right (codes whose
/// vertical extents overlap count as one row), without duplicates. The parts of a structured-append
/// message found in the image are joined, in order, into one text; parts whose siblings are missing are
/// returned as they are. An empty `Vec` means no QR code was found.
pub fn decode(image: &DynamicImage) -> Vec<String> {
    join_structured_append(decode_symbols(image))
}

/// Every distinct QR symbol in `image` with its position and structured-append part number, in the
/// order of [`decode`]; structured-append parts are *not* joined (see [`join_structured_append`]).
pub fn decode_symbols(image: &DynamicImage) -> Vec<QrSymbol> {
    decode_traced(image).symbols
}

/// Joins complete structured-append messages in `symbols` (all parts `0..count` present, same count
/// and parity) into one text each, in part order, placed where the first part stands; other symbols
/// (including the parts of an incomplete message) keep their own text. Texts are deduplicated; the
/// order of `symbols` is kept.
///
/// Use it to combine parts decoded from several images: concatenate the [`decode_symbols`] results.
pub fn join_structured_append(symbols: Vec<QrSymbol>) -> Vec<String> {
    // Group structured-append parts by (count, parity); a group is complete when every index is
    // present exactly once (a second, different text at one index makes the group ambiguous).
    type Key = (u8, Option<u8>);
    let mut groups: Vec<(Key, Vec<Option<String>>, bool)> = Vec::new();
    for s in &symbols {
        if let Some(sa) = s.structured_append {
            let key = (sa.count, sa.parity);
            let pos = match groups.iter().position(|(k, _, _)| *k == key) {
                Some(p) => p,
                None => {
                    groups.push((key, vec![None; sa.count as usize], true));
                    groups.len() - 1
                }
            };
            let (_, parts, ok) = &mut groups[pos];
            match &parts[sa.index as usize] {
                None => parts[sa.index as usize] = Some(s.text.clone()),
                Some(t) if *t == s.text => {}
                Some(_) => *ok = false,
            }
        }
    }
    let complete = |key: Key| {
        groups
            .iter()
            .find(|(k, _, _)| *k == key)
            .filter(|(_, parts, ok)| *ok && parts.iter().all(Option::is_some))
            .map(|(_, parts, _)| {
                parts
                    .iter()
                    .flatten()
                    .map(String::as_str)
                    .collect::<String>()
            })
    };
    let mut out: Vec<String> = Vec::new();
    for s in &symbols {
        let text = match s.structured_append {
            Some(sa) => match complete((sa.count, sa.parity)) {
                Some(joined) => joined,
                None => s.text.clone(),
            },
            None => s.text.clone(),
        };
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// Decodes encoded image `bytes` (PNG, JPEG, WebP, BMP or GIF, recognised by content, not by name) and
/// returns the texts of its QR codes as [`decode`] does. `source` names the image in error messages
/// (a file name, or "clipboard image").
///
/// The dimensions are read from the header first: more than [`MAX_PIXELS`] pixels or a side longer
/// than [`MAX_SIDE`] is refused before any pixel is decoded, and the decoder may allocate at most
/// [`MAX_ALLOC_BYTES`].
///
/// # Errors
/// - [`ErrorKind::ImageTooLarge`] (detail [`Detail::Size`]) for an image over the limits;
/// - [`ErrorKind::ImageUnreadable`] when the bytes are not a readable image of a supported format;
/// - [`ErrorKind::NoQrFound`] when the image holds no decodable QR code.
pub fn decode_bytes(bytes: &[u8], source: &str) -> Result<Vec<String>> {
    let image = load_image(bytes, source)?;
    let texts = decode(&image);
    if texts.is_empty() {
        return Err(Error::new(
            ErrorKind::NoQrFound,
            format!(
                "no QR code found in {source}; make sure the whole code is visible, sharp and not cut off, then try again"
            ),
        ));
    }
    Ok(texts)
}

/// Reads the file at `path` and decodes it as [`decode_bytes`] does (the file name is the `source`).
/// For tests only (feature `test-support`): the front ends read files through [`crate::import`].
///
/// # Errors
/// As [`decode_bytes`]; a file that cannot be read gives [`ErrorKind::ImageUnreadable`] with
/// [`Detail::Path`].
#[cfg(any(test, feature = "test-support"))]
pub fn decode_file(path: &Path) -> Result<Vec<String>> {
    let bytes = read_file(path)?;
    let name = path.display().to_string();
    decode_bytes(&bytes, &name).map_err(|e| match e.kind() {
        ErrorKind::ImageTooLarge => e,
        _ => e.with_detail(Detail::Path(path.to_path_buf())),
    })
}

/// Reads an input file; failure is [`ErrorKind::ImageUnreadable`] naming it, with [`Detail::Path`].
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        Error::new(
            ErrorKind::ImageUnreadable,
            format!("cannot read the file {}: {e}", path.display()),
        )
        .with_detail(Detail::Path(path.to_path_buf()))
    })
}

fn unreadable(source: &str, reason: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::ImageUnreadable,
        format!("cannot read {source} as an image (PNG, JPEG, WebP, BMP or GIF): {reason}"),
    )
}

fn too_large(width: u32, height: u32) -> Error {
    Error::new(
        ErrorKind::ImageTooLarge,
        format!(
            "image too large: {width}×{height} pixels (the limit is {} megapixels and {MAX_SIDE} pixels per side); crop or scale it down and try again",
            MAX_PIXELS / 1_000_000
        ),
    )
    .with_detail(Detail::Size(width, height))
}

/// Header-first, size-guarded image decoding.
fn load_image(bytes: &[u8], source: &str) -> Result<DynamicImage> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| unreadable(source, e))?;
    let format = match reader.format() {
        Some(
            f @ (ImageFormat::Png
            | ImageFormat::Jpeg
            | ImageFormat::WebP
            | ImageFormat::Bmp
            | ImageFormat::Gif),
        ) => f,
        Some(f) => {
            return Err(unreadable(
                source,
                format!("the {f:?} format is not supported"),
            ))
        }
        None => {
            return Err(unreadable(
                source,
                "the data is not in a known image format",
            ))
        }
    };
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| unreadable(source, e))?;
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(too_large(width, height));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC_BYTES);
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        ImageError::Limits(_) => too_large(width, height),
        e => unreadable(source, e),
    })
}

// ---------------------------------------------------------------------------------------------
// Pipeline
// ---------------------------------------------------------------------------------------------

/// What a decode did: the symbols, the passes run (in order) and the pass that found them.
/// For benchmarks and tests; not a stable API.
#[doc(hidden)]
#[derive(Debug, Clone, Default)]
pub struct DecodeTrace {
    /// The symbols, as [`decode_symbols`] returns them.
    pub symbols: Vec<QrSymbol>,
    /// Names of the passes that ran, in order.
    pub passes: Vec<&'static str>,
    /// Work spent, in pixels processed (see [`WORK_BUDGET_FACTOR`]).
    pub work: u64,
    /// Milliseconds each pass took, in the order of `passes`.
    pub pass_ms: Vec<f64>,
}

/// A grey image owned by the pipeline.
struct Luma {
    w: u32,
    h: u32,
    px: Vec<u8>,
}

impl Luma {
    fn pixels(&self) -> u64 {
        u64::from(self.w) * u64::from(self.h)
    }
    fn inverted(&self) -> Luma {
        Luma {
            w: self.w,
            h: self.h,
            px: self.px.iter().map(|p| 255 - p).collect(),
        }
    }
    /// Box-filter downscale by an integer factor.
    fn shrink(&self, f: u32) -> Luma {
        let (w, h) = (self.w / f, self.h / f);
        let (src_w, fu, n) = (self.w as usize, f as usize, f * f);
        let mut acc = vec![0u32; w as usize];
        let mut px = Vec::with_capacity(w as usize * h as usize);
        for y in 0..h as usize {
            acc.fill(0);
            for row in self.px[y * fu * src_w..].chunks_exact(src_w).take(fu) {
                for (a, block) in acc.iter_mut().zip(row.chunks_exact(fu)) {
                    *a += block.iter().map(|&p| u32::from(p)).sum::<u32>();
                }
            }
            px.extend(acc.iter().map(|&a| (a / n) as u8));
        }
        Luma { w, h, px }
    }
    /// Bilinear upscale by an integer factor (keeps edges soft so the binarisers see ramps).
    fn enlarge(&self, f: u32) -> Luma {
        let (w, h) = (self.w * f, self.h * f);
        let mut px = Vec::with_capacity((w as usize) * (h as usize));
        let ff = f as f32;
        for y in 0..h {
            let sy = ((y as f32 + 0.5) / ff - 0.5).max(0.0);
            let y0 = (sy as u32).min(self.h - 1);
            let y1 = (y0 + 1).min(self.h - 1);
            let ty = sy - y0 as f32;
            for x in 0..w {
                let sx = ((x as f32 + 0.5) / ff - 0.5).max(0.0);
                let x0 = (sx as u32).min(self.w - 1);
                let x1 = (x0 + 1).min(self.w - 1);
                let tx = sx - x0 as f32;
                let p = |xx: u32, yy: u32| f32::from(self.px[(yy * self.w + xx) as usize]);
                let top = p(x0, y0) * (1.0 - tx) + p(x1, y0) * tx;
                let bottom = p(x0, y1) * (1.0 - tx) + p(x1, y1) * tx;
                px.push((top * (1.0 - ty) + bottom * ty + 0.5) as u8);
            }
        }
        Luma { w, h, px }
    }
    /// Factor and border (in output pixels) of [`Luma::tiny`].
    fn tiny_geometry(&self) -> (u32, u32) {
        let f = (2 * TINY).div_ceil(self.w.max(self.h)).max(2);
        (f, 4 * f)
    }
    /// Nearest-neighbour upscale by an integer factor to at least [`TINY`]·2 pixels, with a white
    /// border of 4 source pixels (a quiet zone for codes cropped flush).
    fn tiny(&self) -> Luma {
        let (f, border) = self.tiny_geometry();
        let (w, h) = (self.w * f + 2 * border, self.h * f + 2 * border);
        let mut px = vec![255u8; (w as usize) * (h as usize)];
        for y in 0..self.h * f {
            for x in 0..self.w * f {
                px[((y + border) * w + x + border) as usize] =
                    self.px[((y / f) * self.w + x / f) as usize];
            }
        }
        Luma { w, h, px }
    }
    /// 3×3 box blur.
    fn blurred(&self) -> Luma {
        let (w, h) = (self.w as usize, self.h as usize);
        let mut px = vec![0u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let mut sum = 0u32;
                let mut n = 0u32;
                for yy in y.saturating_sub(1)..(y + 2).min(h) {
                    for xx in x.saturating_sub(1)..(x + 2).min(w) {
                        sum += u32::from(self.px[yy * w + xx]);
                        n += 1;
                    }
                }
                px[y * w + x] = (sum / n) as u8;
            }
        }
        Luma {
            w: self.w,
            h: self.h,
            px,
        }
    }
}

/// Converts to 8-bit luminance (integer BT.601 weights); transparent pixels are composited over
/// white (a QR code drawn on a transparent background would otherwise turn all black).
fn to_luma(image: &DynamicImage) -> Luma {
    fn luma(r: u8, g: u8, b: u8) -> u32 {
        (u32::from(r) * 77 + u32::from(g) * 150 + u32::from(b) * 29) >> 8
    }
    fn over_white(l: u32, a: u8) -> u8 {
        let a = u32::from(a);
        ((l * a + 255 * (255 - a) + 127) / 255) as u8
    }
    let (w, h) = (image.width(), image.height());
    let px: Vec<u8> = match image {
        DynamicImage::ImageLuma8(buf) => buf.as_raw().clone(),
        DynamicImage::ImageRgb8(buf) => buf
            .as_raw()
            .chunks_exact(3)
            .map(|p| luma(p[0], p[1], p[2]) as u8)
            .collect(),
        DynamicImage::ImageRgba8(buf) => buf
            .as_raw()
            .chunks_exact(4)
            .map(|p| over_white(luma(p[0], p[1], p[2]), p[3]))
            .collect(),
        DynamicImage::ImageLumaA8(buf) => buf
            .as_raw()
            .chunks_exact(2)
            .map(|p| over_white(u32::from(p[0]), p[1]))
            .collect(),
        other if other.color().has_alpha() => other
            .to_rgba8()
            .as_raw()
            .chunks_exact(4)
            .map(|p| over_white(luma(p[0], p[1], p[2]), p[3]))
            .collect(),
        other => other.to_luma8().into_raw(),
    };
    Luma { w, h, px }
}

/// A symbol found by one pass, in that pass's pixel coordinates.
struct Found {
    text: String,
    bounds: [f32; 4],
    sa: Option<StructuredAppend>,
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
enum Bin {
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
fn rxing_pass(img: &Luma, bin: Bin, java: bool) -> Vec<Found> {
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
fn pure_pass(img: &Luma) -> Vec<Found> {
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
fn rqrr_pass(img: &Luma) -> Vec<Found> {
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

/// Otsu's global threshold, as a binarised (0/255) copy.
fn otsu(img: &Luma) -> Luma {
    let mut hist = [0u64; 256];
    for &p in &img.px {
        hist[p as usize] += 1;
    }
    let total = img.px.len() as f64;
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * c as f64)
        .sum();
    let (mut w_b, mut sum_b, mut best, mut threshold) = (0.0f64, 0.0f64, -1.0f64, 127u8);
    for (t, &c) in hist.iter().enumerate() {
        w_b += c as f64;
        if w_b == 0.0 {
            continue;
        }
        let w_f = total - w_b;
        if w_f == 0.0 {
            break;
        }
        sum_b += t as f64 * c as f64;
        let m_b = sum_b / w_b;
        let m_f = (sum_all - sum_b) / w_f;
        let between = w_b * w_f * (m_b - m_f) * (m_b - m_f);
        if between > best {
            best = between;
            threshold = t as u8;
        }
    }
    Luma {
        w: img.w,
        h: img.h,
        px: img
            .px
            .iter()
            .map(|&p| if p <= threshold { 0 } else { 255 })
            .collect(),
    }
}

/// Image variants the passes run on, built lazily from the *base* image: the input, or for inputs
/// larger than [`LARGE_INPUT`] a box-filtered copy at most [`BASE_SIDE`] pixels long (a 4K screenshot
/// becomes 1920×1080; its modules stay several pixels wide).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Variant {
    Base,
    /// The full-resolution input, when the base is a reduced copy (small codes on huge screens).
    Full,
    Inverted,
    Otsu,
    Half,
    HalfInverted,
    /// Bilinear 2× upscale (small images).
    Up2,
    /// Nearest-neighbour upscale to ≥ 240 px plus a white quiet zone (tiny, pixel-exact codes).
    Tiny,
    Blur,
}

#[derive(Clone, Copy, Debug)]
enum Engine {
    /// rxing's zxing-cpp port with the given binariser.
    Cpp(Bin),
    /// rxing's classic ZXing multi-QR reader.
    Java,
    /// rxing's zxing-cpp port in "pure barcode" mode: the image is one upright symbol, cropped.
    Pure,
    Rqrr,
}

struct Pass {
    name: &'static str,
    variant: Variant,
    engine: Engine,
}

const fn pass(name: &'static str, variant: Variant, engine: Engine) -> Pass {
    Pass {
        name,
        variant,
        engine,
    }
}

const HYBRID: Engine = Engine::Cpp(Bin::Hybrid);

/// The passes, in order. See the module documentation for the reasoning.
const PASSES: &[Pass] = &[
    pass("cpp", Variant::Base, HYBRID),
    pass("full/cpp", Variant::Full, HYBRID),
    pass("inverted/cpp", Variant::Inverted, HYBRID),
    pass("java", Variant::Base, Engine::Java),
    pass("global/cpp", Variant::Base, Engine::Cpp(Bin::Global)),
    pass("rqrr", Variant::Base, Engine::Rqrr),
    pass("pure", Variant::Base, Engine::Pure),
    pass("tiny/cpp", Variant::Tiny, HYBRID),
    pass("tiny/rqrr", Variant::Tiny, Engine::Rqrr),
    pass("up2/cpp", Variant::Up2, HYBRID),
    pass("up2/rqrr", Variant::Up2, Engine::Rqrr),
    pass("otsu/cpp", Variant::Otsu, HYBRID),
    pass("otsu/rqrr", Variant::Otsu, Engine::Rqrr),
    pass("half/cpp", Variant::Half, HYBRID),
    pass("half-inverted/cpp", Variant::HalfInverted, HYBRID),
    pass("blur/cpp", Variant::Blur, HYBRID),
    pass("blur/java", Variant::Blur, Engine::Java),
    pass("inverted/java", Variant::Inverted, Engine::Java),
    pass("inverted/rqrr", Variant::Inverted, Engine::Rqrr),
];

/// Inputs with a longer side than this are decoded from a reduced base copy first.
const LARGE_INPUT: u32 = 2560;
/// Longest side of the reduced base copy.
const BASE_SIDE: u32 = 2048;
/// Base side above which half-size retries apply.
const LARGE: u32 = 1000;
/// Base side below which the 2× upscale applies.
const SMALL: u32 = 400;
/// Base side below which the nearest-neighbour upscale with quiet zone applies.
const TINY: u32 = 120;

/// Decodes with a trace of the passes run. For benchmarks and tests; not a stable API.
#[doc(hidden)]
pub fn decode_traced(image: &DynamicImage) -> DecodeTrace {
    let mut trace = DecodeTrace::default();
    if image.width() == 0 || image.height() == 0 {
        return trace;
    }
    let full = to_luma(image);
    let full_side = full.w.max(full.h);
    let reduction = if full_side > LARGE_INPUT {
        full_side.div_ceil(BASE_SIDE)
    } else {
        1
    };
    let reduced = (reduction > 1).then(|| full.shrink(reduction));
    let base = reduced.as_ref().unwrap_or(&full);
    let side = base.w.max(base.h);
    let budget = (base.pixels() * WORK_BUDGET_FACTOR).max(MIN_WORK_BUDGET);
    let mut cache: Vec<(Variant, Luma)> = Vec::new();

    for p in PASSES {
        let applies = match p.variant {
            Variant::Full => reduction > 1,
            Variant::Half | Variant::HalfInverted => side > LARGE,
            Variant::Up2 => (TINY..SMALL).contains(&side),
            Variant::Tiny => side < TINY,
            _ if matches!(p.engine, Engine::Pure) => side < SMALL,
            _ => true,
        };
        if !applies {
            continue;
        }
        let cost = match p.variant {
            Variant::Full => full.pixels(),
            Variant::Half | Variant::HalfInverted => base.pixels() / 4,
            Variant::Up2 => base.pixels() * 4,
            Variant::Tiny => u64::from(TINY * TINY) * 4,
            _ => base.pixels(),
        } * match p.engine {
            // Measured on 1920×1080 screenshots without a code: rqrr (flood-fill region labelling)
            // costs about four cpp passes, the Java detector about one.
            Engine::Cpp(_) | Engine::Java | Engine::Pure => 1,
            Engine::Rqrr => 4,
        };
        // The first pass always runs, whatever the budget.
        if trace.work > 0 && trace.work + cost > budget {
            continue;
        }
        trace.work += cost;
        let img: &Luma = match p.variant {
            Variant::Base => base,
            Variant::Full => &full,
            v => {
                if !cache.iter().any(|(c, _)| *c == v) {
                    let made = match v {
                        Variant::Inverted => base.inverted(),
                        Variant::Otsu => otsu(base),
                        Variant::Half => base.shrink(2),
                        Variant::HalfInverted => base.shrink(2).inverted(),
                        Variant::Up2 => base.enlarge(2),
                        Variant::Tiny => base.tiny(),
                        Variant::Blur => base.blurred(),
                        Variant::Base | Variant::Full => unreachable!("not cached"),
                    };
                    cache.push((v, made));
                }
                &cache.iter().find(|(c, _)| *c == v).expect("just cached").1
            }
        };
        trace.passes.push(p.name);
        let started = std::time::Instant::now();
        let found = match p.engine {
            Engine::Cpp(bin) => rxing_pass(img, bin, false),
            Engine::Java => rxing_pass(img, Bin::Hybrid, true),
            Engine::Pure => pure_pass(img),
            Engine::Rqrr => rqrr_pass(img),
        };
        trace.pass_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        if !found.is_empty() {
            // Map positions back to the input: (p - offset) · scale.
            let (offset, scale) = if p.variant == Variant::Tiny {
                let (f, border) = base.tiny_geometry();
                (border as f32, 1.0 / f as f32)
            } else {
                (0.0, full.w as f32 / img.w as f32)
            };
            trace.symbols = finish(found, offset, scale);
            break;
        }
    }
    trace
}

/// Scales positions back to the input image, removes duplicates and sorts by rows.
fn finish(found: Vec<Found>, offset: f32, scale: f32) -> Vec<QrSymbol> {
    let mut symbols: Vec<QrSymbol> = Vec::new();
    for f in found {
        if symbols
            .iter()
            .any(|s| s.text == f.text && s.structured_append == f.sa)
        {
            continue;
        }
        symbols.push(QrSymbol {
            text: f.text,
            bounds: f.bounds.map(|v| (v - offset) * scale),
            structured_append: f.sa,
        });
    }
    // Top-to-bottom, left-to-right: sort by top edge, then split into rows of vertically
    // overlapping symbols and sort each row by left edge.
    symbols.sort_by(|a, b| a.bounds[1].total_cmp(&b.bounds[1]));
    let mut rows: Vec<Vec<QrSymbol>> = Vec::new();
    for s in symbols {
        match rows.last_mut() {
            Some(row) if row.iter().any(|r| s.bounds[1] < r.bounds[3]) => row.push(s),
            _ => rows.push(vec![s]),
        }
    }
    rows.into_iter()
        .flat_map(|mut row| {
            row.sort_by(|a, b| a.bounds[0].total_cmp(&b.bounds[0]));
            row
        })
        .collect()
}
