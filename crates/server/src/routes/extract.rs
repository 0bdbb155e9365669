//! JSON request bodies, path parameters and query strings whose rejections are problems too,
//! like every other API error.

use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::Json;
use pc_model::{Problem, ProblemType};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::error::ApiError;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let Json(body) =
            Json::<Value>::from_request(request, state)
                .await
                .map_err(|rejection| {
                    // Too large (413) and not JSON (415) keep their status; any body that is not
                    // JSON is a 400, so 422 stays the answer for rule breaks only.
                    let status = match rejection.status().as_u16() {
                        status @ (413 | 415) => status,
                        _ => 400,
                    };
                    malformed(status, rejection.body_text())
                })?;
        serde_path_to_error::deserialize(integral_numbers_as_integers(body))
            .map(ApiJson)
            .map_err(|error| {
                malformed(
                    400,
                    format!("Failed to deserialize the JSON body into the target type: {error}"),
                )
            })
    }
}

fn malformed(status: u16, detail: String) -> ApiError {
    ApiError::Problem(Problem {
        status,
        ..Problem::new(ProblemType::MalformedRequest).with_detail(detail)
    })
}

/// JSON Schema counts `17.0` as an integer, and so a client generated from the OpenAPI document
/// may send it; serde would refuse it for an integer field.
fn integral_numbers_as_integers(value: Value) -> Value {
    match value {
        Value::Number(number) if !number.is_i64() && !number.is_u64() => match number.as_f64() {
            Some(float) if float.fract() == 0.0 && float.abs() < 2f64.powi(63) => {
                Value::from(float as i64)
            }
            _ => Value::Number(number),
        },
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(integral_numbers_as_integers)
                .collect(),
        ),
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(name, member)| (name, integral_numbers_as_integers(member)))
                .collect(),
        ),
        other => other,
    }
}

/// A path parameter of the expected type, else a 400 problem (axum's own answer is plain text).
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    T: for<'de> Deserialize<'de> + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => Err(ApiError::Problem(
                Problem::new(ProblemType::MalformedRequest).with_detail(rejection.body_text()),
            )),
        }
    }
}

/// A query string of the expected shape, else a 400 problem (axum's own answer is plain text).
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: for<'de> Deserialize<'de>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(ApiError::Problem(
                Problem::new(ProblemType::MalformedRequest).with_detail(rejection.body_text()),
            )),
        }
    }
}
