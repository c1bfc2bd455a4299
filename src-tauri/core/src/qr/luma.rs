//! The grey image the passes work on, and its variants (reduced, inverted, upscaled, blurred,
//! thresholded): pure pixel functions, no decoder.
//!
//! Invariants: a [`Luma`] always holds `w × h` pixels, row by row; every variant keeps that; the
//! conversion composites transparent pixels over white.

use image::DynamicImage;

use super::pipeline::TINY;

/// A grey image owned by the pipeline.
pub(super) struct Luma {
    pub(super) w: u32,
    pub(super) h: u32,
    pub(super) px: Vec<u8>,
}

impl Luma {
    pub(super) fn pixels(&self) -> u64 {
        u64::from(self.w) * u64::from(self.h)
    }
    pub(super) fn inverted(&self) -> Luma {
        Luma {
            w: self.w,
            h: self.h,
            px: self.px.iter().map(|p| 255 - p).collect(),
        }
    }
    /// Box-filter downscale by an integer factor.
    pub(super) fn shrink(&self, f: u32) -> Luma {
        if f == 2 {
            return self.halved();
        }
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
    /// [`Luma::shrink`] by 2 (4K screenshots, half-size retries): the same rounding down, in a
    /// loop over pairs of rows the compiler can vectorise.
    fn halved(&self) -> Luma {
        let (w, h) = (self.w / 2, self.h / 2);
        let src_w = self.w as usize;
        let mut px = vec![0u8; w as usize * h as usize];
        for (y, out) in px.chunks_exact_mut(w as usize).enumerate() {
            let top = &self.px[2 * y * src_w..][..2 * w as usize];
            let bottom = &self.px[(2 * y + 1) * src_w..][..2 * w as usize];
            for ((o, t), b) in out
                .iter_mut()
                .zip(top.chunks_exact(2))
                .zip(bottom.chunks_exact(2))
            {
                let sum = u16::from(t[0]) + u16::from(t[1]) + u16::from(b[0]) + u16::from(b[1]);
                *o = (sum / 4) as u8;
            }
        }
        Luma { w, h, px }
    }
    /// Bilinear upscale by an integer factor (keeps edges soft so the binarisers see ramps).
    pub(super) fn enlarge(&self, f: u32) -> Luma {
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
    pub(super) fn tiny_geometry(&self) -> (u32, u32) {
        let f = (2 * TINY).div_ceil(self.w.max(self.h)).max(2);
        (f, 4 * f)
    }
    /// Nearest-neighbour upscale by an integer factor to at least [`TINY`]·2 pixels, with a white
    /// border of 4 source pixels (a quiet zone for codes cropped flush).
    pub(super) fn tiny(&self) -> Luma {
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
    pub(super) fn blurred(&self) -> Luma {
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
pub(super) fn to_luma(image: &DynamicImage) -> Luma {
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
        DynamicImage::ImageRgb8(buf) => {
            // 16-bit arithmetic (255 · 256 fits), which the compiler vectorises.
            let mut px = vec![0u8; buf.as_raw().len() / 3];
            for (o, p) in px.iter_mut().zip(buf.as_raw().chunks_exact(3)) {
                let l = u16::from(p[0]) * 77 + u16::from(p[1]) * 150 + u16::from(p[2]) * 29;
                *o = (l >> 8) as u8;
            }
            px
        }
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

/// Otsu's global threshold, as a binarised (0/255) copy.
pub(super) fn otsu(img: &Luma) -> Luma {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn luma(w: u32, h: u32, px: &[u8]) -> Luma {
        assert_eq!(px.len(), (w * h) as usize);
        Luma {
            w,
            h,
            px: px.to_vec(),
        }
    }

    #[test]
    fn shrink_averages_blocks_and_inversion_flips() {
        let img = luma(4, 2, &[0, 100, 200, 255, 100, 200, 255, 255]);
        let half = img.shrink(2);
        assert_eq!((half.w, half.h), (2, 1));
        assert_eq!(half.px, vec![100, 241]);
        // The generic path (factor 3) agrees with the halving one on its own blocks.
        let wide = luma(6, 3, &[9; 18]);
        assert_eq!(wide.shrink(3).px, vec![9, 9]);
        assert_eq!(wide.shrink(2).px, vec![9; 3]);
        assert_eq!(img.inverted().px[0], 255);
        assert_eq!(img.inverted().px[3], 0);
        assert_eq!(img.pixels(), 8);
    }

    #[test]
    fn variants_keep_w_times_h_pixels() {
        let img = luma(5, 3, &[7; 15]);
        for v in [img.enlarge(2), img.tiny(), img.blurred(), otsu(&img)] {
            assert_eq!(v.px.len(), (v.w * v.h) as usize);
        }
        // Tiny: at least 2·TINY pixels of code, a white border of 4 source pixels.
        let (f, border) = img.tiny_geometry();
        assert!(5 * f >= 2 * TINY && border == 4 * f);
        let t = img.tiny();
        assert_eq!(t.px[0], 255);
        assert_eq!(t.px[(border * t.w + border) as usize], 7);
    }

    #[test]
    fn otsu_splits_two_levels_and_transparency_is_white() {
        let img = luma(4, 1, &[10, 20, 200, 210]);
        assert_eq!(otsu(&img).px, vec![0, 0, 255, 255]);
        let clear = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            2,
            1,
            image::Rgba([0, 0, 0, 0]),
        ));
        assert_eq!(to_luma(&clear).px, vec![255, 255]);
    }
}
