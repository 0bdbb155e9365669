//! The built-in parameter cache: a table of its own that Sync writes and the telephony side
//! would read.

use async_trait::async_trait;
use pc_model::{CachedParameter, ParameterId};

use super::Db;
use crate::domain::parameters::ParameterCache;

/// The cache in the server's own database.
pub struct TableParameterCache {
    db: Db,
}

impl TableParameterCache {
    pub fn new(db: Db) -> Self {
        TableParameterCache { db }
    }
}

#[async_trait]
impl ParameterCache for TableParameterCache {
    async fn put(
        &self,
        agent_id: i64,
        entries: &[(ParameterId, String)],
        synced_at: i64,
    ) -> anyhow::Result<()> {
        let mut tx = self.db.pool().begin().await?;
        for (id, value) in entries {
            sqlx::query(
                "INSERT INTO parameter_cache (agent_id, parameter, value, synced_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (agent_id, parameter)
                 DO UPDATE SET value = excluded.value, synced_at = excluded.synced_at",
            )
            .bind(agent_id)
            .bind(id.code())
            .bind(value)
            .bind(synced_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn read(&self, agent_id: i64) -> anyhow::Result<Vec<CachedParameter>> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT parameter, value, synced_at FROM parameter_cache WHERE agent_id = $1",
        )
        .bind(agent_id)
        .fetch_all(self.db.pool())
        .await?;
        let mut cached: Vec<CachedParameter> = rows
            .into_iter()
            .filter_map(|(code, value, synced_at)| {
                Some(CachedParameter {
                    id: code.parse().ok()?,
                    value,
                    synced_at,
                })
            })
            .collect();
        cached.sort_by_key(|c| c.id);
        Ok(cached)
    }
}
