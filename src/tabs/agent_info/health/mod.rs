//! BEY-3: the Softphone health panel. A disclosure that, when opened (and on **Run checks
//! again**), gathers what the app can know — the parameters, the softphone account, the browser,
//! a WebSocket opened to the registration server — and shows each check as passed, a problem
//! with the place to fix it, or not run and why. The registration's own check follows the
//! softphone live, with what happened since sign-in. Nothing here changes data.
//! The decisions are plain Rust in `checks`, the browser I/O in `probe`.

pub mod checks;
pub mod probe;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;

use super::softphone_status::{clock_time, failure_text, state_label};
use crate::api::{self, ApiResult};
use crate::chunks::{chunk_view, split_point};
use crate::components::load_error::LoadError;
use crate::focus::focus_element;
use crate::i18n::*;
use crate::routes::parameter_link;
use crate::session::use_auth;
use crate::softphone::state::PhoneState;
use crate::softphone::{use_softphone, Softphone};
use crate::tabs::agent_parameters::labels::parameter_name;
use checks::{
    checks, Check, CheckId, Facts, Fix, NetworkFailure, NetworkProbe, NotRun, Problem, Status,
};

/// The panel; the media test closes it (WebRTC only). Only the disclosure is on the first
/// screen: the checks, the probes and the media test are a chunk (OPS-7), loaded when the panel
/// is first opened.
#[component]
pub fn SoftphoneHealth(
    /// WebRTC is on for the agent: the softphone, browser and network are checked too.
    webrtc: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    // How many times the panel has been opened: the checks run again on each opening.
    let opens = RwSignal::new(0u32);
    let started = Memo::new(move |_| opens.get() > 0);
    let toggle = move |_| {
        let opening = !open.get_untracked();
        open.set(opening);
        if opening {
            opens.update(|n| *n += 1);
        }
    };
    view! {
        <section class="agent-section health" aria-labelledby="health-toggle">
            <h3>
                <button
                    type="button"
                    class="disclosure"
                    id="health-toggle"
                    aria-expanded=move || open.get().to_string()
                    aria-controls="health-body"
                    on:click=toggle
                >
                    {tr!(i18n, health.title)}
                </button>
            </h3>
            <div id="health-body" hidden=move || !open.get()>
                {move || started.get().then(|| chunk_view(move || health_checks(webrtc, opens)))}
            </div>
        </section>
    }
}

split_point! {
    pub fn health_checks(webrtc: bool, opens: RwSignal<u32>) -> AnyView {
        view! {
            <HealthBody webrtc opens>
                {webrtc.then(|| view! { <super::MediaTest/> })}
            </HealthBody>
        }
        .into_any()
    }
    preloaded by preload_health_checks
}

#[component]
fn HealthBody(
    webrtc: bool,
    opens: RwSignal<u32>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let facts = RwSignal::new(None::<ApiResult<Facts>>);
    let running = RwSignal::new(false);
    let softphone = use_softphone().filter(|_| webrtc);
    let phone = Memo::new(move |_| softphone.map_or(PhoneState::Idle, |s| s.state()));
    let run = Callback::new(move |()| {
        if running.get_untracked() {
            return;
        }
        running.set(true);
        spawn_local(async move {
            let gathered = gather(webrtc).await;
            if let Err(error) = &gathered {
                if error.is_unauthenticated() {
                    auth.expired();
                }
            }
            facts.try_set(Some(gathered));
            running.try_set(false);
        });
    });
    Effect::new(move |_| {
        opens.track();
        run.run(());
    });
    let results = Memo::new(move |_| {
        facts.with(|facts| match facts {
            Some(Ok(facts)) => Some(Ok(checks(facts, &phone.get()))),
            Some(Err(error)) => Some(Err(error.clone())),
            None => None,
        })
    });
    let summary = move || {
        if running.get() {
            return Some(tr!(i18n, health.running).into_any());
        }
        let Some(Ok(checks)) = results.get() else {
            return None;
        };
        let problems = checks
            .iter()
            .filter(|c| matches!(c.status, Status::Problem(_)))
            .count();
        Some(if problems == 0 {
            t!(i18n, health.no_problems, count = checks.len()).into_any()
        } else {
            t!(i18n, health.problems_found, count = problems).into_any()
        })
    };
    let network = move || {
        facts.with(|facts| match facts {
            Some(Ok(Facts {
                softphone: Some(softphone),
                ..
            })) => softphone.network,
            _ => None,
        })
    };
    let list = move || match results.get() {
        None => None,
        Some(Err(error)) => Some(view! { <LoadError error retry=run/> }.into_any()),
        Some(Ok(checks)) => Some(
            view! {
                <ul class="health-checks">
                    {checks
                        .into_iter()
                        .map(|check| view! { <CheckItem check softphone phone network=network()/> })
                        .collect_view()}
                </ul>
            }
            .into_any(),
        ),
    };

    view! {
                <p class="hint">{tr!(i18n, health.intro)}</p>
                <button
                    type="button"
                    class="button secondary"
                    id="health-run"
                    disabled=move || running.get()
                    on:click=move |_| run.run(())
                >
                    {tr!(i18n, health.run_again)}
                </button>
                <p id="health-summary" role="status" aria-live="polite" data-running=move || running.get().to_string()>
                    {summary}
                </p>
                <div aria-busy=move || running.get().to_string()>{list}</div>
                {children.map(|children| children())}
    }
}

