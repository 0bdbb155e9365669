//! Sign in with business account and password. Rules are checked before sending, and the
//! server's answer is shown at the field or for the form; nothing typed is lost.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use pc_model::{FieldError, ProblemType, SignInRequest};

use crate::api::{self, ApiError};
use crate::components::error_summary::{ErrorLink, ErrorSummary, SummaryFocus};
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
    let summary_focus = SummaryFocus::new();

    let sign_in = Action::new_local(|request: &SignInRequest| {
        let request = request.clone();
        async move { api::sign_in(&request).await }
    });

    let show_errors = move |fields: Vec<FieldError>, form: Option<FormError>| {
        field_errors.set(fields);
        form_error.set(form);
        summary_focus.focus();
    };

    Effect::new(move |_| {
        let Some(result) = sign_in.value().get() else {
            return;
        };
        match result {
            Ok(session) => {
                auth.signed_in(session);
                let query = query.read_untracked();
                navigate(
                    &destination(query.get_str("next"), query.get_str("lang")),
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
                <h1>{tr!(i18n, sign_in.heading)}</h1>
                {move || auth.notice().map(|notice| view! {
                    <p class="notice" role="status">
                        {match notice {
                            SignInNotice::SessionExpired => tr!(i18n, sign_in.session_expired).into_any(),
                            SignInNotice::SignedOut => tr!(i18n, sign_in.signed_out).into_any(),
                        }}
                    </p>
                })}
                <ErrorSummary visible=Signal::derive(has_errors) focus=summary_focus>
                    {move || form_error.get().map(|error| view! {
                        <ErrorLink target="business_account".to_owned()>
                            {match error {
                                FormError::InvalidCredentials => tr!(i18n, sign_in.invalid_credentials).into_any(),
                                FormError::Unreachable => tr!(i18n, unreachable).into_any(),
                                FormError::Server => tr!(i18n, server_error).into_any(),
                            }}
                        </ErrorLink>
                    })}
                    {move || field_errors.get().into_iter().map(|error| {
                        let label = match error.field.as_str() {
                            "password" => tr!(i18n, sign_in.password).into_any(),
                            _ => tr!(i18n, sign_in.business_account).into_any(),
                        };
                        view! {
                            <ErrorLink target=error.field.clone()>
                                {label}": "{violation_message(&error.violation)}
                            </ErrorLink>
                        }
                    }).collect_view()}
                </ErrorSummary>
                <TextField
                    id="business_account"
                    label=ViewFn::from(move || tr!(i18n, sign_in.business_account))
                    value=business_account
                    on_input=Callback::new(move |text| business_account.set(text))
                    error=error_for("business_account")
                    autocomplete="username"
                />
                <TextField
                    id="password"
                    label=ViewFn::from(move || tr!(i18n, sign_in.password))
                    value=password
                    on_input=Callback::new(move |text| password.set(text))
                    error=error_for("password")
                    input_type="password"
                    autocomplete="current-password"
                />
                <button type="submit" class="button primary" disabled=move || pending.get()>
                    {move || if pending.get() {
                        tr!(i18n, sign_in.submitting).into_any()
                    } else {
                        tr!(i18n, sign_in.submit).into_any()
                    }}
                </button>
            </form>
        </main>
    }
}

/// Where to go after signing in: the tab the agent was sent away from, else Agent Info; the
/// language choice is kept. Only tab paths are accepted, so the link cannot lead elsewhere.
fn destination(next: Option<&str>, lang: Option<&str>) -> String {
    let tab = next.and_then(Tab::from_path).unwrap_or(Tab::AgentInfo);
    let lang = lang
        .and_then(known_language)
        .map(|lang| format!("lang={lang}"))
        .unwrap_or_default();
    with_query(&tab.path(), &lang)
}

/// The sign-in URL that brings the agent back to `tab` in the same language.
pub fn sign_in_url(tab: Option<Tab>, lang: Option<&str>) -> String {
    let mut params = Vec::new();
    if let Some(lang) = lang.and_then(known_language) {
        params.push(format!("lang={lang}"));
    }
    if let Some(tab) = tab {
        params.push(format!("next={}", tab.slug()));
    }
    with_query(crate::routes::SIGN_IN, &params.join("&"))
}

/// The language tag if the app has that language, so nothing else rides along in the URL.
fn known_language(tag: &str) -> Option<&'static str> {
    tag.parse::<Locale>().ok().map(|locale| locale.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_tab_of_this_app_can_be_the_destination() {
        assert_eq!(
            destination(Some("agent-parameters"), None),
            "/agent-parameters"
        );
        assert_eq!(destination(None, None), "/agent-info");
        for hostile in [
            "//evil.example",
            "https://evil.example/agent-info",
            "/sign-in",
            "",
        ] {
            assert_eq!(destination(Some(hostile), None), "/agent-info", "{hostile}");
        }
    }

    #[test]
    fn only_a_known_language_rides_along() {
        assert_eq!(
            destination(Some("agent-info"), Some("zh-CN")),
            "/agent-info?lang=zh-CN"
        );
        assert_eq!(destination(None, Some("en&next=evil")), "/agent-info");
        assert_eq!(
            sign_in_url(Some(Tab::PersonalizedSettings), Some("xx")),
            "/sign-in?next=personalized-settings"
        );
        assert_eq!(
            sign_in_url(Some(Tab::AgentInfo), Some("zh-CN")),
            "/sign-in?lang=zh-CN&next=agent-info"
        );
    }
}
