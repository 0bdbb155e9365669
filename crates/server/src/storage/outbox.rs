//! AGT-4: the transactional outbox. A message is written in the same transaction as its
//! verification code (`storage::verification`); delivery workers, in any number of server
//! instances on the database, claim due messages one at a time with a lease and record every
//! attempt.

use sqlx::{Any, FromRow, Transaction};

use super::{Db, Flag};
use crate::domain::notifier::Message;

/// A message's state in the `outbox` table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxState {
    /// Waiting for a delivery worker.
    Pending,
    Sent,
    /// Every attempt failed, or the code expired or was replaced by a newer one first.
    Failed,
    /// No gateway for its channel: kept only here and in the log.
    Recorded,
}

impl OutboxState {
    fn code(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Sent => "sent",
            OutboxState::Failed => "failed",
            OutboxState::Recorded => "recorded",
        }
    }

    fn from_code(code: &str) -> Self {
        match code {
            "pending" => OutboxState::Pending,
            "sent" => OutboxState::Sent,
            "failed" => OutboxState::Failed,
            _ => OutboxState::Recorded,
        }
    }
}

/// A message a worker holds the lease of.
#[derive(Debug, FromRow)]
pub struct Claimed {
    pub id: i64,
    pub agent_id: i64,
    pub channel: String,
    pub destination: String,
    pub body: String,
    /// This attempt's number, from 1.
    pub attempts: i64,
}

/// What comes of a message after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterAttempt {
    Sent,
    /// Failed; tried again from this time on.
    RetryAt(i64),
    /// Failed for the last time.
    GiveUp,
}

/// Which channels the claiming worker has a gateway for.
#[derive(Clone, Copy, Debug)]
pub struct ChannelsServed {
    pub email: bool,
    pub sms: bool,
}

/// Puts a message into the outbox within the caller's transaction.
pub(super) async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    message: &Message,
    verification_code_id: i64,
    state: OutboxState,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO outbox (agent_id, channel, destination, body, created_at,
                             verification_code_id, state, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(message.agent_id)
    .bind(message.channel.code())
    .bind(&message.destination)
    .bind(&message.body)
    .bind(now)
    .bind(verification_code_id)
    .bind(state.code())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Db {
    /// Claims the oldest due message of a served channel until `now + lease_secs`, counting
    /// the attempt. Two workers, in any instances, never hold the same message; a lease that
    /// ran out (its worker died) makes the message due again.
    ///
    /// One statement, the same on both databases (no `FOR UPDATE SKIP LOCKED`, which SQLite
    /// lacks): the outer `WHERE` repeats the due test, so it holds for the row as it is once
    /// the `UPDATE` has its lock. SQLite runs one writer at a time. In PostgreSQL two workers
    /// may pick the same id; the second waits for the first's commit, then re-checks the row
    /// (READ COMMITTED), finds it leased and claims nothing this time — it tries again at its
    /// next wake-up (at most [`crate::domain::delivery`]'s poll interval), while the first sends.
    pub async fn claim_message(
        &self,
        now: i64,
        lease_secs: i64,
        attempts_max: i64,
        channels: ChannelsServed,
    ) -> sqlx::Result<Option<Claimed>> {
        const DUE: &str = "state = 'pending' AND next_attempt_at <= $1
            AND (claimed_until IS NULL OR claimed_until <= $1) AND attempts < $3
            AND ((channel = 'email' AND $4 = 1) OR (channel = 'sms' AND $5 = 1))";
        sqlx::query_as(&format!(
            "UPDATE outbox SET claimed_until = $1 + $2, attempts = attempts + 1
             WHERE id = (SELECT id FROM outbox WHERE {DUE} ORDER BY id LIMIT 1) AND {DUE}
             RETURNING id, agent_id, channel, destination, body, attempts"
        ))
        .bind(now)
        .bind(lease_secs)
        .bind(attempts_max)
        .bind(Flag(channels.email))
        .bind(Flag(channels.sms))
        .fetch_optional(self.pool())
        .await
    }

    /// Records the attempt of a claimed message and what comes of the message, both or neither.
    /// A worker whose lease ran out before it got here (a slow gateway) only adds its attempt:
    /// the message belongs to the worker that claimed it since, counting a further attempt. So
    /// does one whose message was given up meanwhile (its code replaced by a newer one).
    pub async fn record_attempt(
        &self,
        claimed: &Claimed,
        attempted_at: i64,
        error: Option<&str>,
        after: AfterAttempt,
    ) -> sqlx::Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO outbox_attempts (outbox_id, attempt, attempted_at, outcome, error)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(claimed.id)
        .bind(claimed.attempts)
        .bind(attempted_at)
        .bind(if error.is_some() { "failed" } else { "sent" })
        .bind(error)
        .execute(&mut *tx)
        .await?;
        let (state, next_attempt_at, finished_at) = match after {
            AfterAttempt::Sent => (OutboxState::Sent, attempted_at, Some(attempted_at)),
            AfterAttempt::RetryAt(at) => (OutboxState::Pending, at, None),
            AfterAttempt::GiveUp => (OutboxState::Failed, attempted_at, Some(attempted_at)),
        };
        sqlx::query(
            "UPDATE outbox SET state = $1, next_attempt_at = $2, finished_at = $3,
                               claimed_until = NULL
             WHERE id = $4 AND attempts = $5 AND state = 'pending'",
        )
        .bind(state.code())
        .bind(next_attempt_at)
        .bind(finished_at)
        .bind(claimed.id)
        .bind(claimed.attempts)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// Gives up the pending messages no worker will send: every attempt used up (the last
    /// worker died holding it) or their code expired. Answers the channel of each.
    pub async fn give_up_undeliverable(
        &self,
        now: i64,
        attempts_max: i64,
    ) -> sqlx::Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "UPDATE outbox SET state = 'failed', finished_at = $1, claimed_until = NULL
             WHERE state = 'pending' AND (claimed_until IS NULL OR claimed_until <= $1)
               AND (attempts >= $2 OR verification_code_id IN
                    (SELECT id FROM verification_codes WHERE expires_at <= $1))
             RETURNING channel",
        )
        .bind(now)
        .bind(attempts_max)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(channel,)| channel).collect())
    }

    /// The state of the message with the agent's newest code; `None` before the first code.
    pub async fn newest_code_delivery(&self, agent_id: i64) -> sqlx::Result<Option<OutboxState>> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT state FROM outbox WHERE agent_id = $1 AND verification_code_id IS NOT NULL
             ORDER BY id DESC LIMIT 1",
        )
        .bind(agent_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(state,)| OutboxState::from_code(&state)))
    }

    /// Messages waiting to be sent.
    pub async fn outbox_backlog(&self) -> sqlx::Result<i64> {
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
                .fetch_one(self.pool())
                .await?;
        Ok(count)
    }
}
