//! BEY-2: the saved versions of the settings and the parameters. A save records its audit event
//! and its version through `record` inside its own transaction, and the oldest versions beyond
//! the number kept go in the same transaction.

use std::collections::BTreeMap;

use pc_model::{ParameterId, ParameterVersion, PersonalSettings, SavedBy, SettingsVersion};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::AnyConnection;

use super::audit::{self, AuditEvent};
use super::Db;

/// What a version holds the values of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    Settings,
    Parameters,
}

impl Area {
    fn code(self) -> &'static str {
        match self {
            Area::Settings => "settings",
            Area::Parameters => "parameters",
        }
    }
}

/// Where a save comes from beyond its audit event, and how many versions the agent keeps.
#[derive(Clone, Copy, Debug)]
pub struct Keeping<'a> {
    /// The browser, as `SavedBy::browser` shows it.
    pub browser: &'a str,
    /// Versions kept per agent and area, at least 1.
    pub versions: u32,
}

/// Every parameter's value (its default when none is stored), as a parameters version holds
/// them.
pub fn all_parameters(stored: &BTreeMap<ParameterId, String>) -> BTreeMap<ParameterId, String> {
    ParameterId::ALL
        .into_iter()
        .map(|id| {
            let value = stored.get(&id).map_or(id.default_value(), String::as_str);
            (id, value.to_owned())
        })
        .collect()
}

/// Writes `event` and the version of `area` holding `values` on `connection`, i.e. in the
/// caller's transaction, then drops the agent's versions of `area` beyond the newest kept.
pub async fn record(
    connection: &mut AnyConnection,
    event: &AuditEvent<'_>,
    area: Area,
    values: &impl Serialize,
    keeping: Keeping<'_>,
) -> sqlx::Result<()> {
    let event_id = audit::record(&mut *connection, event).await?;
    let values =
        serde_json::to_string(values).map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
    sqlx::query(
        "INSERT INTO saved_versions (agent_id, area, audit_event_id, browser, saved_values)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(event.agent_id)
    .bind(area.code())
    .bind(event_id)
    .bind(keeping.browser)
    .bind(values)
    .execute(&mut *connection)
    .await?;
    sqlx::query(
        "DELETE FROM saved_versions WHERE agent_id = $1 AND area = $2 AND id NOT IN (
             SELECT id FROM saved_versions WHERE agent_id = $1 AND area = $2
             ORDER BY id DESC LIMIT $3)",
    )
    .bind(event.agent_id)
    .bind(area.code())
    .bind(i64::from(keeping.versions))
    .execute(&mut *connection)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    id: i64,
    at: i64,
    address: String,
    browser: String,
    changes: String,
    saved_values: String,
}

/// A version row as the API shows it, with its values read as `T`; `None` if they do not read.
fn version<T: DeserializeOwned>(row: VersionRow) -> Option<(i64, SavedBy, T)> {
    let values = serde_json::from_str(&row.saved_values).ok()?;
    let saved = SavedBy {
        at: row.at,
        address: row.address,
        browser: row.browser,
        changes: serde_json::from_str(&row.changes).unwrap_or_default(),
    };
    Some((row.id, saved, values))
}

impl Db {
    async fn versions(&self, agent_id: i64, area: Area) -> sqlx::Result<Vec<VersionRow>> {
        sqlx::query_as(
            "SELECT v.id, e.at, e.address, v.browser, e.changes, v.saved_values
             FROM saved_versions v JOIN audit_events e ON e.id = v.audit_event_id
             WHERE v.agent_id = $1 AND v.area = $2 ORDER BY v.id DESC",
        )
        .bind(agent_id)
        .bind(area.code())
        .fetch_all(self.pool())
        .await
    }

    /// The agent's kept versions of the settings, newest first.
    pub async fn settings_history(&self, agent_id: i64) -> sqlx::Result<Vec<SettingsVersion>> {
        let rows = self.versions(agent_id, Area::Settings).await?;
        Ok(rows
            .into_iter()
            .filter_map(version::<PersonalSettings>)
            .map(|(id, saved, settings)| SettingsVersion {
                id,
                saved,
                settings,
            })
            .collect())
    }

    /// The agent's kept versions of the parameters that changed `parameter`, newest first,
    /// each with only that parameter's change.
    pub async fn parameter_history(
        &self,
        agent_id: i64,
        parameter: ParameterId,
    ) -> sqlx::Result<Vec<ParameterVersion>> {
        let rows = self.versions(agent_id, Area::Parameters).await?;
        Ok(rows
            .into_iter()
            .filter_map(version::<BTreeMap<ParameterId, String>>)
            .filter_map(|(id, mut saved, values)| {
                saved
                    .changes
                    .retain(|change| change.field == parameter.code());
                let value = values.get(&parameter)?.clone();
                (!saved.changes.is_empty()).then_some(ParameterVersion { id, saved, value })
            })
            .collect())
    }
}
