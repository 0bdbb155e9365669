//! PER-6 E-Name Card: the signed-in agent's WhatsApp business cards, and the routing codes they
//! carry resolved for the contact center.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use pc_model::business_card::may_generate_business_card;
use pc_model::{
    ActivityKind, BusinessCard, BusinessCardPage, GenerateBusinessCard, Problem, ProblemType,
    RoutingTarget,
};

use super::extract::{ApiJson, ApiPath};
use super::signed_in::SignedIn;
use crate::domain::business_cards::{self, routing_token_matches};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::Whose;

/// The server refuses an agent without the permission, whatever the app shows (SPEC §8).
async fn require_permission(state: &AppState, agent_id: i64) -> ApiResult<()> {
    let agent = state
        .db
        .agent_info(Whose::Agent(agent_id))
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    if may_generate_business_card(&agent) {
        Ok(())
    } else {
        Err(ApiError::Problem(
            Problem::new(ProblemType::Forbidden).with_detail(
                "E-Name Cards need the \"Generate an agent electronic business card\" permission.",
            ),
        ))
    }
}

/// The OUs (with their WhatsApp channels) the agent may use, and the agent's current cards.
#[utoipa::path(get, path = "/me/business-cards", tag = "me",
    responses(
        (status = 200, body = BusinessCardPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No e-card permission", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn business_cards(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> ApiResult<Json<BusinessCardPage>> {
    let agent_id = signed_in.agent_id();
    require_permission(&state, agent_id).await?;
    Ok(Json(business_cards::page(&state.db, agent_id).await?))
}

/// Issues a new routing code for the agent's card on a channel; a card the agent already had on
/// that channel is replaced, and its old code stops resolving.
#[utoipa::path(post, path = "/me/business-cards", tag = "me",
    request_body = GenerateBusinessCard,
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token")),
    responses(
        (status = 201, description = "Issued", body = BusinessCard),
        (status = 401, description = "Not signed in, or the session has expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No e-card permission, a missing or wrong CSRF token, or sent from another site", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No OU or channel chosen, or one the agent may not use", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn generate_business_card(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiJson(request): ApiJson<GenerateBusinessCard>,
) -> ApiResult<(StatusCode, Json<BusinessCard>)> {
    let agent_id = signed_in.agent_id();
    require_permission(&state, agent_id).await?;
    let offered = state.db.card_org_units(agent_id).await?;
    let (_, channel_id) = request.validate(&offered).map_err(ApiError::invalid)?;
    let card = business_cards::issue(
        &state.db,
        agent_id,
        channel_id,
        &signed_in.event(ActivityKind::BusinessCardGenerated, Vec::new()),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(card)))
}

/// Revokes the agent's card on a channel: its code stops resolving at once.
#[utoipa::path(delete, path = "/me/business-cards/{channel_id}", tag = "me",
    params(
        ("channel_id" = i64, Path, description = "The WhatsApp channel of the card"),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not signed in, or the session has expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No e-card permission, a missing or wrong CSRF token, or sent from another site", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The agent has no card on that channel", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke_business_card(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiPath(channel_id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let agent_id = signed_in.agent_id();
    require_permission(&state, agent_id).await?;
    state
        .db
        .revoke_business_card(
            agent_id,
            channel_id,
            &signed_in.event(ActivityKind::BusinessCardRevoked, Vec::new()),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// For the contact center's routing service: the agent and channel a routing code (found in a
/// customer's first WhatsApp message) stands for. Needs `Authorization: Bearer <routing token>`
/// as configured on the server (`PC_ROUTING_TOKEN`); agents' sessions cannot call it.
#[utoipa::path(get, path = "/routing-codes/{code}", tag = "routing",
    params(("code" = String, Path, description = "A routing code, e.g. PC-0123456789ABCDEFGHJKMNPQRS")),
    security(("routing_token" = [])),
    responses(
        (status = 200, body = RoutingTarget),
        (status = 401, description = "No or wrong routing token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown, replaced or revoked code, or its agent has lost the permission or the channel's OU", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn resolve_routing_code(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<RoutingTarget>> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if !routing_token_matches(authorization, state.config.routing_token.as_deref()) {
        return Err(ProblemType::Unauthenticated.into());
    }
    let target = business_cards::resolve(&state.db, &code)
        .await?
        .ok_or(ProblemType::NotFound)?;
    Ok(Json(target))
}
