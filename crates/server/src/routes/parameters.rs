//! SPEC §5: the signed-in agent's Agent Parameters: save, reset, sync to the cache the
//! telephony side reads, and read that cache back.

use axum::extract::State;
use axum::Json;
use pc_model::{
    ActivityKind, BatchAnswer, CachedParameter, FieldChange, ParameterBatch, ParameterId,
    ParameterVersion, ParametersPage, Problem, ProblemType, SaveParameter,
};

use super::extract::{ApiJson, ApiPath};
use super::signed_in::SignedIn;
use crate::domain::activity;
use crate::domain::parameters::{self, reset_outcomes, sync_entries, sync_outcomes};
use crate::domain::session::now;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::Refusal;

fn parameter_id(code: &str) -> ApiResult<ParameterId> {
    code.parse().map_err(|()| {
        ApiError::Problem(
            Problem::new(ProblemType::NotFound)
                .with_detail(format!("There is no agent parameter {code:?}.")),
        )
    })
}

/// All seven parameters: saved values, whether each is in the cache yet, the tenant values.
#[utoipa::path(get, path = "/me/parameters", tag = "me",
    responses(
        (status = 200, body = ParametersPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_parameters(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> ApiResult<Json<ParametersPage>> {
    Ok(Json(
        parameters::page(&state.db, &*state.parameter_cache, signed_in.agent_id()).await?,
    ))
}

/// Saves one parameter, if the parameters are still at the version the save names.
#[utoipa::path(put, path = "/me/parameters/{id}", tag = "me",
    request_body = SaveParameter,
    params(
        ("id" = ParameterId, Path, description = "The parameter, e.g. `callout_caller`"),
        ("x-csrf-token" = String, Header, description = "The session's CSRF token"),
    ),
    responses(
        (status = 200, description = "Saved (not yet synced); the table as it is now", body = ParametersPage),
        (status = 401, description = "Not signed in, or the session has expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing or wrong CSRF token, or sent from another site", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such parameter", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed elsewhere since `version`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The value at fault (field `value`), with the reason", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn save_parameter(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiPath(code): ApiPath<String>,
    ApiJson(save): ApiJson<SaveParameter>,
) -> ApiResult<Json<ParametersPage>> {
    let id = parameter_id(&code)?;
    save.validate(id).map_err(ApiError::invalid)?;
    let agent_id = signed_in.agent_id();
    let value = id.canonical(&save.value);
    let (stored, _) = state.db.parameters(agent_id).await?;
    let old = stored.get(&id).map_or(id.default_value(), String::as_str);
    let changes = activity::parameter_change(id, old, &value)
        .into_iter()
        .collect();
    state
        .db
        .save_parameter(
            agent_id,
            save.version,
            id,
            &value,
            &signed_in.event(ActivityKind::ParameterSaved, changes),
            signed_in.keeping(state.config.history_versions),
        )
        .await?;
    Ok(Json(
        parameters::page(&state.db, &*state.parameter_cache, agent_id).await?,
    ))
}

/// Restores the defaults of the named parameters, all or none.
#[utoipa::path(post, path = "/me/parameters/reset", tag = "me",
    request_body = ParameterBatch,
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token")),
    responses(
        (status = 200, description = "Each parameter's outcome and the table as it is now", body = BatchAnswer),
        (status = 401, description = "Not signed in, or the session has expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing or wrong CSRF token, or sent from another site", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed elsewhere since `version`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No parameter named (field `ids`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reset_parameters(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiJson(batch): ApiJson<ParameterBatch>,
) -> ApiResult<Json<BatchAnswer>> {
    batch.validate().map_err(ApiError::invalid)?;
    let agent_id = signed_in.agent_id();
    let ids = batch.distinct_ids();
    let before = state
        .db
        .reset_parameters(
            agent_id,
            batch.version,
            &ids,
            |before| {
                let changes = ids
                    .iter()
                    .filter_map(|id| {
                        let old = before.get(id).map_or(id.default_value(), String::as_str);
                        activity::parameter_change(*id, old, id.default_value())
                    })
                    .collect();
                signed_in.event(ActivityKind::ParametersReset, changes)
            },
            signed_in.keeping(state.config.history_versions),
        )
        .await?;
    Ok(Json(BatchAnswer {
        results: reset_outcomes(&before, &ids),
        page: parameters::page(&state.db, &*state.parameter_cache, agent_id).await?,
    }))
}

/// Puts the saved values of the named parameters into the cache the telephony side reads, all
/// or none, if the parameters are still at the version the agent saw.
#[utoipa::path(post, path = "/me/parameters/sync", tag = "me",
    request_body = ParameterBatch,
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token")),
    responses(
        (status = 200, description = "Each parameter's outcome and the table as it is now", body = BatchAnswer),
        (status = 401, description = "Not signed in, or the session has expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing or wrong CSRF token, or sent from another site", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed elsewhere since `version`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No parameter named (field `ids`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn sync_parameters(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiJson(batch): ApiJson<ParameterBatch>,
) -> ApiResult<Json<BatchAnswer>> {
    batch.validate().map_err(ApiError::invalid)?;
    let agent_id = signed_in.agent_id();
    let ids = batch.distinct_ids();
    let before = parameters::page(&state.db, &*state.parameter_cache, agent_id).await?;
    // The values pushed are the ones the agent saw: anything saved since is refused as stale.
    if before.version != batch.version {
        return Err(Refusal::Stale.into());
    }
    let entries = sync_entries(&before, &ids);
    let results = sync_outcomes(&before, &ids);
    state.parameter_cache.put(agent_id, &entries, now()).await?;
    // The cache may be outside the database (the telephony side's): recorded once it took.
    let synced = entries
        .iter()
        .map(|(id, value)| FieldChange {
            field: id.code().to_owned(),
            old: None,
            new: (!value.is_empty()).then(|| value.clone()),
        })
        .collect();
    state
        .db
        .record_event(&signed_in.event(ActivityKind::ParametersSynced, synced))
        .await?;
    Ok(Json(BatchAnswer {
        results,
        page: parameters::page(&state.db, &*state.parameter_cache, agent_id).await?,
    }))
}

/// What the cache that the telephony side reads holds for the agent.
#[utoipa::path(get, path = "/me/parameters/cache", tag = "me",
    responses(
        (status = 200, body = Vec<CachedParameter>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn cached_parameters(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> ApiResult<Json<Vec<CachedParameter>>> {
    Ok(Json(
        state.parameter_cache.read(signed_in.agent_id()).await?,
    ))
}

/// BEY-2: the agent's own saved versions that changed one parameter, newest first: when, from
/// where, its change and its value, to restore one into the parameter's editor.
#[utoipa::path(get, path = "/me/parameters/{id}/history", tag = "me",
    params(("id" = ParameterId, Path, description = "The parameter, e.g. `callout_caller`")),
    responses(
        (status = 200, body = Vec<ParameterVersion>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such parameter", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn parameter_history(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<Vec<ParameterVersion>>> {
    let id = parameter_id(&code)?;
    Ok(Json(
        state.db.parameter_history(signed_in.agent_id(), id).await?,
    ))
}
