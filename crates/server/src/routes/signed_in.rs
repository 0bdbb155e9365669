//! The `SignedIn` extractor: who is asking, from the session cookie (or, EMB-5, the bearer
//! token of a frame that keeps no cookie), with CSRF checked for
//! every state-changing request. A read of the agent's own data takes the `SessionToken`
//! instead and checks the session in its own query.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum_extra::extract::CookieJar;
use pc_model::{ActivityKind, FieldChange, ProblemType, CSRF_HEADER};

use super::client_address::ClientAddress;
use crate::domain::session::{csrf_matches, now, token_hash, COOKIE_NAME};
use crate::error::ApiError;
use crate::state::AppState;
use crate::storage::audit::AuditEvent;
use crate::storage::history::Keeping;
use crate::storage::sessions::SessionRow;
use crate::storage::Whose;

/// The signed-in agent. Handlers take the agent ID from here (or read by a [`SessionToken`])
/// and only from there, so no request can name another agent's data.
pub struct SignedIn {
    pub session: SessionRow,
    pub token_hash: Vec<u8>,
    /// Where the request comes from, as the audit trail shows it.
    pub address: String,
    /// The browser it comes from, as a saved version shows it (BEY-2).
    pub browser: String,
}

impl SignedIn {
    pub fn agent_id(&self) -> i64 {
        self.session.agent_id
    }

    /// The audit event (SEC-4) of a change this agent makes now.
    pub fn event(&self, kind: ActivityKind, changes: Vec<FieldChange>) -> AuditEvent<'_> {
        AuditEvent {
            agent_id: Some(self.agent_id()),
            business_account: &self.session.business_account,
            at: now(),
            address: &self.address,
            kind,
            changes,
        }
    }

    /// How a save this agent makes now keeps its version (BEY-2), `versions` being how many
    /// are kept.
    pub fn keeping(&self, versions: u32) -> Keeping<'_> {
        Keeping {
            browser: &self.browser,
            versions,
        }
    }
}

/// The session token a request presents: EMB-5's `Authorization: Bearer`, else the cookie.
pub fn presented_token(headers: &HeaderMap) -> Option<String> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty());
    match bearer {
        Some(token) => Some(token.to_owned()),
        None => CookieJar::from_headers(headers)
            .get(COOKIE_NAME)
            .map(|cookie| cookie.value().to_owned()),
    }
}

/// The session's token, not yet checked: the read it is given to ([`Whose::Session`])
/// checks it, in the same query, and reads nothing for a session that is not live.
pub struct SessionToken {
    token_hash: Vec<u8>,
}

impl SessionToken {
    /// The signed-in agent, if the session is live now.
    pub fn whose(&self) -> Whose<'_> {
        Whose::Session {
            token_hash: &self.token_hash,
            now: now(),
        }
    }
}

impl<S: Sync> FromRequestParts<S> for SessionToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let token = presented_token(&parts.headers).ok_or(ProblemType::Unauthenticated)?;
        Ok(SessionToken {
            token_hash: token_hash(&token),
        })
    }
}

/// The longest `User-Agent` a version keeps, in characters.
const BROWSER_MAX_CHARS: usize = 200;

/// The browser as a version keeps it: the `User-Agent`, cut short.
fn browser_shown(user_agent: &str) -> String {
    user_agent.trim().chars().take(BROWSER_MAX_CHARS).collect()
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let SessionToken { token_hash } = SessionToken::from_request_parts(parts, state).await?;
        let session = state
            .db
            .live_session(&token_hash, now())
            .await?
            .ok_or(ProblemType::Unauthenticated)?;
        if !parts.method.is_safe() {
            let presented = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !csrf_matches(presented, &session.csrf_token) {
                return Err(ProblemType::CsrfRejected.into());
            }
        }
        let Ok(address) = ClientAddress::from_request_parts(parts, state).await;
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        Ok(SignedIn {
            session,
            token_hash,
            address: address.shown(),
            browser: browser_shown(user_agent),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_user_agent_is_cut() {
        assert_eq!(browser_shown(" Firefox/140 "), "Firefox/140");
        let long = "é".repeat(BROWSER_MAX_CHARS + 10);
        assert_eq!(browser_shown(&long).chars().count(), BROWSER_MAX_CHARS);
    }
}
