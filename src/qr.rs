//! PER-6 QR codes as plain Rust: the module matrix (from the `qrcode` crate), and the SVG and PNG
//! files the agent downloads, both drawn from that same matrix.
//!
//! The PNG encoder is written here (stored deflate, ~40 lines) rather than taken from the `png`
//! crate: a black-and-white image needs none of its compression, and the app stays small.

use qrcode::{Color, EcLevel, QrCode};

use crate::chunks::split_point;

/// Light modules around the code, as ISO/IEC 18004 asks, so scanners find it on any background.
pub const QUIET_ZONE: usize = 4;
/// The PNG is at least this many pixels square: sharp when printed on a business card.
pub const PNG_MIN_PIXELS: usize = 512;
/// The SVG's nominal size per module; as a vector image it is crisp at any size.
const SVG_PIXELS_PER_MODULE: usize = 8;

/// A QR code's modules, quiet zone included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrMatrix {
    /// Modules per side, quiet zone included.
    size: usize,
    dark: Vec<bool>,
}

split_point! {
    /// PER-6: [`QrMatrix::encode`] with its encoder (the `qrcode` crate) in a chunk (OPS-7).
    pub fn qr_encoded(text: String) -> Option<QrMatrix> {
        QrMatrix::encode(&text)
    }
    preloaded by preload_qr_encoder
}

