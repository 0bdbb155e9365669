//! Operators' signals over HTTP: every request counted by route and status with its latency,
//! and `/metrics` (Prometheus text) on the separate `--metrics-listen` address.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::domain::metrics::Metrics;
use crate::state::AppState;

/// The label of requests that matched no route (the app's pages and files, unknown paths).
const OTHER_ROUTE: &str = "other";

/// Inside the routing: hands the matched route's pattern out with the answer.
pub async fn expose_matched_path(matched: MatchedPath, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.extensions_mut().insert(matched);
    response
}

/// Outside the routing: counts every request and times it.
pub async fn count_requests(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let response = next.run(request).await;
    let route = response
        .extensions()
        .get::<MatchedPath>()
        .map_or(OTHER_ROUTE, MatchedPath::as_str);
    metrics.request(
        method.as_str(),
        route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// What the `--metrics-listen` address serves.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(render))
        .with_state(state)
}

async fn render(State(state): State<AppState>) -> Response {
    match state.metrics.render(&state.db).await {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "metrics: cannot be read");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
