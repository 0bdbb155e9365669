//! RTC-3 in the browser: listing the devices (`enumerateDevices`), opening the microphone
//! (`getUserMedia`), the level meter (an `AnalyserNode` read once per animation frame), the test
//! tone (an oscillator played with `setSinkId` on the chosen speaker) and the choices kept in
//! `localStorage`. What the answers mean is decided in `state`.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::{request_animation_frame, window};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AnalyserNode, AudioContext, HtmlAudioElement, MediaDeviceInfo, MediaDeviceKind, MediaDevices,
    MediaStream, MediaStreamConstraints, MediaStreamTrack, MediaTrackConstraints,
};

use super::state::{meter_level, Device};

/// `localStorage` keys of the chosen devices' IDs.
pub const MICROPHONE_KEY: &str = "pc.audio.microphone";
pub const SPEAKER_KEY: &str = "pc.audio.speaker";
/// The test tone: A4 for about a second.
const TONE_HZ: f32 = 440.0;
const TONE_SECONDS: f64 = 1.0;

/// `navigator.mediaDevices`, missing outside secure contexts (HTTPS or localhost).
pub fn media_devices() -> Option<MediaDevices> {
    js_sys::Reflect::get(&window().navigator(), &JsValue::from_str("mediaDevices"))
        .ok()
        .filter(|devices| !devices.is_undefined() && !devices.is_null())
        .map(JsCast::unchecked_into)
}

/// Calls its handler whenever a device is connected or disconnected, until dropped.
pub struct DeviceChanges {
    media: MediaDevices,
    on_change: Closure<dyn FnMut()>,
}

impl DeviceChanges {
    /// None where the page cannot use media devices at all.
    pub fn watch(on_change: impl FnMut() + 'static) -> Option<DeviceChanges> {
        let media = media_devices()?;
        let on_change = Closure::<dyn FnMut()>::new(on_change);
        media
            .add_event_listener_with_callback("devicechange", on_change.as_ref().unchecked_ref())
            .ok()?;
        Some(DeviceChanges { media, on_change })
    }
}

impl Drop for DeviceChanges {
    fn drop(&mut self) {
        let _ = self.media.remove_event_listener_with_callback(
            "devicechange",
            self.on_change.as_ref().unchecked_ref(),
        );
    }
}

/// The microphones and the speakers, in the browser's order.
pub async fn list_devices(media: &MediaDevices) -> Result<(Vec<Device>, Vec<Device>), JsValue> {
    let listed: js_sys::Array = JsFuture::from(media.enumerate_devices()?)
        .await?
        .unchecked_into();
    let (mut microphones, mut speakers) = (Vec::new(), Vec::new());
    for info in listed.iter() {
        let info: MediaDeviceInfo = info.unchecked_into();
        let device = Device::new(info.device_id(), info.label());
        match info.kind() {
            MediaDeviceKind::Audioinput => microphones.push(device),
            MediaDeviceKind::Audiooutput => speakers.push(device),
            _ => {}
        }
    }
    Ok((microphones, speakers))
}

/// The microphone `device_id` (any microphone when empty), asking for permission if needed.
pub async fn open_microphone(
    media: &MediaDevices,
    device_id: &str,
) -> Result<MediaStream, JsValue> {
    let constraints = MediaStreamConstraints::new();
    if device_id.is_empty() {
        constraints.set_audio_bool(true);
    } else {
        let audio = MediaTrackConstraints::new();
        audio.set_device_id_str(device_id);
        constraints.set_audio_media_track_constraints(&audio);
    }
    let promise = media.get_user_media_with_constraints(&constraints)?;
    Ok(JsFuture::from(promise).await?.unchecked_into())
}

pub fn stop_tracks(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        track.unchecked_into::<MediaStreamTrack>().stop();
    }
}

/// The `name` of a rejection (a `DOMException` such as `NotAllowedError`).
pub fn error_name(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|name| name.as_string())
        .unwrap_or_default()
}

/// An open microphone reporting its level once per animation frame.
pub struct MicrophoneCheck {
    device_id: String,
    stream: MediaStream,
    context: AudioContext,
    running: Rc<Cell<bool>>,
}