impl QrMatrix {
    /// Encodes `text` with error correction level Q (a quarter of the code may be damaged or
    /// covered), suited to printed cards. `None` if the text does not fit in any QR version.
    pub fn encode(text: &str) -> Option<QrMatrix> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::Q).ok()?;
        let width = code.width();
        let size = width + 2 * QUIET_ZONE;
        let mut dark = vec![false; size * size];
        for (i, color) in code.to_colors().into_iter().enumerate() {
            let (x, y) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
            dark[y * size + x] = color == Color::Dark;
        }
        Some(QrMatrix { size, dark })
    }

    /// Modules per side, quiet zone included.
    pub fn size(&self) -> usize {
        self.size
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size && y < self.size && self.dark[y * self.size + x]
    }

    /// An SVG of the code: one path of whole-module rectangles on a white square, drawn with
    /// `crispEdges`, so it stays sharp at any size.
    pub fn svg(&self) -> String {
        let size = self.size;
        let pixels = size * SVG_PIXELS_PER_MODULE;
        let mut path = String::new();
        for y in 0..size {
            let mut x = 0;
            while x < size {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while self.is_dark(x, y) {
                    x += 1;
                }
                let run = x - start;
                path.push_str(&format!("M{start} {y}h{run}v1h-{run}z"));
            }
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
             width=\"{pixels}\" height=\"{pixels}\" shape-rendering=\"crispEdges\">\
             <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
             <path fill=\"#000\" d=\"{path}\"/></svg>"
        )
    }

    /// Pixels per module in the PNG: the fewest whole pixels that reach `PNG_MIN_PIXELS`.
    pub fn png_scale(&self) -> usize {
        PNG_MIN_PIXELS.div_ceil(self.size).max(1)
    }

    /// A black-and-white PNG of the code, at least `PNG_MIN_PIXELS` square, every module a
    /// square of whole pixels.
    pub fn png(&self) -> Vec<u8> {
        let scale = self.png_scale();
        let pixels = self.size * scale;
        let row_bytes = pixels.div_ceil(8);
        // One filter byte (0: none) and 1-bit pixels per row; 1 is white.
        let mut raw = Vec::with_capacity((row_bytes + 1) * pixels);
        for py in 0..pixels {
            raw.push(0);
            let start = raw.len();
            raw.resize(start + row_bytes, 0);
            for px in 0..pixels {
                if !self.is_dark(px / scale, py / scale) {
                    raw[start + px / 8] |= 0x80 >> (px % 8);
                }
            }
            // Padding bits past the last pixel stay 0; decoders ignore them.
        }
        let side = u32::try_from(pixels).unwrap_or(u32::MAX).to_be_bytes();
        let mut header = Vec::with_capacity(13);
        header.extend_from_slice(&side);
        header.extend_from_slice(&side);
        // Bit depth 1, greyscale, deflate, adaptive filtering, no interlace.
        header.extend_from_slice(&[1, 0, 0, 0, 0]);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        chunk(&mut png, b"IHDR", &header);
        chunk(&mut png, b"IDAT", &zlib_stored(&raw));
        chunk(&mut png, b"IEND", &[]);
        png
    }
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let length = u32::try_from(data.len()).unwrap_or(u32::MAX);
    png.extend_from_slice(&length.to_be_bytes());
    let start = png.len();
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let crc = crc32(&png[start..]);
    png.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of uncompressed ("stored") deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let mut blocks = data.chunks(0xffff).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none()));
        let length = u16::try_from(block.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&length.to_le_bytes());
        out.extend_from_slice(&(!length).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// CRC-32 (ISO 3309) bit by bit: no table in the app for a few kilobytes of chunk data.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

// The decoder is a native dev-dependency: these run with `cargo test --lib`, not in the browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const LINK: &str = "https://wa.me/8613800138000?text=Hello%2C%20I%20would%20like%20to%20chat%20with%20my%20agent.%20Code%3A%20PC-3ZK8Q1M0D5RTVWXY2AB4C6E7FG";

    #[test]
    fn checksums_match_their_definitions() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    }

    #[test]
    fn the_code_has_a_quiet_zone_of_four_light_modules() {
        let matrix = QrMatrix::encode(LINK).unwrap();
        let size = matrix.size();
        for i in 0..size {
            for q in 0..QUIET_ZONE {
                assert!(!matrix.is_dark(q, i) && !matrix.is_dark(i, q));
                assert!(!matrix.is_dark(size - 1 - q, i) && !matrix.is_dark(i, size - 1 - q));
            }
        }
        // The finder pattern's corner starts right inside the quiet zone.
        assert!(matrix.is_dark(QUIET_ZONE, QUIET_ZONE));
    }

    /// Decodes a greyscale image with rqrr, a real QR decoder, and returns the text.
    fn decode(width: usize, height: usize, luma: impl FnMut(usize, usize) -> u8) -> String {
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, luma);
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "exactly one QR code");
        let (meta, text) = grids[0].decode().expect("a readable QR code");
        // Error correction level Q (rqrr numbers Q as 3).
        assert_eq!(meta.ecc_level, 3, "{meta:?}");
        text
    }

    #[test]
    fn the_png_the_agent_downloads_decodes_to_exactly_the_link() {
        let matrix = QrMatrix::encode(LINK).unwrap();
        let bytes = matrix.png();
        let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
        let mut reader = decoder.read_info().expect("a valid PNG");
        let mut pixels = vec![0; reader.output_buffer_size()];
        let frame = reader.next_frame(&mut pixels).expect("PNG image data");
        let (width, height) = (frame.width as usize, frame.height as usize);
        assert_eq!(width, height);
        assert!(width >= PNG_MIN_PIXELS, "{width} px");
        assert_eq!(frame.bit_depth, png::BitDepth::One);
        let luma = |x: usize, y: usize| {
            let byte = pixels[y * frame.line_size + x / 8];
            if byte & (0x80 >> (x % 8)) == 0 {
                0
            } else {
                255
            }
        };
        assert_eq!(decode(width, height, luma), LINK);
    }

    /// Rasterises the SVG's path (runs of `M x y h n v1 h-n z`) back into modules.
    fn modules_of_svg(svg: &str) -> (usize, Vec<bool>) {
        let size: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .expect("a square viewBox");
        let path = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let mut dark = vec![false; size * size];
        for rect in path.split('z').filter(|r| !r.is_empty()) {
            let numbers: Vec<usize> = rect
                .split(['M', ' ', 'h', 'v'])
                .filter(|n| !n.is_empty() && !n.starts_with('-'))
                .map(|n| n.parse().unwrap())
                .collect();
            let [x, y, run, 1] = numbers[..] else {
                panic!("unexpected path segment {rect}");
            };
            for i in x..x + run {
                dark[y * size + i] = true;
            }
        }
        (size, dark)
    }

    #[test]
    fn the_svg_the_agent_downloads_decodes_to_exactly_the_link() {
        let matrix = QrMatrix::encode(LINK).unwrap();
        let svg = matrix.svg();
        assert!(svg.contains("shape-rendering=\"crispEdges\""));
        let (size, dark) = modules_of_svg(&svg);
        assert_eq!(size, matrix.size());
        // Four pixels per module for the decoder; the SVG itself has no pixels.
        let scale = 4;
        let luma = |x: usize, y: usize| {
            if dark[(y / scale) * size + x / scale] {
                0
            } else {
                255
            }
        };
        assert_eq!(decode(size * scale, size * scale, luma), LINK);
    }

    #[test]
    fn a_long_text_still_fits_and_decodes() {
        let long = format!("{LINK}{}", "%20".repeat(60));
        let matrix = QrMatrix::encode(&long).unwrap();
        let scale = matrix.png_scale();
        let size = matrix.size();
        let luma = |x: usize, y: usize| {
            if matrix.is_dark(x / scale, y / scale) {
                0
            } else {
                255
            }
        };
        assert_eq!(decode(size * scale, size * scale, luma), long);
        assert!(QrMatrix::encode(&"x".repeat(4000)).is_none());
    }
}
