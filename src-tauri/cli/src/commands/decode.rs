//! `spse-auth decode IMAGE...`: prints the text of every QR code in the images (diagnostics;
//! touches no vault). Its job is to print what a QR code holds, secrets included.

use std::io::Write;
use std::path::{Path, PathBuf};

use spse_auth_core::qr;

/// Decodes every image in turn. An image that cannot be read or holds no readable QR code gets
/// its own error line and the others are still decoded; the run fails (exit 1) if any did.
pub fn run(images: &[PathBuf], out: &mut impl Write) -> anyhow::Result<()> {
    // Every image that fails gets its line; the last one is printed by `main` (exit 1).
    let mut failed: Vec<anyhow::Error> = Vec::new();
    for path in images {
        match decode_one(path) {
            Ok(texts) => {
                for t in texts {
                    writeln!(out, "{t}")?;
                }
            }
            Err(e) => failed.push(e),
        }
    }
    match failed.pop() {
        Some(last) => {
            for e in &failed {
                eprintln!("spse-auth: {e:#}");
            }
            Err(last)
        }
        None => Ok(()),
    }
}

/// The texts of the QR codes in one image file.
fn decode_one(path: &Path) -> anyhow::Result<Vec<String>> {
    let bytes =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    Ok(qr::decode_bytes(&bytes, &path.display().to_string())?)
}
