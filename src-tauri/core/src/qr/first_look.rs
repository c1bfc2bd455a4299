//! The first look: a cheap search for QR finder patterns that decides whether the expensive
//! retries are worth running.
//!
//! Every QR symbol carries three finder patterns (concentric squares, 7×7 modules): any line
//! through the centre of one crosses dark/light runs of 1:1:3:1:1 modules. The first look scans
//! every [`ROW_STEP`]-th row of a grey image for five runs in that ratio and confirms each hit with
//! the same test on the column through its centre. It reads pixels only (no binarised copy, no
//! allocation per pixel), in one pass over the scanned rows.
//!
//! Invariants (why it may veto retries):
//! - runs are cut by contrast, not by a threshold: a run ends where the grey level moves
//!   [`CONTRAST`] away from the extreme of the run so far (hysteresis), so dim, low-contrast or
//!   unevenly lit screenshots and blurred edges are cut like sharp ones (a blurred edge moves both
//!   ends of a run alike);
//! - both polarities count (dark-light-dark and light-dark-light centres): inverted (dark mode)
//!   codes are seen;
//! - the image border ends a run, so codes cropped flush (no quiet zone) are seen;
//! - the ratio test is loose (ZXing's own limits plus a pixel, or zxing-cpp's edge-to-edge sums)
//!   with two tightenings that pages of text need: the centre run is at least 1.5 times the widest
//!   other run (3 modules against 1, even with bled modules), and finders narrower than
//!   [`MIN_FINDER`] px are not looked for; a false hit only costs the retries;
//! - a hit counts only when the column through its centre shows the pattern too, of a comparable
//!   size; the pipeline opens the retries from two hits (a symbol gives six or more);
//! - it is only a veto for images large enough for the work budget to bind: small crops get every
//!   retry whatever it says (see `pipeline`).

use super::luma::Luma;

/// Rows scanned: every `ROW_STEP`-th row (a finder of [`MIN_FINDER`] px or more has a centre over
/// 4 px high, so each finder is crossed by at least two scanned rows).
pub(super) const ROW_STEP: usize = 2;
/// Grey-level change that ends a run (screens: dark text on light grey and JPEG noise are well
/// apart; the low-contrast codes rxing's binarisers can still read have a range of 24 or more).
pub(super) const CONTRAST: u8 = 16;

/// Narrowest finder pattern looked for, in pixels: modules of 1.4 px (smaller ones are not read
/// by the decoders on large images; text strokes of 1–2 px would match too easily).
pub(super) const MIN_FINDER: u32 = 10;

/// Number of finder-pattern candidates in `img` (stops counting at `limit`).
pub(super) fn finder_candidates(img: &Luma, limit: usize) -> usize {
    let (w, h) = (img.w as usize, img.h as usize);
    if w < 5 || h < 5 {
        return 0;
    }
    let mut ends = Vec::with_capacity(256);
    let mut column = Vec::with_capacity(256);
    let mut column_ends = Vec::with_capacity(32);
    let mut found = 0;
    for y in (0..h).step_by(ROW_STEP) {
        let row = &img.px[y * w..(y + 1) * w];
        segment(row, &mut ends);
        if ends.len() < 5 {
            continue;
        }
        for k in 0..ends.len() - 4 {
            let start = if k == 0 { 0 } else { ends[k - 1] };
            let runs = [
                ends[k] - start,
                ends[k + 1] - ends[k],
                ends[k + 2] - ends[k + 1],
                ends[k + 3] - ends[k + 2],
                ends[k + 4] - ends[k + 3],
            ];
            if !is_finder(runs) {
                continue;
            }
            let total = ends[k + 4] - start;
            let cx = (ends[k + 1] + ends[k + 2]) as usize / 2;
            if confirmed_vertically(img, cx, y, total, &mut column, &mut column_ends) {
                found += 1;
                if found >= limit {
                    return found;
                }
            }
        }
    }
    found
}

