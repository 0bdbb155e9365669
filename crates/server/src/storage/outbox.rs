//! The built-in notifier: every message goes into the `outbox` table and the server log, where
//! an operator (or a test) can read it. A real SMS or email gateway replaces it in production.

use async_trait::async_trait;

use super::Db;
use crate::domain::notifier::{Message, Notifier};

pub struct OutboxNotifier {
    db: Db,
}

impl OutboxNotifier {
    pub fn new(db: Db) -> Self {
        OutboxNotifier { db }
    }
}

#[async_trait]
impl Notifier for OutboxNotifier {
    async fn send(&self, message: &Message, now: i64) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO outbox (agent_id, channel, destination, body, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(message.agent_id)
        .bind(message.channel.code())
        .bind(&message.destination)
        .bind(&message.body)
        .bind(now)
        .execute(self.db.pool())
        .await?;
        tracing::info!(
            agent_id = message.agent_id,
            channel = message.channel.code(),
            destination = %message.destination,
            body = %message.body,
            "outbox: message recorded (built-in notifier, nothing is delivered)"
        );
        Ok(())
    }
}
