//! PAR-4: a small scaled picture of where the web-integrated OpenEye shows video: the window on
//! a reference screen, its panes (picture-in-picture or side by side), and how the video sits
//! in each pane (Fit: whole, with black borders; Cut: filling the pane, cropped).

use leptos::prelude::*;
use pc_model::parameters::{VideoDisplay, VideoLayout, VideoMode};

use crate::i18n::*;

/// The screen the window is drawn on, unless the window reaches beyond it.
pub const REFERENCE_SCREEN: (u32, u32) = (1920, 1080);
/// The shape of the camera picture.
const VIDEO_ASPECT: f64 = 16.0 / 9.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// One video pane: its frame in the window, and the picture inside it (relative to the frame;
/// with Cut it is larger than the frame and cropped by it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pane {
    pub frame: Rect,
    pub picture: Rect,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PreviewGeometry {
    pub screen: (f64, f64),
    pub window: Rect,
    /// The remote party first, then the agent's own picture.
    pub panes: Vec<Pane>,
}

fn picture_in(frame_width: f64, frame_height: f64, mode: VideoMode) -> Rect {
    let frame_aspect = frame_width / frame_height;
    // Fit: the whole picture, as large as fits. Cut: the whole pane, the picture cropped.
    let width_bound = match mode {
        VideoMode::Fit => frame_aspect < VIDEO_ASPECT,
        VideoMode::Cut => frame_aspect >= VIDEO_ASPECT,
    };
    let (width, height) = if width_bound {
        (frame_width, frame_width / VIDEO_ASPECT)
    } else {
        (frame_height * VIDEO_ASPECT, frame_height)
    };
    Rect {
        x: (frame_width - width) / 2.0,
        y: (frame_height - height) / 2.0,
        width,
        height,
    }
}

pub fn preview_geometry(display: &VideoDisplay) -> PreviewGeometry {
    let (x, y) = (f64::from(display.x), f64::from(display.y));
    let (width, height) = (f64::from(display.width), f64::from(display.height));
    let screen = (
        f64::from(REFERENCE_SCREEN.0).max(x + width),
        f64::from(REFERENCE_SCREEN.1).max(y + height),
    );
    let frames = match display.layout {
        VideoLayout::PiP => {
            let inset = (width / 4.0, height / 4.0);
            let margin = width.min(height) / 20.0;
            vec![
                Rect {
                    x: 0.0,
                    y: 0.0,
                    width,
                    height,
                },
                Rect {
                    x: width - inset.0 - margin,
                    y: height - inset.1 - margin,
                    width: inset.0,
                    height: inset.1,
                },
            ]
        }
        VideoLayout::SbS => vec![
            Rect {
                x: 0.0,
                y: 0.0,
                width: width / 2.0,
                height,
            },
            Rect {
                x: width / 2.0,
                y: 0.0,
                width: width / 2.0,
                height,
            },
        ],
    };
    PreviewGeometry {
        screen,
        window: Rect {
            x,
            y,
            width,
            height,
        },
        panes: frames
            .into_iter()
            .map(|frame| Pane {
                frame,
                picture: picture_in(frame.width, frame.height, display.mode),
            })
            .collect(),
    }
}

/// Whole pixels, as the SVG is drawn: formatting floats would cost the app ~11 KB of wasm.
fn px(value: f64) -> i64 {
    value.round() as i64
}

