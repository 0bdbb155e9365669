//! PRV-1: the bearer tokens with which a tenant's identity provider reaches `/scim/v2`, kept
//! only as SHA-256 hashes (a token is 256 random bits: a fast hash cannot be searched back).

use sqlx::FromRow;

use super::Db;

/// A token as `scim-token list` shows it: never the token itself.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

impl Db {
    /// Stores a new token of the tenant by its hash; answers its ID.
    pub async fn insert_scim_token(
        &self,
        tenant_id: i64,
        token_hash: &[u8],
        now: i64,
    ) -> sqlx::Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO scim_tokens (tenant_id, token_hash, created_at) VALUES ($1, $2, $3)
             RETURNING id",
        )
        .bind(tenant_id)
        .bind(token_hash)
        .bind(now)
        .fetch_one(self.pool())
        .await
    }

    /// The tenant a token that is not revoked belongs to.
    pub async fn scim_token_tenant(&self, token_hash: &[u8]) -> sqlx::Result<Option<i64>> {
        sqlx::query_scalar(
            "SELECT tenant_id FROM scim_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await
    }

    /// The tenant's tokens, oldest first.
    pub async fn scim_tokens(&self, tenant_id: i64) -> sqlx::Result<Vec<TokenRow>> {
        sqlx::query_as(
            "SELECT id, created_at, revoked_at FROM scim_tokens WHERE tenant_id = $1 ORDER BY id",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await
    }

    /// Revokes one of the tenant's tokens; answers whether there was such a token not yet
    /// revoked.
    pub async fn revoke_scim_token(
        &self,
        tenant_id: i64,
        token_id: i64,
        now: i64,
    ) -> sqlx::Result<bool> {
        let done = sqlx::query(
            "UPDATE scim_tokens SET revoked_at = $1
             WHERE id = $2 AND tenant_id = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(token_id)
        .bind(tenant_id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
