//! The Agent Personal Center server: REST API under `/api`, the built app everywhere else.
//!
//! Layout: `routes` (HTTP handlers and the OpenAPI document), `storage` (SQLite or PostgreSQL:
//! migrations, queries, demo data), `domain` (the pages the API answers with, and rules that are
//! neither HTTP nor SQL), `web` (serving the app and security headers). The validation rules themselves live
//! in the `pc-model` crate.

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
use tower_http::trace::TraceLayer;

pub use config::Config;
pub use domain::clock::Clock;
pub use state::AppState;
use storage::Db;
use web::security::SecurityHeaders;

/// Opens the database (seeding demo data into a new one unless configured not to) and builds
/// the whole HTTP application. Returns whether demo data was seeded.
pub async fn build(config: Config) -> anyhow::Result<(Router, bool)> {
    build_with_clock(config, Clock::system()).await
}

/// `build`, with the sign-in throttle going by `clock` (tests move it instead of waiting).
pub async fn build_with_clock(config: Config, clock: Clock) -> anyhow::Result<(Router, bool)> {
    let db = Db::open(&config.database).await?;
    let seeded = !config.no_demo_data
        && db
            .seed_demo_data_if_empty(
                config.demo_registration_server.as_deref(),
                config.demo_turn(),
            )
            .await?;
    let index_html = std::fs::read_to_string(config.dist.join("index.html")).unwrap_or_default();
    let mut headers = SecurityHeaders::new(
        &config.frame_ancestors,
        &web::assets::inline_script_hashes(&index_html),
        &db.registration_servers().await?,
    )?;
    if config.secure_cookies {
        headers = headers.with_strict_transport();
    }
    let state = AppState::new(db, config, clock);
    Ok((router(state, headers), seeded))
}

fn router(state: AppState, headers: SecurityHeaders) -> Router {
    Router::new()
        .nest("/api", routes::api(state.clone()))
        .merge(web::assets::app(&state.config.dist))
        .layer(middleware::from_fn(web::security::refuse_cross_site_writes))
        .layer(middleware::from_fn_with_state(
            Arc::new(headers),
            web::security::add_security_headers,
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}
