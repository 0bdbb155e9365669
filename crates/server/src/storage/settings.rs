//! Personalized Settings, saved all at once and only on top of the version they were read at.

use pc_model::{Greeting, PersonalSettings, SettingsContext, SettingsPage};
use sqlx::FromRow;

use super::audit::AuditEvent;
use super::history::{self, Area, Keeping};
use super::{Db, Flag, Refusal, Whose};

/// The settings page in rows, one per greeting (one without a greeting when there is none):
/// the context, then the settings (`None` for an agent who never saved), then a greeting.
#[derive(FromRow)]
struct PageRow {
    tenant_signature: String,
    ou_concurrency: Option<i64>,
    tenant_concurrency: i64,
    bound_to_business_account: Flag,
    username: String,
    avatar: Option<i64>,
    nickname: Option<String>,
    work_email: Option<String>,
    signature: Option<String>,
    follow_ou_concurrency: Option<Flag>,
    multimedia_concurrency: Option<i64>,
    version: Option<i64>,
    start_hour: Option<i64>,
    end_hour: Option<i64>,
    text: Option<String>,
}

/// Values the schema's CHECK constraints keep within u8.
fn small(value: i64) -> u8 {
    u8::try_from(value).unwrap_or_default()
}

impl Db {
    /// PER-1 … PER-8: the agent's settings, their version (0 for an agent who never saved) and
    /// what they fall back to; `None` if there is no such agent (or live session). One query,
    /// so a save landing meanwhile cannot mix two versions.
    pub async fn settings_page(&self, whose: Whose<'_>) -> sqlx::Result<Option<SettingsPage>> {
        let (from, picks) = whose.agent();
        let sql = format!(
            "SELECT t.default_email_signature AS tenant_signature,
                    o.multimedia_concurrency AS ou_concurrency,
                    t.multimedia_concurrency AS tenant_concurrency,
                    a.bound_to_business_account, e.username,
                    st.avatar, st.nickname, st.work_email, st.signature,
                    st.follow_ou_concurrency, st.multimedia_concurrency, st.version,
                    g.start_hour, g.end_hour, g.text
             FROM {from}
             JOIN tenants t ON t.id = a.tenant_id
             JOIN org_units o ON o.id = a.org_unit_id
             JOIN employees e ON e.id = a.employee_id
             LEFT JOIN agent_settings st ON st.agent_id = a.id
             LEFT JOIN agent_greetings g ON g.agent_id = st.agent_id
             WHERE {picks}
             ORDER BY g.position"
        );
        let rows: Vec<PageRow> = whose
            .bind(sqlx::query_as(&sql))
            .fetch_all(self.pool())
            .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let context = SettingsContext {
            tenant_signature: first.tenant_signature.clone(),
            ou_concurrency: first.ou_concurrency.map(small),
            tenant_concurrency: small(first.tenant_concurrency),
            bound_to_business_account: first.bound_to_business_account.0,
            username: first.username.clone(),
        };
        let (Some(avatar), Some(nickname), Some(signature), Some(follow), Some(version)) = (
            first.avatar,
            first.nickname.clone(),
            first.signature.clone(),
            first.follow_ou_concurrency,
            first.version,
        ) else {
            return Ok(Some(SettingsPage {
                settings: PersonalSettings::default(),
                version: 0,
                context,
            }));
        };
        let settings = PersonalSettings {
            avatar: small(avatar),
            nickname,
            work_email: first.work_email.clone().unwrap_or_default(),
            signature,
            follow_ou_concurrency: follow.0,
            multimedia_concurrency: first.multimedia_concurrency.map(small),
            greetings: rows
                .into_iter()
                .filter_map(|row| {
                    Some(Greeting {
                        start_hour: small(row.start_hour?),
                        end_hour: small(row.end_hour?),
                        text: row.text?,
                    })
                })
                .collect(),
        };
        Ok(Some(SettingsPage {
            settings,
            version,
            context,
        }))
    }

    /// Saves all settings if they are still at `version`, with their event and version (BEY-2);
    /// returns the new version. The version check is part of the write itself, so of two racing
    /// saves exactly one wins.
    pub async fn save_settings(
        &self,
        agent_id: i64,
        version: i64,
        settings: &PersonalSettings,
        event: &AuditEvent<'_>,
        keeping: Keeping<'_>,
    ) -> Result<i64, Refusal> {
        let mut tx = self.pool().begin().await?;
        let email = Some(settings.work_email.as_str()).filter(|e| !e.is_empty());
        let written = if version == 0 {
            sqlx::query(
                "INSERT INTO agent_settings (agent_id, avatar, nickname, work_email, signature,
                     follow_ou_concurrency, multimedia_concurrency, version)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8 + 1)
                 ON CONFLICT (agent_id) DO NOTHING",
            )
        } else {
            sqlx::query(
                "UPDATE agent_settings SET avatar = $2, nickname = $3, work_email = $4,
                     signature = $5, follow_ou_concurrency = $6, multimedia_concurrency = $7,
                     version = version + 1
                 WHERE agent_id = $1 AND version = $8",
            )
        }
        .bind(agent_id)
        .bind(i64::from(settings.avatar))
        .bind(&settings.nickname)
        .bind(email)
        .bind(&settings.signature)
        .bind(Flag(settings.follow_ou_concurrency))
        .bind(settings.multimedia_concurrency.map(i64::from))
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if written.rows_affected() == 0 {
            return Err(Refusal::Stale);
        }
        sqlx::query("DELETE FROM agent_greetings WHERE agent_id = $1")
            .bind(agent_id)
            .execute(&mut *tx)
            .await?;
        for (position, greeting) in settings.greetings.iter().enumerate() {
            sqlx::query(
                "INSERT INTO agent_greetings (agent_id, position, start_hour, end_hour, text)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(agent_id)
            .bind(position as i64)
            .bind(i64::from(greeting.start_hour))
            .bind(i64::from(greeting.end_hour))
            .bind(&greeting.text)
            .execute(&mut *tx)
            .await?;
        }
        history::record(&mut tx, event, Area::Settings, settings, keeping).await?;
        tx.commit().await?;
        Ok(version + 1)
    }
}
