//! PER-1 … PER-8: the Personalized Settings page.

use pc_model::SettingsPage;

use crate::storage::Db;

/// The agent's settings, their version, and what they fall back to.
pub async fn page(db: &Db, agent_id: i64) -> sqlx::Result<SettingsPage> {
    let (settings, version) = db.settings(agent_id).await?;
    let context = db.settings_context(agent_id).await?;
    Ok(SettingsPage {
        settings,
        version,
        context,
    })
}
