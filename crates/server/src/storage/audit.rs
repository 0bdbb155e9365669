//! SEC-4: the audit trail. A change records its event through `record` inside its own
//! transaction, so a change is never kept without its event, nor an event without its change.

use pc_model::{ActivityEntry, ActivityKind, FieldChange};
use sqlx::AnyConnection;

use super::Db;

/// One event, as the route that made the change describes it.
#[derive(Clone, Debug)]
pub struct AuditEvent<'a> {
    /// Empty for a failed sign-in to an unknown business account.
    pub agent_id: Option<i64>,
    pub business_account: &'a str,
    pub at: i64,
    pub address: &'a str,
    pub kind: ActivityKind,
    /// What changed; never a secret.
    pub changes: Vec<FieldChange>,
}

/// Writes `event` on `connection`, i.e. in the caller's transaction; answers the event's ID.
pub async fn record(connection: &mut AnyConnection, event: &AuditEvent<'_>) -> sqlx::Result<i64> {
    let changes = serde_json::to_string(&event.changes).unwrap_or_else(|_| "[]".into());
    sqlx::query_as(
        "INSERT INTO audit_events (agent_id, business_account, at, address, kind, changes)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(event.agent_id)
    .bind(event.business_account)
    .bind(event.at)
    .bind(event.address)
    .bind(event.kind.code())
    .bind(changes)
    .fetch_one(connection)
    .await
    .map(|(id,): (i64,)| id)
}

#[derive(sqlx::FromRow)]
struct EventRow {
    at: i64,
    kind: String,
    address: String,
    changes: String,
}

impl Db {
    /// Records an event that has no change of ours to share a transaction with: a failed
    /// sign-in, or what an outside system (registrar, parameter cache) did.
    pub async fn record_event(&self, event: &AuditEvent<'_>) -> sqlx::Result<()> {
        let mut connection = self.pool().acquire().await?;
        record(&mut connection, event).await.map(drop)
    }

    /// The agent's `limit` most recent events, newest first.
    pub async fn recent_activity(
        &self,
        agent_id: i64,
        limit: i64,
    ) -> sqlx::Result<Vec<ActivityEntry>> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT at, kind, address, changes FROM audit_events WHERE agent_id = $1
             ORDER BY at DESC, id DESC LIMIT $2",
        )
        .bind(agent_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Some(ActivityEntry {
                    at: row.at,
                    kind: ActivityKind::from_code(&row.kind)?,
                    address: row.address,
                    changes: serde_json::from_str(&row.changes).unwrap_or_default(),
                })
            })
            .collect())
    }
}
