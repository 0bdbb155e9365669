//! The only module that speaks HTTP: one typed function per API call.

use gloo_net::http::{Request, RequestBuilder, Response};
use pc_model::{
    ActivityPage, AgentInfo, BatchAnswer, BusinessCard, BusinessCardPage, ClientDownloads,
    CodeDelivery, CodeSent, Employee, GenerateBusinessCard, IceServers, ParameterBatch,
    ParameterId, ParameterVersion, ParametersPage, PasswordResetContext, Problem, ProblemType,
    RegistrationStatus, ResetSoftphonePassword, SaveParameter, SavePhoneNumbers, SaveSettings,
    SessionInfo, SettingsPage, SettingsVersion, SignInRequest, SignedOut, SoftphoneAccount,
    SsoProvider, SsoRedeem, SsoRedeemed, WorkbenchSettings, BEARER_TRANSPORT, CSRF_HEADER,
    SESSION_TRANSPORT_HEADER, SIGN_OUT_IN_POPUP_PARAMETER,
};
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::json;

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// No answer at all: the network or the server is down.
    #[error("the server cannot be reached")]
    Unreachable,
    /// The server refused the request and said why.
    #[error("{}", .0.title)]
    Problem(Problem),
    /// The server answered something this app does not understand.
    #[error("unexpected answer from the server: {0}")]
    Unexpected(String),
}

impl ApiError {
    pub fn problem_type(&self) -> Option<ProblemType> {
        match self {
            ApiError::Problem(problem) => Some(problem.problem_type),
            _ => None,
        }
    }

