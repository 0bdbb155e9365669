//! The REST API under `/api`, and its OpenAPI document generated from the handlers.

mod activity;
mod agent_info;
mod business_cards;
mod client_address;
mod customer_view;
mod extract;
mod health;
mod me;
mod openapi;
mod parameters;
mod public_origin;
pub mod scim;
mod session;
mod settings;
mod signed_in;
mod softphone;
mod softphone_password;
mod sso;
mod workbench;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::{Json, Router};
use pc_model::ProblemType;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::state::AppState;

/// Enough for the largest valid settings (four greetings, a 1,000-character signature).
const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(title = "Agent Personal Center API", description = "The signed-in agent's own data. Errors are RFC 9457 problem+json. Provisioning by the contact center's identity provider is SCIM 2.0 at /scim/v2 (bearer token per tenant), which describes itself at /scim/v2/ServiceProviderConfig, /ResourceTypes and /Schemas."),
    servers((url = "/api")),
    tags((name = "session", description = "Signing in and out"), (name = "me", description = "The signed-in agent"),
        (name = "routing", description = "For the contact center's routing service (bearer token)"),
        (name = "workbench", description = "Living inside the workbench's iframe"),
        (name = "operations", description = "For operators and load balancers")),
    modifiers(&RoutingTokenScheme)
)]
struct ApiDoc;

/// The bearer token of the routing service (PER-6 routing codes).
struct RoutingTokenScheme;

impl utoipa::Modify for RoutingTokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "routing_token",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
}

/// The API routes, to be nested under `/api`.
pub fn api(state: AppState) -> Router {
    let (router, mut openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(
            session::sign_in,
            session::current_session,
            session::sign_out
        ))
        .routes(routes!(sso::providers))
        .routes(routes!(sso::start))
        .routes(routes!(sso::callback))
        .routes(routes!(sso::redeem))
        .routes(routes!(sso::backchannel_logout))
        .routes(routes!(me::employee))
        .routes(routes!(me::agent))
        .routes(routes!(activity::recent_activity))
        .routes(routes!(agent_info::downloads))
        .routes(routes!(agent_info::save_phone_numbers))
        .routes(routes!(agent_info::registration, agent_info::unregister))
        .routes(routes!(
            softphone_password::reset_context,
            softphone_password::reset_password
        ))
        .routes(routes!(
            softphone_password::send_code,
            softphone_password::code_delivery
        ))
        .routes(routes!(softphone::softphone_account))
        .routes(routes!(softphone::ice_servers))
        .routes(routes!(settings::get_settings, settings::save_settings))
        .routes(routes!(settings::settings_history))
        .routes(routes!(customer_view::get_customer_view))
        .routes(routes!(parameters::get_parameters))
        .routes(routes!(parameters::save_parameter))
        .routes(routes!(parameters::reset_parameters))
        .routes(routes!(parameters::sync_parameters))
        .routes(routes!(parameters::cached_parameters))
        .routes(routes!(parameters::parameter_history))
        .routes(routes!(
            business_cards::business_cards,
            business_cards::generate_business_card
        ))
        .routes(routes!(business_cards::revoke_business_card))
        .routes(routes!(business_cards::resolve_routing_code))
        .routes(routes!(workbench::workbench_settings))
        .routes(routes!(health::ready))
        .split_for_parts();
    openapi::document_shared_refusals(&mut openapi);
    pc_model::openapi::describe_rules(&mut openapi);
    router
        .route("/openapi.json", get(move || async move { Json(openapi) }))
        .route("/health", get(|| async { "ok" }))
        .fallback(|| async { ApiError::from(ProblemType::NotFound) })
        .method_not_allowed_fallback(|| async { ApiError::from(ProblemType::MethodNotAllowed) })
        // Every request body of this API is small; a large one is refused before it is read.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // Answers carry personal data and the CSRF token: never store them in a cache.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        // Nor may another site's page load them as an image or script: such a no-cors load
        // would bring personal data into that page's process (Spectre). The app's own files
        // hold nothing personal and need no such header.
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .with_state(state)
}
