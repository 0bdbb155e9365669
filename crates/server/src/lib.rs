//! The Agent Personal Center server: REST API under `/api`, the built app everywhere else.
//!
//! Layout: `routes` (HTTP handlers and the OpenAPI document), `storage` (SQLite or PostgreSQL:
//! migrations, queries, demo data), `domain` (the pages the API answers with, and rules that are
//! neither HTTP nor SQL), `web` (serving the app and security headers). The validation rules themselves live
//! in the `pc-model` crate.

pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod routes;
pub mod state;
pub mod storage;
pub mod web;

use std::sync::Arc;

use axum::middleware;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use config::Config;
pub use domain::clock::Clock;
use domain::delivery::{RetryPolicy, Worker};
pub use state::AppState;
use storage::Db;
use web::security::SecurityHeaders;

/// The built server, ready to be served.
pub struct Server {
    /// The API and the app.
    pub app: Router,
    /// `/metrics`, for the `--metrics-listen` address.
    pub metrics: Router,
    /// Whether demo data was seeded into a new database.
    pub seeded: bool,
    /// AGT-4: the channels whose messages are only recorded (no gateway configured).
    pub recording_only: Vec<domain::notifier::Channel>,
}

/// Opens the database (seeding demo data into a new one unless configured not to), builds the
/// whole HTTP application and starts the delivery worker of verification codes when a gateway
/// is configured. Must be called within a Tokio runtime.
pub async fn build(config: Config) -> anyhow::Result<Server> {
    build_with_clock(config, Clock::system()).await
}

/// `build`, with the sign-in throttle going by `clock` (tests move it instead of waiting).
pub async fn build_with_clock(config: Config, clock: Clock) -> anyhow::Result<Server> {
    let db = Db::open(&config.database).await?;
    let seeded = !config.no_demo_data && db.seed_demo_data_if_empty(config.demo_services()).await?;
    let index_html = std::fs::read_to_string(config.dist.join("index.html")).unwrap_or_default();
    let mut headers = SecurityHeaders::new(
        &config.frame_ancestors,
        &web::assets::inline_script_hashes(&index_html),
        &db.registration_servers().await?,
    )?
    .following(db.clone());
    if config.secure_cookies {
        headers = headers.with_strict_transport();
    }
    let state = AppState::new(db, config, clock).await?;
    let recording_only = state.gateways.recording_only();
    if state.gateways.any() {
        tokio::spawn(
            Worker {
                db: state.db.clone(),
                gateways: state.gateways.clone(),
                policy: RetryPolicy {
                    attempts_max: state.config.delivery_attempts,
                    backoff_secs: state.config.delivery_backoff_secs,
                },
                metrics: state.metrics.clone(),
                wakeup: state.outbox_written.clone(),
            }
            .run(),
        );
    }
    Ok(Server {
        metrics: web::metrics::app(state.clone()),
        app: router(state, headers),
        seeded,
        recording_only,
    })
}

fn router(state: AppState, headers: SecurityHeaders) -> Router {
    let api = routes::api(state.clone());
    Router::new()
        .nest("/api", api.clone())
        .nest("/scim/v2", routes::scim::router(state.clone()))
        .route_layer(middleware::from_fn(web::metrics::expose_matched_path))
        .merge(web::assets::app(&state.config.dist, api))
        .layer(middleware::from_fn(web::security::refuse_cross_site_writes))
        .layer(middleware::from_fn_with_state(
            Arc::new(headers),
            web::security::add_security_headers,
        ))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(
            state.metrics.clone(),
            web::metrics::count_requests,
        ))
        // One log line (JSON with `--log-format json`) per request and its answer.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}
