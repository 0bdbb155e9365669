//! The signed-in agent's own identity: EMP-1 and AGT-1.

use axum::extract::State;
use axum::Json;
use pc_model::{AgentInfo, Employee, Problem, ProblemType};

use super::signed_in::SessionToken;
use crate::error::ApiResult;
use crate::state::AppState;

/// EMP-1: the signed-in agent's employee information.
#[utoipa::path(get, path = "/me/employee", tag = "me",
    responses(
        (status = 200, body = Employee),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn employee(
    State(state): State<AppState>,
    session: SessionToken,
) -> ApiResult<Json<Employee>> {
    let employee = state.db.employee(session.whose()).await?;
    Ok(Json(employee.ok_or(ProblemType::Unauthenticated)?))
}

/// AGT-1: the signed-in agent's agent information.
#[utoipa::path(get, path = "/me/agent", tag = "me",
    responses(
        (status = 200, body = AgentInfo),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn agent(
    State(state): State<AppState>,
    session: SessionToken,
) -> ApiResult<Json<AgentInfo>> {
    let agent = state.db.agent_info(session.whose()).await?;
    Ok(Json(agent.ok_or(ProblemType::Unauthenticated)?))
}
