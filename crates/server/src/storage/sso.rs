//! SSO-1: the tenants' OpenID Providers as the tenant file stored them, the sign-ins begun at
//! them, and the agents their users are.

use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::{Any, FromRow};

use super::sessions::SsoLink;
use super::{Db, Flag};
use crate::domain::oidc::{PendingLogin, ProviderConfig};
use crate::domain::tenant_file::SsoMatch;

/// A tenant whose agents can sign in through its provider.
#[derive(Clone, Debug)]
pub struct TenantProvider {
    pub tenant_id: i64,
    pub tenant_code: String,
    pub display_name: String,
    pub password_sign_in: bool,
    pub config: ProviderConfig,
}

/// A sign-in begun, as kept until the provider's answer.
pub struct StoredLogin {
    pub tenant_id: i64,
    pub browser_hash: Vec<u8>,
    pub pending: PendingLogin,
    pub redirect_uri: String,
    /// Begun in a popup for a framed app: the hash of the app's handle.
    pub handle_hash: Option<Vec<u8>>,
}

/// How a framed app asks for the outcome of a sign-in begun in a popup.
#[derive(Clone, Copy, Debug)]
pub enum TicketKey<'a> {
    /// The hash of the ticket the popup handed over.
    Ticket(&'a [u8]),
    /// The hash of the handle the app made.
    Handle(&'a [u8]),
}

/// A popup's sign-in as the framed app takes it: the agent who signed in, or why not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TicketOutcome {
    Agent {
        agent_id: i64,
        business_account: String,
        sso: SsoLink,
    },
    Refused(String),
}

#[derive(FromRow)]
struct ProviderRow {
    tenant_id: i64,
    code: String,
    issuer: String,
    display_name: String,
    client_id: String,
    client_secret: String,
    scopes: String,
    agent_claim: String,
    matched_to: String,
    password_sign_in: Flag,
}

impl From<ProviderRow> for TenantProvider {
    fn from(row: ProviderRow) -> Self {
        TenantProvider {
            tenant_id: row.tenant_id,
            tenant_code: row.code,
            display_name: row.display_name,
            password_sign_in: row.password_sign_in.0,
            config: ProviderConfig {
                issuer: row.issuer,
                client_id: row.client_id,
                client_secret: row.client_secret,
                scopes: row.scopes.split_whitespace().map(str::to_owned).collect(),
                agent_claim: row.agent_claim,
                matched_to: SsoMatch::from_stored(&row.matched_to),
            },
        }
    }
}

const PROVIDER_COLUMNS: &str = "s.tenant_id, t.code, s.issuer, s.display_name, s.client_id,
    s.client_secret, s.scopes, s.agent_claim, s.matched_to, s.password_sign_in";

#[derive(FromRow)]
struct LoginRow {
    tenant_id: i64,
    browser_hash: Vec<u8>,
    nonce: String,
    pkce_verifier: String,
    redirect_uri: String,
    handle_hash: Option<Vec<u8>>,
}

/// Which tenants' providers a read picks.
#[derive(Clone, Copy, Debug)]
pub enum ProvidersOf<'a> {
    /// Every tenant that has one.
    All,
    /// The tenant with this code.
    TenantCode(&'a str),
    /// The tenant with this ID.
    Tenant(i64),
    /// The tenant of this agent.
    AgentsTenant(i64),
    /// The tenants whose provider is this issuer (a logout token names it).
    Issuer(&'a str),
}

impl<'a> ProvidersOf<'a> {
    /// The joins and condition that pick the tenants, for `format!("… {condition} …")`.
    fn condition(self) -> &'static str {
        match self {
            ProvidersOf::All => "",
            ProvidersOf::TenantCode(_) => "WHERE t.code = $1",
            ProvidersOf::Tenant(_) => "WHERE s.tenant_id = $1",
            ProvidersOf::AgentsTenant(_) => {
                "JOIN agents a ON a.tenant_id = s.tenant_id WHERE a.id = $1"
            }
            ProvidersOf::Issuer(_) => "WHERE s.issuer = $1",
        }
    }

    /// Binds the parameter of [`ProvidersOf::condition`].
    fn bind<'q, O>(
        self,
        query: QueryAs<'q, Any, O, AnyArguments<'q>>,
    ) -> QueryAs<'q, Any, O, AnyArguments<'q>>
    where
        'a: 'q,
    {
        match self {
            ProvidersOf::All => query,
            ProvidersOf::TenantCode(text) | ProvidersOf::Issuer(text) => query.bind(text),
            ProvidersOf::Tenant(id) | ProvidersOf::AgentsTenant(id) => query.bind(id),
        }
    }
}

