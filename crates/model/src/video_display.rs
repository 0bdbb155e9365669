//! PAR-4's value on its own: where the web-integrated OpenEye shows video,
//! `x,y,width,height,layout,mode` (e.g. `0,0,800,380,PiP,Fit`). A leaf module: the violations
//! name its parts, and the parameter rules turn its parse errors into violations.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The largest coordinate or size accepted, in pixels (*decision*: the spec gives no upper
/// bound; no screen is this large, so a larger number is a typing mistake).
pub const VIDEO_PIXELS_MAX: u32 = 10_000;

/// The six parts of a PAR-4 value `x,y,width,height,layout,mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VideoPart {
    X,
    Y,
    Width,
    Height,
    Layout,
    Mode,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VideoLayout {
    /// Picture in picture.
    PiP,
    /// Side by side.
    SbS,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VideoMode {
    /// Original proportions, black borders where the window's differ.
    Fit,
    /// Original proportions at full size, cropped where needed.
    Cut,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VideoDisplay {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    pub layout: VideoLayout,
    pub mode: VideoMode,
}

/// Why a text is not a display value: not six parts, or the first part at fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadVideoDisplay {
    PartCount(usize),
    Part(VideoPart),
}

impl fmt::Display for VideoDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let layout = match self.layout {
            VideoLayout::PiP => "PiP",
            VideoLayout::SbS => "SbS",
        };
        let mode = match self.mode {
            VideoMode::Fit => "Fit",
            VideoMode::Cut => "Cut",
        };
        let VideoDisplay {
            x,
            y,
            width,
            height,
            ..
        } = self;
        write!(f, "{x},{y},{width},{height},{layout},{mode}")
    }
}

/// A whole number of pixels, digits only, from `min` to `VIDEO_PIXELS_MAX`.
fn pixels(text: &str, min: u32, part: VideoPart) -> Result<u32, BadVideoDisplay> {
    let value = (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse::<u32>().ok())
        .flatten()
        .filter(|v| (min..=VIDEO_PIXELS_MAX).contains(v));
    value.ok_or(BadVideoDisplay::Part(part))
}

impl VideoDisplay {
    /// Six comma-separated parts; spaces around a part and the case of the layout and mode
    /// are forgiven.
    pub fn parse(text: &str) -> Result<Self, BadVideoDisplay> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        let [x, y, width, height, layout, mode] = parts[..] else {
            return Err(BadVideoDisplay::PartCount(parts.len()));
        };
        let layout = match layout.to_ascii_lowercase().as_str() {
            "pip" => VideoLayout::PiP,
            "sbs" => VideoLayout::SbS,
            _ => return Err(BadVideoDisplay::Part(VideoPart::Layout)),
        };
        let mode = match mode.to_ascii_lowercase().as_str() {
            "fit" => VideoMode::Fit,
            "cut" => VideoMode::Cut,
            _ => return Err(BadVideoDisplay::Part(VideoPart::Mode)),
        };
        Ok(VideoDisplay {
            x: pixels(x, 0, VideoPart::X)?,
            y: pixels(y, 0, VideoPart::Y)?,
            width: pixels(width, 1, VideoPart::Width)?,
            height: pixels(height, 1, VideoPart::Height)?,
            layout,
            mode,
        })
    }
}
