//! BEY-3: the media test. It proves that this browser and network can carry a call: first it
//! gathers ICE candidates against the tenant's STUN and TURN servers and tells which kinds it
//! found (host, server-reflexive, relay) and how long that took; then it calls itself inside the
//! page, through the TURN relay when one is configured, with the chosen microphone (RTC-3) sent
//! as Opus and played back on the chosen speaker, and reports the round-trip time, jitter,
//! packet loss and the level of the audio that came back. Running it changes nothing. The
//! verdicts are plain Rust in `verdict`, the browser's WebRTC is in `rtc`; this file shows the
//! section and connects the two.

mod rtc;
mod verdict;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::*;
use crate::tabs::agent_info::devices::state::meter_position;
use crate::tabs::agent_info::devices::DeviceProblemMessage;
use rtc::{CallFailure, CallStage};
use verdict::{
    CallIssue, CallStats, Found, Reach, Servers, Severity, JITTER_MAX_MS, LOSS_MAX_PERCENT,
    ROUND_TRIP_MAX_MS,
};

/// What the test is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Stage {
    Idle,
    Gathering,
    Call(CallStage),
    Done,
    /// The tenant's servers could not be loaded.
    LoadFailed,
    /// The browser has no WebRTC: nothing to gather with, no call to make.
    NoWebRtc,
}

/// What gathering found and what it means.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Gathering {
    found: Found,
    reach: Reach,
    millis: f64,
    complete: bool,
}

/// The media test: one button, then what it found.
#[component]
pub fn MediaTest() -> impl IntoView {
    let i18n = use_i18n();
    let stage = RwSignal::new(Stage::Idle);
    let gathering = RwSignal::new(None::<Gathering>);
    let call = RwSignal::new(None::<Result<CallStats, CallFailure>>);
    let running = move || matches!(stage.get(), Stage::Gathering | Stage::Call(_));

    let run = move |_| {
        if matches!(stage.get_untracked(), Stage::Gathering | Stage::Call(_)) {
            return;
        }
        gathering.set(None);
        call.set(None);
        if !rtc::available() {
            stage.set(Stage::NoWebRtc);
            return;
        }
        stage.set(Stage::Gathering);
        spawn_local(async move {
            let Ok(ice) = api::ice_servers().await else {
                stage.set(Stage::LoadFailed);
                return;
            };
            let gathered = rtc::gather(&ice).await;
            let (found, millis, complete) = match &gathered {
                Ok(gathered) => (
                    Found::from_lines(gathered.lines.iter().map(String::as_str)),
                    gathered.millis,
                    gathered.complete,
                ),
                // The browser would not even start: as good as no candidates.
                Err(_) => (Found::default(), 0.0, true),
            };
            gathering.set(Some(Gathering {
                found,
                reach: Reach::decide(Servers::of(&ice), found),
                millis,
                complete,
            }));
            let result = rtc::loopback(
                &ice,
                move |now| stage.set(Stage::Call(now)),
                move || !stage.is_disposed(),
            )
            .await;
            call.set(Some(result));
            stage.set(Stage::Done);
        });
    };

    view! {
        <section class="agent-section media-test" id="media-test" aria-labelledby="media-test-title">
            <h4 id="media-test-title">{tr!(i18n, media_test.title)}</h4>
            <p class="hint">{tr!(i18n, media_test.intro)}</p>
            <button
                type="button"
                class="button secondary"
                id="media-test-run"
                aria-describedby="media-test-status"
                aria-disabled=move || running().to_string()
                on:click=run
            >
                {tr!(i18n, media_test.run)}
            </button>
            <p class="audio-status" id="media-test-status" role="status" data-stage=move || stage_name(stage.get())>
                {move || match stage.get() {
                    Stage::Idle => None,
                    Stage::Gathering => Some(tr!(i18n, media_test.gathering).into_any()),
                    Stage::Call(CallStage::Connecting) => Some(tr!(i18n, media_test.connecting).into_any()),
                    Stage::Call(CallStage::Listening) => Some(tr!(i18n, media_test.listening).into_any()),
                    Stage::Done => Some(tr!(i18n, media_test.done).into_any()),
                    Stage::LoadFailed | Stage::NoWebRtc => None,
                }}
            </p>
            <Show when=move || stage.get() == Stage::LoadFailed>
                <p class="field-error" role="alert" id="media-test-load-failed">{tr!(i18n, media_test.load_failed)}</p>
            </Show>
            <Show when=move || stage.get() == Stage::NoWebRtc>
                <p class="field-error" role="alert" id="media-test-no-webrtc">{tr!(i18n, media_test.no_webrtc)}</p>
            </Show>
            {move || gathering.get().map(|gathering| view! { <GatheringResult gathering/> })}
            {move || call.get().map(|result| view! { <CallResult result/> })}
        </section>
    }
}

fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Idle => "idle",
        Stage::Gathering => "gathering",
        Stage::Call(CallStage::Connecting) => "connecting",
        Stage::Call(CallStage::Listening) => "listening",
        Stage::Done => "done",
        Stage::LoadFailed => "load-failed",
        Stage::NoWebRtc => "no-webrtc",
    }
}

#[component]
fn GatheringResult(gathering: Gathering) -> impl IntoView {
    let i18n = use_i18n();
    let Gathering {
        found,
        reach,
        millis,
        complete,
    } = gathering;
    let kind = move |kind: &'static str, label: AnyView, present: bool| {
        view! {
            <dt>{label}</dt>
            <dd data-kind=kind data-found=present.to_string()>
                {if present { tr!(i18n, media_test.found).into_any() } else { tr!(i18n, media_test.not_found).into_any() }}
            </dd>
        }
    };
    let millis = millis.round() as u64;
    let reach_text = match reach {
        Reach::Relayed => tr!(i18n, media_test.reach_relayed).into_any(),
        Reach::Reflexive => tr!(i18n, media_test.reach_reflexive).into_any(),
        Reach::HostOnly => tr!(i18n, media_test.reach_host_only).into_any(),
        Reach::NoRelay => tr!(i18n, media_test.reach_no_relay).into_any(),
        Reach::NoReflexive => tr!(i18n, media_test.reach_no_reflexive).into_any(),
        Reach::NoCandidates => tr!(i18n, media_test.reach_none).into_any(),
    };
    let severity = reach.severity();
    view! {
        <h5 id="media-test-candidates-title">{tr!(i18n, media_test.candidates)}</h5>
        <dl class="details" data-testid="media-test-candidates" aria-labelledby="media-test-candidates-title">
            {kind("host", tr!(i18n, media_test.host).into_any(), found.host)}
            {kind("srflx", tr!(i18n, media_test.server_reflexive).into_any(), found.server_reflexive)}
            {kind("relay", tr!(i18n, media_test.relay).into_any(), found.relay)}
            <dt>{tr!(i18n, media_test.gathering_time)}</dt>
            <dd id="media-test-gathering-time" data-millis=millis.to_string()>
                {if complete {
                    t!(i18n, media_test.millis, value = millis).into_any()
                } else {
                    t!(i18n, media_test.millis_stopped, value = millis).into_any()
                }}
            </dd>
        </dl>
        <p
            class=format!("verdict {}", severity.as_str())
            id="media-test-reach"
            data-reach=reach_name(reach)
            role=(severity == Severity::Problem).then_some("alert")
        >
            {reach_text}
        </p>
    }
}

fn reach_name(reach: Reach) -> &'static str {
    match reach {
        Reach::Relayed => "relayed",
        Reach::Reflexive => "reflexive",
        Reach::HostOnly => "host-only",
        Reach::NoRelay => "no-relay",
        Reach::NoReflexive => "no-reflexive",
        Reach::NoCandidates => "none",
    }
}

#[component]
fn CallResult(result: Result<CallStats, CallFailure>) -> impl IntoView {
    let i18n = use_i18n();
    let body = match result {
        Ok(stats) => view! { <CallStatistics stats/> }.into_any(),
        Err(CallFailure::Microphone(problem)) => {
            view! { <DeviceProblemMessage problem id="media-test-microphone"/> }.into_any()
        }
        Err(CallFailure::NotConnected) => view! {
            <p class="field-error" role="alert" id="media-test-call-failed" data-failure="not-connected">
                {tr!(i18n, media_test.not_connected)}
            </p>
        }
        .into_any(),
        Err(CallFailure::Failed) => view! {
            <p class="field-error" role="alert" id="media-test-call-failed" data-failure="failed">
                {tr!(i18n, media_test.call_failed)}
            </p>
        }
        .into_any(),
    };
    view! {
        <h5>{tr!(i18n, media_test.call)}</h5>
        {body}
    }
}

