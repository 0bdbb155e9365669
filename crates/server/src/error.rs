//! Every failure of an API request becomes an RFC 9457 problem.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use pc_model::{FieldError, Problem, ProblemType, Violation};

use crate::storage::Refusal;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{}", .0.title)]
    Problem(Problem),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    pub fn invalid(errors: Vec<FieldError>) -> Self {
        ApiError::Problem(Problem::invalid(errors))
    }
}

/// A failure of a service behind an interface (e.g. the parameter cache): logged, not shown.
impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        ApiError::Internal(format!("{error:#}"))
    }
}

impl From<ProblemType> for ApiError {
    fn from(problem_type: ProblemType) -> Self {
        ApiError::Problem(Problem::new(problem_type))
    }
}

/// Every refused change answers the same way, whichever area refused it.
impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Stale => ApiError::Problem(
                Problem::new(ProblemType::Stale)
                    .with_detail("Reload to see what is saved now, then make your change again."),
            ),
            // The work email is the only unique value an agent chooses (PER-3).
            Refusal::Duplicate { field } => {
                ApiError::invalid(vec![FieldError::new(field, Violation::EmailTaken)])
            }
            Refusal::NotFound => ProblemType::NotFound.into(),
            // Only provisioning refuses these, and it answers with SCIM errors of its own.
            refusal @ (Refusal::Invalid { .. } | Refusal::Unchangeable(_)) => {
                ApiError::Internal(refusal.to_string())
            }
            Refusal::Database(error) => error.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = match self {
            ApiError::Problem(problem) => problem,
            other => {
                // The agent gets a generic answer; the details go to the log only.
                tracing::error!(error = %other, "request failed");
                Problem::new(ProblemType::Internal)
            }
        };
        problem_response(&problem)
    }
}

pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(problem).unwrap_or_default();
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body,
    )
        .into_response();
    if let Some(seconds) = problem.retry_after_secs {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
    }
    response
}

pub type ApiResult<T> = Result<T, ApiError>;