#[derive(FromRow)]
struct TicketRow {
    agent_id: Option<i64>,
    outcome: Option<String>,
    sso_issuer: Option<String>,
    sso_subject: Option<String>,
    sso_session: Option<String>,
}

impl Db {
    /// The tenants' providers that `which` picks, by tenant code.
    pub async fn sso_providers(&self, which: ProvidersOf<'_>) -> sqlx::Result<Vec<TenantProvider>> {
        let sql = format!(
            "SELECT {PROVIDER_COLUMNS} FROM tenant_sso s JOIN tenants t ON t.id = s.tenant_id
             {} ORDER BY t.code",
            which.condition()
        );
        let rows: Vec<ProviderRow> = which
            .bind(sqlx::query_as(&sql))
            .fetch_all(self.pool())
            .await?;
        Ok(rows.into_iter().map(TenantProvider::from).collect())
    }

    /// The provider of the one tenant that `which` names, if it has one.
    pub async fn sso_provider(
        &self,
        which: ProvidersOf<'_>,
    ) -> sqlx::Result<Option<TenantProvider>> {
        Ok(self.sso_providers(which).await?.into_iter().next())
    }

    /// Keeps a sign-in begun; the ones expired by `now` go.
    pub async fn insert_sso_login(
        &self,
        state_hash: &[u8],
        login: &StoredLogin,
        expires_at: i64,
        now: i64,
    ) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM sso_logins WHERE expires_at <= $1")
            .bind(now)
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO sso_logins
             (state_hash, tenant_id, browser_hash, nonce, pkce_verifier, redirect_uri,
              handle_hash, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(state_hash)
        .bind(login.tenant_id)
        .bind(&login.browser_hash)
        .bind(&login.pending.nonce)
        .bind(&login.pending.pkce_verifier)
        .bind(&login.redirect_uri)
        .bind(login.handle_hash.as_deref())
        .bind(expires_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Takes the sign-in with this state: it is gone after, whoever asked, so its answer is
    /// used once at most. `None` if there is none or it expired by `now`.
    pub async fn take_sso_login(
        &self,
        state_hash: &[u8],
        state: &str,
        now: i64,
    ) -> sqlx::Result<Option<StoredLogin>> {
        let row: Option<LoginRow> = sqlx::query_as(
            "DELETE FROM sso_logins WHERE state_hash = $1 AND expires_at > $2
             RETURNING tenant_id, browser_hash, nonce, pkce_verifier, redirect_uri, handle_hash",
        )
        .bind(state_hash)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|row| StoredLogin {
            tenant_id: row.tenant_id,
            browser_hash: row.browser_hash,
            pending: PendingLogin {
                state: state.to_owned(),
                nonce: row.nonce,
                pkce_verifier: row.pkce_verifier,
            },
            redirect_uri: row.redirect_uri,
            handle_hash: row.handle_hash,
        }))
    }

