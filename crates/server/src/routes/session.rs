//! Sign in, see the current session, sign out.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use pc_model::{
    ActivityKind, Problem, ProblemType, SessionInfo, SignInMethod, SignInRequest, SignedOut,
    BEARER_TRANSPORT, SESSION_TRANSPORT_HEADER, SIGN_IN_PAGE, SSO_COMPLETE_PAGE,
};

use super::client_address::ClientAddress;
use super::extract::{ApiJson, ApiQuery};
use super::public_origin::public_origin;
use super::signed_in::{presented_token, SignedIn};
use crate::config::Config;
use crate::domain::metrics::SignInFailure;
use crate::domain::session::{now, random_token, token_hash, COOKIE_NAME};
use crate::domain::{password, throttle};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::audit::AuditEvent;
use crate::storage::sessions::{NewSession, SsoLink};
use crate::storage::sso::ProvidersOf;
use crate::storage::Refusal;

/// Sign in with business account and password.
#[utoipa::path(post, path = "/session", tag = "session",
    request_body = SignInRequest,
    params(("x-session-transport" = Option<String>, Header,
        description = "EMB-5: `bearer` asks for the session in the answer's `bearer_token` instead of a cookie, to be sent back as `Authorization: Bearer`; for a frame whose browser keeps no cookie of a cross-site frame")),
    responses(
        (status = 200, description = "Signed in; the session cookie is set, or with `x-session-transport: bearer` the answer carries `bearer_token`", body = SessionInfo),
        (status = 401, description = "Wrong business account or password", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Sent from another site", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or too long", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "SEC-1: too many failed sign-ins for this business account or from this address; even the right password is refused until `retry_after_secs` (also `Retry-After`) have passed",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    jar: CookieJar,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SignInRequest>,
) -> ApiResult<(CookieJar, Json<SessionInfo>)> {
    request.validate().map_err(ApiError::invalid)?;
    // SEC-1: counted before the password is checked, and refused alike for every account.
    let account_key = throttle::account_key(&request.business_account);
    let address_key = throttle::address_key(address);
    let limits = state.config.sign_in_limits();
    let attempted_at = state.clock.now();
    let refused = state
        .db
        .change_sign_in_throttle(&account_key, &address_key, attempted_at, |records| {
            limits.attempt(records, attempted_at)
        })
        .await?;
    let account = request.business_account.trim();
    let shown_address = ClientAddress(address).shown();
    // What was typed for an unknown account is not kept: it may be a password typed into the
    // wrong field.
    let event = |agent_id: Option<i64>, kind| AuditEvent {
        agent_id,
        business_account: if agent_id.is_some() { account } else { "" },
        at: now(),
        address: &shown_address,
        kind,
        changes: Vec::new(),
    };
    if let Some(refused) = refused {
        state.metrics.sign_in_failed(SignInFailure::Throttled);
        if refused.lock_began {
            let agent_id = state.db.credentials(account).await?.map(|c| c.agent_id);
            state
                .db
                .record_event(&event(agent_id, ActivityKind::SignInPaused))
                .await?;
        }
        let wait = refused.wait_secs;
        return Err(ApiError::Problem(Problem {
            retry_after_secs: Some(wait),
            ..Problem::new(ProblemType::TooManyRequests).with_detail(format!(
                "Too many failed sign-ins. Try again in {wait} seconds."
            ))
        }));
    }
    let credentials = state.db.credentials(account).await?;
    let hash = credentials.as_ref().and_then(|c| c.password_hash.clone());
    let typed = request.password.clone();
    let verified = password::run_limited(&state.password_checks, move || {
        password::verify(&typed, hash.as_deref())
    })
    .await?;
    let agent_id = match credentials {
        Some(c) if verified => c.agent_id,
        // Recorded alike for a wrong password and an unknown account, so that neither answers
        // faster; only the first shows in an agent's activity.
        other => {
            let agent_id = other.map(|c| c.agent_id);
            state
                .db
                .record_event(&event(agent_id, ActivityKind::SignInFailed))
                .await?;
            state.metrics.sign_in_failed(SignInFailure::Credentials);
            return Err(ProblemType::InvalidCredentials.into());
        }
    };
    state
        .db
        .change_sign_in_throttle(&account_key, &address_key, attempted_at, |records| {
            (throttle::after_success(records), ())
        })
        .await?;

    let started = start_session(
        &state,
        &headers,
        agent_id,
        None,
        &event(Some(agent_id), ActivityKind::SignedIn),
    )
    .await?;
    let (jar, info) = answer_with_session(
        &state.config,
        &headers,
        jar,
        request.business_account.trim(),
        SignInMethod::Password,
        started,
    );
    Ok((jar, Json(info)))
}

/// A session begun for an agent whose identity was checked.
pub(super) struct StartedSession {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: i64,
}

/// Starts a session for an agent whose identity was checked (a password, or the OpenID
/// Provider's ID token), recording `event`; a browser signing in again (another tab, the Back
/// button) leaves no older session behind.
pub(super) async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    agent_id: i64,
    sso: Option<&SsoLink>,
    event: &AuditEvent<'_>,
) -> ApiResult<StartedSession> {
    if let Some(old) = presented_token(headers) {
        state.db.delete_session(&token_hash(&old)).await?;
    }
    let token = random_token();
    let csrf_token = random_token();
    let created_at = now();
    let expires_at = created_at + state.config.session_ttl_secs;
    state
        .db
        .insert_session(
            &NewSession {
                token_hash: &token_hash(&token),
                agent_id,
                csrf_token: &csrf_token,
                created_at,
                expires_at,
                sso,
            },
            event,
        )
        .await
        .map_err(|refusal| match refusal {
            Refusal::NotFound => ProblemType::InvalidCredentials.into(),
            other => ApiError::from(other),
        })?;
    state.db.delete_expired_sessions(created_at).await?;
    Ok(StartedSession {
        token,
        csrf_token,
        expires_at,
    })
}

