//! Compression at build time, at the highest levels: the server sends these files as they are
//! instead of compressing on the fly at a fast, weaker level.

use std::io::Write;
use std::path::Path;

use crate::Result;

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
    out
}

/// The assets a browser downloads: wasm, JS, CSS and SVG.
pub fn is_compressible(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("wasm" | "js" | "css" | "svg")
    )
}

/// Writes `<file>.br` and `<file>.gz` beside every compressible file under `dir`.
pub fn precompress(dir: &Path) -> Result {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            precompress(&path)?;
        } else if is_compressible(&path) {
            let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
            let with = |ext: &str| format!("{}.{ext}", path.display());
            std::fs::write(with("br"), brotli(&bytes)).map_err(|e| e.to_string())?;
            std::fs::write(with("gz"), gzip(&bytes)).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
