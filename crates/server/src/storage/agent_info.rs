//! The Agent Info actions' data: the tenant's client downloads (AGT-2, AGT-3) and the agent's
//! phone numbers (AGT-6).

use pc_model::TenantDownloadSettings;
use sqlx::FromRow;

use super::audit::{self, AuditEvent};
use super::{Db, Flag, Refusal};

#[derive(FromRow)]
struct DownloadRow {
    screen_recording: Flag,
    screen_inspection: Flag,
    vrc_download_url: String,
    softphone_download_url: String,
    agent_webrtc_enabled: Flag,
}

impl Db {
    /// The agent's tenant download settings and whether WebRTC is on for the agent.
    pub async fn download_settings(
        &self,
        agent_id: i64,
    ) -> sqlx::Result<(TenantDownloadSettings, bool)> {
        let row: DownloadRow = sqlx::query_as(
            "SELECT t.screen_recording, t.screen_inspection, t.vrc_download_url,
                    t.softphone_download_url, a.webrtc_enabled AS agent_webrtc_enabled
             FROM agents a JOIN tenants t ON t.id = a.tenant_id
             WHERE a.id = $1",
        )
        .bind(agent_id)
        .fetch_one(self.pool())
        .await?;
        Ok((
            TenantDownloadSettings {
                screen_recording: row.screen_recording.0,
                screen_inspection: row.screen_inspection.0,
                vrc_download_url: row.vrc_download_url,
                softphone_download_url: row.softphone_download_url,
            },
            row.agent_webrtc_enabled.0,
        ))
    }

    /// AGT-6: stores the agent's fixed-line number and mobile (`None` clears one), if they are
    /// still `was` (fixed line, mobile).
    pub async fn save_phone_numbers(
        &self,
        agent_id: i64,
        fixed_line: Option<&str>,
        mobile: Option<&str>,
        was: (Option<&str>, Option<&str>),
        event: &AuditEvent<'_>,
    ) -> Result<(), Refusal> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE agents SET fixed_line = $1, mobile = $2
             WHERE id = $3 AND fixed_line IS NOT DISTINCT FROM $4 AND mobile IS NOT DISTINCT FROM $5",
        )
        .bind(fixed_line)
        .bind(mobile)
        .bind(agent_id)
        .bind(was.0)
        .bind(was.1)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Refusal::Stale);
        }
        // The numbers are part of the user as SCIM shows it (PRV-4): a provisioning update based
        // on what was there before this save is now stale too.
        sqlx::query(
            "UPDATE employees SET version = version + 1, updated_at = $1
             WHERE id = (SELECT employee_id FROM agents WHERE id = $2)",
        )
        .bind(event.at)
        .bind(agent_id)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, event).await?;
        tx.commit().await?;
        Ok(())
    }
}
