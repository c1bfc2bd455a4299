//! `spse-auth decode IMAGE...`: prints the text of every QR code in the images (diagnostics;
//! touches no vault). Its job is to print what a QR code holds, secrets included.

use std::io::Write;
use std::path::PathBuf;

use spse_auth_core::qr;

/// Decodes every image in turn. An image without a readable QR code gets its own error line and
/// the others are still decoded; the run fails (exit 1) if any did.
pub fn run(images: &[PathBuf], out: &mut impl Write) -> anyhow::Result<()> {
    // Every image that fails gets its line; the last one is printed by `main` (exit 1).
    let mut failed: Vec<anyhow::Error> = Vec::new();
    for path in images {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
        };
        match qr::decode_bytes(&bytes, &path.display().to_string()) {
            Ok(texts) => {
                for t in texts {
                    writeln!(out, "{t}")?;
                }
            }
            Err(e) => failed.push(e.into()),
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
