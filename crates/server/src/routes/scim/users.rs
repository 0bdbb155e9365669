//! `/scim/v2/Users`: the tenant's agents.

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::{
    if_match, json_body, list_query, not_modified, resource_id, resource_response, ListQuery,
    ListRequest, ScimCaller,
};
use crate::domain::password;
use crate::domain::provisioning::patch::{self, Operation};
use crate::domain::provisioning::projection::Projection;
use crate::domain::provisioning::schema::USER_ATTRIBUTES;
use crate::domain::provisioning::users::{parse_user, user_document, UserInput};
use crate::domain::provisioning::{ScimError, ScimResult, AGENT_SCHEMA, USER_SCHEMA};
use crate::state::AppState;
use crate::storage::Refusal;

/// A PATCH without `If-Match` is applied to the version it read; if another change came in
/// between, it is read and applied again, this many times at most.
const PATCH_ATTEMPTS: usize = 3;

/// Every user of the caller's tenant: the document a filter sees (with the agent ID) and the
/// one answered (with it only when asked for).
pub(super) async fn documents(
    state: &AppState,
    caller: &ScimCaller,
    projection: &Projection,
) -> ScimResult<Vec<(Value, Value)>> {
    let with_agent_id = projection.asks_for(AGENT_SCHEMA, "agentId");
    Ok(state
        .db
        .users(caller.tenant_id)
        .await?
        .iter()
        .map(|user| {
            (
                user_document(user, &caller.base_url, true),
                user_document(user, &caller.base_url, with_agent_id),
            )
        })
        .collect())
}

pub async fn list(
    State(state): State<AppState>,
    caller: ScimCaller,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> ScimResult<Response> {
    let request = ListRequest::from_query(&list_query(query)?)?;
    let documents = documents(&state, &caller, &request.projection).await?;
    Ok(request.answer(documents))
}

pub async fn search(
    State(state): State<AppState>,
    caller: ScimCaller,
    body: Bytes,
) -> ScimResult<Response> {
    let request = ListRequest::from_search(&json_body(&body)?)?;
    let documents = documents(&state, &caller, &request.projection).await?;
    Ok(request.answer(documents))
}

pub async fn read(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> ScimResult<Response> {
    let query = list_query(query)?;
    let projection = Projection::from_query(
        query.attributes.as_deref(),
        query.excluded_attributes.as_deref(),
    );
    let user = state
        .db
        .user(caller.tenant_id, resource_id(&id)?)
        .await?
        .ok_or_else(|| ScimError::not_found("There is no such User in this tenant."))?;
    if not_modified(&headers, user.version) {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    let document = user_document(
        &user,
        &caller.base_url,
        projection.asks_for(AGENT_SCHEMA, "agentId"),
    );
    Ok(resource_response(
        StatusCode::OK,
        projection.apply(document),
    ))
}

/// The argon2 hash of the password a request sets, made off the request threads.
async fn password_hash(state: &AppState, input: &UserInput) -> ScimResult<Option<String>> {
    let Some(password) = input.password.clone() else {
        return Ok(None);
    };
    let hash =
        password::run_limited(&state.password_checks, move || password::hash(&password)).await?;
    Ok(Some(hash))
}

pub async fn create(
    State(state): State<AppState>,
    caller: ScimCaller,
    body: Bytes,
) -> ScimResult<Response> {
    let input = parse_user(&json_body(&body)?)?;
    let hash = password_hash(&state, &input).await?;
    let user = state
        .db
        .create_user(caller.caller(), &input, hash.as_deref())
        .await
        .map_err(taken)?;
    Ok(resource_response(
        StatusCode::CREATED,
        user_document(&user, &caller.base_url, false),
    ))
}

/// A business account taken by another user, said as SCIM says it.
fn taken(refusal: Refusal) -> ScimError {
    match refusal {
        Refusal::Duplicate { .. } => ScimError::uniqueness(
            "userName: another user has this business account (compared without case)",
        ),
        other => other.into(),
    }
}

pub async fn replace(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ScimResult<Response> {
    let id = resource_id(&id)?;
    let version = if_match(&headers)?;
    let input = parse_user(&json_body(&body)?)?;
    let hash = password_hash(&state, &input).await?;
    let user = state
        .db
        .replace_user(caller.caller(), id, &input, hash.as_deref(), version)
        .await
        .map_err(taken)?;
    Ok(resource_response(
        StatusCode::OK,
        user_document(&user, &caller.base_url, false),
    ))
}

pub async fn patch(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ScimResult<Response> {
    let id = resource_id(&id)?;
    let wanted = if_match(&headers)?;
    let operations: Vec<Operation> = patch::parse_request(&json_body(&body)?)?;
    for _ in 0..PATCH_ATTEMPTS {
        let user = state
            .db
            .user(caller.tenant_id, id)
            .await?
            .ok_or_else(|| ScimError::not_found("There is no such User in this tenant."))?;
        if wanted.is_some_and(|version| version != user.version) {
            return Err(ScimError::stale());
        }
        let mut document = user_document(&user, &caller.base_url, false);
        patch::apply(&mut document, &operations, USER_ATTRIBUTES, USER_SCHEMA)?;
        let input = parse_user(&document)?;
        let hash = password_hash(&state, &input).await?;
        match state
            .db
            .replace_user(
                caller.caller(),
                id,
                &input,
                hash.as_deref(),
                Some(user.version),
            )
            .await
        {
            Ok(user) => {
                return Ok(resource_response(
                    StatusCode::OK,
                    user_document(&user, &caller.base_url, false),
                ))
            }
            Err(Refusal::Stale) if wanted.is_none() => continue,
            Err(refusal) => return Err(taken(refusal)),
        }
    }
    Err(ScimError::new(
        409,
        None,
        "The user kept changing while this PATCH was applied; send it again.",
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ScimResult<Response> {
    let id = resource_id(&id)?;
    state
        .db
        .delete_user(caller.caller(), id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