/// The facts of the checks, read afresh: what changed in another tab counts.
async fn gather(webrtc: bool) -> ApiResult<Facts> {
    let parameters = api::parameters().await?;
    let softphone = if webrtc {
        Some(probe::softphone_facts().await?)
    } else {
        None
    };
    Ok(Facts {
        parameters,
        softphone,
    })
}

/// One check: its name, passed / problem / not run (in words, not only colour), why, and where
/// to fix it.
#[component]
fn CheckItem(
    check: Check,
    softphone: Option<Softphone>,
    phone: Memo<PhoneState>,
    network: Option<NetworkProbe>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (code, badge) = match &check.status {
        Status::Passed => ("passed", tr!(i18n, health.passed)),
        Status::Problem(_) => ("problem", tr!(i18n, health.problem)),
        Status::NotRun(_) => ("not-run", tr!(i18n, health.not_run)),
    };
    let detail = match check.status {
        Status::Passed => passed_text(check.id, network),
        Status::Problem(problem) => Some(
            view! {
                <p class="health-reason" data-testid="reason">{problem_text(problem.clone())}</p>
                <FixPlace fix=problem.fix()/>
            }
            .into_any(),
        ),
        Status::NotRun(why) => Some(
            view! { <p class="health-reason" data-testid="reason">{not_run_text(why)}</p> }
                .into_any(),
        ),
    };
    let registration = (check.id == CheckId::Registration)
        .then(|| softphone.map(|softphone| view! { <RegistrationNow softphone phone/> }));
    view! {
        <li class="health-check" data-check=check.id.code() data-status=code>
            <span class="status-badge" class:registered=code == "passed" class:failed=code == "problem">
                {badge}
            </span>
            " "
            <strong>{check_name(check.id)}</strong>
            {detail}
            {registration}
        </li>
    }
}

fn check_name(id: CheckId) -> AnyView {
    let i18n = use_i18n();
    match id {
        CheckId::Registration => tr!(i18n, health.check_registration).into_any(),
        CheckId::AutoRegister => tr!(i18n, health.check_auto_register).into_any(),
        CheckId::VideoDisplay => tr!(i18n, health.check_video_display).into_any(),
        CheckId::OpeneyeIntegration => tr!(i18n, health.check_openeye).into_any(),
        CheckId::SoftphonePassword => tr!(i18n, health.check_password).into_any(),
        CheckId::RegistrationServer => tr!(i18n, health.check_server).into_any(),
        CheckId::MicrophonePermission => tr!(i18n, health.check_permission).into_any(),
        CheckId::Microphone => tr!(i18n, health.check_microphone).into_any(),
        CheckId::Speaker => tr!(i18n, health.check_speaker).into_any(),
        CheckId::SecurePage => tr!(i18n, health.check_secure_page).into_any(),
        CheckId::Network => tr!(i18n, health.check_network).into_any(),
    }
}

/// What a passed check found, where there is more to say than "passed".
fn passed_text(id: CheckId, network: Option<NetworkProbe>) -> Option<AnyView> {
    let i18n = use_i18n();
    match (id, network) {
        (CheckId::Network, Some(NetworkProbe::Opened { ms })) => Some(
            view! {
                <p class="health-reason" data-testid="reason">{t!(i18n, health.network_opened, ms)}</p>
            }
            .into_any(),
        ),
        _ => None,
    }
}

fn problem_text(problem: Problem) -> AnyView {
    let i18n = use_i18n();
    match problem {
        Problem::NotRegistered => tr!(i18n, health.not_registered).into_any(),
        Problem::Reconnecting { attempt } => t!(i18n, health.reconnecting, attempt).into_any(),
        Problem::RegistrationFailed(failure) => failure_text(failure),
        Problem::AutoRegisterWithoutWebrtc => {
            tr!(i18n, health.auto_register_without_webrtc).into_any()
        }
        Problem::VideoDisplayUnused => tr!(i18n, health.video_display_unused).into_any(),
        Problem::OpeneyeWithWebrtc => tr!(i18n, health.openeye_with_webrtc).into_any(),
        Problem::NoSoftphonePassword => tr!(i18n, health.no_password).into_any(),
        Problem::NoRegistrationServer => tr!(i18n, health.no_server).into_any(),
        Problem::MicrophoneDenied => tr!(i18n, health.microphone_denied).into_any(),
        Problem::MicrophoneNotAsked => tr!(i18n, health.microphone_not_asked).into_any(),
        Problem::NoMicrophone => tr!(i18n, health.no_microphone).into_any(),
        Problem::SpeakerNotChoosable => tr!(i18n, health.speaker_not_choosable).into_any(),
        Problem::InsecurePage => tr!(i18n, health.insecure_page).into_any(),
        Problem::ServerUnreachable { server, failure } => match failure {
            NetworkFailure::Closed => t!(i18n, health.network_closed, server).into_any(),
            NetworkFailure::NoAnswer => {
                let seconds = probe::OPEN_TIMEOUT_MS / 1000;
                t!(i18n, health.network_no_answer, server, seconds).into_any()
            }
            NetworkFailure::BadAddress => t!(i18n, health.network_bad_address, server).into_any(),
        },
    }
}

