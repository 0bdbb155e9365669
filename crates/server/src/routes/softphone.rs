//! RTC-1: the browser softphone's account, and BEY-3: the STUN and TURN servers its media goes
//! through, for the signed-in agent only.

use axum::extract::State;
use axum::Json;
use pc_model::{IceServers, Problem, ProblemType, SoftphoneAccount};

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
        .map_err(refused)
}

/// The tenant's STUN and TURN servers for the agent's browser (the media test), each TURN
/// server with a credential made for this agent that works as long as a sign-in lasts; empty
/// when the tenant has none.
#[utoipa::path(get, path = "/me/agent/ice-servers", tag = "me",
    responses(
        (status = 200, body = IceServers),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "WebRTC is off for the agent", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn ice_servers(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> ApiResult<Json<IceServers>> {
    let agent_id = signed_in.agent_id();
    let (webrtc_enabled, records) = state.db.ice_server_records(agent_id).await?;
    let expires_at = state.clock.now() + state.config.session_ttl_secs;
    softphone::ice_servers(webrtc_enabled, records, agent_id, expires_at)
        .map(Json)
        .map_err(refused)
}

fn refused(reason: NoSoftphone) -> ApiError {
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
}