/// EMB-5: the answer that hands a started session to the browser: a cookie, or with
/// `x-session-transport: bearer` the token in the answer.
pub(super) fn answer_with_session(
    config: &Config,
    headers: &HeaderMap,
    jar: CookieJar,
    business_account: &str,
    sign_in_method: SignInMethod,
    started: StartedSession,
) -> (CookieJar, SessionInfo) {
    let info = |bearer_token| SessionInfo {
        business_account: business_account.to_owned(),
        csrf_token: started.csrf_token,
        expires_at: started.expires_at,
        bearer_token,
        sign_in_method,
    };
    let bearer = headers
        .get(SESSION_TRANSPORT_HEADER)
        .is_some_and(|transport| {
            transport
                .as_bytes()
                .eq_ignore_ascii_case(BEARER_TRANSPORT.as_bytes())
        });
    if bearer {
        return (jar, info(Some(started.token)));
    }
    let cookie = session_cookie_of(config, started.token.clone());
    (jar.add(cookie), info(None))
}

/// The session cookie carrying `token`, for as long as a session lasts.
pub(super) fn session_cookie_of(config: &Config, token: String) -> Cookie<'static> {
    let mut cookie = session_cookie(config, token);
    cookie.set_max_age(time_duration(config.session_ttl_secs));
    cookie
}

/// The current session, with the CSRF token the app must send on every change.
#[utoipa::path(get, path = "/session", tag = "session",
    responses(
        (status = 200, body = SessionInfo),
        (status = 401, description = "Not signed in or expired", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn current_session(signed_in: SignedIn) -> Json<SessionInfo> {
    Json(SessionInfo {
        business_account: signed_in.session.business_account,
        csrf_token: signed_in.session.csrf_token,
        expires_at: signed_in.session.expires_at,
        bearer_token: None,
        sign_in_method: if signed_in.session.sso_issuer.is_some() {
            SignInMethod::Sso
        } else {
            SignInMethod::Password
        },
    })
}

/// Sign out: the session ends on the server and the cookie is removed. A session begun through
/// the tenant's identity provider is answered with where the browser signs out there too
/// (OpenID Connect RP-Initiated Logout), when the provider offers it.
#[utoipa::path(delete, path = "/session", tag = "session",
    params(("x-csrf-token" = String, Header, description = "The session's CSRF token"),
        ("in_popup" = Option<bool>, Query, description = "SSO-8: the provider's sign-out will be shown in a popup (the app is framed); it then comes back to /sso-complete.html, else to /sign-in")),
    responses(
        (status = 200, description = "Signed out here; the browser goes on to the provider's sign-out", body = SignedOut),
        (status = 204, description = "Signed out"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing or wrong CSRF token, or sent from another site", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn sign_out(
    State(state): State<AppState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<SignOutQuery>,
    jar: CookieJar,
) -> ApiResult<(CookieJar, Response)> {
    state
        .db
        .end_session(
            &signed_in.token_hash,
            &signed_in.event(ActivityKind::SignedOut, Vec::new()),
        )
        .await?;
    let jar = jar.remove(session_cookie(&state.config, String::new()));
    let Some(issuer) = &signed_in.session.sso_issuer else {
        return Ok((jar, StatusCode::NO_CONTENT.into_response()));
    };
    let provider = state
        .db
        .sso_provider(ProvidersOf::AgentsTenant(signed_in.agent_id()))
        .await?
        .filter(|provider| &provider.config.issuer == issuer);
    let back_to = if query.in_popup.unwrap_or(false) {
        SSO_COMPLETE_PAGE
    } else {
        SIGN_IN_PAGE
    };
    let back_to = format!("{}{back_to}", public_origin(&state, &headers)?);
    let end_session_url = match provider {
        Some(provider) => {
            state
                .providers
                .end_session_url(&provider.config, &back_to)
                .await
        }
        None => None,
    };
    Ok(match end_session_url {
        Some(url) => (
            jar,
            Json(SignedOut {
                end_session_url: url.to_string(),
            })
            .into_response(),
        ),
        None => (jar, StatusCode::NO_CONTENT.into_response()),
    })
}

#[derive(serde::Deserialize)]
pub struct SignOutQuery {
    in_popup: Option<bool>,
}

/// EMB-5: the session cookie. Standalone, or framed by a page of the same site, `SameSite=Strict`.
/// With workbench origins configured (`--frame-ancestors`), the app usually runs in an iframe on
/// another site, where browsers send back only a partitioned cookie (CHIPS): `SameSite=None;
/// Secure; Partitioned`, kept apart for each top-level site, so no other site's frame can use
/// it. Changes stay protected by the CSRF token and by the refusal of cross-site writes.
fn session_cookie(config: &Config, value: String) -> Cookie<'static> {
    let cookie = Cookie::build((COOKIE_NAME, value))
        .http_only(true)
        .path("/");
    let cookie = if config.frame_ancestors.is_empty() {
        cookie
            .same_site(SameSite::Strict)
            .secure(config.secure_cookies)
    } else {
        cookie
            .same_site(SameSite::None)
            .secure(true)
            .partitioned(true)
    };
    cookie.build()
}

fn time_duration(secs: i64) -> time::Duration {
    time::Duration::seconds(secs)
}
