//! Agent Parameters: the saved values, changed only on top of the version they were read at,
//! and the tenant values that "Consistent with tenant" stands for.

use std::collections::BTreeMap;

use pc_model::{ParameterId, TenantAnswerMode, TenantParameters};
use sqlx::{Any, Transaction};

use super::audit::AuditEvent;
use super::history::{self, all_parameters, Area, Keeping};
use super::{Db, Flag, Refusal};

/// The stored values (parameters at their default have none) and the version.
pub type StoredParameters = (BTreeMap<ParameterId, String>, i64);

async fn stored_in(tx: &mut Transaction<'_, Any>, agent_id: i64) -> sqlx::Result<StoredParameters> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT parameter, value FROM agent_parameters WHERE agent_id = $1")
            .bind(agent_id)
            .fetch_all(&mut **tx)
            .await?;
    let version: Option<(i64,)> =
        sqlx::query_as("SELECT version FROM agent_parameter_versions WHERE agent_id = $1")
            .bind(agent_id)
            .fetch_optional(&mut **tx)
            .await?;
    // The schema's CHECK admits only the seven codes.
    let values = rows
        .into_iter()
        .filter_map(|(code, value)| Some((code.parse().ok()?, value)))
        .collect();
    Ok((values, version.map_or(0, |(v,)| v)))
}

/// Raises the version if it is still `version`: the check is part of the write, so of two
/// racing changes exactly one wins.
async fn bump_version(
    tx: &mut Transaction<'_, Any>,
    agent_id: i64,
    version: i64,
) -> Result<i64, Refusal> {
    let written = if version == 0 {
        sqlx::query(
            "INSERT INTO agent_parameter_versions (agent_id, version) VALUES ($1, $2 + 1)
             ON CONFLICT (agent_id) DO NOTHING",
        )
    } else {
        sqlx::query(
            "UPDATE agent_parameter_versions SET version = version + 1
             WHERE agent_id = $1 AND version = $2",
        )
    }
    .bind(agent_id)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if written.rows_affected() == 0 {
        return Err(Refusal::Stale);
    }
    Ok(version + 1)
}

impl Db {
    /// The agent's stored parameter values and their version, read together.
    pub async fn parameters(&self, agent_id: i64) -> sqlx::Result<StoredParameters> {
        let mut tx = self.pool().begin().await?;
        let stored = stored_in(&mut tx, agent_id).await?;
        tx.commit().await?;
        Ok(stored)
    }

    pub async fn tenant_parameters(&self, agent_id: i64) -> sqlx::Result<TenantParameters> {
        let (answer_mode, Flag(integrate_openeye)): (String, Flag) = sqlx::query_as(
            "SELECT t.answer_mode, t.integrate_openeye
             FROM agents a JOIN tenants t ON t.id = a.tenant_id WHERE a.id = $1",
        )
        .bind(agent_id)
        .fetch_one(self.pool())
        .await?;
        Ok(TenantParameters {
            answer_mode: if answer_mode == "manual" {
                TenantAnswerMode::Manual
            } else {
                TenantAnswerMode::Automatic
            },
            integrate_openeye,
        })
    }

    /// Saves one value (already valid and canonical) if the parameters are still at `version`,
    /// with its event and version (BEY-2).
    pub async fn save_parameter(
        &self,
        agent_id: i64,
        version: i64,
        id: ParameterId,
        value: &str,
        event: &AuditEvent<'_>,
        keeping: Keeping<'_>,
    ) -> Result<i64, Refusal> {
        let mut tx = self.pool().begin().await?;
        let new_version = bump_version(&mut tx, agent_id, version).await?;
        sqlx::query(
            "INSERT INTO agent_parameters (agent_id, parameter, value) VALUES ($1, $2, $3)
             ON CONFLICT (agent_id, parameter) DO UPDATE SET value = excluded.value",
        )
        .bind(agent_id)
        .bind(id.code())
        .bind(value)
        .execute(&mut *tx)
        .await?;
        let (saved, _) = stored_in(&mut tx, agent_id).await?;
        let values = all_parameters(&saved);
        history::record(&mut tx, event, Area::Parameters, &values, keeping).await?;
        tx.commit().await?;
        Ok(new_version)
    }

    /// Restores the defaults of `ids`, all in one transaction, if the parameters are still at
    /// `version`, and records the event that `event` makes of the values as they were before,
    /// with the version (BEY-2) of the values after. Returns those before, to tell what changed.
    pub async fn reset_parameters<'e>(
        &self,
        agent_id: i64,
        version: i64,
        ids: &[ParameterId],
        event: impl FnOnce(&BTreeMap<ParameterId, String>) -> AuditEvent<'e>,
        keeping: Keeping<'_>,
    ) -> Result<BTreeMap<ParameterId, String>, Refusal> {
        let mut tx = self.pool().begin().await?;
        bump_version(&mut tx, agent_id, version).await?;
        let (before, _) = stored_in(&mut tx, agent_id).await?;
        for id in ids {
            sqlx::query("DELETE FROM agent_parameters WHERE agent_id = $1 AND parameter = $2")
                .bind(agent_id)
                .bind(id.code())
                .execute(&mut *tx)
                .await?;
        }
        let mut after = before.clone();
        after.retain(|id, _| !ids.contains(id));
        let values = all_parameters(&after);
        history::record(&mut tx, &event(&before), Area::Parameters, &values, keeping).await?;
        tx.commit().await?;
        Ok(before)
    }
}
