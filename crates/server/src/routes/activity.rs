//! SEC-4: the signed-in agent's own recent activity.

use axum::extract::State;
use axum::Json;
use pc_model::ActivityPage;

use super::signed_in::SignedIn;
use crate::error::ApiResult;
use crate::state::AppState;

/// How many events the agent sees, newest first.
const RECENT: i64 = 20;

/// The agent's recent changes and sign-ins (also failed ones): what, when and from where, so a
/// sign-in that was not theirs stands out. Only the agent's own.
#[utoipa::path(get, path = "/me/activity", tag = "me",
    responses((status = 200, body = ActivityPage)))]
pub async fn recent_activity(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> ApiResult<Json<ActivityPage>> {
    Ok(Json(ActivityPage {
        entries: state
            .db
            .recent_activity(signed_in.agent_id(), RECENT)
            .await?,
    }))
}
