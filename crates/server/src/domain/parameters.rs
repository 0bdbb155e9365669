//! Agent Parameters (SPEC §5): the cache interface that Sync writes to, and how the saved
//! values, the cache and the tenant make up what the agent sees. Value rules are in pc-model.

use std::collections::BTreeMap;

use async_trait::async_trait;
use pc_model::parameters::is_synced;
use pc_model::{
    AgentParameter, BatchOutcome, BatchResult, CachedParameter, ParameterId, ParametersPage,
    TenantParameters,
};

use crate::storage::Db;

/// The cache the telephony side reads agent parameters from. The built-in one is a table of
/// the server's database (`storage::parameter_cache`); a deployment can put a real cache here.
#[async_trait]
pub trait ParameterCache: Send + Sync {
    /// Writes all `entries` for the agent, or none of them.
    async fn put(
        &self,
        agent_id: i64,
        entries: &[(ParameterId, String)],
        synced_at: i64,
    ) -> anyhow::Result<()>;

    /// Everything the cache holds for the agent.
    async fn read(&self, agent_id: i64) -> anyhow::Result<Vec<CachedParameter>>;
}

/// The saved value of each parameter: what is stored, else the default.
fn saved_values(stored: &BTreeMap<ParameterId, String>) -> Vec<(ParameterId, String)> {
    ParameterId::ALL
        .into_iter()
        .map(|id| {
            let value = stored
                .get(&id)
                .cloned()
                .unwrap_or_else(|| id.default_value().to_owned());
            (id, value)
        })
        .collect()
}

fn cached_value(cached: &[CachedParameter], id: ParameterId) -> Option<&str> {
    cached.iter().find(|c| c.id == id).map(|c| c.value.as_str())
}

/// The agent's parameters as they are now: saved values, whether the cache holds each yet, and
/// the tenant values.
pub async fn page(
    db: &Db,
    cache: &dyn ParameterCache,
    agent_id: i64,
) -> anyhow::Result<ParametersPage> {
    let (stored, version) = db.parameters(agent_id).await?;
    let tenant = db.tenant_parameters(agent_id).await?;
    let cached = cache.read(agent_id).await?;
    Ok(table(&stored, version, tenant, &cached))
}

/// Every parameter's saved value, and whether the cache holds it yet.
fn table(
    stored: &BTreeMap<ParameterId, String>,
    version: i64,
    tenant: TenantParameters,
    cached: &[CachedParameter],
) -> ParametersPage {
    let parameters = saved_values(stored)
        .into_iter()
        .map(|(id, value)| AgentParameter {
            synced: is_synced(id, &value, cached_value(cached, id)),
            id,
            value,
        })
        .collect();
    ParametersPage {
        parameters,
        version,
        tenant,
    }
}

/// What a reset does to each of `ids`, judged on the values before it.
pub fn reset_outcomes(
    stored: &BTreeMap<ParameterId, String>,
    ids: &[ParameterId],
) -> Vec<BatchResult> {
    ids.iter()
        .map(|&id| {
            let is_default = stored
                .get(&id)
                .is_none_or(|value| value == id.default_value());
            BatchResult {
                id,
                outcome: if is_default {
                    BatchOutcome::AlreadyDefault
                } else {
                    BatchOutcome::Reset
                },
            }
        })
        .collect()
}

/// The saved values of `ids` on `page`, as Sync puts them into the cache.
pub fn sync_entries(page: &ParametersPage, ids: &[ParameterId]) -> Vec<(ParameterId, String)> {
    page.parameters
        .iter()
        .filter(|p| ids.contains(&p.id))
        .map(|p| (p.id, p.value.clone()))
        .collect()
}

/// What a sync does to each of `ids`, judged on the cache before it.
pub fn sync_outcomes(page: &ParametersPage, ids: &[ParameterId]) -> Vec<BatchResult> {
    ids.iter()
        .map(|&id| {
            let synced = page.parameters.iter().any(|p| p.id == id && p.synced);
            BatchResult {
                id,
                outcome: if synced {
                    BatchOutcome::AlreadySynced
                } else {
                    BatchOutcome::Synced
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pc_model::TenantAnswerMode;

    const TENANT: TenantParameters = TenantParameters {
        answer_mode: TenantAnswerMode::Manual,
        integrate_openeye: false,
    };

    fn stored(entries: &[(ParameterId, &str)]) -> BTreeMap<ParameterId, String> {
        entries
            .iter()
            .map(|(id, v)| (*id, (*v).to_owned()))
            .collect()
    }

    fn cached(id: ParameterId, value: &str) -> CachedParameter {
        CachedParameter {
            id,
            value: value.to_owned(),
            synced_at: 1,
        }
    }

    #[test]
    fn a_new_agent_has_every_default_and_nothing_waits_for_a_sync() {
        let page = table(&BTreeMap::new(), 0, TENANT, &[]);
        assert_eq!(page.parameters.len(), 7);
        for parameter in &page.parameters {
            assert_eq!(parameter.value, parameter.id.default_value());
            assert!(parameter.synced, "{}", parameter.id);
        }
    }

    #[test]
    fn a_saved_value_waits_for_a_sync_until_the_cache_holds_it() {
        let saved = stored(&[(ParameterId::CalloutCaller, "+86100")]);
        let before = table(&saved, 1, TENANT, &[]);
        assert!(!before.parameters[0].synced);
        assert_eq!(before.parameters[0].value, "+86100");
        let after = table(
            &saved,
            1,
            TENANT,
            &[cached(ParameterId::CalloutCaller, "+86100")],
        );
        assert!(after.parameters[0].synced);
        // A reset value waits again while the cache still holds the old one.
        let reset = table(
            &BTreeMap::new(),
            2,
            TENANT,
            &[cached(ParameterId::CalloutCaller, "+86100")],
        );
        assert!(!reset.parameters[0].synced);
    }

    #[test]
    fn outcomes_say_what_changed() {
        let saved = stored(&[
            (ParameterId::AnswerMode, "manual"),
            (ParameterId::RingWhenMaximized, "no"),
        ]);
        let ids = [
            ParameterId::AnswerMode,
            ParameterId::RingWhenMaximized,
            ParameterId::CalloutCaller,
        ];
        let outcomes: Vec<BatchOutcome> = reset_outcomes(&saved, &ids)
            .iter()
            .map(|r| r.outcome)
            .collect();
        assert_eq!(
            outcomes,
            [
                BatchOutcome::Reset,
                BatchOutcome::AlreadyDefault,
                BatchOutcome::AlreadyDefault
            ]
        );
        let page = table(&saved, 1, TENANT, &[]);
        assert_eq!(
            sync_entries(&page, &[ParameterId::AnswerMode]),
            [(ParameterId::AnswerMode, "manual".to_owned())]
        );
        let outcomes: Vec<BatchOutcome> = sync_outcomes(&page, &ids)
            .iter()
            .map(|r| r.outcome)
            .collect();
        assert_eq!(
            outcomes,
            [
                BatchOutcome::Synced,
                BatchOutcome::AlreadySynced,
                BatchOutcome::AlreadySynced
            ]
        );
    }
}
