//! AGT-4: the delivery worker. It takes due messages from the outbox one at a time under a
//! lease, hands each to its channel's gateway, and records the attempt; a failed attempt is
//! tried again after a backoff that doubles, up to a number of attempts, then given up (the
//! app tells the agent, who may ask for a new code at once).
//!
//! Guarantee: at least once. The message is committed with its code, so nothing is lost; a
//! worker that dies after the gateway took a message but before recording it leaves the lease
//! to run out, and the message is sent again — the only case of a duplicate, which carries the
//! same outbox id for the gateway to drop.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::gateways::Gateways;
use super::metrics::{CodeOutcome, Metrics};
use super::notifier::{Channel, Message, SEND_TIMEOUT};
use super::session::now;
use crate::storage::outbox::{AfterAttempt, ChannelsServed, Claimed};
use crate::storage::Db;

/// How long a worker holds a message: longer than an attempt may take.
const LEASE_SECS: i64 = 3 * SEND_TIMEOUT.as_secs() as i64;
/// How often an idle worker looks for due messages (retries, other instances' messages).
const POLL: Duration = Duration::from_secs(1);

#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    pub attempts_max: i64,
    /// The wait after the first failure; it doubles after each further one.
    pub backoff_secs: i64,
}

impl RetryPolicy {
    /// What comes of a message whose attempt number `attempt` (from 1) failed at `now`.
    pub fn after_failure(self, attempt: i64, now: i64) -> AfterAttempt {
        if attempt >= self.attempts_max {
            return AfterAttempt::GiveUp;
        }
        let factor = 1i64 << (attempt - 1).clamp(0, 20);
        AfterAttempt::RetryAt(now + self.backoff_secs.saturating_mul(factor))
    }
}

/// Everything the worker uses.
pub struct Worker {
    pub db: Db,
    pub gateways: Gateways,
    pub policy: RetryPolicy,
    pub metrics: Arc<Metrics>,
    /// Rung when a message is written, so that it goes at once.
    pub wakeup: Arc<Notify>,
}

impl Worker {
    /// Runs until the process ends. Several workers (instances) may share the database.
    pub async fn run(self) {
        loop {
            match self.deliver_next().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(error) => tracing::error!(%error, "outbox: delivery failed to run"),
            }
            tokio::select! {
                () = self.wakeup.notified() => {},
                () = tokio::time::sleep(POLL) => {},
            }
        }
    }

    /// Gives up what cannot be sent, then sends one due message; whether there was one.
    pub async fn deliver_next(&self) -> anyhow::Result<bool> {
        let now = now();
        for channel in self
            .db
            .give_up_undeliverable(now, self.policy.attempts_max)
            .await?
        {
            if let Some(channel) = Channel::from_code(&channel) {
                self.metrics.code(channel, CodeOutcome::Failed);
            }
        }
        let served = ChannelsServed {
            email: self.gateways.email.is_some(),
            sms: self.gateways.sms.is_some(),
        };
        let Some(claimed) = self
            .db
            .claim_message(now, LEASE_SECS, self.policy.attempts_max, served)
            .await?
        else {
            return Ok(false);
        };
        self.attempt(&claimed).await?;
        Ok(true)
    }

    async fn attempt(&self, claimed: &Claimed) -> anyhow::Result<()> {
        let channel = Channel::from_code(&claimed.channel)
            .ok_or_else(|| anyhow::anyhow!("unknown channel {}", claimed.channel))?;
        let gateway = self
            .gateways
            .for_channel(channel)
            .ok_or_else(|| anyhow::anyhow!("no gateway for {}", claimed.channel))?;
        let message = Message {
            agent_id: claimed.agent_id,
            channel,
            destination: claimed.destination.clone(),
            body: claimed.body.clone(),
        };
        let result = gateway.send(claimed.id, &message).await;
        let finished = now();
        let (error, after) = match &result {
            Ok(()) => (None, AfterAttempt::Sent),
            Err(error) => (
                Some(format!("{error:#}")),
                self.policy.after_failure(claimed.attempts, finished),
            ),
        };
        self.db
            .record_attempt(claimed, finished, error.as_deref(), after)
            .await?;
        match (after, &error) {
            (AfterAttempt::Sent, _) => {
                self.metrics.code(channel, CodeOutcome::Sent);
                tracing::info!(
                    outbox_id = claimed.id,
                    agent_id = claimed.agent_id,
                    channel = channel.code(),
                    attempt = claimed.attempts,
                    "outbox: message sent"
                );
            }
            (AfterAttempt::RetryAt(at), Some(error)) => tracing::warn!(
                outbox_id = claimed.id, channel = channel.code(), attempt = claimed.attempts,
                retry_at = at, %error, "outbox: send failed; will retry"),
            (_, error) => {
                self.metrics.code(channel, CodeOutcome::Failed);
                tracing::error!(
                    outbox_id = claimed.id,
                    channel = channel.code(),
                    attempt = claimed.attempts,
                    error = error.as_deref().unwrap_or_default(),
                    "outbox: send failed; gave up"
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_until_the_last_attempt() {
        let policy = RetryPolicy {
            attempts_max: 4,
            backoff_secs: 2,
        };
        assert_eq!(policy.after_failure(1, 100), AfterAttempt::RetryAt(102));
        assert_eq!(policy.after_failure(2, 100), AfterAttempt::RetryAt(104));
        assert_eq!(policy.after_failure(3, 100), AfterAttempt::RetryAt(108));
        assert_eq!(policy.after_failure(4, 100), AfterAttempt::GiveUp);
    }

    #[test]
    fn a_single_attempt_is_never_retried() {
        let policy = RetryPolicy {
            attempts_max: 1,
            backoff_secs: 60,
        };
        assert_eq!(policy.after_failure(1, 0), AfterAttempt::GiveUp);
    }
}
