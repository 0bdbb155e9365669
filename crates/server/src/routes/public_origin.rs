//! Where browsers reach this server, for the addresses it hands out about itself (SSO-1: the
//! identity provider's redirect and post-logout URIs; the origin a redeem must come from).

use axum::http::{header, HeaderMap};
use pc_model::ProblemType;

use crate::error::ApiResult;
use crate::state::AppState;

/// Where browsers reach this server: `--public-url`, or the request's own host.
pub fn public_origin(state: &AppState, headers: &HeaderMap) -> ApiResult<String> {
    if let Some(url) = &state.config.public_url {
        return Ok(url.clone());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .filter(|host| !host.is_empty() && !host.contains(['/', '?', '#', '@', ' ']))
        .ok_or(ProblemType::NotFound)?;
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    Ok(format!("{scheme}://{host}"))
}
