//! `/scim/v2/Groups`: the tenant's skill queues.

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
use crate::domain::provisioning::groups::{group_document, parse_group};
use crate::domain::provisioning::patch;
use crate::domain::provisioning::projection::Projection;
use crate::domain::provisioning::schema::GROUP_ATTRIBUTES;
use crate::domain::provisioning::{ScimError, ScimResult, GROUP_SCHEMA};
use crate::state::AppState;
use crate::storage::Refusal;

/// As for users: a PATCH without `If-Match` is applied again if the group changed meanwhile.
const PATCH_ATTEMPTS: usize = 3;

/// A skill queue name taken by another, said as SCIM says it.
fn taken(refusal: Refusal) -> ScimError {
    match refusal {
        Refusal::Duplicate { .. } => ScimError::uniqueness(
            "displayName: another skill queue of the tenant has this name (compared without case)",
        ),
        other => other.into(),
    }
}

/// Every group of the caller's tenant, as a filter sees it and as it is answered (the same).
pub(super) async fn documents(
    state: &AppState,
    caller: &ScimCaller,
) -> ScimResult<Vec<(Value, Value)>> {
    Ok(state
        .db
        .groups(caller.tenant_id)
        .await?
        .iter()
        .map(|group| {
            let document = group_document(group, &caller.base_url);
            (document.clone(), document)
        })
        .collect())
}

pub async fn list(
    State(state): State<AppState>,
    caller: ScimCaller,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> ScimResult<Response> {
    let request = ListRequest::from_query(&list_query(query)?)?;
    Ok(request.answer(documents(&state, &caller).await?))
}

pub async fn search(
    State(state): State<AppState>,
    caller: ScimCaller,
    body: Bytes,
) -> ScimResult<Response> {
    let request = ListRequest::from_search(&json_body(&body)?)?;
    Ok(request.answer(documents(&state, &caller).await?))
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
    let group = state
        .db
        .group(caller.tenant_id, resource_id(&id)?)
        .await?
        .ok_or_else(|| ScimError::not_found("There is no such Group in this tenant."))?;
    if not_modified(&headers, group.version) {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    Ok(resource_response(
        StatusCode::OK,
        projection.apply(group_document(&group, &caller.base_url)),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    caller: ScimCaller,
    body: Bytes,
) -> ScimResult<Response> {
    let input = parse_group(&json_body(&body)?)?;
    let group = state
        .db
        .create_group(caller.caller(), &input)
        .await
        .map_err(taken)?;
    Ok(resource_response(
        StatusCode::CREATED,
        group_document(&group, &caller.base_url),
    ))
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
    let input = parse_group(&json_body(&body)?)?;
    let group = state
        .db
        .replace_group(caller.caller(), id, &input, version)
        .await
        .map_err(taken)?;
    Ok(resource_response(
        StatusCode::OK,
        group_document(&group, &caller.base_url),
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
    let operations = patch::parse_request(&json_body(&body)?)?;
    for _ in 0..PATCH_ATTEMPTS {
        let group = state
            .db
            .group(caller.tenant_id, id)
            .await?
            .ok_or_else(|| ScimError::not_found("There is no such Group in this tenant."))?;
        if wanted.is_some_and(|version| version != group.version) {
            return Err(ScimError::stale());
        }
        let mut document = group_document(&group, &caller.base_url);
        patch::apply(&mut document, &operations, GROUP_ATTRIBUTES, GROUP_SCHEMA)?;
        let input = parse_group(&document)?;
        match state
            .db
            .replace_group(caller.caller(), id, &input, Some(group.version))
            .await
        {
            Ok(group) => {
                return Ok(resource_response(
                    StatusCode::OK,
                    group_document(&group, &caller.base_url),
                ))
            }
            Err(Refusal::Stale) if wanted.is_none() => continue,
            Err(refusal) => return Err(taken(refusal)),
        }
    }
    Err(ScimError::new(
        409,
        None,
        "The group kept changing while this PATCH was applied; send it again.",
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
        .delete_group(caller.caller(), id, if_match(&headers)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
