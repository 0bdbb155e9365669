//! SSO-1: signing in through the tenant's OpenID Provider. The browser goes to the provider
//! from `/sso/{tenant}/start` and comes back to `/sso/callback`; both answers are redirects,
//! the last one to the app, signed in or with the outcome in `?sso=`.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::Redirect;
use axum::Json;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use pc_model::{
    ActivityKind, Problem, ProblemType, SsoOutcome, SsoProvider, SSO_OUTCOME_PARAMETER,
};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::client_address::ClientAddress;
use super::session::{session_cookie_of, start_session};
use crate::domain::metrics::SignInFailure;
use crate::domain::session::{now, random_token, token_hash};
use crate::domain::throttle;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::audit::AuditEvent;
use crate::storage::sso::StoredLogin;

/// The cookie that binds a sign-in begun to the browser that began it: an answer from the
/// provider brought to another browser (login CSRF) finds no sign-in.
const BINDING_COOKIE: &str = "pc_sso";
const CALLBACK_PATH: &str = "/api/sso/callback";
/// How long a person has at the provider.
const LOGIN_TTL_SECS: i64 = 10 * 60;

/// The tenants whose agents can sign in through their provider, for the sign-in page.
#[utoipa::path(get, path = "/sso/providers", tag = "session",
    responses((status = 200, body = Vec<SsoProvider>)))]
pub async fn providers(State(state): State<AppState>) -> ApiResult<Json<Vec<SsoProvider>>> {
    let providers = state.db.sso_providers().await?;
    Ok(Json(
        providers
            .into_iter()
            .map(|provider| SsoProvider {
                tenant: provider.tenant_code,
                display_name: provider.display_name,
            })
            .collect(),
    ))
}

/// Begins a sign-in through the tenant's provider: the browser is sent there.
#[utoipa::path(get, path = "/sso/{tenant}/start", tag = "session",
    params(("tenant" = String, Path, description = "The tenant's code")),
    responses(
        (status = 303, description = "To the provider's authorization endpoint (`code` flow, PKCE S256, `state`, `nonce`); or to the app with `?sso=failed` when the provider cannot be reached"),
        (status = 404, description = "No such tenant, or it has no provider", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn start(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    jar: CookieJar,
) -> ApiResult<(CookieJar, Redirect)> {
    let provider = state
        .db
        .sso_provider(&tenant)
        .await?
        .ok_or(ProblemType::NotFound)?;
    let redirect_uri = format!("{}{CALLBACK_PATH}", public_origin(&state, &headers)?);
    let begun = match state.providers.begin(&provider.config, &redirect_uri).await {
        Ok(begun) => begun,
        Err(failure) => {
            tracing::warn!(tenant, %failure, "single sign-on cannot begin");
            return Ok((jar, outcome_redirect(SsoOutcome::Failed)));
        }
    };
    let binding = random_token();
    let at = now();
    state
        .db
        .insert_sso_login(
            &token_hash(&begun.pending.state),
            &StoredLogin {
                tenant_id: provider.tenant_id,
                browser_hash: token_hash(&binding),
                pending: begun.pending,
                redirect_uri,
            },
            at + LOGIN_TTL_SECS,
            at,
        )
        .await?;
    let cookie = Cookie::build((BINDING_COOKIE, binding))
        .http_only(true)
        .path("/api/sso")
        // Sent on the provider's redirect back, a top-level navigation from its site.
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies)
        .max_age(time::Duration::seconds(LOGIN_TTL_SECS))
        .build();
    Ok((
        jar.add(cookie),
        Redirect::to(begun.authorization_url.as_str()),
    ))
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

/// The provider's answer: signed in and on to the app, or back to the sign-in page with why not.
#[utoipa::path(get, path = "/sso/callback", tag = "session",
    params(
        ("state" = Option<String>, Query, description = "The state the sign-in began with"),
        ("code" = Option<String>, Query, description = "The authorization code"),
        ("error" = Option<String>, Query, description = "The provider's refusal, e.g. access_denied"),
    ),
    responses((status = 303, description = "To the app: signed in (the session cookie is set), or with `?sso=` and the outcome (not-provisioned, expired, failed, throttled, cancelled)")))]
