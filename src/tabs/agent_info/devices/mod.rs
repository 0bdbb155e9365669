//! RTC-3: the agent's microphone and speaker for the browser softphone. The section lists them,
//! remembers the choice in this browser, shows a live level meter while the microphone is
//! checked and plays a test tone on the chosen speaker. Browsers name devices only once the
//! microphone is allowed, so **Check microphone** also asks for that permission. The choices and
//! the wording of problems are plain Rust in `state`, the browser's media and storage are in
//! `media`; this file shows the section and connects the two.

pub mod media;
pub mod state;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::*;
use media::{
    error_name, list_devices, media_devices, open_microphone, play_tone, remember, remembered,
    stop_tracks, DeviceChanges, MicrophoneCheck, MICROPHONE_KEY, SPEAKER_KEY,
};
use state::{DeviceList, DeviceName, DeviceProblem};

/// The microphone and speaker chooser with the level meter and the test tone.
#[component]
pub fn AudioDevices() -> impl IntoView {
    let i18n = use_i18n();
    let section = Section::new();
    let tone = RwSignal::new(Tone::Idle);
    spawn_local(section.refresh());
    let changes =
        StoredValue::new_local(DeviceChanges::watch(move || spawn_local(section.refresh())));
    on_cleanup(move || {
        // Dropping the watch removes its listener.
        drop(changes.try_update_value(Option::take));
        section.release();
    });

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

/// What went wrong with the microphone and what the agent can do about it; `id` tells apart
/// the sections that open the microphone.
#[component]
pub fn DeviceProblemMessage(
    problem: DeviceProblem,
    #[prop(default = "audio-problem")] id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = match problem {
        DeviceProblem::Blocked => tr!(i18n, devices.blocked),
        DeviceProblem::NoMicrophone => tr!(i18n, devices.no_microphone),
        DeviceProblem::Busy => tr!(i18n, devices.busy),
        DeviceProblem::InsecurePage => tr!(i18n, devices.insecure_page),
        DeviceProblem::Failed => tr!(i18n, devices.failed),
    };
    view! { <p class="field-error" role="alert" id=id>{text}</p> }
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
        let relisted = |list: RwSignal<DeviceList>, devices, key| {
            list.with_untracked(|list| list.relisted(devices, remembered(key).as_deref()))
        };
        let microphones = relisted(self.microphones, microphones, MICROPHONE_KEY);
        let speakers = relisted(self.speakers, speakers, SPEAKER_KEY);
        let problem = DeviceProblem::after_listing(self.problem.get_untracked(), &microphones);
        // Set only when it changes, so that a shown alert is not announced again.
        if problem != self.problem.get_untracked() {
            self.problem.set(problem);
        }
        let chosen = microphones.chosen_id().unwrap_or_default().to_owned();
        self.microphones.set(microphones);
        self.speakers.set(speakers);
        self.listed.set(true);
        let other_open = self
            .check
            .with_value(|check| check.as_ref().is_some_and(|c| c.device_id() != chosen));
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
                    match MicrophoneCheck::start(device_id, stream.clone(), move |level| {
                        self.level.set(level)
                    }) {
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