/// Cuts `line` into runs of like grey (see the module invariants) and stores the end (exclusive)
/// of every run in `ends`; the last end is `line.len()`.
fn segment(line: &[u8], ends: &mut Vec<u32>) {
    ends.clear();
    let c = CONTRAST;
    let (mut lo, mut hi) = (line[0], line[0]);
    let mut x = 0;
    // Until the first edge the polarity is unknown: track both extremes.
    let mut dark = loop {
        if x == line.len() {
            ends.push(x as u32);
            return;
        }
        let p = line[x];
        lo = lo.min(p);
        hi = hi.max(p);
        if hi - lo >= c {
            ends.push(x as u32);
            break p == lo;
        }
        x += 1;
    };
    (lo, hi) = (line[x], line[x]);
    for (i, &p) in line.iter().enumerate().skip(x + 1) {
        if dark {
            if p < lo {
                lo = p;
            } else if p - lo >= c {
                ends.push(i as u32);
                dark = false;
                hi = p;
            }
        } else if p > hi {
            hi = p;
        } else if hi - p >= c {
            ends.push(i as u32);
            dark = true;
            lo = p;
        }
    }
    ends.push(line.len() as u32);
}

/// Five runs in the ratio 1:1:3:1:1, loosely: a dominant centre, each outer run within half a module plus a pixel,
/// the centre within 1.5 modules plus a pixel (ZXing's own limits, plus the pixel), or — for bold
/// or bled modules, dark runs wider and light runs narrower by the same amount — the sums of
/// neighbouring runs (edge to edge, as zxing-cpp measures) in the ratio 2:4:4:2.
fn is_finder(r: [u32; 5]) -> bool {
    let total: u32 = r.iter().sum();
    if total < MIN_FINDER {
        return false;
    }
    // The centre dominates: 3 modules against 1, 1.5 times the widest other run even when dark
    // modules bleed by half a module (text strokes of like widths fail here).
    if 2 * r[2] < 3 * r[0].max(r[1]).max(r[3]).max(r[4]) {
        return false;
    }
    // Outer runs within `half` halves of a module plus a pixel, the centre within 1.5 modules plus
    // a pixel (in integers: `d` modules off ⇔ `off == d · total`).
    let off = |len: u32, modules: u32| (7 * len).abs_diff(modules * total);
    let within = |half: u32| {
        [r[0], r[1], r[3], r[4]]
            .iter()
            .all(|&x| 2 * off(x, 1) <= half * total + 14)
            && 2 * off(r[2], 3) <= 3 * total + 14
    };
    if within(1) {
        return true;
    }
    // Edge to edge: pairs of runs span 2, 4, 4, 2 of 12 modules (each within half a module plus a
    // pixel), for runs no further off than 0.75 module.
    let pairs = [
        (r[0] + r[1], 2),
        (r[1] + r[2], 4),
        (r[2] + r[3], 4),
        (r[3] + r[4], 2),
    ];
    let span = r[0] + 2 * (r[1] + r[2] + r[3]) + r[4];
    4 * off(r[0], 1)
        .max(off(r[1], 1))
        .max(off(r[3], 1))
        .max(off(r[4], 1))
        <= 3 * total + 28
        && pairs
            .iter()
            .all(|&(len, modules)| 2 * (12 * len).abs_diff(modules * span) <= span + 24)
}

