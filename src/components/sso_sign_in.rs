//! SSO-1: "Sign in with …" for each tenant whose agents sign in through their organization's
//! identity provider. Standalone, the page goes to the provider and comes back signed in (or
//! with `?sso=` saying why not). Framed by the workbench, where the provider's pages refuse to
//! be framed and the frame's cookies are partitioned, it opens a popup: the popup hands back a
//! one-time ticket by `postMessage`, or, when the provider's pages cut the popup from this
//! page, the page finds the outcome by a handle it made.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use pc_model::{
    ProblemType, SessionInfo, SsoOutcome, SsoProvider, SsoRedeem, SsoRedeemed, SSO_MESSAGE_TYPE,
    SSO_OUTCOME_PARAMETER,
};
use wasm_bindgen::JsValue;

use crate::api;
use crate::change::Change;
use crate::focus::focus_element;
use crate::i18n::*;
use crate::workbench::is_framed;

/// How often the page asks for the outcome while the popup is open.
const POLL_EVERY: Duration = Duration::from_secs(2);
/// After this long the popup's sign-in has expired on the server too.
const GIVE_UP_AFTER_POLLS: u32 = 300;
const POPUP_NAME: &str = "pc-sso";
const OUTCOME_ID: &str = "sso-outcome";
const POPUP_FEATURES: &str = "popup,width=520,height=680";

/// Where a sign-in through the provider stands on this page.
#[derive(Clone, Debug, PartialEq)]
enum Progress {
    Idle,
    /// The popup is open; the handle finds its outcome.
    Waiting {
        handle: String,
        polls: u32,
    },
    /// The browser did not open the popup: a button opens it on a click.
    Blocked(SsoProvider),
    Ended(SsoOutcome),
}