#[component]
pub fn VideoPreview(
    /// The display as typed so far; nothing is drawn while it is not valid.
    #[prop(into)]
    display: Signal<Option<VideoDisplay>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        display.get().map(|display| {
            let geometry = preview_geometry(&display);
            let (screen_width, screen_height) = (px(geometry.screen.0), px(geometry.screen.1));
            let window = geometry.window;
            let layout = match display.layout {
                VideoLayout::PiP => tr!(i18n, parameters.layout_pip),
                VideoLayout::SbS => tr!(i18n, parameters.layout_sbs),
            };
            let mode = match display.mode {
                VideoMode::Fit => tr!(i18n, parameters.mode_fit),
                VideoMode::Cut => tr!(i18n, parameters.mode_cut),
            };
            let panes = geometry
                .panes
                .iter()
                .map(|pane| {
                    let Pane { frame, picture } = *pane;
                    // A nested <svg> clips what lies outside it: the cropped part of a Cut picture.
                    view! {
                        <svg
                            data-part="pane"
                            x=px(window.x + frame.x)
                            y=px(window.y + frame.y)
                            width=px(frame.width)
                            height=px(frame.height)
                        >
                            <rect class="preview-pane" width="100%" height="100%"/>
                            <rect
                                class="preview-picture"
                                data-part="picture"
                                x=px(picture.x)
                                y=px(picture.y)
                                width=px(picture.width)
                                height=px(picture.height)
                            />
                        </svg>
                    }
                })
                .collect_view();
            view! {
                <figure class="video-preview" data-testid="video-preview">
                    <svg
                        role="img"
                        aria-labelledby="video-preview-caption"
                        viewBox=format!("0 0 {screen_width} {screen_height}")
                        width="240"
                        height=240 * screen_height / screen_width
                    >
                        <rect class="preview-screen" width=screen_width height=screen_height/>
                        <rect
                            class="preview-window"
                            data-part="window"
                            x=px(window.x)
                            y=px(window.y)
                            width=px(window.width)
                            height=px(window.height)
                        />
                        {panes}
                    </svg>
                    <figcaption id="video-preview-caption">
                        {t!(i18n, parameters.preview_caption,
                            width = display.width, height = display.height,
                            x = display.x, y = display.y,
                            screen_width = screen_width, screen_height = screen_height)}
                        " "{layout}", "{mode}
                    </figcaption>
                </figure>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn display(text: &str) -> VideoDisplay {
        text.parse().unwrap()
    }

    #[test]
    fn the_window_sits_on_the_reference_screen() {
        let geometry = preview_geometry(&display("100,50,800,380,PiP,Fit"));
        assert_eq!(geometry.screen, (1920.0, 1080.0));
        assert_eq!(
            geometry.window,
            Rect {
                x: 100.0,
                y: 50.0,
                width: 800.0,
                height: 380.0
            }
        );
    }

    #[test]
    fn a_window_beyond_the_reference_screen_widens_the_picture() {
        let geometry = preview_geometry(&display("1800,900,800,600,SbS,Fit"));
        assert_eq!(geometry.screen, (2600.0, 1500.0));
    }

    #[test]
    fn pip_has_a_full_pane_and_a_small_one_inside_it() {
        let geometry = preview_geometry(&display("0,0,800,400,PiP,Fit"));
        let [main, inset] = geometry.panes[..] else {
            panic!("two panes")
        };
        assert_eq!(main.frame.width, 800.0);
        assert_eq!(inset.frame.width, 200.0);
        assert!(inset.frame.x + inset.frame.width <= 800.0);
        assert!(inset.frame.y + inset.frame.height <= 400.0);
    }

    #[test]
    fn sbs_splits_the_window_in_two_halves() {
        let geometry = preview_geometry(&display("0,0,800,400,SbS,Fit"));
        let frames: Vec<(f64, f64)> = geometry
            .panes
            .iter()
            .map(|p| (p.frame.x, p.frame.width))
            .collect();
        assert_eq!(frames, [(0.0, 400.0), (400.0, 400.0)]);
    }

    #[test]
    fn fit_keeps_the_whole_picture_and_cut_fills_the_pane() {
        // A 400 x 400 pane holds a 16:9 picture: Fit is 400 wide with bars above and below,
        // Cut is 400 high and cropped left and right.
        let fit = picture_in(400.0, 400.0, VideoMode::Fit);
        assert_eq!(fit.width, 400.0);
        assert!(fit.height < 400.0 && fit.y > 0.0);
        let cut = picture_in(400.0, 400.0, VideoMode::Cut);
        assert_eq!(cut.height, 400.0);
        assert!(cut.width > 400.0 && cut.x < 0.0);
        // A very wide pane: Fit has bars left and right, Cut is cropped above and below.
        let fit = picture_in(1600.0, 300.0, VideoMode::Fit);
        assert_eq!(fit.height, 300.0);
        assert!(fit.x > 0.0);
        let cut = picture_in(1600.0, 300.0, VideoMode::Cut);
        assert_eq!(cut.width, 1600.0);
        assert!(cut.y < 0.0);
    }
}