pub async fn callback(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    jar: CookieJar,
    Query(query): Query<CallbackQuery>,
) -> ApiResult<(CookieJar, Redirect)> {
    let binding = jar
        .get(BINDING_COOKIE)
        .map(|cookie| cookie.value().to_owned());
    let jar = jar.remove(Cookie::build(BINDING_COOKIE).path("/api/sso").build());
    let Some(sign_in_state) = query.state else {
        return Ok((jar, outcome_redirect(SsoOutcome::Expired)));
    };
    let login = state
        .db
        .take_sso_login(&token_hash(&sign_in_state), &sign_in_state, now())
        .await?;
    let bound = |login: &StoredLogin| {
        binding
            .as_deref()
            .is_some_and(|binding| bool::from(token_hash(binding).ct_eq(&login.browser_hash)))
    };
    let Some(login) = login.filter(bound) else {
        return Ok((jar, outcome_redirect(SsoOutcome::Expired)));
    };
    if let Some(error) = query.error {
        let outcome = if error == "access_denied" {
            SsoOutcome::Cancelled
        } else {
            tracing::warn!(error, "the identity provider refused the sign-in");
            SsoOutcome::Failed
        };
        return Ok((jar, outcome_redirect(outcome)));
    }
    let (Some(code), Some(provider)) =
        (query.code, state.db.sso_provider_of(login.tenant_id).await?)
    else {
        return Ok((jar, outcome_redirect(SsoOutcome::Failed)));
    };
    let identity = match state
        .providers
        .finish(&provider.config, &login.redirect_uri, &code, &login.pending)
        .await
    {
        Ok(identity) => identity,
        Err(failure) => {
            tracing::warn!(tenant = provider.tenant_code, %failure, "single sign-on refused");
            return Ok((jar, outcome_redirect(SsoOutcome::Failed)));
        }
    };

    // SEC-1: counted like a password sign-in, by the name the provider gave and the address.
    let account_key = throttle::account_key(&identity.agent_claim_value);
    let address_key = throttle::address_key(address);
    let limits = state.config.sign_in_limits();
    let attempted_at = state.clock.now();
    let throttled = state
        .db
        .change_sign_in_throttle(&account_key, &address_key, attempted_at, |records| {
            limits.attempt(records, attempted_at)
        })
        .await?;
    if throttled.is_some() {
        state.metrics.sign_in_failed(SignInFailure::Throttled);
        return Ok((jar, outcome_redirect(SsoOutcome::Throttled)));
    }
    let shown_address = ClientAddress(address).shown();
    let agent = state
        .db
        .sso_agent(
            provider.tenant_id,
            provider.config.matched_to,
            &identity.agent_claim_value,
        )
        .await?;
    let Some((agent_id, business_account)) = agent else {
        // Recorded as a failed sign-in of no one: the provider's name for a person who is not
        // an agent here is not kept.
        state
            .db
            .record_event(&AuditEvent {
                agent_id: None,
                business_account: "",
                at: now(),
                address: &shown_address,
                kind: ActivityKind::SignInFailed,
                changes: Vec::new(),
            })
            .await?;
        state.metrics.sign_in_failed(SignInFailure::Credentials);
        return Ok((jar, outcome_redirect(SsoOutcome::NotProvisioned)));
    };
    state
        .db
        .change_sign_in_throttle(&account_key, &address_key, attempted_at, |records| {
            (throttle::after_success(records), ())
        })
        .await?;
    let event = AuditEvent {
        agent_id: Some(agent_id),
        business_account: &business_account,
        at: now(),
        address: &shown_address,
        kind: ActivityKind::SignedIn,
        changes: Vec::new(),
    };
    let started = match start_session(&state, &headers, agent_id, &event).await {
        Ok(started) => started,
        // Deactivated between the match and the session.
        Err(ApiError::Problem(problem))
            if problem.problem_type == ProblemType::InvalidCredentials =>
        {
            return Ok((jar, outcome_redirect(SsoOutcome::NotProvisioned)));
        }
        Err(other) => return Err(other),
    };
    Ok((
        jar.add(session_cookie_of(&state.config, started.token)),
        Redirect::to("/"),
    ))
}

/// Back to the app's sign-in page, which says why.
fn outcome_redirect(outcome: SsoOutcome) -> Redirect {
    Redirect::to(&format!("/?{SSO_OUTCOME_PARAMETER}={}", outcome.code()))
}

/// Where browsers reach this server: `--public-url`, or the request's own host.
fn public_origin(state: &AppState, headers: &HeaderMap) -> ApiResult<String> {
    if let Some(url) = &state.config.public_url {
        return Ok(url.clone());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .filter(|host| !host.is_empty() && !host.contains(['/', '?', '#', '@', ' ']))
        .ok_or(ProblemType::NotFound)?;
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    Ok(format!("{scheme}://{host}"))
}
