//! SSO-1: the tenants' OpenID Providers as the tenant file stored them, the sign-ins begun at
//! them, and the agents their users are.

use sqlx::FromRow;

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
}

impl Db {
    /// Every tenant with a provider, by tenant code.
    pub async fn sso_providers(&self) -> sqlx::Result<Vec<TenantProvider>> {
        let rows: Vec<ProviderRow> = sqlx::query_as(&format!(
            "SELECT {PROVIDER_COLUMNS} FROM tenant_sso s JOIN tenants t ON t.id = s.tenant_id
             ORDER BY t.code"
        ))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(TenantProvider::from).collect())
    }

    /// The provider of the tenant with this code.
    pub async fn sso_provider(&self, tenant_code: &str) -> sqlx::Result<Option<TenantProvider>> {
        let row: Option<ProviderRow> = sqlx::query_as(&format!(
            "SELECT {PROVIDER_COLUMNS} FROM tenant_sso s JOIN tenants t ON t.id = s.tenant_id
             WHERE t.code = $1"
        ))
        .bind(tenant_code)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(TenantProvider::from))
    }

    /// The provider of the tenant with this ID.
    pub async fn sso_provider_of(&self, tenant_id: i64) -> sqlx::Result<Option<TenantProvider>> {
        let row: Option<ProviderRow> = sqlx::query_as(&format!(
            "SELECT {PROVIDER_COLUMNS} FROM tenant_sso s JOIN tenants t ON t.id = s.tenant_id
             WHERE s.tenant_id = $1"
        ))
        .bind(tenant_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(TenantProvider::from))
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
             (state_hash, tenant_id, browser_hash, nonce, pkce_verifier, redirect_uri, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(state_hash)
        .bind(login.tenant_id)
        .bind(&login.browser_hash)
        .bind(&login.pending.nonce)
        .bind(&login.pending.pkce_verifier)
        .bind(&login.redirect_uri)
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
             RETURNING tenant_id, browser_hash, nonce, pkce_verifier, redirect_uri",
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
        }))
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