impl MicrophoneCheck {
    /// Measures `stream`, the microphone `device_id`, and passes each level (0 to 1) to
    /// `on_level` until stopped.
    pub fn start(
        device_id: String,
        stream: MediaStream,
        on_level: impl Fn(f64) + 'static,
    ) -> Result<MicrophoneCheck, JsValue> {
        let context = AudioContext::new()?;
        let analyser = context.create_analyser().and_then(|analyser| {
            context
                .create_media_stream_source(&stream)?
                .connect_with_audio_node(&analyser)?;
            Ok(analyser)
        });
        let analyser = match analyser {
            Ok(analyser) => analyser,
            Err(error) => {
                let _ = context.close();
                return Err(error);
            }
        };
        // Created after an await, the context may start suspended.
        let _ = context.resume();
        let running = Rc::new(Cell::new(true));
        let samples = vec![0.0; analyser.fft_size() as usize];
        measure(
            analyser,
            samples,
            Rc::new(on_level),
            Rc::clone(&running),
            0.0,
        );
        Ok(MicrophoneCheck {
            device_id,
            stream,
            context,
            running,
        })
    }

    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    pub fn stop(self) {
        self.running.set(false);
        stop_tracks(&self.stream);
        let _ = self.context.close();
    }
}

fn measure(
    analyser: AnalyserNode,
    mut samples: Vec<f32>,
    on_level: Rc<dyn Fn(f64)>,
    running: Rc<Cell<bool>>,
    previous: f64,
) {
    if !running.get() {
        return;
    }
    analyser.get_float_time_domain_data(&mut samples);
    let current = meter_level(previous, &samples);
    on_level(current);
    request_animation_frame(move || measure(analyser, samples, on_level, running, current));
}

/// Plays the test tone on the speaker `speaker_id` (the default one when empty). False when it
/// played on the default speaker because the browser cannot choose one (no `setSinkId`).
pub async fn play_tone(speaker_id: &str) -> Result<bool, JsValue> {
    let context = AudioContext::new()?;
    let played = play_tone_in(&context, speaker_id).await;
    let _ = context.close();
    played
}

async fn play_tone_in(context: &AudioContext, speaker_id: &str) -> Result<bool, JsValue> {
    let oscillator = context.create_oscillator()?;
    oscillator.frequency().set_value(TONE_HZ);
    let gain = context.create_gain()?;
    let output = context.create_media_stream_destination()?;
    oscillator.connect_with_audio_node(&gain)?;
    gain.connect_with_audio_node(&output)?;
    let audio = HtmlAudioElement::new()?;
    audio.set_src_object(Some(&output.stream()));
    let on_chosen = set_sink_id(&audio, speaker_id).await?;
    JsFuture::from(audio.play()?).await?;
    // Fade in and out so the tone starts and ends without a click.
    let start = context.current_time();
    let end = start + TONE_SECONDS;
    let volume = gain.gain();
    volume.set_value_at_time(0.0, start)?;
    volume.linear_ramp_to_value_at_time(0.3, start + 0.03)?;
    volume.set_value_at_time(0.3, end - 0.05)?;
    volume.linear_ramp_to_value_at_time(0.0, end)?;
    oscillator.start_with_when(start)?;
    oscillator.stop_with_when(end)?;
    sleep_ms((TONE_SECONDS * 1000.0) as i32 + 100).await;
    audio.pause()?;
    audio.set_src_object(None);
    Ok(on_chosen)
}

/// `audio.setSinkId`, looked up by name: web-sys has it only with unstable APIs. None when the
/// browser has none (audio then plays on the default speaker).
fn sink_setter(audio: &HtmlAudioElement) -> Option<js_sys::Function> {
    js_sys::Reflect::get(audio, &JsValue::from_str("setSinkId"))
        .ok()?
        .dyn_into()
        .ok()
}

/// BEY-3: whether this browser can play on a chosen speaker.
pub fn can_choose_speaker() -> bool {
    HtmlAudioElement::new()
        .ok()
        .and_then(|audio| sink_setter(&audio))
        .is_some()
}

/// `audio.setSinkId(speaker_id)`. False when the browser has no `setSinkId`.
pub async fn set_sink_id(audio: &HtmlAudioElement, speaker_id: &str) -> Result<bool, JsValue> {
    let Some(method) = sink_setter(audio) else {
        return Ok(false);
    };
    if !speaker_id.is_empty() {
        let promise = method.call1(audio, &JsValue::from_str(speaker_id))?;
        JsFuture::from(js_sys::Promise::resolve(&promise)).await?;
    }
    Ok(true)
}

pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// The device ID remembered in this browser under `key`.
pub fn remembered(key: &str) -> Option<String> {
    window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(key)
        .ok()
        .flatten()
}

/// Remembers the device `id` in this browser; storage may be refused (e.g. in a sandbox), and
/// browsers without permission give no IDs worth keeping.
pub fn remember(key: &str, id: &str) {
    if let (false, Some(storage)) = (id.is_empty(), window().local_storage().ok().flatten()) {
        let _ = storage.set_item(key, id);
    }
}
