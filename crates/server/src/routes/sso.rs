//! SSO-1: signing in through the tenant's OpenID Provider. The browser goes to the provider
//! from `/sso/{tenant}/start` and comes back to `/sso/callback`; both answers are redirects,
//! the last one to the app, signed in or with the outcome in `?sso=`.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Redirect;
use axum::Json;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use pc_model::{
    is_sso_handle, ActivityKind, Problem, ProblemType, SignInMethod, SsoOutcome, SsoProvider,
    SsoRedeem, SsoRedeemed, SIGN_IN_PAGE, SSO_COMPLETE_PAGE, SSO_OUTCOME_PARAMETER,
};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::client_address::ClientAddress;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::public_origin::public_origin;
use super::session::{answer_with_session, session_cookie_of, start_session};
use crate::domain::metrics::SignInFailure;
use crate::domain::oidc::claimed_issuer;
use crate::domain::session::{now, random_token, token_hash};
use crate::domain::throttle;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::audit::AuditEvent;
use crate::storage::sessions::SsoLink;
use crate::storage::sso::{ProvidersOf, StoredLogin, TicketKey, TicketOutcome};

/// The cookie that binds a sign-in begun to the browser that began it: an answer from the
/// provider brought to another browser (login CSRF) finds no sign-in.
const BINDING_COOKIE: &str = "pc_sso";
const CALLBACK_PATH: &str = "/api/sso/callback";
/// How long a person has at the provider.
const LOGIN_TTL_SECS: i64 = 10 * 60;
/// How long a popup's outcome waits for the framed app to take it.
const TICKET_TTL_SECS: i64 = 2 * 60;

/// The tenants whose agents can sign in through their provider, for the sign-in page.
#[utoipa::path(get, path = "/sso/providers", tag = "session",
    responses((status = 200, body = Vec<SsoProvider>)))]