#[component]
fn CallStatistics(stats: CallStats) -> impl IntoView {
    let i18n = use_i18n();
    let not_reported = move || tr!(i18n, media_test.not_reported).into_any();
    let millis = move |value: Option<f64>, decimals: usize| match value {
        Some(value) => t!(
            i18n,
            media_test.millis,
            value = format!("{value:.decimals$}")
        )
        .into_any(),
        None => not_reported(),
    };
    let issues = stats.issues();
    let level_db = 20.0 * stats.level.log10();
    let level = if level_db.is_finite() {
        format!("{level_db:.0} dBFS")
    } else {
        "−∞ dBFS".to_owned()
    };
    let issue_list = if issues.is_empty() {
        view! { <p class="verdict good" id="media-test-call-verdict">{tr!(i18n, media_test.call_good)}</p> }.into_any()
    } else {
        let severity = if issues
            .iter()
            .any(|issue| issue.severity() == Severity::Problem)
        {
            Severity::Problem
        } else {
            Severity::Warning
        };
        view! {
            <ul class=format!("verdict {}", severity.as_str()) id="media-test-call-verdict">
                {issues.into_iter().map(|issue| view! { <li data-issue=issue_name(issue)>{issue_text(issue)}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <dl class="details" data-testid="media-test-call">
            <dt>{tr!(i18n, media_test.path)}</dt>
            <dd id="media-test-path" data-relayed=stats.relayed.to_string()>
                {if stats.relayed { tr!(i18n, media_test.path_relay).into_any() } else { tr!(i18n, media_test.path_direct).into_any() }}
            </dd>
            <dt>{tr!(i18n, media_test.round_trip)}</dt>
            <dd id="media-test-round-trip">{millis(stats.round_trip_ms, 0)}</dd>
            <dt>{tr!(i18n, media_test.jitter)}</dt>
            <dd id="media-test-jitter">{millis(stats.jitter_ms, 1)}</dd>
            <dt>{tr!(i18n, media_test.loss)}</dt>
            <dd id="media-test-loss">
                {format!("{:.1} %", stats.loss_percent())}
                " "
                {t!(i18n, media_test.packets, received = stats.packets_received, lost = stats.packets_lost)}
            </dd>
            <dt><label for="media-test-level">{tr!(i18n, media_test.level)}</label></dt>
            <dd>
                <meter id="media-test-level" min="0" max="1" value=meter_position(stats.level).to_string() data-level=stats.level.to_string()></meter>
                " "
                {level}
            </dd>
            <dt>{tr!(i18n, media_test.codec)}</dt>
            <dd id="media-test-codec">{stats.codec.clone().map_or_else(not_reported, |codec| codec.into_any())}</dd>
        </dl>
        {issue_list}
    }
}

fn issue_name(issue: CallIssue) -> &'static str {
    match issue {
        CallIssue::NoAudio => "no-audio",
        CallIssue::Silent => "silent",
        CallIssue::SlowRoundTrip => "slow-round-trip",
        CallIssue::Jitter => "jitter",
        CallIssue::PacketLoss => "packet-loss",
        CallIssue::NotOpus => "not-opus",
    }
}

fn issue_text(issue: CallIssue) -> AnyView {
    let i18n = use_i18n();
    match issue {
        CallIssue::NoAudio => tr!(i18n, media_test.issue_no_audio).into_any(),
        CallIssue::Silent => tr!(i18n, media_test.issue_silent).into_any(),
        CallIssue::SlowRoundTrip => t!(
            i18n,
            media_test.issue_slow_round_trip,
            max = ROUND_TRIP_MAX_MS
        )
        .into_any(),
        CallIssue::Jitter => t!(i18n, media_test.issue_jitter, max = JITTER_MAX_MS).into_any(),
        CallIssue::PacketLoss => {
            t!(i18n, media_test.issue_packet_loss, max = LOSS_MAX_PERCENT).into_any()
        }
        CallIssue::NotOpus => tr!(i18n, media_test.issue_not_opus).into_any(),
    }
}
