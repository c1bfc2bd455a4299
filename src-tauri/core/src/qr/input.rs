//! Encoded images in: header-first size limits, format check, decoding, then [`super::decode`].
//!
//! Invariants: the dimensions are read from the header and checked against [`MAX_PIXELS`] and
//! [`MAX_SIDE`] before any pixel is decoded, and the decoder may allocate at most
//! [`MAX_ALLOC_BYTES`] (decompression bombs); errors name the source (a file name, "clipboard
//! image"), never the content.

use std::io::Cursor;

use image::{DynamicImage, ImageError, ImageFormat, ImageReader, Limits};

use crate::error::{Detail, Error, ErrorKind, Result};

use super::decode;

/// Largest accepted image, in pixels (width × height): 60 megapixels.
pub const MAX_PIXELS: u64 = 60_000_000;
/// Largest accepted width or height, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// Most memory the image decoder may allocate for one image, in bytes (1 GiB: a 60-megapixel,
/// 16-bit RGBA PNG needs 480 MB).
pub const MAX_ALLOC_BYTES: u64 = 1 << 30;

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
    found(decode(&image), source)
}

/// Decodes raw RGBA pixels (`width` × `height`, 4 bytes a pixel: a clipboard image) as
/// [`decode_bytes`] does, with the same limits, checked before the pixels are used. `source`
/// names the image in error messages ("clipboard image").
///
/// # Errors
/// - [`ErrorKind::ImageTooLarge`] (detail [`Detail::Size`]) for an image over the limits;
/// - [`ErrorKind::ImageUnreadable`] when `rgba` does not hold `width` × `height` pixels;
/// - [`ErrorKind::NoQrFound`] when the image holds no decodable QR code.
pub fn decode_rgba(rgba: Vec<u8>, width: u32, height: u32, source: &str) -> Result<Vec<String>> {
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(too_large(width, height));
    }
    let image = image::RgbaImage::from_raw(width, height, rgba)
        .ok_or_else(|| unreadable(source, "the pixels do not fill the image; copy it again"))?;
    found(decode(&DynamicImage::ImageRgba8(image)), source)
}

/// `texts`, or [`ErrorKind::NoQrFound`] naming `source` when there are none.
fn found(texts: Vec<String>, source: &str) -> Result<Vec<String>> {
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
pub fn decode_file(path: &std::path::Path) -> Result<Vec<String>> {
    let bytes = read_file(path)?;
    let name = path.display().to_string();
    decode_bytes(&bytes, &name).map_err(|e| match e.kind() {
        ErrorKind::ImageTooLarge => e,
        _ => e.with_detail(Detail::Path(path.to_path_buf())),
    })
}

/// Reads an input file; failure is [`ErrorKind::ImageUnreadable`] naming it, with [`Detail::Path`].
#[cfg(any(test, feature = "test-support"))]
fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
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
