//! AGT-4: Reset Softphone Password, with a verification code by SMS or email when the tenant
//! asks for one. The password is stored only as an argon2id hash and never returned.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use pc_model::softphone_password::{
    mask_destination, CODE_RESEND_SECS, CODE_TRIES_MAX, CODE_VALID_SECS,
};
use pc_model::{
    ActivityKind, CodeDelivery, CodeDeliveryState, CodeSent, FieldError, PasswordResetContext,
    Problem, ProblemType, ResetSoftphonePassword, TwoFactorMethod, Violation,
};

use super::extract::ApiJson;
use super::signed_in::SignedIn;
use crate::domain::metrics::CodeOutcome;
use crate::domain::notifier::{Channel, Message};
use crate::domain::session::now;
use crate::domain::verification::{
    self, code_hash, code_matches, new_code, new_salt, send_refused_for,
};
use crate::domain::{password, softphone};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::outbox::OutboxState;
use crate::storage::verification::NewCode;
use crate::storage::Refusal;

fn refused(field: &str, violation: Violation) -> ApiError {
    ApiError::invalid(vec![FieldError::new(field, violation)])
}

/// Whether the reset needs a verification code, and how it is sent.
#[utoipa::path(get, path = "/me/agent/softphone-password", tag = "me",
    responses(
        (status = 200, body = PasswordResetContext),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reset_context(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> ApiResult<Json<PasswordResetContext>> {
    Ok(Json(
        verification::reset_context(&state.db, signed_in.agent_id()).await?,
    ))
}

/// Sends a verification code to the agent's mobile (SMS) or email, as the tenant configures.
/// At most one a minute and ten an hour; a refusal says when to try again.
#[utoipa::path(post, path = "/me/agent/softphone-password/code", tag = "me",
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token")),
    responses(
        (status = 200, description = "Sent; where to (masked)", body = CodeSent),
        (status = 401, description = "Not signed in, or the session has expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing or wrong CSRF token, or sent from another site", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The tenant uses no verification codes", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No mobile or email to send to (field `code`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too soon; `retry_after_secs` and `Retry-After` say when", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn send_code(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> ApiResult<Json<CodeSent>> {
    let agent_id = signed_in.agent_id();
    let target = state.db.code_destination(agent_id).await?;
    let method = target.method();
    let (channel, destination) = match method {
        TwoFactorMethod::None => {
            return Err(ApiError::Problem(
                Problem::new(ProblemType::NotFound).with_detail(
                    "Your tenant does not use verification codes for softphone passwords.",
                ),
            ))
        }
        TwoFactorMethod::Sms => (Channel::Sms, target.mobile.unwrap_or_default()),
        TwoFactorMethod::Email => (Channel::Email, target.email),
    };
    if destination.trim().is_empty() {
        return Err(refused("code", Violation::NoDestination));
    }
    let now = now();
    let code = new_code();
    let salt = new_salt();
    let message = Message {
        agent_id,
        channel,
        destination: destination.clone(),
        body: format!(
            "Your softphone password verification code is {code}. It is valid for 5 minutes."
        ),
    };
    let deliver = state.gateways.for_channel(channel).is_some();
    let refused = state
        .db
        .store_code_unless_refused(
            NewCode {
                salt: &salt,
                code_hash: &code_hash(&salt, &code),
                created_at: now,
                expires_at: now + CODE_VALID_SECS,
            },
            &message,
            deliver,
            now - 3600,
            |sent_in_last_hour| send_refused_for(sent_in_last_hour, now),
        )
        .await?;
    if let Some(wait) = refused {
        let wait = u64::try_from(wait).unwrap_or(1);
        return Err(ApiError::Problem(Problem {
            retry_after_secs: Some(wait),
            ..Problem::new(ProblemType::TooManyRequests).with_detail(format!(
                "A code can be sent once a minute and ten times an hour. Try again in {wait} seconds."
            ))
        }));
    }
    if deliver {
        state.outbox_written.notify_one();
    } else {
        state.metrics.code(channel, CodeOutcome::Recorded);
        tracing::info!(
            agent_id,
            channel = channel.code(),
            destination = %message.destination,
            body = %message.body,
            "outbox: message recorded (no gateway for the channel, nothing is delivered)"
        );
    }
    Ok(Json(CodeSent {
        channel: method,
        destination: mask_destination(&destination),
        resend_after_secs: CODE_RESEND_SECS,
        expires_in_secs: CODE_VALID_SECS,
    }))
}

/// How the message with the agent's newest verification code is getting on: the app asks
/// after Send Code until it is sent or failed.
#[utoipa::path(get, path = "/me/agent/softphone-password/code", tag = "me",
    responses(
        (status = 200, body = CodeDelivery),
        (status = 401, description = "Not signed in, or the session has expired", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn code_delivery(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> ApiResult<Json<CodeDelivery>> {
    let delivery = state.db.newest_code_delivery(signed_in.agent_id()).await?;
    Ok(Json(CodeDelivery {
        state: delivery.map(|delivery| match delivery {
            OutboxState::Pending => CodeDeliveryState::Pending,
            // Without a gateway, recording is all the sending there is (the demo).
            OutboxState::Sent | OutboxState::Recorded => CodeDeliveryState::Sent,
            OutboxState::Failed => CodeDeliveryState::Failed,
        }),
    }))
}

/// Sets a new softphone password, with the verification code when the tenant asks for one.
#[utoipa::path(put, path = "/me/agent/softphone-password", tag = "me",
    request_body = ResetSoftphonePassword,
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token")),
    responses(
        (status = 204, description = "The new password is set"),
        (status = 401, description = "Not signed in, or the session has expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing or wrong CSRF token, or sent from another site", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The fields at fault (`password`, `confirmation`, `code`), with the reason", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reset_password(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiJson(reset): ApiJson<ResetSoftphonePassword>,
) -> ApiResult<StatusCode> {
    let agent_id = signed_in.agent_id();
    let method = state.db.code_destination(agent_id).await?.method();
    reset.validate(method).map_err(ApiError::invalid)?;
    let code_id = if method == TwoFactorMethod::None {
        None
    } else {
        let tries_max = CODE_TRIES_MAX as i64;
        let live = state
            .db
            .live_code(agent_id, now(), tries_max)
            .await?
            .ok_or_else(|| refused("code", Violation::CodeExpired))?;
        if !code_matches(&live.salt, &live.code_hash, &reset.code) {
            let tries = state.db.count_wrong_try(live.id).await?;
            let tries_left = usize::try_from(tries_max - tries).unwrap_or(0);
            return Err(refused(
                "code",
                if tries_left == 0 {
                    Violation::CodeExpired
                } else {
                    Violation::WrongCode { tries_left }
                },
            ));
        }
        Some(live.id)
    };
    let softphone = state.db.softphone_record(agent_id).await?;
    let sip_credential = softphone::credential(&softphone.user, &softphone.domain, &reset.password);
    let typed = reset.password.clone();
    let hash =
        password::run_limited(&state.password_checks, move || password::hash(&typed)).await?;
    state
        .db
        .use_code_and_set_password(
            agent_id,
            code_id,
            &hash,
            sip_credential.as_ref(),
            // What changed is a secret: the event says only that it did.
            &signed_in.event(ActivityKind::SoftphonePasswordReset, Vec::new()),
        )
        .await
        .map_err(|refusal| match refusal {
            // Used by a request at the same time: for this agent, the code is spent.
            Refusal::Stale => refused("code", Violation::CodeExpired),
            other => other.into(),
        })?;
    Ok(StatusCode::NO_CONTENT)
}
