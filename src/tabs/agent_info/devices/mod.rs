//! RTC-3: the agent's microphone and speaker for the browser softphone. The section lists them,
//! remembers the choice in this browser, shows a live level meter while the microphone is
//! checked and plays a test tone on the chosen speaker. Browsers name devices only once the
//! microphone is allowed, so **Check microphone** also asks for that permission. The choices and
//! the wording of problems are plain Rust in `state`.

pub mod state;

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AudioContext, HtmlAudioElement, MediaDeviceInfo, MediaDeviceKind, MediaDevices, MediaStream,
    MediaStreamConstraints, MediaStreamTrack, MediaTrackConstraints,
};

use crate::i18n::*;
use state::{meter_level, Device, DeviceList, DeviceName, DeviceProblem};

/// `localStorage` keys of the chosen devices' IDs.
const MICROPHONE_KEY: &str = "pc.audio.microphone";
const SPEAKER_KEY: &str = "pc.audio.speaker";
/// The test tone: A4 for about a second.
const TONE_HZ: f32 = 440.0;
const TONE_SECONDS: f64 = 1.0;

/// The microphone and speaker chooser with the level meter and the test tone.
#[component]
pub fn AudioDevices() -> impl IntoView {
    let i18n = use_i18n();
    let section = Section::new();
    let tone = RwSignal::new(Tone::Idle);
    spawn_local(section.refresh());
    if let Some(media) = media_devices() {
        let on_change = Closure::<dyn FnMut()>::new(move || spawn_local(section.refresh()));
        let _ = media
            .add_event_listener_with_callback("devicechange", on_change.as_ref().unchecked_ref());
        let listener = StoredValue::new_local(Some((media, on_change)));
        on_cleanup(move || {
            if let Some((media, on_change)) = listener.try_update_value(Option::take).flatten() {
                let _ = media.remove_event_listener_with_callback(
                    "devicechange",
                    on_change.as_ref().unchecked_ref(),
                );
            }
        });
    }
    on_cleanup(move || section.release());

    let choose_microphone = Callback::new(move |id: String| {
        if section.microphones.try_update(|list| list.choose(&id)) == Some(true) {
            remember(MICROPHONE_KEY, &id);
            if section.checking.get_untracked() {
                section.open();
            }
        }
    });
    let choose_speaker = Callback::new(move |id: String| {
        if section.speakers.try_update(|list| list.choose(&id)) == Some(true) {
            remember(SPEAKER_KEY, &id);
        }
    });
    let play = move |_| {
        if tone.get_untracked() == Tone::Playing {
            return;
        }
        tone.set(Tone::Playing);
        let speaker = section
            .speakers
            .with_untracked(|list| list.chosen_id().unwrap_or_default().to_owned());
        spawn_local(async move {
            tone.set(match play_tone(&speaker).await {
                Ok(true) => Tone::Idle,
                Ok(false) => Tone::PlayedOnDefault,
                Err(_) => Tone::Failed,
            });
        });
    };
    let speakers_unlisted =
        move || section.listed.get() && section.speakers.with(DeviceList::is_empty);

    view! {
        <section class="agent-section audio-devices" aria-labelledby="audio-devices-title">
            <h3 id="audio-devices-title">{tr!(i18n, devices.title)}</h3>
            {move || section.problem.get().map(|problem| view! { <DeviceProblemMessage problem/> })}
            <Show when=move || section.listed.get() && !section.microphones.with(DeviceList::has_names)>
                <p class="hint" id="audio-names-hint">{tr!(i18n, devices.names_hint)}</p>
            </Show>
            <DeviceSelect
                id="audio-microphone"
                label=tr!(i18n, devices.microphone)
                list=section.microphones
                on_choose=choose_microphone
            />
            <button
                type="button"
                class="button secondary"
                id="audio-check"
                on:click=move |_| if section.checking.get_untracked() { section.stop() } else { section.open() }
            >
                {move || if section.checking.get() {
                    tr!(i18n, devices.stop_check)
                } else {
                    tr!(i18n, devices.check_microphone)
                }}
            </button>
            <Show when=move || section.checking.get()>
                <div class="field audio-level">
                    <label for="audio-level">{tr!(i18n, devices.level)}</label>
                    <meter id="audio-level" min="0" max="1" prop:value=move || section.level.get()></meter>
                </div>
            </Show>
            <Show
                when=speakers_unlisted
                fallback=move || view! {
                    <DeviceSelect
                        id="audio-speaker"
                        label=tr!(i18n, devices.speaker)
                        list=section.speakers
                        on_choose=choose_speaker
                    />
                }
            >
                <p class="hint" id="audio-no-speakers">{tr!(i18n, devices.no_speaker_list)}</p>
            </Show>
            <button type="button" class="button secondary" id="audio-tone" on:click=play>
                {tr!(i18n, devices.play_tone)}
            </button>
            <p class="audio-status" id="audio-tone-status" role="status">
                {move || match tone.get() {
                    Tone::Playing => Some(tr!(i18n, devices.playing_tone)),
                    Tone::PlayedOnDefault => Some(tr!(i18n, devices.tone_on_default)),
                    Tone::Idle | Tone::Failed => None,
                }}
            </p>
            <Show when=move || tone.get() == Tone::Failed>
                <p class="field-error" role="alert" id="audio-tone-failed">{tr!(i18n, devices.tone_failed)}</p>
            </Show>
        </section>
    }
}

