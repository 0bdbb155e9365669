//! The Agent Info actions of the signed-in agent: client downloads (AGT-2, AGT-3), the
//! softphone registration (AGT-5) and phone numbers (AGT-6).

use axum::extract::State;
use axum::Json;
use pc_model::{
    ActivityKind, AgentInfo, ClientDownloads, Problem, RegistrationStatus, SavePhoneNumbers,
};

use super::extract::ApiJson;
use super::signed_in::SignedIn;
use crate::domain::activity;
use crate::domain::session::now;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::Whose;

/// AGT-2, AGT-3: the client downloads offered to the agent; a missing address hides the button.
#[utoipa::path(get, path = "/me/agent/downloads", tag = "me",
    responses(
        (status = 200, body = ClientDownloads),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn downloads(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> ApiResult<Json<ClientDownloads>> {
    let (tenant, webrtc) = state.db.download_settings(signed_in.agent_id()).await?;
    Ok(Json(ClientDownloads::for_agent(&tenant, webrtc)))
}

/// AGT-6: changes the agent's fixed-line number and mobile; an empty value clears one.
#[utoipa::path(put, path = "/me/agent/phone-numbers", tag = "me",
    request_body = SavePhoneNumbers,
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token")),
    responses(
        (status = 200, description = "Saved; the agent information as it is now", body = AgentInfo),
        (status = 401, description = "Not signed in, or the session has expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing or wrong CSRF token, or sent from another site", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed elsewhere since `was_fixed_line`/`was_mobile` were read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The numbers at fault (`fixed_line`, `mobile`), with the reason", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn save_phone_numbers(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiJson(save): ApiJson<SavePhoneNumbers>,
) -> ApiResult<Json<AgentInfo>> {
    save.validate().map_err(ApiError::invalid)?;
    let agent_id = signed_in.agent_id();
    state
        .db
        .save_phone_numbers(
            agent_id,
            SavePhoneNumbers::stored(&save.fixed_line).as_deref(),
            SavePhoneNumbers::stored(&save.mobile).as_deref(),
            (
                SavePhoneNumbers::stored(&save.was_fixed_line).as_deref(),
                SavePhoneNumbers::stored(&save.was_mobile).as_deref(),
            ),
            &signed_in.event(
                ActivityKind::PhoneNumbersSaved,
                activity::phone_changes(&save),
            ),
        )
        .await?;
    let agent = state.db.agent_info(Whose::Agent(agent_id)).await?;
    Ok(Json(agent.ok_or(sqlx::Error::RowNotFound)?))
}

/// AGT-5: whether the agent's softphone number is registered, and since when.
#[utoipa::path(get, path = "/me/agent/registration", tag = "me",
    responses(
        (status = 200, body = RegistrationStatus),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn registration(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> ApiResult<Json<RegistrationStatus>> {
    Ok(Json(state.registrar.status(signed_in.agent_id()).await?))
}

/// AGT-5: Unregister signs the agent's softphone number out; the status afterwards.
#[utoipa::path(delete, path = "/me/agent/registration", tag = "me",
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token")),
    responses(
        (status = 200, description = "Not registered (any more)", body = RegistrationStatus),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing or wrong CSRF token, or sent from another site", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn unregister(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> ApiResult<Json<RegistrationStatus>> {
    let status = state
        .registrar
        .unregister(signed_in.agent_id(), now())
        .await?;
    // The registrar may be outside the database (Kamailio): recorded once it took.
    state
        .db
        .record_event(&signed_in.event(ActivityKind::SoftphoneUnregistered, Vec::new()))
        .await?;
    Ok(Json(status))
}