/// Whether the column through (`cx`, `y`) also crosses a finder pattern around `y`, of a size
/// comparable to the row's `total` (rotation and perspective stretch it, hence the wide range).
fn confirmed_vertically(
    img: &Luma,
    cx: usize,
    y: usize,
    total: u32,
    column: &mut Vec<u8>,
    ends: &mut Vec<u32>,
) -> bool {
    let (w, h) = (img.w as usize, img.h as usize);
    let reach = 2 * total as usize + 2;
    let (top, bottom) = (y.saturating_sub(reach), (y + reach + 1).min(h));
    column.clear();
    column.extend((top..bottom).map(|yy| img.px[yy * w + cx]));
    segment(column, ends);
    let at = (y - top) as u32;
    let Some(k) = ends.iter().position(|&e| e > at) else {
        return false;
    };
    if k < 2 || k + 2 >= ends.len() {
        return false;
    }
    let start = if k == 2 { 0 } else { ends[k - 3] };
    let runs = [
        ends[k - 2] - start,
        ends[k - 1] - ends[k - 2],
        ends[k] - ends[k - 1],
        ends[k + 1] - ends[k],
        ends[k + 2] - ends[k + 1],
    ];
    let vertical = ends[k + 2] - start;
    is_finder(runs) && 2 * vertical >= total && vertical <= 3 * total
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `size`×`size` image, white, with a finder pattern of `m`-pixel modules at (`x`, `y`);
    /// `dark`/`light` are its grey levels.
    fn finder_image(size: u32, x: u32, y: u32, m: u32, dark: u8, light: u8) -> Luma {
        let mut px = vec![light; (size * size) as usize];
        for yy in 0..7 * m {
            for xx in 0..7 * m {
                let (mx, my) = (xx / m, yy / m);
                let ring = mx.min(my).min(6 - mx).min(6 - my);
                let is_dark = ring != 1;
                let p = ((y + yy) * size + x + xx) as usize;
                px[p] = if is_dark { dark } else { light };
            }
        }
        Luma {
            w: size,
            h: size,
            px,
        }
    }

    #[test]
    fn runs_are_cut_by_contrast() {
        let mut ends = Vec::new();
        segment(&[200, 200, 20, 20, 20, 200], &mut ends);
        assert_eq!(ends, vec![2, 5, 6]);
        // A ramp smaller than CONTRAST is one run; noise below it does not cut.
        segment(&[100, 105, 110, 103, 108], &mut ends);
        assert_eq!(ends, vec![5]);
        // Low contrast (24 levels) still cuts.
        segment(&[130, 130, 106, 106, 130], &mut ends);
        assert_eq!(ends, vec![2, 4, 5]);
    }

    #[test]
    fn finder_ratio_is_loose_but_not_anything() {
        assert!(is_finder([2, 2, 6, 2, 2]));
        assert!(!is_finder([1, 1, 3, 1, 1]), "under MIN_FINDER");
        assert!(!is_finder([11, 1, 32, 1, 12]), "hairline light rings");
        assert!(is_finder([8, 8, 24, 8, 8]));
        assert!(is_finder([6, 10, 22, 9, 7]));
        // Bold modules: dark runs 3 px wider, light ones 3 px narrower (edge to edge).
        assert!(is_finder([11, 5, 27, 5, 11]));
        assert!(!is_finder([3, 3, 30, 3, 3]));
        assert!(!is_finder([3, 20, 3, 20, 3]));
        assert!(!is_finder([20, 3, 3, 3, 20]));
    }

    #[test]
    fn finds_finders_in_both_polarities_and_at_the_border() {
        for m in [2, 5, 12] {
            assert!(
                finder_candidates(&finder_image(120, 20, 30, m, 0, 255), 1) > 0,
                "m {m}"
            );
            assert!(
                finder_candidates(&finder_image(120, 20, 30, m, 255, 0), 1) > 0,
                "inverted, m {m}"
            );
        }
        // Flush with the corner (no quiet zone) and at low contrast.
        assert!(finder_candidates(&finder_image(60, 0, 0, 3, 0, 255), 1) > 0);
        assert!(finder_candidates(&finder_image(60, 10, 10, 3, 110, 140), 1) > 0);
    }

    #[test]
    fn plain_images_have_no_candidates() {
        let flat = Luma {
            w: 50,
            h: 50,
            px: vec![128; 2500],
        };
        assert_eq!(finder_candidates(&flat, 1), 0);
        // Vertical stripes 1:1:3:1:1 across every row: the column check rejects them.
        let stripes = [0u8, 255, 0, 0, 0, 255, 0, 255, 255, 255];
        let px = (0..50 * 50).map(|i| stripes[(i % 50) % 10]).collect();
        let striped = Luma { w: 50, h: 50, px };
        assert_eq!(finder_candidates(&striped, 1), 0);
    }
}
