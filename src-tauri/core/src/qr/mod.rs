//! QR import: an image (file, clipboard, screen capture) → the text of every QR code in it.
//!
//! One API for every front end:
//! - [`decode`]: a decoded [`image::DynamicImage`] → the distinct texts, top-to-bottom, left-to-right.
//! - [`decode_bytes`]: encoded image bytes (PNG, JPEG, WebP, BMP, GIF) → texts, with a size guard that
//!   runs before any pixel is decoded (decompression bombs) and [`crate::ErrorKind::NoQrFound`]
//!   when empty.
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
//! get every retry) the remaining ones are skipped.
//!
//! Where the budget binds (bases over half a megapixel: screenshots, photos), a *first look* runs
//! before the passes: a scan of every other row for the 1:1:3:1:1 runs of a finder pattern, each hit
//! confirmed on its column (module `first_look`), on the base and, when the base is reduced and
//! shows too few, on the full input. With fewer than [`FIRST_LOOK_OPEN`] hits only pass 1 runs: a
//! 1920×1080 or 3840×2160 screenshot without a QR code costs the conversion, the look and one pass
//! (before: passes 1–5 or 1–6). The look cuts runs by contrast in either polarity, so inverted,
//! dim and blurred codes open the retries as before. Every decoder call runs under
//! [`std::panic::catch_unwind`]: a decoder panic (rqrr can panic in its geometry code) counts as
//! "nothing found" for that pass.
//!
//! Both decoders apply Reed–Solomon error correction, so a returned text is what the symbol holds;
//! nothing is guessed. Decoded text is never written into errors or logs (it may hold a secret).
//!
//! # Layout and invariants
//! - this file: the decoded-image API ([`decode`], [`decode_symbols`], [`join_structured_append`])
//!   and the symbol types;
//! - `input`: encoded bytes in ([`decode_bytes`]): the size limits are checked on the header,
//!   before any pixel is decoded; errors name the source, never its content;
//! - `pipeline`: the fixed list of passes and the work budget ([`decode_traced`]): the first pass
//!   always runs, the others only within the budget and, on large images, only when the first look
//!   saw finder patterns; the first pass that finds a code ends it;
//! - `first_look`: the finder-pattern scan (reads pixels only; at least as loose as the decoders'
//!   finder tests, so a false hit costs time, never a code the retries would read);
//! - `luma`: the grey image and the variants the passes run on (pure pixel functions, no decoder);
//! - `engines`: the calls into rxing and rqrr, each under `catch_unwind` (a panic is "nothing
//!   found").

mod engines;
mod first_look;
mod input;
mod luma;
mod pipeline;

use image::DynamicImage;

#[cfg(any(test, feature = "test-support"))]
pub use input::decode_file;
pub use input::{decode_bytes, decode_rgba, MAX_ALLOC_BYTES, MAX_PIXELS, MAX_SIDE};
pub use pipeline::WORK_BUDGET_FACTOR;
#[doc(hidden)]
pub use pipeline::{decode_traced, DecodeTrace, FIRST_LOOK_OPEN};

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
