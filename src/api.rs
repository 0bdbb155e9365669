//! The only module that speaks HTTP: one typed function per API call.

use gloo_net::http::{Request, RequestBuilder, Response};
use pc_model::{
    AgentInfo, BatchAnswer, BusinessCard, BusinessCardPage, ClientDownloads, CodeSent, Employee,
    GenerateBusinessCard, ParameterBatch, ParameterId, ParametersPage, PasswordResetContext,
    Problem, ProblemType, RegistrationStatus, ResetSoftphonePassword, SaveParameter,
    SavePhoneNumbers, SaveSettings, SessionInfo, SettingsPage, SignInRequest, SoftphoneAccount,
    CSRF_HEADER,
};
use serde::de::DeserializeOwned;

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
    match response.json::<Problem>().await {
        Ok(problem) => ApiError::Problem(problem),
        // A proxy in front of the server answers 502-504 without a problem body.
        Err(_) if matches!(response.status(), 502..=504) => ApiError::Unreachable,
        Err(_) => ApiError::Unexpected(format!("HTTP {}", response.status())),
    }
}

async fn json<T: DeserializeOwned>(response: Response) -> ApiResult<T> {
    response
        .json()
        .await
        .map_err(|e| ApiError::Unexpected(e.to_string()))
}

async fn get<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    json(send(Request::get(path).build()).await?).await
}

fn with_csrf(builder: RequestBuilder, session: &SessionInfo) -> RequestBuilder {
    builder.header(CSRF_HEADER, &session.csrf_token)
}

pub async fn sign_in(request: &SignInRequest) -> ApiResult<SessionInfo> {
    json(send(Request::post("/api/session").json(request)).await?).await
}

pub async fn current_session() -> ApiResult<SessionInfo> {
    get("/api/session").await
}

pub async fn sign_out(session: &SessionInfo) -> ApiResult<()> {
    send(with_csrf(Request::delete("/api/session"), session).build()).await?;
    Ok(())
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
pub async fn save_phone_numbers(
    session: &SessionInfo,
    save: &SavePhoneNumbers,
) -> ApiResult<AgentInfo> {
    json(send(with_csrf(Request::put("/api/me/agent/phone-numbers"), session).json(save)).await?)
        .await
}

/// AGT-4: whether the reset needs a verification code.
pub async fn password_reset_context() -> ApiResult<PasswordResetContext> {
    get("/api/me/agent/softphone-password").await
}

/// AGT-4: sends a verification code; answers where it went (masked).
pub async fn send_code(session: &SessionInfo) -> ApiResult<CodeSent> {
    let path = "/api/me/agent/softphone-password/code";
    json(send(with_csrf(Request::post(path), session).build()).await?).await
}

/// AGT-4: sets a new softphone password.
pub async fn reset_softphone_password(
    session: &SessionInfo,
    reset: &ResetSoftphonePassword,
) -> ApiResult<()> {
    let path = "/api/me/agent/softphone-password";
    send(with_csrf(Request::put(path), session).json(reset)).await?;
    Ok(())
}

/// AGT-5: whether the softphone number is registered.
pub async fn registration() -> ApiResult<RegistrationStatus> {
    get("/api/me/agent/registration").await
}

/// AGT-5: Unregister; answers the status afterwards.
pub async fn unregister(session: &SessionInfo) -> ApiResult<RegistrationStatus> {
    json(send(with_csrf(Request::delete("/api/me/agent/registration"), session).build()).await?)
        .await
}

/// RTC-1: the browser softphone's account on the tenant's registration server.
pub async fn softphone_account() -> ApiResult<SoftphoneAccount> {
    get("/api/me/agent/softphone").await
}

pub async fn settings() -> ApiResult<SettingsPage> {
    get("/api/me/settings").await
}

pub async fn save_settings(session: &SessionInfo, save: &SaveSettings) -> ApiResult<SettingsPage> {
    json(send(with_csrf(Request::put("/api/me/settings"), session).json(save)).await?).await
}

pub async fn parameters() -> ApiResult<ParametersPage> {
    get("/api/me/parameters").await
}

pub async fn save_parameter(
    session: &SessionInfo,
    id: ParameterId,
    save: &SaveParameter,
) -> ApiResult<ParametersPage> {
    let path = format!("/api/me/parameters/{id}");
    json(send(with_csrf(Request::put(&path), session).json(save)).await?).await
}

pub async fn reset_parameters(
    session: &SessionInfo,
    batch: &ParameterBatch,
) -> ApiResult<BatchAnswer> {
    let request = with_csrf(Request::post("/api/me/parameters/reset"), session).json(batch);
    json(send(request).await?).await
}

pub async fn sync_parameters(
    session: &SessionInfo,
    batch: &ParameterBatch,
) -> ApiResult<BatchAnswer> {
    let request = with_csrf(Request::post("/api/me/parameters/sync"), session).json(batch);
    json(send(request).await?).await
}

/// PER-6: the OUs and channels the agent may use for an E-Name Card, and their cards.
pub async fn business_cards() -> ApiResult<BusinessCardPage> {
    get("/api/me/business-cards").await
}

/// PER-6: a card with a new routing code; it replaces the card on the same channel.
pub async fn generate_business_card(
    session: &SessionInfo,
    request: &GenerateBusinessCard,
) -> ApiResult<BusinessCard> {
    json(send(with_csrf(Request::post("/api/me/business-cards"), session).json(request)).await?)
        .await
}
