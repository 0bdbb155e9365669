//! PRV: the SCIM 2.0 service provider at `/scim/v2` (RFC 7644) for the contact center's identity
//! provider. Every request carries a bearer token of one tenant and sees that tenant only;
//! every refusal is a SCIM error. SCIM describes itself (`/ServiceProviderConfig`,
//! `/ResourceTypes`, `/Schemas`), so these routes are not in the `/api` OpenAPI document.

mod discovery;
mod groups;
mod users;

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::client_address::ClientAddress;
use crate::domain::provisioning::filter::{self, Filter};
use crate::domain::provisioning::projection::Projection;
use crate::domain::provisioning::{
    entity_tag, version_matched, ScimError, ScimResult, ScimType, DEFAULT_COUNT, LIST_RESPONSE,
    MAX_RESULTS, MEDIA_TYPE, SEARCH_REQUEST,
};
use crate::domain::session::token_hash;
use crate::state::AppState;
use crate::storage::provisioning::Caller;
use crate::storage::Refusal;

/// SCIM bodies carry many members at once (a Group of a whole contact center).
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The routes, to be nested under `/scim/v2`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/Users", get(users::list).post(users::create))
        .route("/Users/.search", post(users::search))
        .route(
            "/Users/{id}",
            get(users::read)
                .put(users::replace)
                .patch(users::patch)
                .delete(users::delete),
        )
        .route("/Groups", get(groups::list).post(groups::create))
        .route("/Groups/.search", post(groups::search))
        .route(
            "/Groups/{id}",
            get(groups::read)
                .put(groups::replace)
                .patch(groups::patch)
                .delete(groups::delete),
        )
        .route("/.search", post(search_everything))
        .route(
            "/ServiceProviderConfig",
            get(discovery::service_provider_config),
        )
        .route("/ResourceTypes", get(discovery::resource_types))
        .route("/ResourceTypes/{id}", get(discovery::resource_type))
        .route("/Schemas", get(discovery::schemas))
        .route("/Schemas/{id}", get(discovery::schema))
        .fallback(|| async { ScimError::not_found("There is no such SCIM endpoint.") })
        .method_not_allowed_fallback(|| async {
            ScimError::new(405, None, "This endpoint does not take that method.")
        })
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = scim_response(status, &self.body());
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"scim\""),
            );
        }
        response
    }
}

/// A storage refusal as SCIM says it.
impl From<Refusal> for ScimError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Stale => ScimError::stale(),
            Refusal::NotFound => ScimError::not_found("There is no such resource in this tenant."),
            Refusal::Duplicate { field } => {
                ScimError::uniqueness(format!("{field}: the value is taken by another resource"))
            }
            Refusal::Invalid { field, reason } => {
                ScimError::invalid_value(format!("{field}: {reason}"))
            }
            Refusal::Unchangeable(reason) => ScimError::bad(ScimType::Mutability, reason),
            Refusal::Database(error) => error.into(),
        }
    }
}

/// A failure of the server itself: logged, and said without its details.
impl From<sqlx::Error> for ScimError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "SCIM request failed");
        ScimError::new(500, None, "The server could not do this; try again.")
    }
}

impl From<anyhow::Error> for ScimError {
    fn from(error: anyhow::Error) -> Self {
        tracing::error!(error = %format!("{error:#}"), "SCIM request failed");
        ScimError::new(500, None, "The server could not do this; try again.")
    }
}

fn scim_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, MEDIA_TYPE),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// A resource, with its version as the ETag (and its location, when just created).
fn resource_response(status: StatusCode, document: Value) -> Response {
    let mut response = scim_response(status, &document);
    let headers = response.headers_mut();
    if let Some(version) = document["meta"]["version"].as_str() {
        if let Ok(value) = HeaderValue::from_str(version) {
            headers.insert(header::ETAG, value);
        }
    }
    if status == StatusCode::CREATED {
        if let Some(location) = document["meta"]["location"].as_str() {
            if let Ok(value) = HeaderValue::from_str(location) {
                headers.insert(header::LOCATION, value);
            }
        }
    }
    response
}