pub async fn providers(State(state): State<AppState>) -> ApiResult<Json<Vec<SsoProvider>>> {
    let providers = state.db.sso_providers(ProvidersOf::All).await?;
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
    params(("tenant" = String, Path, description = "The tenant's code"),
        ("popup" = Option<String>, Query, pattern = "^[A-Za-z0-9_-]{32,128}$", description = "Opened as a popup by the framed app: the handle it made (32 to 128 URL-safe characters), by which it takes the outcome from `POST /sso/redeem`")),
    responses(
        (status = 303, description = "To the provider's authorization endpoint (`code` flow, PKCE S256, `state`, `nonce`); or to the app with `?sso=failed` when the provider cannot be reached"),
        (status = 404, description = "No such tenant, or it has no provider", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "A malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The popup handle is not one", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn start(
    State(state): State<AppState>,
    ApiPath(tenant): ApiPath<String>,
    ApiQuery(query): ApiQuery<StartQuery>,
    headers: HeaderMap,
    jar: CookieJar,
) -> ApiResult<(CookieJar, Redirect)> {
    let handle_hash = match query.popup {
        Some(handle) if is_sso_handle(&handle) => Some(token_hash(&handle)),
        Some(_) => {
            return Err(ApiError::Problem(
                Problem::new(ProblemType::Validation)
                    .with_detail("popup: not a handle of 32 to 128 URL-safe characters"),
            ))
        }
        None => None,
    };
    let provider = state
        .db
        .sso_provider(ProvidersOf::TenantCode(&tenant))
        .await?
        .ok_or(ProblemType::NotFound)?;
    let redirect_uri = format!("{}{CALLBACK_PATH}", public_origin(&state, &headers)?);
    let begun = match state.providers.begin(&provider.config, &redirect_uri).await {
        Ok(begun) => begun,
        Err(failure) => {
            tracing::warn!(tenant, %failure, "single sign-on cannot begin");
            let redirect = match &handle_hash {
                Some(handle_hash) => popup_outcome(&state, handle_hash, SsoOutcome::Failed).await?,
                None => outcome_redirect(SsoOutcome::Failed),
            };
            return Ok((jar, redirect));
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
                handle_hash,
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
pub struct StartQuery {
    popup: Option<String>,
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

/// The provider's answer: signed in and on to the app, or back to the sign-in page with why
/// not; in a popup, the outcome kept for the framed app.
#[utoipa::path(get, path = "/sso/callback", tag = "session",
    params(
        ("state" = Option<String>, Query, description = "The state the sign-in began with"),
        ("code" = Option<String>, Query, description = "The authorization code"),
        ("error" = Option<String>, Query, description = "The provider's refusal, e.g. access_denied"),
    ),
    responses(
        (status = 400, description = "A malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 303, description = "Begun by the page: to the app, signed in (the session cookie is set), or to `/sign-in?sso=` and the outcome (not-provisioned, expired, failed, throttled, cancelled). Begun in a popup: to `/sso-complete.html#ticket=…` or `#outcome=…`, which the popup hands to the framed app that opened it"),
    ))]
pub async fn callback(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    jar: CookieJar,
    ApiQuery(query): ApiQuery<CallbackQuery>,
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
    let identified = match query.error {
        Some(error) if error == "access_denied" => Err(SsoOutcome::Cancelled),
        Some(error) => {
            tracing::warn!(error, "the identity provider refused the sign-in");
            Err(SsoOutcome::Failed)
        }
        None => identify(&state, address, &login, query.code.as_deref()).await?,
    };
    let Some(handle_hash) = &login.handle_hash else {
        return match identified {
            Ok(agent) => {
                let shown_address = ClientAddress(address).shown();
                let event = signed_in(agent.agent_id, &agent.business_account, &shown_address);
                match start_session(&state, &headers, agent.agent_id, Some(&agent.sso), &event)
                    .await
                {
                    Ok(started) => Ok((
                        jar.add(session_cookie_of(&state.config, started.token)),
                        Redirect::to("/"),
                    )),
                    Err(error) if deactivated_meanwhile(&error) => {
                        Ok((jar, outcome_redirect(SsoOutcome::NotProvisioned)))
                    }
                    Err(other) => Err(other),
                }
            }
            Err(outcome) => Ok((jar, outcome_redirect(outcome))),
        };
    };
    let redirect = match identified {
        Ok(agent) => {
            let ticket = random_token();
            let at = now();
            state
                .db
                .insert_sso_ticket(
                    handle_hash,
                    Ok((&token_hash(&ticket), agent.agent_id, &agent.sso)),
                    at + TICKET_TTL_SECS,
                    at,
                )
                .await?;
            Redirect::to(&format!("{SSO_COMPLETE_PAGE}#ticket={ticket}"))
        }
        Err(outcome) => popup_outcome(&state, handle_hash, outcome).await?,
    };
    Ok((jar, redirect))
}

/// Who signed in at the provider, as an agent of this tenant who may sign in: the code
/// redeemed, the ID token checked, the sign-in throttled (SEC-1) and audited (SEC-4) like a
/// password sign-in.
async fn identify(
    state: &AppState,
    address: Option<std::net::IpAddr>,
    login: &StoredLogin,
    code: Option<&str>,
) -> ApiResult<Result<SignedInAgent, SsoOutcome>> {
    let (Some(code), Some(provider)) = (
        code,
        state
            .db
            .sso_provider(ProvidersOf::Tenant(login.tenant_id))
            .await?,
    ) else {
        return Ok(Err(SsoOutcome::Failed));
    };
    let identity = match state
        .providers
        .finish(&provider.config, &login.redirect_uri, code, &login.pending)
        .await
    {
        Ok(identity) => identity,
        Err(failure) => {
            tracing::warn!(tenant = provider.tenant_code, %failure, "single sign-on refused");
            return Ok(Err(SsoOutcome::Failed));
        }
    };
    // Counted by the name the provider gave and the address.
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
        return Ok(Err(SsoOutcome::Throttled));
    }
    let agent = state
        .db
        .sso_agent(
            provider.tenant_id,
            provider.config.matched_to,
            &identity.agent_claim_value,
        )
        .await?;
    let Some(agent) = agent else {
        // A failed sign-in of no one: the provider's name for a person who is not an agent
        // here is not kept.
        let shown_address = ClientAddress(address).shown();
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
        return Ok(Err(SsoOutcome::NotProvisioned));
    };
    state
        .db
        .change_sign_in_throttle(&account_key, &address_key, attempted_at, |records| {
            (throttle::after_success(records), ())
        })
        .await?;
    let (agent_id, business_account) = agent;
    Ok(Ok(SignedInAgent {
        agent_id,
        business_account,
        sso: SsoLink {
            issuer: provider.config.issuer.clone(),
            subject: identity.subject,
            session_id: identity.session_id,
        },
    }))
}

/// An agent the provider signed in, with who and where the provider says they are.
struct SignedInAgent {
    agent_id: i64,
    business_account: String,
    sso: SsoLink,
}

/// The audit event (SEC-4) of an agent's sign-in through the provider.
fn signed_in<'a>(agent_id: i64, business_account: &'a str, address: &'a str) -> AuditEvent<'a> {
    AuditEvent {
        agent_id: Some(agent_id),
        business_account,
        at: now(),
        address,
        kind: ActivityKind::SignedIn,
        changes: Vec::new(),
    }
}

/// The agent was deactivated or deleted between the match and the session (PRV-5).
fn deactivated_meanwhile(error: &ApiError) -> bool {
    matches!(error, ApiError::Problem(problem) if problem.problem_type == ProblemType::InvalidCredentials)
}

/// A popup's sign-in that ended without an agent: kept for the framed app, and shown there.
async fn popup_outcome(
    state: &AppState,
    handle_hash: &[u8],
    outcome: SsoOutcome,
) -> ApiResult<Redirect> {
    let at = now();
    state
        .db
        .insert_sso_ticket(handle_hash, Err(outcome.code()), at + TICKET_TTL_SECS, at)
        .await?;
    Ok(Redirect::to(&format!(
        "{SSO_COMPLETE_PAGE}#outcome={}",
        outcome.code()
    )))
}

/// The framed app takes the outcome of its popup's sign-in: a session (cookie, or bearer token
/// with `x-session-transport: bearer`), or why not. Only from the app's own origin.
#[utoipa::path(post, path = "/sso/redeem", tag = "session",
    request_body = SsoRedeem,
    responses(
        (status = 200, description = "Signed in (the session cookie is set, or the answer's session carries `bearer_token`), still pending (asked by handle), or refused with the outcome", body = SsoRedeemed),
        (status = 401, description = "The ticket is unknown, used or expired", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Sent from another origin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither a ticket nor a valid handle, or both", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn redeem(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(request): ApiJson<SsoRedeem>,
) -> ApiResult<(CookieJar, Json<SsoRedeemed>)> {
    let own_origin = public_origin(&state, &headers)?;
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    if origin != Some(own_origin.as_str()) {
        return Err(ProblemType::CsrfRejected.into());
    }
    let now = now();
    let taken = match (&request.ticket, &request.handle) {
        (Some(ticket), None) => {
            let taken = state
                .db
                .take_sso_ticket(TicketKey::Ticket(&token_hash(ticket)), now)
                .await?;
            Some(taken.ok_or(ProblemType::InvalidCredentials)?)
        }
        (None, Some(handle)) if is_sso_handle(handle) => {
            state
                .db
                .take_sso_ticket(TicketKey::Handle(&token_hash(handle)), now)
                .await?
        }
        _ => {
            return Err(ApiError::Problem(
                Problem::new(ProblemType::Validation)
                    .with_detail("give a ticket or a handle of 32 to 128 URL-safe characters"),
            ))
        }
    };
    let answer = match taken {
        None => SsoRedeemed::Pending,
        Some(TicketOutcome::Refused(code)) => SsoRedeemed::Refused {
            outcome: SsoOutcome::from_code(&code).unwrap_or(SsoOutcome::Failed),
        },
        Some(TicketOutcome::Agent {
            agent_id,
            business_account,
            sso,
        }) => {
            let shown_address = ClientAddress(address).shown();
            let event = signed_in(agent_id, &business_account, &shown_address);
            match start_session(&state, &headers, agent_id, Some(&sso), &event).await {
                Ok(started) => {
                    let (jar, session) = answer_with_session(
                        &state.config,
                        &headers,
                        jar,
                        &business_account,
                        SignInMethod::Sso,
                        started,
                    );
                    return Ok((jar, Json(SsoRedeemed::SignedIn { session })));
                }
                Err(error) if deactivated_meanwhile(&error) => SsoRedeemed::Refused {
                    outcome: SsoOutcome::NotProvisioned,
                },
                Err(other) => return Err(other),
            }
        }
    };
    Ok((jar, Json(answer)))
}

/// A logout token, as the provider posts it (Back-Channel Logout 1.0 §2.5).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct BackchannelLogout {
    logout_token: String,
}

/// OpenID Connect Back-Channel Logout 1.0: the provider says its user signed out (of one of its
/// sessions, or all); the sessions begun through it end on every instance at once, and the
/// open page goes to sign-in at its next request.
#[utoipa::path(post, path = "/sso/backchannel-logout", tag = "session",
    request_body(content = BackchannelLogout, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "The matching sessions ended (none may have matched)"),
        (status = 400, description = "Not a logout token of a tenant's provider: unsigned, another audience, stale, without the logout event, or with a nonce", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn backchannel_logout(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    form: Result<Form<BackchannelLogout>, FormRejection>,
) -> ApiResult<StatusCode> {
    let refused = |detail: &str| {
        ApiError::Problem(Problem::new(ProblemType::MalformedRequest).with_detail(detail))
    };
    let Ok(Form(form)) = form else {
        return Err(refused("a form with a logout_token is expected"));
    };
    let issuer = claimed_issuer(&form.logout_token)
        .ok_or_else(|| refused("the logout token names no issuer"))?;
    let mut reason = "no tenant has this provider".to_owned();
    for provider in state.db.sso_providers(ProvidersOf::Issuer(&issuer)).await? {
        match state
            .providers
            .logged_out(&provider.config, &form.logout_token)
            .await
        {
            Ok(logged_out) => {
                let shown_address = ClientAddress(address).shown();
                let ended = state
                    .db
                    .end_sso_sessions(
                        &issuer,
                        &logged_out.subject,
                        logged_out.session_id.as_deref(),
                        now(),
                        &shown_address,
                    )
                    .await?;
                tracing::info!(tenant = provider.tenant_code, ended, "back-channel logout");
                return Ok(StatusCode::OK);
            }
            Err(failure) => reason = failure.to_string(),
        }
    }
    tracing::warn!(issuer, reason, "a logout token is refused");
    Err(refused(&reason))
}

/// Back to the app's sign-in page, which says why.
fn outcome_redirect(outcome: SsoOutcome) -> Redirect {
    Redirect::to(&format!(
        "{SIGN_IN_PAGE}?{SSO_OUTCOME_PARAMETER}={}",
        outcome.code()
    ))
}
