//! The parameter cache in Redis (`--parameter-cache redis://…`), where the telephony side reads
//! agent parameters (SPEC §5). Per agent, two hashes keyed by parameter code:
//!
//! - `pc:agent:{agent_id}:parameters`: the synced value, as the API shows it (e.g.
//!   `answer_mode` → `manual`, `openeye_video_display` → `0,0,800,380,PiP,Fit`); what the
//!   telephony side reads;
//! - `pc:agent:{agent_id}:parameters:synced_at`: when each was synced, in Unix seconds.
//!
//! A sync writes both in one MULTI/EXEC transaction, so a reader sees all of a Batch Sync or
//! none of it.

use std::collections::HashMap;

use anyhow::Context;
use async_trait::async_trait;
use pc_model::{CachedParameter, ParameterId};
use redis::aio::ConnectionManager;

use crate::domain::parameters::ParameterCache;

/// The hash of an agent's synced values, which the telephony side reads.
pub fn values_key(agent_id: i64) -> String {
    format!("pc:agent:{agent_id}:parameters")
}

/// The hash of when each of an agent's values was synced.
pub fn synced_at_key(agent_id: i64) -> String {
    format!("pc:agent:{agent_id}:parameters:synced_at")
}

/// A connection to the Redis at a `redis://` URL, re-established when it drops.
pub struct RedisParameterCache {
    connection: ConnectionManager,
}

impl RedisParameterCache {
    /// Connects now, so that a wrong URL or an unreachable Redis stops the server at start.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let client = redis::Client::open(url)?;
        // Not the URL: it may hold a password.
        let connection = ConnectionManager::new(client)
            .await
            .context("connecting to the Redis of --parameter-cache")?;
        Ok(RedisParameterCache { connection })
    }
}

#[async_trait]
impl ParameterCache for RedisParameterCache {
    async fn put(
        &self,
        agent_id: i64,
        entries: &[(ParameterId, String)],
        synced_at: i64,
    ) -> anyhow::Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let values: Vec<(&str, &str)> = entries
            .iter()
            .map(|(id, value)| (id.code(), value.as_str()))
            .collect();
        let times: Vec<(&str, i64)> = entries
            .iter()
            .map(|(id, _)| (id.code(), synced_at))
            .collect();
        redis::pipe()
            .atomic()
            .hset_multiple(values_key(agent_id), &values)
            .ignore()
            .hset_multiple(synced_at_key(agent_id), &times)
            .ignore()
            .exec_async(&mut self.connection.clone())
            .await?;
        Ok(())
    }

    async fn read(&self, agent_id: i64) -> anyhow::Result<Vec<CachedParameter>> {
        let (values, times): (HashMap<String, String>, HashMap<String, i64>) = redis::pipe()
            .atomic()
            .hgetall(values_key(agent_id))
            .hgetall(synced_at_key(agent_id))
            .query_async(&mut self.connection.clone())
            .await?;
        let mut cached: Vec<CachedParameter> = values
            .into_iter()
            .filter_map(|(code, value)| {
                Some(CachedParameter {
                    id: code.parse().ok()?,
                    synced_at: times.get(&code).copied().unwrap_or_default(),
                    value,
                })
            })
            .collect();
        cached.sort_by_key(|c| c.id);
        Ok(cached)
    }
}