fn not_run_text(why: NotRun) -> AnyView {
    let i18n = use_i18n();
    match why {
        NotRun::InProgress => tr!(i18n, health.not_run_in_progress).into_any(),
        NotRun::NoRegistrationServer => tr!(i18n, health.not_run_no_server).into_any(),
        NotRun::NoDeviceList => tr!(i18n, health.not_run_no_devices).into_any(),
        NotRun::BrowserDoesNotSay => tr!(i18n, health.not_run_browser_silent).into_any(),
        NotRun::SpeakersNotListed => tr!(i18n, health.not_run_speakers_unlisted).into_any(),
    }
}

/// Where to fix a problem: a link to the parameter, a button that moves to the place on this
/// tab, or who can help.
#[component]
fn FixPlace(fix: Fix) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let go_to = |target: &'static str, label: Signal<&'static str>| {
        view! {
            <button type="button" class="button link" data-testid="fix" on:click=move |_| focus_element(target)>
                {label}
            </button>
        }
        .into_any()
    };
    let advice = |text: Signal<&'static str>| {
        view! { <p class="hint" data-testid="fix">{text}</p> }.into_any()
    };
    match fix {
        Fix::Parameter(id) => {
            let href = move || parameter_link(id, &location.search.get());
            view! {
                <a class="button link" data-testid="fix" href=href>
                    {t!(i18n, health.fix_parameter, name = move || parameter_name(id).get())}
                </a>
            }
            .into_any()
        }
        Fix::ResetPassword => go_to("reset-password", tr!(i18n, health.fix_reset_password)),
        Fix::Register => go_to(
            if use_softphone().is_some_and(|s| s.state().can_register()) {
                "register"
            } else {
                "registration-status"
            },
            tr!(i18n, health.fix_register),
        ),
        Fix::Devices => go_to("audio-check", tr!(i18n, health.fix_devices)),
        Fix::Browser => advice(tr!(i18n, health.fix_browser)),
        Fix::Network => advice(tr!(i18n, health.fix_network)),
        Fix::Administrator => advice(tr!(i18n, health.fix_administrator)),
    }
}

/// The registration now (state, server, since when, next refresh) and since sign-in
/// (registrations, failures with the reason, reconnects), following the softphone live.
#[component]
fn RegistrationNow(softphone: Softphone, phone: Memo<PhoneState>) -> impl IntoView {
    let i18n = use_i18n();
    let history = Memo::new(move |_| {
        phone.track();
        softphone.history()
    });
    let locale = move || i18n.get_locale().as_str();
    let now = move || {
        let state = phone.get();
        let server = softphone.server().unwrap_or_default();
        let since = history.get().since_ms.map(|ms| {
            let (shown, _) = clock_time(ms, locale());
            view! { " · "{t!(i18n, health.since, time = shown)} }
        });
        let refresh = match &state {
            PhoneState::Registered { refresh_at_ms, .. } => {
                let (shown, _) = clock_time(*refresh_at_ms, locale());
                Some(view! { " · "{t!(i18n, agent_info.refreshes_at, time = shown)} })
            }
            _ => None,
        };
        view! {
            // The label carries its own spacing: none after Chinese full-width punctuation.
            {tr!(i18n, health.now)}{state_label(&state)}
            {(!server.is_empty()).then(|| view! { " · "{server}})}
            {since}
            {refresh}
        }
    };
    let since_sign_in = move || {
        let history = history.get();
        view! {
            {tr!(i18n, health.since_sign_in)}
            {t!(i18n, health.counts, registrations = history.registrations, failures = history.failures.len(), reconnects = history.reconnects)}
        }
    };
    let failures = move || {
        let failures = history.get().failures;
        (!failures.is_empty()).then(|| {
            view! {
                <ul class="health-failures" data-testid="failures">
                    {failures
                        .into_iter()
                        .map(|(ms, failure)| {
                            let (shown, iso) = clock_time(ms, locale());
                            view! { <li><time datetime=iso>{shown}</time>": "{failure_text(failure)}</li> }
                        })
                        .collect_view()}
                </ul>
            }
        })
    };
    view! {
        <p class="health-reason" data-testid="registration-now">{now}</p>
        <p class="health-reason" data-testid="since-sign-in">{since_sign_in}</p>
        {failures}
    }
}