    /// Keeps the outcome of a popup's sign-in for the framed app whose handle hashes to
    /// `handle_hash`: a ticket for the agent, or why not; an earlier one of that handle is
    /// replaced. The ones expired by `now` go.
    pub async fn insert_sso_ticket(
        &self,
        handle_hash: &[u8],
        outcome: Result<(&[u8], i64, &SsoLink), &str>,
        expires_at: i64,
        now: i64,
    ) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM sso_tickets WHERE expires_at <= $1")
            .bind(now)
            .execute(self.pool())
            .await?;
        let (ticket_hash, agent_id, sso, refused) = match outcome {
            Ok((ticket_hash, agent_id, sso)) => {
                (Some(ticket_hash), Some(agent_id), Some(sso), None)
            }
            Err(refused) => (None, None, None, Some(refused)),
        };
        sqlx::query(
            "INSERT INTO sso_tickets (handle_hash, ticket_hash, agent_id, outcome, expires_at,
             sso_issuer, sso_subject, sso_session)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (handle_hash) DO UPDATE SET ticket_hash = $2, agent_id = $3,
                 outcome = $4, expires_at = $5, sso_issuer = $6, sso_subject = $7,
                 sso_session = $8",
        )
        .bind(handle_hash)
        .bind(ticket_hash)
        .bind(agent_id)
        .bind(refused)
        .bind(expires_at)
        .bind(sso.map(|link| link.issuer.as_str()))
        .bind(sso.map(|link| link.subject.as_str()))
        .bind(sso.and_then(|link| link.session_id.as_deref()))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Takes the outcome of a popup's sign-in, once; `None` if there is none (yet), it was
    /// taken, or it expired by `now`.
    pub async fn take_sso_ticket(
        &self,
        key: TicketKey<'_>,
        now: i64,
    ) -> sqlx::Result<Option<TicketOutcome>> {
        let (column, hash) = match key {
            TicketKey::Ticket(hash) => ("ticket_hash", hash),
            TicketKey::Handle(hash) => ("handle_hash", hash),
        };
        let taken: Option<TicketRow> = sqlx::query_as(&format!(
            "DELETE FROM sso_tickets WHERE {column} = $1 AND expires_at > $2
             RETURNING agent_id, outcome, sso_issuer, sso_subject, sso_session"
        ))
        .bind(hash)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        Ok(match taken {
            Some(TicketRow {
                agent_id: Some(agent_id),
                sso_issuer: Some(issuer),
                sso_subject: Some(subject),
                sso_session,
                ..
            }) => {
                let business_account: Option<String> = sqlx::query_scalar(
                    "SELECT e.business_account FROM agents a JOIN employees e ON e.id = a.employee_id
                     WHERE a.id = $1",
                )
                .bind(agent_id)
                .fetch_optional(self.pool())
                .await?;
                business_account.map(|business_account| TicketOutcome::Agent {
                    agent_id,
                    business_account,
                    sso: SsoLink {
                        issuer,
                        subject,
                        session_id: sso_session,
                    },
                })
            }
            Some(TicketRow {
                outcome: Some(outcome),
                ..
            }) => Some(TicketOutcome::Refused(outcome)),
            _ => None,
        })
    }

    /// The agent of the tenant that the provider's claim names, with their business account,
    /// if they may sign in (provisioned, active, not deleted).
    pub async fn sso_agent(
        &self,
        tenant_id: i64,
        matched_to: SsoMatch,
        claim_value: &str,
    ) -> sqlx::Result<Option<(i64, String)>> {
        let matching = match matched_to {
            SsoMatch::UserName => "lower(e.business_account) = lower($2)",
            SsoMatch::ExternalId => "e.external_id = $2",
        };
        sqlx::query_as(&format!(
            "SELECT a.id, e.business_account
             FROM employees e JOIN agents a ON a.employee_id = e.id
             WHERE e.tenant_id = $1 AND {matching} AND e.deleted_at IS NULL AND e.active = 1"
        ))
        .bind(tenant_id)
        .bind(claim_value)
        .fetch_optional(self.pool())
        .await
    }
}
