//! RTC-1: the browser softphone's account, for the signed-in agent only.

use axum::extract::State;
use axum::Json;
use pc_model::{Problem, ProblemType, SoftphoneAccount};

use super::signed_in::SignedIn;
use crate::domain::softphone::{self, NoSoftphone};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// What the app registers the agent's browser softphone with: the tenant's registration server,
/// the SIP user and the digest credential (HA1, never the password), and PAR-6 as in effect.
#[utoipa::path(get, path = "/me/agent/softphone", tag = "me",
    responses(
        (status = 200, body = SoftphoneAccount),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "WebRTC is off for the agent, or the tenant has no registration server for browsers", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn softphone_account(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> ApiResult<Json<SoftphoneAccount>> {
    let agent_id = signed_in.agent_id();
    let record = state.db.softphone_record(agent_id).await?;
    let cached = state.parameter_cache.read(agent_id).await?;
    softphone::account(record, &cached)
        .map(Json)
        .map_err(|reason| {
            ApiError::Problem(
                Problem::new(ProblemType::Forbidden).with_detail(match reason {
                    NoSoftphone::WebrtcDisabled => {
                        "WebRTC is off for you: your softphone is the OpenEye client."
                    }
                    NoSoftphone::NotConfigured => {
                        "Your contact center has not set up a registration server for browsers."
                    }
                }),
            )
        })
}
