//! Sign-in sessions.

use sqlx::FromRow;

use super::audit::{self, AuditEvent};
use super::{Db, Refusal};

#[derive(Clone, Debug, FromRow)]
pub struct SessionRow {
    pub agent_id: i64,
    pub business_account: String,
    pub csrf_token: String,
    pub expires_at: i64,
}

impl Db {
    /// Starts a session for the agent, unless they may no longer sign in (PRV-5: deactivated or
    /// deleted since their password was checked): [`Refusal::NotFound`].
    pub async fn insert_session(
        &self,
        token_hash: &[u8],
        agent_id: i64,
        csrf_token: &str,
        created_at: i64,
        expires_at: i64,
        event: &AuditEvent<'_>,
    ) -> Result<(), Refusal> {
        let mut tx = self.pool().begin().await?;
        // A write that locks the employee: a deactivation committing meanwhile either ends this
        // session with the others, or makes this find no one.
        let may_sign_in = sqlx::query(
            "UPDATE employees SET active = active
             WHERE id = (SELECT employee_id FROM agents WHERE id = $1)
               AND active = 1 AND deleted_at IS NULL",
        )
        .bind(agent_id)
        .execute(&mut *tx)
        .await?;
        if may_sign_in.rows_affected() == 0 {
            return Err(Refusal::NotFound);
        }
        sqlx::query(
            "INSERT INTO sessions (token_hash, agent_id, csrf_token, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(agent_id)
        .bind(csrf_token)
        .bind(created_at)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, event).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The session for a token hash, if it has not expired by `now`.
    pub async fn live_session(
        &self,
        token_hash: &[u8],
        now: i64,
    ) -> sqlx::Result<Option<SessionRow>> {
        sqlx::query_as(
            "SELECT s.agent_id, e.business_account, s.csrf_token, s.expires_at
             FROM sessions s
             JOIN agents a ON a.id = s.agent_id
             JOIN employees e ON e.id = a.employee_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND e.active = 1",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(self.pool())
        .await
    }

    pub async fn delete_session(&self, token_hash: &[u8]) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Signing out: the session ends and the event is recorded, both or neither.
    pub async fn end_session(&self, token_hash: &[u8], event: &AuditEvent<'_>) -> sqlx::Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, event).await?;
        tx.commit().await
    }

    pub async fn delete_expired_sessions(&self, now: i64) -> sqlx::Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