/// Who asks: the tenant of the bearer token, from where (for the audit trail), and the base
/// URL the answers' locations start with.
pub struct ScimCaller {
    pub tenant_id: i64,
    pub address: String,
    pub base_url: String,
}

impl ScimCaller {
    pub fn caller(&self) -> Caller<'_> {
        Caller {
            tenant_id: self.tenant_id,
            address: &self.address,
        }
    }
}

impl FromRequestParts<AppState> for ScimCaller {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ScimError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| {
                value
                    .split_once(' ')
                    .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                    .map(|(_, token)| token.trim().to_owned())
            })
            .ok_or_else(ScimError::unauthorized)?;
        let tenant_id = state
            .db
            .scim_token_tenant(&token_hash(&token))
            .await?
            .ok_or_else(ScimError::unauthorized)?;
        let Ok(address) = ClientAddress::from_request_parts(parts, state).await;
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("localhost");
        let scheme = if state.config.secure_cookies {
            "https"
        } else {
            "http"
        };
        Ok(ScimCaller {
            tenant_id,
            address: address.shown(),
            base_url: format!("{scheme}://{host}/scim/v2"),
        })
    }
}

/// A request body: JSON, whatever its media type says (identity providers send
/// `application/json` as often as `application/scim+json`).
fn json_body(body: &Bytes) -> ScimResult<Value> {
    serde_json::from_slice(body).map_err(|error| {
        ScimError::bad(
            ScimType::InvalidSyntax,
            format!("the body is not JSON: {error}"),
        )
    })
}

/// The version an `If-Match` header names, if any.
fn if_match(headers: &HeaderMap) -> ScimResult<Option<i64>> {
    match headers.get(header::IF_MATCH).map(HeaderValue::to_str) {
        None => Ok(None),
        Some(Ok(value)) => version_matched(value),
        Some(Err(_)) => Err(ScimError::bad(
            ScimType::InvalidVersion,
            "If-Match is not a version this server gave",
        )),
    }
}

/// `If-None-Match` with the current version: the client has it already (304).
fn not_modified(headers: &HeaderMap, version: i64) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .split(',')
                .any(|tag| tag.trim() == entity_tag(version))
        })
}

/// The query of a list (RFC 7644 §3.4.2).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    filter: Option<String>,
    start_index: Option<String>,
    count: Option<String>,
    attributes: Option<String>,
    excluded_attributes: Option<String>,
}

/// The query of a list or a read; one that cannot be read is refused as SCIM refuses.
fn list_query(query: Result<Query<ListQuery>, QueryRejection>) -> ScimResult<ListQuery> {
    query
        .map(|Query(query)| query)
        .map_err(|rejection| ScimError::invalid_value(rejection.body_text()))
}

/// A list request, read from a query or a `.search` body.
pub struct ListRequest {
    filter: Option<Filter>,
    start_index: usize,
    count: usize,
    projection: Projection,
}

fn number(text: Option<&str>, name: &str) -> ScimResult<Option<i64>> {
    text.map(|text| {
        text.trim()
            .parse::<i64>()
            .map_err(|_| ScimError::invalid_value(format!("{name} {text:?} is not a whole number")))
    })
    .transpose()
}

impl ListRequest {
    fn from_query(query: &ListQuery) -> ScimResult<Self> {
        Self::new(
            query.filter.as_deref(),
            number(query.start_index.as_deref(), "startIndex")?,
            number(query.count.as_deref(), "count")?,
            Projection::from_query(
                query.attributes.as_deref(),
                query.excluded_attributes.as_deref(),
            ),
        )
    }