#[component]
pub fn SsoSignIn(
    /// Called with the session once signed in, as a password sign-in is.
    on_signed_in: Callback<SessionInfo>,
) -> impl IntoView {
    let i18n = use_i18n();
    let providers = LocalResource::new(api::sso_providers);
    let query = use_query_map();
    let initial = query
        .read_untracked()
        .get_str(SSO_OUTCOME_PARAMETER)
        .and_then(SsoOutcome::from_code)
        .map_or(Progress::Idle, Progress::Ended);
    let progress = RwSignal::new(initial);
    let ended = move |outcome: SsoOutcome| {
        progress.set(Progress::Ended(outcome));
        // Back from the popup, focus goes to what it says (GOV.UK: errors take focus).
        request_animation_frame(|| focus_element(OUTCOME_ID));
    };
    let redeem = Change::new().on_failed(move |error| {
        if error.problem_type() == Some(ProblemType::InvalidCredentials) {
            ended(SsoOutcome::Expired);
        }
    });
    let framed = is_framed();

    let take = move |answer: SsoRedeemed| match answer {
        SsoRedeemed::SignedIn { session } => {
            progress.set(Progress::Idle);
            on_signed_in.run(session);
        }
        SsoRedeemed::Refused { outcome } => ended(outcome),
        SsoRedeemed::Pending => {}
    };
    let redeem_ticket = move |ticket: String| {
        redeem.send(
            api::redeem_sso(&SsoRedeem {
                ticket: Some(ticket),
                handle: None,
            }),
            take,
        );
    };

    let open_popup = move |provider: SsoProvider| {
        let Some(handle) = new_handle() else {
            ended(SsoOutcome::Failed);
            return;
        };
        let opened = window().open_with_url_and_target_and_features(
            &provider.popup_start_path(&handle),
            POPUP_NAME,
            POPUP_FEATURES,
        );
        progress.set(match opened {
            Ok(Some(_)) => Progress::Waiting { handle, polls: 0 },
            _ => Progress::Blocked(provider),
        });
    };

    // The popup's last page posts its ticket or outcome, on this origin only.
    let on_message = move |event: web_sys::MessageEvent| {
        let own_origin = window().location().origin().unwrap_or_default();
        if event.origin() != own_origin
            || !matches!(progress.get_untracked(), Progress::Waiting { .. })
        {
            return;
        }
        let data = event.data();
        if field(&data, "type").as_deref() != Some(SSO_MESSAGE_TYPE) {
            return;
        }
        if let Some(ticket) = field(&data, "ticket") {
            redeem_ticket(ticket);
        } else if let Some(outcome) = field(&data, "outcome")
            .as_deref()
            .and_then(SsoOutcome::from_code)
        {
            ended(outcome);
        }
    };
    let listener = window_event_listener(leptos::ev::message, on_message);
    on_cleanup(move || listener.remove());

    // Cut from the popup, the page asks by its handle.
    if let Ok(timer) = set_interval_with_handle(
        move || {
            let Progress::Waiting { handle, polls } = progress.get_untracked() else {
                return;
            };
            if polls >= GIVE_UP_AFTER_POLLS {
                ended(SsoOutcome::Expired);
                return;
            }
            progress.set(Progress::Waiting {
                handle: handle.clone(),
                polls: polls + 1,
            });
            if !redeem.pending() {
                redeem.send(
                    api::redeem_sso(&SsoRedeem {
                        ticket: None,
                        handle: Some(handle),
                    }),
                    take,
                );
            }
        },
        POLL_EVERY,
    ) {
        on_cleanup(move || timer.clear());
    }

    // One link for both ways: a page of the server, not of the app (the router leaves a
    // `rel="external"` link alone); framed, the click opens the popup instead.
    let button = move |provider: SsoProvider| {
        let href = provider.start_path();
        let name = provider.display_name.clone();
        view! {
            <a class="button sso" href=href rel="external" on:click=move |ev: leptos::ev::MouseEvent| {
                if framed {
                    ev.prevent_default();
                    open_popup(provider.clone());
                }
            }>
                // "Sign in with <name>" around the name: cheaper than an interpolating `t!`.
                {tr!(i18n, sso.sign_in_with_before)}{name}{tr!(i18n, sso.sign_in_with_after)}
            </a>
        }
    };
    let has_providers = move || matches!(providers.get(), Some(Ok(ref list)) if !list.is_empty());
    let notice = move || {
        match progress.get() {
        Progress::Ended(outcome) => {
            let cancelled = outcome == SsoOutcome::Cancelled;
            Some(view! {
                <p class=if cancelled { "notice" } else { "notice error" }
                    role=if cancelled { "status" } else { "alert" }
                    id=OUTCOME_ID tabindex="-1">
                    {outcome_text(i18n, outcome)}
                </p>
            }.into_any())
        }
        Progress::Waiting { .. } => Some(view! {
            <p class="notice" role="status" id="sso-waiting">{tr!(i18n, sso.waiting)}</p>
        }.into_any()),
        Progress::Blocked(provider) => Some(view! {
            <div class="notice error" role="alert" id="sso-blocked">
                <p>{tr!(i18n, sso.popup_blocked)}</p>
                <button type="button" class="button" on:click=move |_| open_popup(provider.clone())>
                    {tr!(i18n, sso.open_window)}
                </button>
            </div>
        }.into_any()),
        Progress::Idle => None,
    }
    };

    move || {
        has_providers().then(|| view! {
        <section class="sso" aria-labelledby="sso-heading">
            <h2 id="sso-heading" class="visually-hidden">{tr!(i18n, sso.heading)}</h2>
            {notice}
            <div class="sso-providers">
                {move || providers.get().and_then(Result::ok).unwrap_or_default().into_iter().map(button).collect_view()}
            </div>
            <p class="sso-or">{tr!(i18n, sso.or)}</p>
        </section>
    })
    }
}

fn outcome_text(
    i18n: leptos_i18n::I18nContext<Locale>,
    outcome: SsoOutcome,
) -> Signal<&'static str> {
    match outcome {
        SsoOutcome::NotProvisioned => tr!(i18n, sso.not_provisioned),
        SsoOutcome::Expired => tr!(i18n, sso.expired),
        SsoOutcome::Failed => tr!(i18n, sso.failed),
        SsoOutcome::Throttled => tr!(i18n, sso.throttled),
        SsoOutcome::Cancelled => tr!(i18n, sso.cancelled),
    }
}

/// 32 bytes of the browser's cryptographic random numbers, in hex: no Web Crypto, no popup.
fn new_handle() -> Option<String> {
    let mut bytes = [0u8; 32];
    window()
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut bytes)
        .ok()?;
    Some(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// A string property of a posted message.
fn field(data: &JsValue, name: &str) -> Option<String> {
    js_sys::Reflect::get(data, &JsValue::from_str(name))
        .ok()?
        .as_string()
}
