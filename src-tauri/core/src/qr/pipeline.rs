//! The decode pipeline: the image to grey once, a reduced *base* copy for huge inputs, then the
//! fixed list of passes (see the module documentation of [`super`]) under a work budget.
//!
//! Invariants: the passes run in the order of `PASSES`; the first always runs, the others only
//! when they apply to the image size and fit in the budget, and — for bases over
//! `FIRST_LOOK_PIXELS`, where the budget binds — only when the first look counted at least
//! [`FIRST_LOOK_OPEN`] finder-pattern candidates (small images get every retry, as before); the
//! first pass that finds a code ends the decode; positions are mapped back to the input image; the
//! result has no duplicates and is in reading order.

use image::DynamicImage;

use super::engines::{pure_pass, rqrr_pass, rxing_pass, Bin, Found};
use super::first_look::finder_candidates;
use super::luma::{otsu, to_luma, Luma};
use super::QrSymbol;

/// Work cap of the retry passes, as a multiple of the base image's pixel count (see the module
/// documentation; a pass over a half-size copy costs a quarter). Passes that would exceed it are
/// skipped.
pub const WORK_BUDGET_FACTOR: u64 = 8;
/// Work budget floor, in pixels: small images (crops, phone photos) can afford every retry.
const MIN_WORK_BUDGET: u64 = 4_000_000;
/// Base images of more pixels than this (where the budget binds) get the first look: without a
/// finder-pattern candidate only the first pass runs.
const FIRST_LOOK_PIXELS: u64 = MIN_WORK_BUDGET / WORK_BUDGET_FACTOR;
/// Finder-pattern candidates that open the retries. A symbol has three finder patterns, each
/// crossed by at least two scanned rows (see `first_look`), so a readable one gives six or more;
/// a page of text can give a stray one.
pub const FIRST_LOOK_OPEN: usize = 2;

/// What a decode did: the symbols, the passes run (in order) and the pass that found them.
/// For benchmarks and tests; not a stable API.
#[doc(hidden)]
#[derive(Debug, Clone, Default)]
pub struct DecodeTrace {
    /// The symbols, as [`super::decode_symbols`] returns them.
    pub symbols: Vec<QrSymbol>,
    /// Names of the passes that ran, in order.
    pub passes: Vec<&'static str>,
    /// Work spent, in pixels processed (see [`WORK_BUDGET_FACTOR`]).
    pub work: u64,
    /// Milliseconds each pass took, in the order of `passes`.
    pub pass_ms: Vec<f64>,
    /// Finder-pattern candidates the first look found (up to a small limit), `None` when the image
    /// is small enough for every retry and the first look did not run.
    pub finder_candidates: Option<usize>,
    /// Milliseconds before the first pass: conversion to grey, the base copy and the first look.
    pub prep_ms: f64,
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
pub(super) const TINY: u32 = 120;

/// Decodes with a trace of the passes run. For benchmarks and tests; not a stable API.
#[doc(hidden)]
pub fn decode_traced(image: &DynamicImage) -> DecodeTrace {
    let mut trace = DecodeTrace::default();
    if image.width() == 0 || image.height() == 0 {
        return trace;
    }
    let started = std::time::Instant::now();
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
    // The first look, on the base, and on the full input when the base is reduced and shows none
    // (codes too small to survive the reduction).
    trace.finder_candidates = (base.pixels() > FIRST_LOOK_PIXELS).then(|| {
        let seen = finder_candidates(base, FIRST_LOOK_OPEN);
        if seen < FIRST_LOOK_OPEN && reduced.is_some() {
            finder_candidates(&full, FIRST_LOOK_OPEN)
        } else {
            seen
        }
    });
    trace.prep_ms = started.elapsed().as_secs_f64() * 1000.0;

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
        // No finder pattern anywhere: the cheap first pass has run, no retry can succeed.
        if trace.work > 0 && trace.finder_candidates.is_some_and(|n| n < FIRST_LOOK_OPEN) {
            break;
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
