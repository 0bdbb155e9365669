//! What this SCIM service provider supports, as RFC 7644 §4 has it say: the configuration, the
//! resource types and the schemas, with the caller's tenant's OU codes as the choices of
//! `organizationUnit`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use super::{scim_response, ScimCaller};
use crate::domain::provisioning::schema::{resource_types as all_resource_types, SCHEMAS};
use crate::domain::provisioning::{
    schema::service_provider_config as config, ScimError, ScimResult, LIST_RESPONSE,
};
use crate::state::AppState;

fn list(resources: Vec<Value>) -> Response {
    scim_response(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_RESPONSE],
            "totalResults": resources.len(),
            "startIndex": 1,
            "itemsPerPage": resources.len(),
            "Resources": resources,
        }),
    )
}

pub async fn service_provider_config(caller: ScimCaller) -> Response {
    scim_response(StatusCode::OK, &config(&caller.base_url))
}

pub async fn resource_types(caller: ScimCaller) -> Response {
    list(all_resource_types(&caller.base_url))
}

pub async fn resource_type(caller: ScimCaller, Path(id): Path<String>) -> ScimResult<Response> {
    all_resource_types(&caller.base_url)
        .into_iter()
        .find(|resource_type| resource_type["id"] == id.as_str())
        .map(|resource_type| scim_response(StatusCode::OK, &resource_type))
        .ok_or_else(|| ScimError::not_found(format!("There is no resource type {id:?}.")))
}

async fn schema_documents(state: &AppState, caller: &ScimCaller) -> ScimResult<Vec<Value>> {
    let codes = state.db.org_unit_codes(caller.tenant_id).await?;
    Ok(SCHEMAS
        .iter()
        .map(|schema| schema.document(&caller.base_url, &codes))
        .collect())
}

pub async fn schemas(State(state): State<AppState>, caller: ScimCaller) -> ScimResult<Response> {
    Ok(list(schema_documents(&state, &caller).await?))
}

pub async fn schema(
    State(state): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
) -> ScimResult<Response> {
    schema_documents(&state, &caller)
        .await?
        .into_iter()
        .find(|schema| {
            schema["id"]
                .as_str()
                .is_some_and(|urn| urn.eq_ignore_ascii_case(&id))
        })
        .map(|schema| scim_response(StatusCode::OK, &schema))
        .ok_or_else(|| ScimError::not_found(format!("There is no schema {id:?}.")))
}
