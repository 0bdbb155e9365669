//! The only module that speaks HTTP: one typed function per API call.

use gloo_net::http::{Request, RequestBuilder, Response};
use pc_model::{
    ActivityPage, AgentInfo, BatchAnswer, BusinessCard, BusinessCardPage, ClientDownloads,
    CodeDelivery, CodeSent, Employee, GenerateBusinessCard, IceServers, ParameterBatch,
    ParameterId, ParameterVersion, ParametersPage, PasswordResetContext, Problem, ProblemType,
    RegistrationStatus, ResetSoftphonePassword, SaveParameter, SavePhoneNumbers, SaveSettings,
    SessionInfo, SettingsPage, SettingsVersion, SignInRequest, SoftphoneAccount, WorkbenchSettings,
    CSRF_HEADER,
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
    text_of(&send(Request::get(path).build()).await?).await
}

/// A change of data on the server, described but not sent yet: the change primitive
/// (`crate::change`) sends it with the CSRF token of the session, so that no caller handles
/// the token. `T` is the answer.
pub struct Write<T> {
    start: fn(&str) -> RequestBuilder,
    path: String,
    body: Option<String>,
    answer: PhantomData<fn() -> T>,
}

impl<T> Clone for Write<T> {
    fn clone(&self) -> Self {
        Write {
            start: self.start,
            path: self.path.clone(),
            body: self.body.clone(),
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
        let text = send_write(self.start, &self.path, self.body.as_deref(), csrf).await?;
        // An empty answer (204) reads as JSON `null`, which is what `()` expects.
        let text = if text.is_empty() { "null" } else { &text };
        json::from_text(text).map_err(ApiError::Unexpected)
    }
}

/// The part of sending a change that does not depend on its answer's type.
async fn send_write(
    start: fn(&str) -> RequestBuilder,
    path: &str,
    body: Option<&str>,
    csrf: Option<&str>,
) -> ApiResult<String> {
    let mut builder = start(path);
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
    Write::new(Request::post, "/api/session").json(request)
}

pub async fn current_session() -> ApiResult<SessionInfo> {
    get("/api/session").await
}

pub fn sign_out() -> Write<()> {
    Write::new(Request::delete, "/api/session")
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
