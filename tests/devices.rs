//! RTC-3 in headless Chromium with fake media (`webdriver.json`: `--use-fake-device-for-media-stream`
//! gives fake microphones that beep, `--use-fake-ui-for-media-stream` allows the microphone
//! without a prompt). The Devices section is mounted alone and driven through the DOM. The
//! runner runs these async tests concurrently in one page: each `localStorage` key is written by one test only.

use leptos::prelude::*;
use pc_app::i18n::*;
use pc_app::tabs::agent_info::devices::state::DeviceProblem;
use pc_app::tabs::agent_info::devices::DeviceProblemMessage;
use pc_app::tabs::agent_info::AudioDevices;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{choose, find, mount, settle, text};

const MICROPHONE_KEY: &str = "pc.audio.microphone";
const SPEAKER_KEY: &str = "pc.audio.speaker";

fn exists(container: &HtmlElement, css: &str) -> bool {
    container.query_selector(css).unwrap().is_some()
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits until `ready` holds, checking every 50 ms; panics with `what` after `seconds`.
async fn until(seconds: i32, what: &str, ready: impl Fn() -> bool) {
    for _ in 0..seconds * 20 {
        if ready() {
            return;
        }
        sleep_ms(50).await;
    }
    assert!(ready(), "not within {seconds} s: {what}");
}

/// The text of every element matching `css`.
fn texts(container: &HtmlElement, css: &str) -> Vec<String> {
    let found = container.query_selector_all(css).unwrap();
    (0..found.length())
        .map(|i| found.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

fn select(container: &HtmlElement, css: &str) -> HtmlSelectElement {
    find(container, css).unchecked_into()
}

fn local_storage() -> web_sys::Storage {
    window().local_storage().unwrap().unwrap()
}

fn meter_value(container: &HtmlElement) -> f64 {
    let meter = find(container, "meter#audio-level");
    js_sys::Reflect::get(&meter, &"value".into())
        .unwrap()
        .as_f64()
        .unwrap()
}

/// The device ID of the second option of the `<select>` `css` (the first is the default device).
fn second_value(container: &HtmlElement, css: &str) -> String {
    let value = find(container, &format!("{css} option:nth-child(2)"))
        .get_attribute("value")
        .unwrap_or_default();
    assert!(!value.is_empty() && value != "default", "{value}");
    value
}

/// Mounts the section and checks the microphone, which also makes the devices' names known.
async fn mount_and_check() -> (HtmlElement, impl Drop) {
    let (container, handle) = mount(|| view! { <AudioDevices/> });
    until(10, "the microphones are listed", || {
        !texts(&container, "#audio-microphone option").is_empty()
    })
    .await;
    find(&container, "#audio-check").click();
    settle().await;
    until(10, "the microphones have names", || {
        texts(&container, "#audio-microphone option")
            .iter()
            .any(|name| name.contains("Fake"))
    })
    .await;
    (container, handle)
}

#[wasm_bindgen_test]
async fn checking_the_microphone_lists_the_fake_devices_by_name() {
    let (container, _handle) = mount_and_check().await;
    assert_eq!(text(&container, "h3"), "Devices");
    assert_eq!(
        text(&container, "label[for=audio-microphone]"),
        "Microphone"
    );
    let microphones = texts(&container, "#audio-microphone option");
    assert!(
        microphones.iter().any(|n| n.contains("Fake Audio Input 1")),
        "{microphones:?}"
    );
    assert!(!exists(&container, "#audio-names-hint"));
    assert!(!exists(&container, "#audio-problem"));
    assert_eq!(text(&container, "#audio-check"), "Stop checking");
    assert_eq!(text(&container, "label[for=audio-speaker]"), "Speaker");
    let speakers = texts(&container, "#audio-speaker option");
    assert!(
        speakers.iter().any(|n| n.contains("Fake Audio Output 1")),
        "{speakers:?}"
    );
    assert!(!exists(&container, "#audio-no-speakers"));
}

#[wasm_bindgen_test]
async fn the_level_meter_follows_the_microphone_and_stops_with_it() {
    let (container, _handle) = mount_and_check().await;
    until(10, "the meter exists", || {
        exists(&container, "meter#audio-level")
    })
    .await;
    assert_eq!(
        text(&container, "label[for=audio-level]"),
        "Microphone level"
    );
    // The fake microphone beeps about once a second.
    until(10, "the meter shows the beep", || {
        meter_value(&container) > 0.0
    })
    .await;
    assert!(meter_value(&container) <= 1.0);

    find(&container, "#audio-check").click();
    settle().await;
    assert!(!exists(&container, "meter#audio-level"));
    assert_eq!(text(&container, "#audio-check"), "Check microphone");
}

#[wasm_bindgen_test]
async fn a_chosen_microphone_is_remembered_and_chosen_again_next_time() {
    local_storage().remove_item(MICROPHONE_KEY).unwrap();
    let (container, handle) = mount_and_check().await;
    // Nothing remembered yet: the default microphone is chosen.
    assert_eq!(select(&container, "#audio-microphone").value(), "default");
    let other = second_value(&container, "#audio-microphone");
    choose(&container, "#audio-microphone", &other);
    settle().await;
    assert_eq!(
        local_storage().get_item(MICROPHONE_KEY).unwrap().as_deref(),
        Some(other.as_str())
    );
    // The microphone is reopened on the new device: the meter keeps working.
    until(10, "the meter shows the new microphone", || {
        exists(&container, "meter#audio-level") && meter_value(&container) > 0.0
    })
    .await;
    drop(handle);

    let (again, _handle) = mount(|| view! { <AudioDevices/> });
    until(10, "the remembered microphone is chosen", || {
        exists(&again, "#audio-microphone") && select(&again, "#audio-microphone").value() == other
    })
    .await;
    local_storage().remove_item(MICROPHONE_KEY).unwrap();
}

#[wasm_bindgen_test]
async fn the_test_tone_plays_on_the_chosen_speaker_and_says_so_while_it_plays() {
    let (container, _handle) = mount_and_check().await;
    let speaker = second_value(&container, "#audio-speaker");
    choose(&container, "#audio-speaker", &speaker);
    settle().await;
    assert_eq!(
        local_storage().get_item(SPEAKER_KEY).unwrap().as_deref(),
        Some(speaker.as_str())
    );
    assert_eq!(text(&container, "#audio-tone"), "Play test tone");
    assert_eq!(
        find(&container, "#audio-tone-status")
            .get_attribute("role")
            .as_deref(),
        Some("status")
    );
    find(&container, "#audio-tone").click();
    until(5, "the tone is playing", || {
        text(&container, "#audio-tone-status") == "Playing test tone…"
    })
    .await;
    until(10, "the tone has ended", || {
        text(&container, "#audio-tone-status").is_empty()
    })
    .await;
    assert!(!exists(&container, "#audio-tone-failed"));
}

#[wasm_bindgen_test]
async fn a_blocked_microphone_points_to_the_site_settings_in_both_languages() {
    let i18n_of_view = ArcRwSignal::new(None::<leptos_i18n::I18nContext<Locale>>);
    let slot = i18n_of_view.clone();
    let (container, _handle) = mount(move || {
        slot.set(Some(use_i18n()));
        view! { <DeviceProblemMessage problem=DeviceProblem::Blocked/> }
    });
    settle().await;
    let message = find(&container, "#audio-problem");
    assert_eq!(message.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(
        text(&container, "#audio-problem"),
        "Microphone access is blocked. Allow it in the browser's site settings, then choose \
         Check microphone again."
    );
    i18n_of_view
        .get_untracked()
        .expect("the view ran inside the i18n provider")
        .set_locale(Locale::zh_CN);
    settle().await;
    assert_eq!(
        text(&container, "#audio-problem"),
        "麦克风访问已被阻止。请在浏览器的网站设置中允许访问，然后再次选择“检查麦克风”。"
    );
}

#[wasm_bindgen_test]
async fn every_problem_has_its_own_advice() {
    let (container, _handle) = mount(|| {
        [
            DeviceProblem::NoMicrophone,
            DeviceProblem::Busy,
            DeviceProblem::InsecurePage,
        ]
        .map(|problem| view! { <DeviceProblemMessage problem/> })
    });
    settle().await;
    let texts = texts(&container, "[role=alert]");
    assert_eq!(
        texts,
        [
            "No microphone found. Connect one and it will appear here.",
            "The microphone is in use by another application.",
            "The microphone can only be used when this page is opened over HTTPS or from \
             localhost.",
        ]
    );
}