    /// From a `.search` body (RFC 7644 §3.4.3).
    fn from_search(body: &Value) -> ScimResult<Self> {
        let member = |name: &str| {
            body.as_object().and_then(|object| {
                object
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(name))
                    .map(|(_, value)| value.clone())
            })
        };
        let names_search = member("schemas").is_some_and(|schemas| {
            schemas.as_array().is_some_and(|list| {
                list.iter().any(|s| {
                    s.as_str()
                        .is_some_and(|s| s.eq_ignore_ascii_case(SEARCH_REQUEST))
                })
            })
        });
        if !names_search {
            return Err(ScimError::bad(
                ScimType::InvalidSyntax,
                format!("a search body names the schema {SEARCH_REQUEST}"),
            ));
        }
        let list = |name: &str| {
            member(name).map(|value| match value {
                Value::Array(items) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(","),
                Value::String(text) => text,
                _ => String::new(),
            })
        };
        let whole = |name: &str| -> ScimResult<Option<i64>> {
            match member(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Number(n)) => Ok(n.as_i64()),
                Some(Value::String(text)) => number(Some(&text), name),
                Some(_) => Err(ScimError::invalid_value(format!(
                    "{name} is a whole number"
                ))),
            }
        };
        Self::new(
            member("filter").as_ref().and_then(Value::as_str),
            whole("startIndex")?,
            whole("count")?,
            Projection::from_query(
                list("attributes").as_deref(),
                list("excludedAttributes").as_deref(),
            ),
        )
    }

    fn new(
        filter: Option<&str>,
        start_index: Option<i64>,
        count: Option<i64>,
        projection: Projection,
    ) -> ScimResult<Self> {
        Ok(ListRequest {
            filter: filter
                .filter(|text| !text.trim().is_empty())
                .map(filter::parse)
                .transpose()?,
            // RFC 7644 §3.4.2.4: below 1 counts as 1; a negative count as 0.
            start_index: start_index.unwrap_or(1).max(1) as usize,
            count: count
                .map_or(DEFAULT_COUNT, |count| count.max(0) as usize)
                .min(MAX_RESULTS),
            projection,
        })
    }

    /// The page of `documents` (each with whether the filter sees it) the request asks for.
    fn answer(&self, documents: Vec<(Value, Value)>) -> Response {
        let matching: Vec<Value> = documents
            .into_iter()
            .filter(|(for_filter, _)| {
                self.filter
                    .as_ref()
                    .is_none_or(|filter| matches_any(filter, for_filter))
            })
            .map(|(_, shown)| shown)
            .collect();
        let total = matching.len();
        let page: Vec<Value> = matching
            .into_iter()
            .skip(self.start_index - 1)
            .take(self.count)
            .map(|document| self.projection.apply(document))
            .collect();
        scim_response(
            StatusCode::OK,
            &json!({
                "schemas": [LIST_RESPONSE],
                "totalResults": total,
                "startIndex": self.start_index,
                "itemsPerPage": page.len(),
                "Resources": page,
            }),
        )
    }
}

/// Whether a document of either resource type matches the filter.
fn matches_any(filter: &Filter, document: &Value) -> bool {
    use crate::domain::provisioning::schema::{GROUP_ATTRIBUTES, USER_ATTRIBUTES};
    use crate::domain::provisioning::{GROUP_SCHEMA, USER_SCHEMA};
    let is_group = document["schemas"]
        .as_array()
        .is_some_and(|schemas| schemas.iter().any(|s| s == GROUP_SCHEMA));
    if is_group {
        filter::matches(filter, document, GROUP_ATTRIBUTES, GROUP_SCHEMA)
    } else {
        filter::matches(filter, document, USER_ATTRIBUTES, USER_SCHEMA)
    }
}

/// `POST /.search`: users and groups together.
async fn search_everything(
    State(state): State<AppState>,
    caller: ScimCaller,
    body: Bytes,
) -> ScimResult<Response> {
    let request = ListRequest::from_search(&json_body(&body)?)?;
    let mut documents = users::documents(&state, &caller, &request.projection).await?;
    documents.extend(groups::documents(&state, &caller).await?);
    Ok(request.answer(documents))
}

/// A path parameter that names no resource of ours is not found, like any other absent id.
fn resource_id(id: &str) -> ScimResult<i64> {
    id.parse()
        .map_err(|_| ScimError::not_found("There is no such resource in this tenant."))
}
