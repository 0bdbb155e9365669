//! The built-in registrar (AGT-5): the registration state in a table of the server's database.

use async_trait::async_trait;
use pc_model::RegistrationStatus;

use super::{Db, Flag};
use crate::domain::registrar::Registrar;

pub struct TableRegistrar {
    db: Db,
}

impl TableRegistrar {
    pub fn new(db: Db) -> Self {
        TableRegistrar { db }
    }
}

#[async_trait]
impl Registrar for TableRegistrar {
    async fn status(&self, agent_id: i64) -> anyhow::Result<RegistrationStatus> {
        let row: Option<(Flag, i64)> = sqlx::query_as(
            "SELECT registered, changed_at FROM softphone_registrations WHERE agent_id = $1",
        )
        .bind(agent_id)
        .fetch_optional(self.db.pool())
        .await?;
        Ok(match row {
            Some((Flag(registered), changed_at)) => RegistrationStatus {
                registered,
                changed_at: Some(changed_at),
            },
            None => RegistrationStatus {
                registered: false,
                changed_at: None,
            },
        })
    }

    async fn unregister(&self, agent_id: i64, now: i64) -> anyhow::Result<RegistrationStatus> {
        // Only a change of state moves the time of the last change.
        sqlx::query(
            "UPDATE softphone_registrations SET registered = 0, changed_at = $1
             WHERE agent_id = $2 AND registered = 1",
        )
        .bind(now)
        .bind(agent_id)
        .execute(self.db.pool())
        .await?;
        self.status(agent_id).await
    }
}

impl Db {
    /// How many agents' softphones are registered.
    pub async fn registered_softphones(&self) -> sqlx::Result<i64> {
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM softphone_registrations WHERE registered = 1")
                .fetch_one(self.pool())
                .await?;
        Ok(count)
    }
}
