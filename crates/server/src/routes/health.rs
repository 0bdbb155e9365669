//! For operators and load balancers: whether this instance can serve requests now.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;

use crate::state::AppState;

/// Longer than a healthy database ever takes to answer, shorter than a load balancer's check.
const DATABASE_PATIENCE: Duration = Duration::from_secs(2);

/// Ready when the database answers (within 2 s); otherwise 503, so that a load balancer sends
/// requests to the other instances until this one can reach the database again.
#[utoipa::path(get, path = "/health/ready", tag = "operations",
    responses(
        (status = 200, description = "The database answers", body = String, content_type = "text/plain"),
        (status = 503, description = "The database does not answer", body = String, content_type = "text/plain")))]
pub async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match tokio::time::timeout(DATABASE_PATIENCE, state.db.answers()).await {
        Ok(true) => (StatusCode::OK, "ready"),
        Ok(false) | Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "the database does not answer",
        ),
    }
}
