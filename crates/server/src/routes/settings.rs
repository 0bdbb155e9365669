//! PER-1 … PER-8: the signed-in agent's Personalized Settings.

use axum::extract::State;
use axum::Json;
use pc_model::{ActivityKind, Problem, ProblemType, SaveSettings, SettingsPage, SettingsVersion};

use super::extract::ApiJson;
use super::signed_in::{SessionToken, SignedIn};
use crate::domain::activity;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::{Refusal, Whose};

/// The agent's settings, their version, and what they fall back to.
#[utoipa::path(get, path = "/me/settings", tag = "me",
    responses(
        (status = 200, body = SettingsPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_settings(
    State(state): State<AppState>,
    session: SessionToken,
) -> ApiResult<Json<SettingsPage>> {
    let page = state.db.settings_page(session.whose()).await?;
    Ok(Json(page.ok_or(ProblemType::Unauthenticated)?))
}

/// Saves all settings at once, if they are still at the version the save names.
#[utoipa::path(put, path = "/me/settings", tag = "me",
    request_body = SaveSettings,
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token")),
    responses(
        (status = 200, description = "Saved; the new settings and version", body = SettingsPage),
        (status = 401, description = "Not signed in, or the session has expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing or wrong CSRF token, or sent from another site", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed elsewhere since `version`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Fields at fault, with reasons (incl. an email bound to another agent)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn save_settings(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiJson(save): ApiJson<SaveSettings>,
) -> ApiResult<Json<SettingsPage>> {
    let agent_id = signed_in.agent_id();
    // The values the save replaces, to record what changed; read at the version it names.
    let before = page(&state, agent_id).await?;
    save.settings
        .validate(&before.context)
        .map_err(ApiError::invalid)?;
    if before.version != save.version {
        return Err(Refusal::Stale.into());
    }
    let changes = activity::settings_changes(&before.settings, &save.settings);
    state
        .db
        .save_settings(
            agent_id,
            save.version,
            &save.settings,
            &signed_in.event(ActivityKind::SettingsSaved, changes),
            signed_in.keeping(state.config.history_versions),
        )
        .await?;
    Ok(Json(page(&state, agent_id).await?))
}

/// The settings page of an agent who is signed in, so exists.
async fn page(state: &AppState, agent_id: i64) -> ApiResult<SettingsPage> {
    let page = state.db.settings_page(Whose::Agent(agent_id)).await?;
    Ok(page.ok_or(sqlx::Error::RowNotFound)?)
}

/// BEY-2: the agent's own saved versions of the settings, newest first: when, from where, what
/// changed and all the values, to restore one into the form.
#[utoipa::path(get, path = "/me/settings/history", tag = "me",
    responses(
        (status = 200, body = Vec<SettingsVersion>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn settings_history(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> ApiResult<Json<Vec<SettingsVersion>>> {
    Ok(Json(state.db.settings_history(signed_in.agent_id()).await?))
}
