//! BEY-1: what a customer sees of the signed-in agent, from the saved settings.

use axum::extract::State;
use axum::Json;
use pc_model::customer_view::customer_view;
use pc_model::{CustomerView, FieldError, Problem, Violation};
use serde::Deserialize;

use super::extract::ApiQuery;
use super::signed_in::SignedIn;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::Whose;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AtHour {
    /// The hour (0–23) at which the customer starts the session.
    #[param(minimum = 0, maximum = 23)]
    hour: i64,
}

/// The chat name and avatar, the greeting a session started at `hour` receives, and the email
/// signature in effect — by the same rules as the app's live preview (`pc_model::customer_view`).
#[utoipa::path(get, path = "/me/customer-view", tag = "me",
    params(AtHour),
    responses(
        (status = 200, body = CustomerView),
        (status = 422, description = "The hour is not 0–23 (field `hour`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_customer_view(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiQuery(AtHour { hour }): ApiQuery<AtHour>,
) -> ApiResult<Json<CustomerView>> {
    let hour = u8::try_from(hour)
        .ok()
        .filter(|hour| *hour < 24)
        .ok_or_else(|| {
            ApiError::invalid(vec![FieldError::new(
                "hour",
                Violation::OutOfRange { min: 0, max: 23 },
            )])
        })?;
    let page = state
        .db
        .settings_page(Whose::Agent(signed_in.agent_id()))
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    Ok(Json(customer_view(&page.settings, &page.context, hour)))
}
