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
    /// SSO-1: the provider the session was begun through; `None`: a password sign-in.
    pub sso_issuer: Option<String>,
}

/// SSO-1: who the provider says signed in, and in which of its sessions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoLink {
    pub issuer: String,
    pub subject: String,
    pub session_id: Option<String>,
}

/// A session to start.
pub struct NewSession<'a> {
    pub token_hash: &'a [u8],
    pub agent_id: i64,
    pub csrf_token: &'a str,
    pub created_at: i64,
    pub expires_at: i64,
    /// Begun through the tenant's provider.
    pub sso: Option<&'a SsoLink>,
}

impl Db {
    /// Starts a session for the agent, unless they may no longer sign in (PRV-5: deactivated or
    /// deleted since their password was checked): [`Refusal::NotFound`].
    pub async fn insert_session(
        &self,
        session: &NewSession<'_>,
        event: &AuditEvent<'_>,
    ) -> Result<(), Refusal> {
        let NewSession {
            token_hash,
            agent_id,
            csrf_token,
            created_at,
            expires_at,
            sso,
        } = *session;
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
            "INSERT INTO sessions (token_hash, agent_id, csrf_token, created_at, expires_at,
             sso_issuer, sso_subject, sso_session)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(token_hash)
        .bind(agent_id)
        .bind(csrf_token)
        .bind(created_at)
        .bind(expires_at)
        .bind(sso.map(|link| link.issuer.as_str()))
        .bind(sso.map(|link| link.subject.as_str()))
        .bind(sso.and_then(|link| link.session_id.as_deref()))
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
            "SELECT s.agent_id, e.business_account, s.csrf_token, s.expires_at, s.sso_issuer
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

    /// SSO-1: a back-channel logout of the provider's user `subject` (in its session
    /// `session_id` only, when given) ends their sessions begun through it, each recorded as a
    /// sign-out of its agent at `at` from `address`. Answers how many ended.
    pub async fn end_sso_sessions(
        &self,
        issuer: &str,
        subject: &str,
        session_id: Option<&str>,
        at: i64,
        address: &str,
    ) -> sqlx::Result<u64> {
        let mut tx = self.pool().begin().await?;
        let ended: Vec<(i64, String)> = sqlx::query_as(
            "DELETE FROM sessions WHERE sso_issuer = $1 AND sso_subject = $2
               AND (CAST($3 AS TEXT) IS NULL OR sso_session = $3)
             RETURNING agent_id,
               (SELECT e.business_account FROM agents a JOIN employees e ON e.id = a.employee_id
                WHERE a.id = sessions.agent_id)",
        )
        .bind(issuer)
        .bind(subject)
        .bind(session_id)
        .fetch_all(&mut *tx)
        .await?;
        for (agent_id, business_account) in &ended {
            let event = AuditEvent {
                agent_id: Some(*agent_id),
                business_account,
                at,
                address,
                kind: pc_model::ActivityKind::SignedOut,
                changes: Vec::new(),
            };
            audit::record(&mut tx, &event).await?;
        }
        tx.commit().await?;
        Ok(ended.len() as u64)
    }

    pub async fn delete_expired_sessions(&self, now: i64) -> sqlx::Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
