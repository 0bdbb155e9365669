//! JSON request bodies whose rejections are problems too, like every other API error.

use axum::extract::{FromRequest, Request};
use axum::Json;
use pc_model::{Problem, ProblemType};
use serde::de::DeserializeOwned;

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
            Err(rejection) => Err(ApiError::Problem(Problem {
                // 400, 413 (too large) or 415 (not JSON), as axum decided.
                status: rejection.status().as_u16(),
                ..Problem::new(ProblemType::MalformedRequest).with_detail(rejection.body_text())
            })),
        }
    }
}