    /// This page's session is gone: not signed in, expired, signed out elsewhere, or replaced
    /// by another sign-in in this browser (then the page's CSRF token no longer matches).
    pub fn is_unauthenticated(&self) -> bool {
        matches!(
            self.problem_type(),
            Some(ProblemType::Unauthenticated | ProblemType::CsrfRejected)
        )
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// EMB-5: the session of a frame whose browser keeps no cookie of a cross-site frame (WebKit),
/// carried as a bearer token. It is kept in the frame's session storage, which every engine
/// keeps apart per top-level site and per tab, so it outlives a reload of the workbench.
mod bearer {
    use leptos::prelude::window;
    use wasm_bindgen::JsCast;

    const STORAGE_KEY: &str = "pc.session";
    const PROBE: &str = "pc_cookie_probe";

    /// Whether this page must ask for a bearer token: it is framed and a cookie like the
    /// session's (`SameSite=None; Secure; Partitioned`) is not kept.
    pub fn needed() -> bool {
        crate::workbench::is_framed() && !keeps_a_cookie()
    }

    fn keeps_a_cookie() -> bool {
        let Ok(document) = window()
            .document()
            .unwrap()
            .dyn_into::<web_sys::HtmlDocument>()
        else {
            return false;
        };
        let attributes = "Path=/; SameSite=None; Secure; Partitioned";
        let _ = document.set_cookie(&format!("{PROBE}=1; Max-Age=10; {attributes}"));
        let kept = document
            .cookie()
            .is_ok_and(|cookies| cookies.split("; ").any(|c| c == format!("{PROBE}=1")));
        let _ = document.set_cookie(&format!("{PROBE}=; Max-Age=0; {attributes}"));
        kept
    }

    fn storage() -> Option<web_sys::Storage> {
        window().session_storage().ok().flatten()
    }

    pub fn token() -> Option<String> {
        storage()?.get_item(STORAGE_KEY).ok().flatten()
    }

    /// Keeps the token a sign-in handed out, or forgets the one kept.
    pub fn keep(token: Option<&str>) {
        if let Some(storage) = storage() {
            let _ = match token {
                Some(token) => storage.set_item(STORAGE_KEY, token),
                None => storage.remove_item(STORAGE_KEY),
            };
        }
    }
}

/// OPS-6: the answers to the first screen's reads that the server put into the page it served
/// (`pc_model::first_screen`). Each is taken once, so a later read asks the server; a sign-in
/// or sign-out forgets those not taken yet, so no other session's data is ever shown.
mod first_screen {
    use std::cell::RefCell;

    use leptos::prelude::document;
    use pc_model::first_screen::ISLAND_ID;
    use wasm_bindgen::{JsCast, JsValue};

    thread_local! {
        static ANSWERS: RefCell<Option<js_sys::Object>> = RefCell::new(read_island());
    }

    /// The island's answers, the element taken out of the page.
    fn read_island() -> Option<js_sys::Object> {
        let island = document().get_element_by_id(ISLAND_ID)?;
        island.remove();
        js_sys::JSON::parse(&island.text_content()?)
            .ok()?
            .dyn_into()
            .ok()
    }

    /// The answer to the read of `path`, as JSON text, if the page has it and it was not taken.
    pub fn take(path: &str) -> Option<String> {
        ANSWERS.with_borrow(|answers| {
            let answers = answers.as_ref()?;
            let key = JsValue::from_str(path);
            let answer = js_sys::Reflect::get(answers, &key)
                .ok()
                .filter(|answer| !answer.is_undefined())?;
            js_sys::Reflect::delete_property(answers, &key).ok()?;
            js_sys::JSON::stringify(&answer).ok()?.as_string()
        })
    }

    pub fn forget() {
        ANSWERS.set(None);
    }

    /// Waits for a task of its own (`setTimeout(0)`), as an answer from the network would: the
    /// first screen's reads then finish one task each, and the browser can paint the agent's
    /// details before the rest is rendered, instead of after one long task that renders all
    /// (measured: warm first screen 300 ms with all in one task, 184 ms so).
    pub async fn next_task() {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = leptos::prelude::window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

/// The request with this page's bearer token, if it has one (EMB-5).
fn with_session(builder: RequestBuilder) -> RequestBuilder {
    match bearer::token() {
        Some(token) => builder.header("authorization", &format!("Bearer {token}")),
        None => builder,
    }
}

/// EMB-5: after a sign-in, the bearer token it handed out is kept, or the one kept before
/// is forgotten (a sign-in with the cookie, a sign-out).
pub fn keep_session(session: Option<&SessionInfo>) {
    first_screen::forget();
    bearer::keep(session.and_then(|session| session.bearer_token.as_deref()));
}

async fn send(request: Result<Request, gloo_net::Error>) -> ApiResult<Response> {
    let request = request.map_err(|e| ApiError::Unexpected(e.to_string()))?;
    let response = request.send().await.map_err(|_| ApiError::Unreachable)?;
    if response.ok() {
        Ok(response)
    } else {
        Err(error_from(response).await)
    }
}

async fn error_from(response: Response) -> ApiError {
    let problem = text_of(&response)
        .await
        .and_then(|text| json::from_text::<Problem>(&text).map_err(ApiError::Unexpected));
    match problem {
        Ok(problem) => ApiError::Problem(problem),
        // A proxy in front of the server answers 502-504 without a problem body.
        Err(_) if matches!(response.status(), 502..=504) => ApiError::Unreachable,
        Err(_) => ApiError::Unexpected(format!("HTTP {}", response.status())),
    }
}

async fn text_of(response: &Response) -> ApiResult<String> {
    response
        .text()
        .await
        .map_err(|e| ApiError::Unexpected(e.to_string()))
}

/// The answer to a GET, read by the browser's JSON parser (see `crate::json`).
async fn get<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    let text = get_text(path).await?;
    json::from_text(&text).map_err(ApiError::Unexpected)
}

/// The part of a `get` that does not depend on the answer's type: one copy of the request's
/// state machine for every `get` (issue 16).
async fn get_text(path: &str) -> ApiResult<String> {
    if let Some(answer) = first_screen::take(path) {
        first_screen::next_task().await;
        return Ok(answer);
    }
    text_of(&send(with_session(Request::get(path)).build()).await?).await
}

/// A change of data on the server, described but not sent yet: the change primitive
/// (`crate::change`) sends it with the CSRF token of the session, so that no caller handles
/// the token. `T` is the answer.
pub struct Write<T> {
    start: fn(&str) -> RequestBuilder,
    path: String,
    body: Option<String>,
    /// A sign-in, which asks for a bearer token where this frame keeps no cookie (EMB-5).
    signs_in: bool,
    answer: PhantomData<fn() -> T>,
}

impl<T> Clone for Write<T> {
    fn clone(&self) -> Self {
        Write {
            start: self.start,
            path: self.path.clone(),
            body: self.body.clone(),
            signs_in: self.signs_in,
            answer: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Write<T> {
    fn new(start: fn(&str) -> RequestBuilder, path: impl Into<String>) -> Self {
        Write {
            start,
            path: path.into(),
            body: None,
            signs_in: false,
            answer: PhantomData,
        }
    }

    fn json(self, body: &impl Serialize) -> Self {
        Write {
            body: json::to_text(body).ok(),
            ..self
        }
    }

    /// Sends the change; `csrf` is the session's token (none before sign-in).
    pub async fn send(&self, csrf: Option<&str>) -> ApiResult<T> {
        let mut builder = with_session((self.start)(&self.path));
        if self.signs_in && bearer::needed() {
            builder = builder.header(SESSION_TRANSPORT_HEADER, BEARER_TRANSPORT);
        }
        let text = send_write(builder, self.body.as_deref(), csrf).await?;
        // An empty answer (204) reads as JSON `null`, which is what `()` expects.
        let text = if text.is_empty() { "null" } else { &text };
        json::from_text(text).map_err(ApiError::Unexpected)
    }
}

/// The part of sending a change that does not depend on its answer's type.
async fn send_write(
    mut builder: RequestBuilder,
    body: Option<&str>,
    csrf: Option<&str>,
) -> ApiResult<String> {
    if let Some(token) = csrf {
        builder = builder.header(CSRF_HEADER, token);
    }
    let request = match body {
        Some(json) => builder
            .header("content-type", "application/json")
            .body(json.to_owned()),
        None => builder.build(),
    };
    text_of(&send(request).await?).await
}

pub fn sign_in(request: &SignInRequest) -> Write<SessionInfo> {
    Write {
        signs_in: true,
        ..Write::new(Request::post, "/api/session").json(request)
    }
}

/// SSO-1: the tenants whose agents can sign in through their identity provider.
pub async fn sso_providers() -> ApiResult<Vec<SsoProvider>> {
    get("/api/sso/providers").await
}

/// SSO-1: the outcome of a sign-in in the popup, by its ticket or by this page's handle.
pub fn redeem_sso(request: &SsoRedeem) -> Write<SsoRedeemed> {
    Write {
        signs_in: true,
        ..Write::new(Request::post, "/api/sso/redeem").json(request)
    }
}

pub async fn current_session() -> ApiResult<SessionInfo> {
    get("/api/session").await
}

/// `in_popup`: the provider's sign-out, if the session was begun through it, will be shown in a
/// popup (SSO-8).
pub fn sign_out(in_popup: bool) -> Write<Option<SignedOut>> {
    let path = if in_popup {
        format!("/api/session?{SIGN_OUT_IN_POPUP_PARAMETER}=true")
    } else {
        "/api/session".to_owned()
    };
    Write::new(Request::delete, path)
}

/// EMB-1: the workbench origins allowed to frame the app and talk to it.
pub async fn workbench() -> ApiResult<WorkbenchSettings> {
    get("/api/workbench").await
}

/// SEC-4: the agent's recent changes and sign-ins.
pub async fn activity() -> ApiResult<ActivityPage> {
    get("/api/me/activity").await
}

pub async fn employee() -> ApiResult<Employee> {
    get("/api/me/employee").await
}

pub async fn agent() -> ApiResult<AgentInfo> {
    get("/api/me/agent").await
}

/// AGT-2, AGT-3: the client downloads offered to the agent.
pub async fn client_downloads() -> ApiResult<ClientDownloads> {
    get("/api/me/agent/downloads").await
}

/// AGT-6: saves the fixed-line number and mobile; answers the agent information as it is now.
pub fn save_phone_numbers(save: &SavePhoneNumbers) -> Write<AgentInfo> {
    Write::new(Request::put, "/api/me/agent/phone-numbers").json(save)
}

/// AGT-4: whether the reset needs a verification code.
pub async fn password_reset_context() -> ApiResult<PasswordResetContext> {
    get("/api/me/agent/softphone-password").await
}

/// AGT-4: sends a verification code; answers where it went (masked).
pub fn send_code() -> Write<CodeSent> {
    Write::new(Request::post, "/api/me/agent/softphone-password/code")
}

/// AGT-4: whether the newest code's message was sent, failed, or is still being tried.
pub async fn code_delivery() -> ApiResult<CodeDelivery> {
    get("/api/me/agent/softphone-password/code").await
}

/// AGT-4: sets a new softphone password.
pub fn reset_softphone_password(reset: &ResetSoftphonePassword) -> Write<()> {
    Write::new(Request::put, "/api/me/agent/softphone-password").json(reset)
}

/// AGT-5: whether the softphone number is registered.
pub async fn registration() -> ApiResult<RegistrationStatus> {
    get("/api/me/agent/registration").await
}

/// AGT-5: Unregister; answers the status afterwards.
pub fn unregister() -> Write<RegistrationStatus> {
    Write::new(Request::delete, "/api/me/agent/registration")
}

/// RTC-1: the browser softphone's account on the tenant's registration server.
pub async fn softphone_account() -> ApiResult<SoftphoneAccount> {
    get("/api/me/agent/softphone").await
}

/// BEY-3: the tenant's STUN and TURN servers, with TURN credentials made for this agent.
pub async fn ice_servers() -> ApiResult<IceServers> {
    get("/api/me/agent/ice-servers").await
}

pub async fn settings() -> ApiResult<SettingsPage> {
    get("/api/me/settings").await
}

pub fn save_settings(save: &SaveSettings) -> Write<SettingsPage> {
    Write::new(Request::put, "/api/me/settings").json(save)
}

/// BEY-2: the saved versions of the settings, newest first.
pub async fn settings_history() -> ApiResult<Vec<SettingsVersion>> {
    get("/api/me/settings/history").await
}

pub async fn parameters() -> ApiResult<ParametersPage> {
    get("/api/me/parameters").await
}

pub fn save_parameter(id: ParameterId, save: &SaveParameter) -> Write<ParametersPage> {
    Write::new(Request::put, format!("/api/me/parameters/{id}")).json(save)
}

/// BEY-2: the saved versions that changed the parameter, newest first.
pub async fn parameter_history(id: ParameterId) -> ApiResult<Vec<ParameterVersion>> {
    get(&format!("/api/me/parameters/{id}/history")).await
}

pub fn reset_parameters(batch: &ParameterBatch) -> Write<BatchAnswer> {
    Write::new(Request::post, "/api/me/parameters/reset").json(batch)
}

pub fn sync_parameters(batch: &ParameterBatch) -> Write<BatchAnswer> {
    Write::new(Request::post, "/api/me/parameters/sync").json(batch)
}

/// PER-6: the OUs and channels the agent may use for an E-Name Card, and their cards.
pub async fn business_cards() -> ApiResult<BusinessCardPage> {
    get("/api/me/business-cards").await
}

/// PER-6: a card with a new routing code; it replaces the card on the same channel.
pub fn generate_business_card(request: &GenerateBusinessCard) -> Write<BusinessCard> {
    Write::new(Request::post, "/api/me/business-cards").json(request)
}
