//! JSON request bodies, path parameters and query strings whose rejections are problems too,
//! like every other API error.

use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::Json;
use pc_model::{Problem, ProblemType};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::ApiError;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => {
                // Too large (413) and not JSON (415) keep their status; any body that is not
                // the expected JSON is a 400, so 422 stays the answer for rule breaks only.
                let status = match rejection.status().as_u16() {
                    status @ (413 | 415) => status,
                    _ => 400,
                };
                Err(ApiError::Problem(Problem {
                    status,
                    ..Problem::new(ProblemType::MalformedRequest).with_detail(rejection.body_text())
                }))
            }
        }
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
