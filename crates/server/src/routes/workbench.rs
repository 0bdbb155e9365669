//! EMB-1: what the app needs to know to talk to the workbench that frames it.

use axum::extract::State;
use axum::Json;
use pc_model::WorkbenchSettings;

use crate::state::AppState;

/// The workbench origins allowed to frame the app (the same list as CSP `frame-ancestors`);
/// the app accepts messages only from them and posts only to them. No session needed: the
/// list is in every page's headers already.
#[utoipa::path(get, path = "/workbench", tag = "workbench",
    responses((status = 200, body = WorkbenchSettings)))]
pub async fn workbench_settings(State(state): State<AppState>) -> Json<WorkbenchSettings> {
    Json(WorkbenchSettings {
        origins: state.config.frame_ancestors.clone(),
    })
}
