//! AGT-4: the softphone password and its verification codes.

use pc_model::{DigestCredentials, TwoFactorMethod};
use sqlx::FromRow;

use super::audit::{self, AuditEvent};
use super::outbox::{self, OutboxState};
use super::{Db, Refusal};
use crate::domain::notifier::Message;

/// Where the agent's codes go: the tenant's method and the agent's mobile and email.
#[derive(Debug, FromRow)]
pub struct CodeDestination {
    pub two_factor_method: String,
    pub mobile: Option<String>,
    pub email: String,
}

impl CodeDestination {
    pub fn method(&self) -> TwoFactorMethod {
        match self.two_factor_method.as_str() {
            "sms" => TwoFactorMethod::Sms,
            "email" => TwoFactorMethod::Email,
            _ => TwoFactorMethod::None,
        }
    }
}

/// A verification code to store: only its salted hash, and when it was made and expires.
pub struct NewCode<'a> {
    pub salt: &'a [u8],
    pub code_hash: &'a [u8],
    pub created_at: i64,
    pub expires_at: i64,
}

/// The agent's newest code that may still be tried.
#[derive(Debug, FromRow)]
pub struct LiveCode {
    pub id: i64,
    pub salt: Vec<u8>,
    pub code_hash: Vec<u8>,
    pub wrong_tries: i64,
}

impl Db {
    pub async fn code_destination(&self, agent_id: i64) -> sqlx::Result<CodeDestination> {
        sqlx::query_as(
            "SELECT t.two_factor_method, a.mobile, e.email
             FROM agents a JOIN tenants t ON t.id = a.tenant_id
             JOIN employees e ON e.id = a.employee_id
             WHERE a.id = $1",
        )
        .bind(agent_id)
        .fetch_one(self.pool())
        .await
    }

    /// Stores a new code and the message that carries it, both or neither (the transactional
    /// outbox), unless `refused_for`, given when the agent's codes made after `sent_since` were
    /// made (but for those whose message could not be sent: the agent may ask again at once
    /// when a code never reached them), answers how many seconds to wait. Every earlier code of
    /// the agent is void from then on. Answers that wait, or `None` when the code is stored.
    /// `deliver`: a gateway will send the message; otherwise it is only recorded. The first
    /// write locks the agent (SQLite: the database; PostgreSQL: the agent's row) until commit,
    /// so requests at the same time, on any server instance, are decided one after another and
    /// none slips past the limits.
    pub async fn store_code_unless_refused(
        &self,
        code: NewCode<'_>,
        message: &Message,
        deliver: bool,
        sent_since: i64,
        refused_for: impl FnOnce(&[i64]) -> Option<i64>,
    ) -> sqlx::Result<Option<i64>> {
        let agent_id = message.agent_id;
        let mut tx = self.pool().begin().await?;
        sqlx::query("UPDATE agents SET id = id WHERE id = $1")
            .bind(agent_id)
            .execute(&mut *tx)
            .await?;
        let sent: Vec<i64> = sqlx::query_scalar(
            "SELECT c.created_at FROM verification_codes c
             WHERE c.agent_id = $1 AND c.created_at > $2 AND NOT EXISTS
                (SELECT 1 FROM outbox o WHERE o.verification_code_id = c.id AND o.state = 'failed')",
        )
        .bind(agent_id)
        .bind(sent_since)
        .fetch_all(&mut *tx)
        .await?;
        if let Some(wait) = refused_for(&sent) {
            return Ok(Some(wait));
        }
        sqlx::query("UPDATE verification_codes SET used = 1 WHERE agent_id = $1 AND used = 0")
            .bind(agent_id)
            .execute(&mut *tx)
            .await?;
        // The older codes are dead now: their messages still waiting (a gateway that is down)
        // are given up, or they would arrive after the new one with a code that fails.
        sqlx::query(
            "UPDATE outbox SET state = 'failed', finished_at = $2, claimed_until = NULL
             WHERE agent_id = $1 AND state = 'pending' AND verification_code_id IS NOT NULL",
        )
        .bind(agent_id)
        .bind(code.created_at)
        .execute(&mut *tx)
        .await?;
        let code_id: i64 = sqlx::query_scalar(
            "INSERT INTO verification_codes (agent_id, salt, code_hash, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(agent_id)
        .bind(code.salt)
        .bind(code.code_hash)
        .bind(code.created_at)
        .bind(code.expires_at)
        .fetch_one(&mut *tx)
        .await?;
        let state = if deliver {
            OutboxState::Pending
        } else {
            OutboxState::Recorded
        };
        outbox::enqueue(&mut tx, message, code_id, state, code.created_at).await?;
        tx.commit().await?;
        Ok(None)
    }

    /// The agent's newest code that is unused, unexpired and not yet tried too often.
    pub async fn live_code(
        &self,
        agent_id: i64,
        now: i64,
        tries_max: i64,
    ) -> sqlx::Result<Option<LiveCode>> {
        sqlx::query_as(
            "SELECT id, salt, code_hash, wrong_tries FROM verification_codes
             WHERE agent_id = $1 AND used = 0 AND expires_at > $2 AND wrong_tries < $3
             ORDER BY id DESC LIMIT 1",
        )
        .bind(agent_id)
        .bind(now)
        .bind(tries_max)
        .fetch_optional(self.pool())
        .await
    }

    /// Counts a wrong try; the number of wrong tries afterwards.
    pub async fn count_wrong_try(&self, code_id: i64) -> sqlx::Result<i64> {
        let (tries,): (i64,) = sqlx::query_as(
            "UPDATE verification_codes SET wrong_tries = wrong_tries + 1 WHERE id = $1
             RETURNING wrong_tries",
        )
        .bind(code_id)
        .fetch_one(self.pool())
        .await?;
        Ok(tries)
    }

    /// Uses the code and sets the new password hash, both or neither. Stale if the code was
    /// used in the meantime (two requests at once).
    pub async fn use_code_and_set_password(
        &self,
        agent_id: i64,
        code_id: Option<i64>,
        password_hash: &str,
        sip_credential: Option<&DigestCredentials>,
        event: &AuditEvent<'_>,
    ) -> Result<(), Refusal> {
        let mut tx = self.pool().begin().await?;
        if let Some(code_id) = code_id {
            let used =
                sqlx::query("UPDATE verification_codes SET used = 1 WHERE id = $1 AND used = 0")
                    .bind(code_id)
                    .execute(&mut *tx)
                    .await?;
            if used.rows_affected() == 0 {
                return Err(Refusal::Stale);
            }
        }
        sqlx::query(
            "UPDATE agents SET softphone_password_hash = $1, sip_ha1 = $2, sip_ha1_realm = $3
             WHERE id = $4",
        )
        .bind(password_hash)
        .bind(sip_credential.map(|c| c.ha1.as_str()))
        .bind(sip_credential.map(|c| c.realm.as_str()))
        .bind(agent_id)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, event).await?;
        tx.commit().await?;
        Ok(())
    }
}
