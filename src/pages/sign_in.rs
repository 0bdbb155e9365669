//! Sign in with business account and password. Rules are checked before sending, and the
//! server's answer is shown at the field or for the form; nothing typed is lost.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use pc_model::{FieldError, ProblemType, SignInRequest};

use crate::api::{self, ApiError};
use crate::components::language_switch::LanguageSwitch;
use crate::components::text_field::TextField;
use crate::i18n::*;
use crate::messages::violation_message;
use crate::routes::{with_query, Tab};
use crate::session::{use_auth, SignInNotice};

/// Why the whole form was refused, when no single field is at fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FormError {
    InvalidCredentials,
    Unreachable,
    Server,
}

impl From<&ApiError> for FormError {
    fn from(error: &ApiError) -> Self {
        match error.problem_type() {
            Some(ProblemType::InvalidCredentials) => FormError::InvalidCredentials,
            _ if *error == ApiError::Unreachable => FormError::Unreachable,
            _ => FormError::Server,
        }
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let query = use_query_map();

    let business_account = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let form_error = RwSignal::new(None::<FormError>);
    let summary_ref = NodeRef::<leptos::html::Div>::new();

    let sign_in = Action::new_local(|request: &SignInRequest| {
        let request = request.clone();
        async move { api::sign_in(&request).await }
    });

    let show_errors = move |fields: Vec<FieldError>, form: Option<FormError>| {
        field_errors.set(fields);
        form_error.set(form);
        // GOV.UK pattern: move focus to the summary so a screen reader announces it.
        request_animation_frame(move || {
            if let Some(summary) = summary_ref.get_untracked() {
                let _ = summary.focus();
            }
        });
    };

    Effect::new(move |_| {
        let Some(result) = sign_in.value().get() else {
            return;
        };
        match result {
            Ok(session) => {
                auth.signed_in(session);
                navigate(
                    &destination(&query.read_untracked()),
                    NavigateOptions::default(),
                );
            }
            Err(ApiError::Problem(problem)) if problem.problem_type == ProblemType::Validation => {
                show_errors(problem.errors, None)
            }
            Err(error) => show_errors(Vec::new(), Some(FormError::from(&error))),
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = SignInRequest {
            business_account: business_account.get_untracked(),
            password: password.get_untracked(),
        };
        match request.validate() {
            Ok(()) => {
                field_errors.set(Vec::new());
                form_error.set(None);
                sign_in.dispatch_local(request);
            }
            Err(errors) => show_errors(errors, None),
        }
    };

    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            field_errors.with(|errors| {
                errors
                    .iter()
                    .find(|e| e.field == field)
                    .map(|e| e.violation.clone())
            })
        })
    };
    let has_errors = move || !field_errors.with(Vec::is_empty) || form_error.get().is_some();
    let pending = sign_in.pending();

    view! {
        <main class="sign-in">
            <div class="sign-in-top">
                <LanguageSwitch/>
            </div>
            <form class="sign-in-card" on:submit=on_submit novalidate>
                <h1>{t!(i18n, sign_in.heading)}</h1>
                {move || auth.notice().map(|notice| view! {
                    <p class="notice" role="status">
                        {match notice {
                            SignInNotice::SessionExpired => t!(i18n, sign_in.session_expired).into_any(),
                            SignInNotice::SignedOut => t!(i18n, sign_in.signed_out).into_any(),
                        }}
                    </p>
                })}
                <div
                    class="error-summary"
                    class:hidden=move || !has_errors()
                    role="alert"
                    tabindex="-1"
                    aria-labelledby="error-summary-title"
                    node_ref=summary_ref
                >
                    <Show when=has_errors>
                        <h2 id="error-summary-title">{t!(i18n, sign_in.error_summary)}</h2>
                        <ul>
                            {move || form_error.get().map(|error| view! {
                                <li>{match error {
                                    FormError::InvalidCredentials => t!(i18n, sign_in.invalid_credentials).into_any(),
                                    FormError::Unreachable => t!(i18n, unreachable).into_any(),
                                    FormError::Server => t!(i18n, server_error).into_any(),
                                }}</li>
                            })}
                            {move || field_errors.get().into_iter().map(|error| {
                                let label = match error.field.as_str() {
                                    "password" => t!(i18n, sign_in.password).into_any(),
                                    _ => t!(i18n, sign_in.business_account).into_any(),
                                };
                                view! {
                                    <li><a href=format!("#{}", error.field)>
                                        {label}": "{violation_message(&error.violation)}
                                    </a></li>
                                }
                            }).collect_view()}
                        </ul>
                    </Show>
                </div>
                <TextField
                    id="business_account"
                    label=ViewFn::from(move || t!(i18n, sign_in.business_account))
                    value=business_account
                    error=error_for("business_account")
                    autocomplete="username"
                />
                <TextField
                    id="password"
                    label=ViewFn::from(move || t!(i18n, sign_in.password))
                    value=password
                    error=error_for("password")
                    input_type="password"
                    autocomplete="current-password"
                />
                <button type="submit" class="button primary" disabled=move || pending.get()>
                    {move || if pending.get() {
                        t!(i18n, sign_in.submitting).into_any()
                    } else {
                        t!(i18n, sign_in.submit).into_any()
                    }}
                </button>
            </form>
        </main>
    }
}

/// Where to go after signing in: the tab the agent was sent away from, else Agent Info; the
/// language choice is kept. Only tab paths are accepted, so the link cannot lead elsewhere.
fn destination(query: &leptos_router::params::ParamsMap) -> String {
    let tab = query
        .get_str("next")
        .and_then(Tab::from_path)
        .unwrap_or(Tab::AgentInfo);
    let lang = query
        .get_str("lang")
        .map(|lang| format!("lang={lang}"))
        .unwrap_or_default();
    with_query(&tab.path(), &lang)
}

/// The sign-in URL that brings the agent back to `tab` in the same language.
pub fn sign_in_url(tab: Option<Tab>, lang: Option<&str>) -> String {
    let mut params = Vec::new();
    if let Some(lang) = lang {
        params.push(format!("lang={lang}"));
    }
    if let Some(tab) = tab {
        params.push(format!("next={}", tab.slug()));
    }
    with_query(crate::routes::SIGN_IN, &params.join("&"))
}
