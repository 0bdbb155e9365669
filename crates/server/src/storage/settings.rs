//! Personalized Settings, saved all at once and only on top of the version they were read at.

use pc_model::{Greeting, PersonalSettings, SettingsContext};
use sqlx::FromRow;

use super::audit::AuditEvent;
use super::history::{self, Area, Keeping};
use super::{Db, Flag, Refusal};

#[derive(FromRow)]
struct SettingsRow {
    avatar: i64,
    nickname: String,
    work_email: Option<String>,
    signature: String,
    follow_ou_concurrency: Flag,
    multimedia_concurrency: Option<i64>,
    version: i64,
}

#[derive(FromRow)]
struct GreetingRow {
    start_hour: i64,
    end_hour: i64,
    text: String,
}

#[derive(FromRow)]
struct ContextRow {
    tenant_signature: String,
    ou_concurrency: Option<i64>,
    tenant_concurrency: i64,
    bound_to_business_account: Flag,
    username: String,
}

/// Values the schema's CHECK constraints keep within u8.
fn small(value: i64) -> u8 {
    u8::try_from(value).unwrap_or_default()
}

impl Db {
    /// The agent's settings and their version (0 for an agent who never saved).
    pub async fn settings(&self, agent_id: i64) -> sqlx::Result<(PersonalSettings, i64)> {
        // One transaction, so a save landing between the two reads cannot mix two versions.
        let mut tx = self.pool().begin().await?;
        let row: Option<SettingsRow> = sqlx::query_as(
            "SELECT avatar, nickname, work_email, signature, follow_ou_concurrency,
                    multimedia_concurrency, version
             FROM agent_settings WHERE agent_id = $1",
        )
        .bind(agent_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok((PersonalSettings::default(), 0));
        };
        let greetings: Vec<GreetingRow> = sqlx::query_as(
            "SELECT start_hour, end_hour, text FROM agent_greetings
             WHERE agent_id = $1 ORDER BY position",
        )
        .bind(agent_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let settings = PersonalSettings {
            avatar: small(row.avatar),
            nickname: row.nickname,
            work_email: row.work_email.unwrap_or_default(),
            greetings: greetings
                .into_iter()
                .map(|g| Greeting {
                    start_hour: small(g.start_hour),
                    end_hour: small(g.end_hour),
                    text: g.text,
                })
                .collect(),
            signature: row.signature,
            follow_ou_concurrency: row.follow_ou_concurrency.0,
            multimedia_concurrency: row.multimedia_concurrency.map(small),
        };
        Ok((settings, row.version))
    }

    /// What the agent's settings fall back to: tenant signature, OU and tenant concurrency.
    pub async fn settings_context(&self, agent_id: i64) -> sqlx::Result<SettingsContext> {
        let row: ContextRow = sqlx::query_as(
            "SELECT t.default_email_signature AS tenant_signature,
                    o.multimedia_concurrency AS ou_concurrency,
                    t.multimedia_concurrency AS tenant_concurrency,
                    a.bound_to_business_account,
                    e.username
             FROM agents a
             JOIN tenants t ON t.id = a.tenant_id
             JOIN org_units o ON o.id = a.org_unit_id
             JOIN employees e ON e.id = a.employee_id
             WHERE a.id = $1",
        )
        .bind(agent_id)
        .fetch_one(self.pool())
        .await?;
        Ok(SettingsContext {
            tenant_signature: row.tenant_signature,
            ou_concurrency: row.ou_concurrency.map(small),
            tenant_concurrency: small(row.tenant_concurrency),
            bound_to_business_account: row.bound_to_business_account.0,
            username: row.username,
        })
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