/// What went wrong with the microphone and what the agent can do about it.
#[component]
pub fn DeviceProblemMessage(problem: DeviceProblem) -> impl IntoView {
    let i18n = use_i18n();
    let text = match problem {
        DeviceProblem::Blocked => tr!(i18n, devices.blocked),
        DeviceProblem::NoMicrophone => tr!(i18n, devices.no_microphone),
        DeviceProblem::Busy => tr!(i18n, devices.busy),
        DeviceProblem::InsecurePage => tr!(i18n, devices.insecure_page),
        DeviceProblem::Failed => tr!(i18n, devices.failed),
    };
    view! { <p class="field-error" role="alert" id="audio-problem">{text}</p> }
}

/// A labelled `<select>` of one kind of device; unnamed devices are numbered after the label.
#[component]
fn DeviceSelect(
    id: &'static str,
    label: Signal<&'static str>,
    list: RwSignal<DeviceList>,
    on_choose: Callback<String>,
) -> impl IntoView {
    let options = move || {
        list.with(|list| {
            list.options()
                .map(|(value, name, chosen)| {
                    let name = match name {
                        DeviceName::Named(name) => name.to_owned(),
                        DeviceName::Unnamed(number) => format!("{} {number}", label.get()),
                    };
                    view! { <option value=value.to_owned() prop:selected=chosen>{name}</option> }
                })
                .collect_view()
        })
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                name=id
                disabled=move || list.with(DeviceList::is_empty)
                on:change=move |ev| on_choose.run(event_target_value(&ev))
            >
                {options}
            </select>
        </div>
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tone {
    Idle,
    Playing,
    /// Played, but on the default speaker: the browser cannot send audio to a chosen one.
    PlayedOnDefault,
    Failed,
}

/// The section's state, shared by its event handlers.
#[derive(Clone, Copy)]
struct Section {
    microphones: RwSignal<DeviceList>,
    speakers: RwSignal<DeviceList>,
    /// The browser has listed the devices at least once.
    listed: RwSignal<bool>,
    problem: RwSignal<Option<DeviceProblem>>,
    /// The agent asked to check the microphone (it may still be opening).
    checking: RwSignal<bool>,
    level: RwSignal<f64>,
    check: StoredValue<Option<MicrophoneCheck>, LocalStorage>,
    /// Counts the microphone openings, so that one overtaken by a newer one or by Stop is closed.
    opening: StoredValue<u32>,
}

impl Section {
    fn new() -> Section {
        Section {
            microphones: RwSignal::default(),
            speakers: RwSignal::default(),
            listed: RwSignal::new(false),
            problem: RwSignal::new(None),
            checking: RwSignal::new(false),
            level: RwSignal::new(0.0),
            check: StoredValue::new_local(None),
            opening: StoredValue::new(0),
        }
    }

    /// The section has been unmounted while something was awaited.
    fn gone(self) -> bool {
        self.microphones.is_disposed()
    }

    /// Lists the devices again, preferring the remembered choices, and reopens the microphone
    /// check when the chosen microphone is no longer the one open.
    async fn refresh(self) {
        let Some(media) = media_devices() else {
            self.problem.set(Some(DeviceProblem::InsecurePage));
            return;
        };
        let listed = list_devices(&media).await;
        if self.gone() {
            return;
        }
        let Ok((microphones, speakers)) = listed else {
            self.problem.set(Some(DeviceProblem::Failed));
            return;
        };
        let wanted = |key, list: RwSignal<DeviceList>| {
            remembered(key).or_else(|| list.with_untracked(|l| l.chosen_id().map(str::to_owned)))
        };
        let microphones = DeviceList::new(
            microphones,
            wanted(MICROPHONE_KEY, self.microphones).as_deref(),
        );
        let speakers = DeviceList::new(speakers, wanted(SPEAKER_KEY, self.speakers).as_deref());
        if microphones.is_empty() {
            self.problem.set(Some(DeviceProblem::NoMicrophone));
        } else if self.problem.get_untracked() == Some(DeviceProblem::NoMicrophone) {
            self.problem.set(None);
        }
        let chosen = microphones.chosen_id().unwrap_or_default().to_owned();
        self.microphones.set(microphones);
        self.speakers.set(speakers);
        self.listed.set(true);
        let other_open = self
            .check
            .with_value(|check| check.as_ref().is_some_and(|c| c.device_id != chosen));
        if other_open {
            self.open();
        }
    }

    /// Opens the chosen microphone (asking for permission if needed) and starts the meter.
    fn open(self) {
        self.close();
        let opening = self.opening.get_value();
        self.checking.set(true);
        self.problem.set(None);
        let device_id = self
            .microphones
            .with_untracked(|list| list.chosen_id().unwrap_or_default().to_owned());
        spawn_local(async move {
            let Some(media) = media_devices() else {
                self.problem.set(Some(DeviceProblem::InsecurePage));
                self.checking.set(false);
                return;
            };
            let opened = open_microphone(&media, &device_id).await;
            let overtaken = self.gone() || self.opening.get_value() != opening;
            match opened {
                Ok(stream) if overtaken => stop_tracks(&stream),
                Ok(stream) => {
                    match MicrophoneCheck::start(device_id, stream.clone(), self.level) {
                        Ok(check) => self.check.set_value(Some(check)),
                        Err(_) => {
                            stop_tracks(&stream);
                            self.problem.set(Some(DeviceProblem::Failed));
                            self.checking.set(false);
                        }
                    }
                    // The devices have names now.
                    self.refresh().await;
                }
                Err(_) if overtaken => {}
                Err(error) => {
                    self.problem
                        .set(Some(DeviceProblem::from_error_name(&error_name(&error))));
                    self.checking.set(false);
                }
            }
        });
    }

    /// Closes the microphone check, if one is open or opening.
    fn close(self) {
        self.opening.update_value(|n| *n += 1);
        if let Some(check) = self.check.try_update_value(Option::take).flatten() {
            check.stop();
        }
        self.level.set(0.0);
    }

    fn stop(self) {
        self.close();
        self.checking.set(false);
    }

    /// The section is taken down: free the microphone without touching its signals, whose
    /// readers are going away too.
    fn release(self) {
        if let Some(check) = self.check.try_update_value(Option::take).flatten() {
            check.stop();
        }
    }
}

/// An open microphone feeding the level meter once per animation frame.
struct MicrophoneCheck {
    device_id: String,
    stream: MediaStream,
    context: AudioContext,
    running: Rc<Cell<bool>>,
}

impl MicrophoneCheck {
    fn start(
        device_id: String,
        stream: MediaStream,
        level: RwSignal<f64>,
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
        measure(analyser, samples, level, Rc::clone(&running), 0.0);
        Ok(MicrophoneCheck {
            device_id,
            stream,
            context,
            running,
        })
    }

    fn stop(self) {
        self.running.set(false);
        stop_tracks(&self.stream);
        let _ = self.context.close();
    }
}

fn measure(
    analyser: web_sys::AnalyserNode,
    mut samples: Vec<f32>,
    level: RwSignal<f64>,
    running: Rc<Cell<bool>>,
    previous: f64,
) {
    if !running.get() {
        return;
    }
    analyser.get_float_time_domain_data(&mut samples);
    let current = meter_level(previous, &samples);
    level.set(current);
    request_animation_frame(move || measure(analyser, samples, level, running, current));
}

/// `navigator.mediaDevices`, missing outside secure contexts (HTTPS or localhost).
fn media_devices() -> Option<MediaDevices> {
    js_sys::Reflect::get(&window().navigator(), &JsValue::from_str("mediaDevices"))
        .ok()
        .filter(|devices| !devices.is_undefined() && !devices.is_null())
        .map(JsCast::unchecked_into)
}

/// The microphones and the speakers, in the browser's order.
async fn list_devices(media: &MediaDevices) -> Result<(Vec<Device>, Vec<Device>), JsValue> {
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
async fn open_microphone(media: &MediaDevices, device_id: &str) -> Result<MediaStream, JsValue> {
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

fn stop_tracks(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        track.unchecked_into::<MediaStreamTrack>().stop();
    }
}

/// The `name` of a rejection (a `DOMException` such as `NotAllowedError`).
fn error_name(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|name| name.as_string())
        .unwrap_or_default()
}

/// Plays the test tone on the speaker `speaker_id` (the default one when empty). False when it
/// played on the default speaker because the browser cannot choose one (no `setSinkId`).
async fn play_tone(speaker_id: &str) -> Result<bool, JsValue> {
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

/// `audio.setSinkId(speaker_id)`, called by name: web-sys has it only with unstable APIs. False
/// when the browser has no `setSinkId` (the audio then plays on the default speaker).
async fn set_sink_id(audio: &HtmlAudioElement, speaker_id: &str) -> Result<bool, JsValue> {
    let method = js_sys::Reflect::get(audio, &JsValue::from_str("setSinkId"))?;
    let Some(method) = method.dyn_ref::<js_sys::Function>() else {
        return Ok(false);
    };
    if !speaker_id.is_empty() {
        let promise = method.call1(audio, &JsValue::from_str(speaker_id))?;
        JsFuture::from(js_sys::Promise::resolve(&promise)).await?;
    }
    Ok(true)
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// The device ID remembered in this browser under `key`.
fn remembered(key: &str) -> Option<String> {
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
fn remember(key: &str, id: &str) {
    if let (false, Some(storage)) = (id.is_empty(), window().local_storage().ok().flatten()) {
        let _ = storage.set_item(key, id);
    }
}
