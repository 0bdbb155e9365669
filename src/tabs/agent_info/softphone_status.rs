//! AGT-5 for an agent with WebRTC: the true state of the browser softphone's registration
//! (RTC-1) — registering, registered with which server and until when, reconnecting, failed
//! with the registrar's reason, or not registered — with **Register** and **Unregister**.

use leptos::prelude::*;
use pc_sip::Failure;
use wasm_bindgen::JsValue;

use crate::focus::focus_element;
use crate::i18n::*;
use crate::softphone::state::{PhoneFailure, PhoneState};
use crate::softphone::Softphone;

use super::registration::ConfirmUnregister;

/// A time of day in the agent's language and time zone, and as ISO 8601.
pub(super) fn clock_time(ms: u64, locale: &str) -> (String, String) {
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    let shown = date
        .to_locale_time_string(locale)
        .as_string()
        .unwrap_or_default();
    (shown, date.to_iso_string().as_string().unwrap_or_default())
}

/// A stable name of the state, for styling and for tests.
fn state_code(state: &PhoneState) -> &'static str {
    match state {
        PhoneState::Idle | PhoneState::Unregistered => "unregistered",
        PhoneState::Connecting | PhoneState::Registering => "registering",
        PhoneState::Registered { .. } => "registered",
        PhoneState::Reconnecting { .. } => "reconnecting",
        PhoneState::Unregistering => "unregistering",
        PhoneState::Failed(_) => "failed",
    }
}

#[component]
pub fn SoftphoneStatus(softphone: Softphone) -> impl IntoView {
    let i18n = use_i18n();
    let confirm_open = RwSignal::new(false);
    let state = Memo::new(move |_| softphone.state());
    let locale = move || i18n.get_locale().as_str();
    let label = move || state.with(state_label);
    let detail = move || match state.get() {
        PhoneState::Registered {
            server,
            refresh_at_ms,
        } => {
            let (shown, iso) = clock_time(refresh_at_ms, locale());
            Some(
                view! {
                    <span data-testid="registration-detail" data-refresh-at=iso>
                        {t!(i18n, agent_info.registered_with, server)}" "
                        {t!(i18n, agent_info.refreshes_at, time = shown)}
                    </span>
                }
                .into_any(),
            )
        }
        PhoneState::Reconnecting {
            attempt,
            retry_at_ms,
        } => {
            let server = softphone.server().unwrap_or_default();
            let (shown, _) = clock_time(retry_at_ms, locale());
            Some(
                view! {
                    <span data-testid="registration-detail">
                        {t!(i18n, agent_info.reconnect_at, server, time = shown, attempt)}
                    </span>
                }
                .into_any(),
            )
        }
        PhoneState::Failed(failure) => Some(
            view! {
                <span data-testid="registration-detail">{failure_text(failure)}</span>
            }
            .into_any(),
        ),
        _ => None,
    };
    let on_confirm = Callback::new(move |()| {
        softphone.unregister();
        // The Unregister button is gone: keep focus on the status that changed.
        request_animation_frame(|| focus_element("registration-status"));
    });
    view! {
        <section class="agent-section" aria-labelledby="registration-title">
            <h3 id="registration-title">{tr!(i18n, agent_info.softphone_status)}</h3>
            <p id="registration-status" tabindex="-1" role="status" aria-live="polite">
                <span
                    class="status-badge"
                    class:registered=move || state.get().is_registered()
                    class:failed=move || matches!(state.get(), PhoneState::Failed(_))
                    data-testid="registration-state"
                    data-state=move || state_code(&state.get())
                >
                    {label}
                </span>
                " "
                {detail}
            </p>
            <div class="actions">
                <Show when=move || state.get().can_register()>
                    <button type="button" class="button" id="register" on:click=move |_| softphone.register()>
                        {tr!(i18n, agent_info.register)}
                    </button>
                </Show>
                <Show when=move || state.get().can_unregister()>
                    <button
                        type="button"
                        class="button secondary"
                        id="unregister"
                        on:click=move |_| confirm_open.set(true)
                    >
                        {tr!(i18n, agent_info.unregister)}
                    </button>
                </Show>
            </div>
            <ConfirmUnregister open=confirm_open on_confirm/>
        </section>
    }
}

/// The state in a word or two.
pub(super) fn state_label(state: &PhoneState) -> AnyView {
    let i18n = use_i18n();
    match state {
        PhoneState::Idle | PhoneState::Unregistered => {
            tr!(i18n, agent_info.not_registered).into_any()
        }
        PhoneState::Connecting | PhoneState::Registering => {
            tr!(i18n, agent_info.registering).into_any()
        }
        PhoneState::Registered { .. } => tr!(i18n, agent_info.registered).into_any(),
        PhoneState::Reconnecting { .. } => tr!(i18n, agent_info.reconnecting).into_any(),
        PhoneState::Unregistering => tr!(i18n, agent_info.unregistering).into_any(),
        PhoneState::Failed(_) => tr!(i18n, agent_info.registration_failed).into_any(),
    }
}

/// Why the registration failed, and what the agent can do about it.
pub(super) fn failure_text(failure: PhoneFailure) -> AnyView {
    let i18n = use_i18n();
    match failure {
        PhoneFailure::Registrar(Failure::WrongCredentials { code, reason }) => {
            t!(i18n, agent_info.failure_wrong_password, code, reason).into_any()
        }
        PhoneFailure::Registrar(Failure::Rejected { code, reason }) => {
            t!(i18n, agent_info.failure_rejected, code, reason).into_any()
        }
        PhoneFailure::Registrar(Failure::RealmMismatch { .. }) => {
            tr!(i18n, agent_info.failure_realm).into_any()
        }
        PhoneFailure::Registrar(Failure::UnsupportedChallenge { detail }) => {
            t!(i18n, agent_info.failure_unsupported, detail).into_any()
        }
        PhoneFailure::NoPassword => tr!(i18n, agent_info.failure_no_password).into_any(),
        PhoneFailure::BadServerAddress => tr!(i18n, agent_info.failure_bad_address).into_any(),
        PhoneFailure::NoAccount(reason) => {
            t!(i18n, agent_info.failure_no_account, reason).into_any()
        }
    }
}
