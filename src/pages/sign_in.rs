//! Sign in with business account and password. Rules are checked before sending, and the
//! server's answer is shown at the field or for the form; nothing typed is lost.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use pc_model::session::SignInField;
use pc_model::{ProblemType, SessionInfo, SignInRequest, Violation};

use crate::api::{self, ApiError};
use crate::change::Change;
use crate::components::error_summary::{ErrorLink, ErrorSummary, SummaryFocus};
use crate::components::language_switch::LanguageSwitch;
use crate::components::sso_sign_in::SsoSignIn;
use crate::components::text_field::TextField;
use crate::form::{typed, Form, FormValues};
use crate::i18n::*;
use crate::messages::violation_message;
use crate::routes::{with_query, Tab};
use crate::session::{use_auth, SignInNotice};

/// Why the whole form was refused, when no single field is at fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FormError {
    InvalidCredentials,
    /// SEC-1: too many failed sign-ins for the account or from this address.
    TooManyAttempts(Wait),
    Unreachable,
    Server,
}

impl From<&ApiError> for FormError {
    fn from(error: &ApiError) -> Self {
        match error {
            ApiError::Problem(problem) => match problem.problem_type {
                ProblemType::InvalidCredentials => FormError::InvalidCredentials,
                ProblemType::TooManyRequests => {
                    FormError::TooManyAttempts(Wait::from_secs(problem.retry_after_secs))
                }
                _ => FormError::Server,
            },
            ApiError::Unreachable => FormError::Unreachable,
            ApiError::Unexpected(_) => FormError::Server,
        }
    }
}

/// How long to wait before signing in again, as the agent reads it: seconds under a minute,
/// else whole minutes rounded up (a lock lasts up to 15 minutes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wait {
    Seconds(u64),
    Minutes(u64),
}

impl Wait {
    /// A server that does not say how long is taken to mean a minute.
    fn from_secs(secs: Option<u64>) -> Self {
        match secs.unwrap_or(60) {
            secs @ 0..60 => Wait::Seconds(secs.max(1)),
            secs => Wait::Minutes(secs.div_ceil(60)),
        }
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let query = use_query_map();

    let form = Form::new(SignInRequest::default());
    let form_error = RwSignal::new(None::<FormError>);
    let summary_focus = SummaryFocus::new();
    let sign_in = Change::new()
        .on_refused(move |errors| {
            let placed = form.refuse(errors);
            summary_focus.focus();
            placed
        })
        .on_failed(move |error| {
            form_error.set(Some(FormError::from(error)));
            summary_focus.focus();
        });

    // However the agent signed in: a password, or the organization's identity provider.
    let signed_in = Callback::new(move |session: SessionInfo| {
        api::keep_session(Some(&session));
        auth.signed_in(session);
        let query = query.read_untracked();
        navigate(
            &destination(query.get_str("next"), query.get_str("lang")),
            NavigateOptions::default(),
        );
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form_error.set(None);
        let Ok(request) = form.submit() else {
            summary_focus.focus();
            return;
        };
        sign_in.send(api::sign_in(&request), move |session| {
            signed_in.run(session)
        });
    };

    let (account_value, account_input, account_error) = form
        .text_field(SignInField::BusinessAccount, |r, text| {
            r.business_account = text
        });
    let (password_value, password_input, password_error) =
        form.text_field(SignInField::Password, |r, text| r.password = text);
    let has_errors = move || !form.errors().is_empty() || form_error.get().is_some();

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
                <SsoSignIn on_signed_in=signed_in/>
                <ErrorSummary visible=Signal::derive(has_errors) focus=summary_focus>
                    {move || form_error.get().map(|error| view! {
                        <ErrorLink target="business_account".to_owned()>
                            {match error {
                                FormError::InvalidCredentials => tr!(i18n, sign_in.invalid_credentials).into_any(),
                                FormError::TooManyAttempts(Wait::Seconds(seconds)) => {
                                    t!(i18n, sign_in.too_many_attempts_seconds, seconds).into_any()
                                }
                                FormError::TooManyAttempts(Wait::Minutes(minutes)) => {
                                    t!(i18n, sign_in.too_many_attempts_minutes, minutes).into_any()
                                }
                                FormError::Unreachable => tr!(i18n, unreachable).into_any(),
                                FormError::Server => tr!(i18n, server_error).into_any(),
                            }}
                        </ErrorLink>
                    })}
                    {move || form.errors().into_iter().map(|(field, violation)| {
                        let label = match field {
                            SignInField::Password => tr!(i18n, sign_in.password).into_any(),
                            SignInField::BusinessAccount => tr!(i18n, sign_in.business_account).into_any(),
                        };
                        view! {
                            <ErrorLink target=field.to_string()>
                                {label}": "{violation_message(&violation)}
                            </ErrorLink>
                        }
                    }).collect_view()}
                </ErrorSummary>
                <TextField
                    id="business_account"
                    label=ViewFn::from(move || tr!(i18n, sign_in.business_account))
                    value=account_value
                    on_input=account_input
                    error=account_error
                    autocomplete="username"
                />
                <TextField
                    id="password"
                    label=ViewFn::from(move || tr!(i18n, sign_in.password))
                    value=password_value
                    on_input=password_input
                    error=password_error
                    input_type="password"
                    autocomplete="current-password"
                />
                <button type="submit" class="button primary" disabled=move || sign_in.pending()>
                    {move || if sign_in.pending() {
                        tr!(i18n, sign_in.submitting).into_any()
                    } else {
                        tr!(i18n, sign_in.submit).into_any()
                    }}
                </button>
            </form>
        </main>
    }
}

/// A sign-in shows what is missing only once the agent tries it.
impl FormValues for SignInRequest {
    type Field = SignInField;

    fn violations(&self) -> Vec<(SignInField, Violation)> {
        typed(self.validate())
    }

    fn value_of(&self, field: SignInField) -> String {
        match field {
            SignInField::BusinessAccount => self.business_account.clone(),
            SignInField::Password => self.password.clone(),
        }
    }

    fn shows_early(&self, _field: SignInField) -> bool {
        false
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
    fn the_wait_reads_in_seconds_under_a_minute_else_in_whole_minutes() {
        assert_eq!(Wait::from_secs(Some(42)), Wait::Seconds(42));
        assert_eq!(Wait::from_secs(Some(0)), Wait::Seconds(1));
        assert_eq!(Wait::from_secs(Some(60)), Wait::Minutes(1));
        assert_eq!(Wait::from_secs(Some(61)), Wait::Minutes(2));
        assert_eq!(Wait::from_secs(Some(900)), Wait::Minutes(15));
        assert_eq!(Wait::from_secs(None), Wait::Minutes(1));
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
