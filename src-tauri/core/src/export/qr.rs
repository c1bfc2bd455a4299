//! A PNG of one account's Key URI as a QR code: what an authenticator's camera scans, the way
//! a service shows its enrolment QR. Holds the secret in the clear.
//!
//! Rendering: the `qrcode` crate encodes the text (error-correction level M, as Google
//! Authenticator's codes; the smallest version that fits); each module is drawn as a square of
//! [`MODULE_PX`] pixels, black on white, with a quiet zone of [`QUIET_MODULES`] modules on every
//! side (ISO/IEC 18004 asks for 4), as an 8-bit grey PNG.

use image::ImageEncoder;
use zeroize::{Zeroize, Zeroizing};

use crate::enrolment::Enrolment;
use crate::error::{Error, ErrorKind, Result};

/// Pixels per module side.
pub const MODULE_PX: u32 = 8;
/// Modules of white around the code.
pub const QUIET_MODULES: u32 = 4;

/// The PNG of `e`'s Key URI ([`crate::uri::format`]) as a QR code, in a buffer zeroized when
/// dropped.
///
/// Errors: [`ErrorKind::InvalidInput`] when the URI is too long for a QR code (an issuer and
/// account of thousands of characters).
pub fn account_png(e: &Enrolment) -> Result<Zeroizing<Vec<u8>>> {
    let uri = Zeroizing::new(crate::uri::format(e));
    png(uri.as_bytes())
}

/// The PNG of a QR code holding `text` (level M, quiet zone, [`MODULE_PX`] pixels a module), in
/// a buffer zeroized when dropped; the pixels are zeroized too.
///
/// Errors: [`ErrorKind::InvalidInput`] when `text` does not fit one QR code.
pub(crate) fn png(text: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let code =
        qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).map_err(|_| {
            Error::new(
                ErrorKind::InvalidInput,
                "the account's text is too long for a QR code; export it as otpauth instead",
            )
        })?;
    let modules = u32::try_from(code.width()).unwrap_or(u32::MAX);
    // The modules spell the secret: taken out of the code and overwritten once drawn.
    let mut colors = code.into_colors();
    let side = (modules + 2 * QUIET_MODULES) * MODULE_PX;
    let mut pixels = Zeroizing::new(vec![255u8; (side * side) as usize]);
    for (i, c) in colors.iter().enumerate() {
        if *c != qrcode::Color::Dark {
            continue;
        }
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        let (mx, my) = (i % modules + QUIET_MODULES, i / modules + QUIET_MODULES);
        for y in my * MODULE_PX..(my + 1) * MODULE_PX {
            let row = (y * side) as usize;
            pixels[row + (mx * MODULE_PX) as usize..row + ((mx + 1) * MODULE_PX) as usize].fill(0);
        }
    }
    colors.fill(qrcode::Color::Light);
    std::hint::black_box(&colors);
    drop(colors);
    // A PNG of a QR code compresses to a few kilobytes; sized up front so that it never moves.
    let mut out = Zeroizing::new(Vec::with_capacity(pixels.len() / 4 + 4096));
    image::codecs::png::PngEncoder::new(&mut *out)
        .write_image(&pixels, side, side, image::ExtendedColorType::L8)
        .map_err(|e| Error::new(ErrorKind::Io, format!("internal: PNG encoding failed: {e}")))?;
    pixels.zeroize();
    Ok(out)
}
