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
             WHERE a.id = ?",
        )
        .bind(agent_id)
        .fetch_one(self.pool())
        .await
    }

    /// When the agent's codes made after `since` were made, but for those that could not be
    /// sent: the agent may ask again at once when a code never reached them.
    pub async fn codes_sent_since(&self, agent_id: i64, since: i64) -> sqlx::Result<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT c.created_at FROM verification_codes c
             WHERE c.agent_id = ? AND c.created_at > ? AND NOT EXISTS
                (SELECT 1 FROM outbox o WHERE o.verification_code_id = c.id AND o.state = 'failed')",
        )
        .bind(agent_id)
        .bind(since)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(t,)| t).collect())
    }

    /// Stores a new code and the message that carries it, both or neither (the transactional
    /// outbox); every earlier code of the message's agent is void from now on. `deliver`: a
    /// gateway will send the message; otherwise it is only recorded.
    pub async fn store_code(
        &self,
        salt: &[u8],
        code_hash: &[u8],
        now: i64,
        expires_at: i64,
        message: &Message,
        deliver: bool,
    ) -> sqlx::Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("UPDATE verification_codes SET used = 1 WHERE agent_id = ? AND used = 0")
            .bind(message.agent_id)
            .execute(&mut *tx)
            .await?;
        let (code_id,): (i64,) = sqlx::query_as(
            "INSERT INTO verification_codes (agent_id, salt, code_hash, created_at, expires_at)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(message.agent_id)
        .bind(salt)
        .bind(code_hash)
        .bind(now)
        .bind(expires_at)
        .fetch_one(&mut *tx)
        .await?;
        let state = if deliver {
            OutboxState::Pending
        } else {
            OutboxState::Recorded
        };
        outbox::enqueue(&mut tx, message, code_id, state, now).await?;
        tx.commit().await
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
             WHERE agent_id = ? AND used = 0 AND expires_at > ? AND wrong_tries < ?
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
            "UPDATE verification_codes SET wrong_tries = wrong_tries + 1 WHERE id = ?
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
                sqlx::query("UPDATE verification_codes SET used = 1 WHERE id = ? AND used = 0")
                    .bind(code_id)
                    .execute(&mut *tx)
                    .await?;
            if used.rows_affected() == 0 {
                return Err(Refusal::Stale);
            }
        }
        sqlx::query(
            "UPDATE agents SET softphone_password_hash = ?, sip_ha1 = ?, sip_ha1_realm = ?
             WHERE id = ?",
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
