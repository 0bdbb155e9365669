//! PER-6 E-Name Card: the OUs and WhatsApp channels an agent may use, and the routing codes
//! issued for their cards.

use pc_model::business_card::{accessible_org_units, OrgUnitNode};
use pc_model::{CardOrgUnit, WhatsAppChannel};
use sqlx::FromRow;

use super::audit::{self, AuditEvent};
use super::{Db, Refusal};

#[derive(FromRow)]
struct OrgUnitRow {
    id: i64,
    parent_id: Option<i64>,
    name: String,
}

#[derive(FromRow)]
struct ChannelRow {
    id: i64,
    org_unit_id: i64,
    name: String,
    phone_number: String,
}

/// A card as stored, with what it shows about its channel and OU.
#[derive(Clone, Debug, FromRow)]
pub struct CardRow {
    pub org_unit_id: i64,
    pub org_unit_name: String,
    pub channel_id: i64,
    pub channel_name: String,
    pub phone_number: String,
    pub code: String,
    pub issued_at: i64,
}

/// What a routing code resolves to.
#[derive(Clone, Debug, FromRow)]
pub struct RoutingRow {
    pub agent_id: i64,
    pub org_unit_id: i64,
    pub channel_id: i64,
    pub phone_number: String,
    pub code: String,
    pub issued_at: i64,
}

/// Who the card presents: PER-1 avatar and PER-2 nickname, or the username without a nickname.
#[derive(Clone, Debug, FromRow)]
pub struct CardHolder {
    pub avatar: i64,
    pub nickname: Option<String>,
    pub username: String,
}

const CARD_COLUMNS: &str = "o.id AS org_unit_id, o.name AS org_unit_name, c.id AS channel_id,
     c.name AS channel_name, c.phone_number, b.code, b.issued_at
     FROM business_cards b
     JOIN whatsapp_channels c ON c.id = b.channel_id
     JOIN org_units o ON o.id = c.org_unit_id";

impl Db {
    /// The OUs the agent may access (their own and every one beneath it), each with its WhatsApp
    /// channels, in tree order.
    pub async fn card_org_units(&self, agent_id: i64) -> sqlx::Result<Vec<CardOrgUnit>> {
        let mut tx = self.pool().begin().await?;
        let (tenant_id, home): (i64, i64) =
            sqlx::query_as("SELECT tenant_id, org_unit_id FROM agents WHERE id = $1")
                .bind(agent_id)
                .fetch_one(&mut *tx)
                .await?;
        let units: Vec<OrgUnitRow> = sqlx::query_as(
            "SELECT id, parent_id, name FROM org_units WHERE tenant_id = $1 ORDER BY name, id",
        )
        .bind(tenant_id)
        .fetch_all(&mut *tx)
        .await?;
        let channels: Vec<ChannelRow> = sqlx::query_as(
            "SELECT c.id, c.org_unit_id, c.name, c.phone_number
             FROM whatsapp_channels c JOIN org_units o ON o.id = c.org_unit_id
             WHERE o.tenant_id = $1 ORDER BY c.name, c.id",
        )
        .bind(tenant_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let nodes: Vec<OrgUnitNode> = units
            .iter()
            .map(|u| OrgUnitNode {
                id: u.id,
                parent_id: u.parent_id,
            })
            .collect();
        Ok(accessible_org_units(&nodes, home)
            .into_iter()
            .filter_map(|id| units.iter().find(|u| u.id == id))
            .map(|unit| CardOrgUnit {
                id: unit.id,
                name: unit.name.clone(),
                channels: channels
                    .iter()
                    .filter(|c| c.org_unit_id == unit.id)
                    .map(|c| WhatsAppChannel {
                        id: c.id,
                        name: c.name.clone(),
                        phone_number: c.phone_number.clone(),
                    })
                    .collect(),
            })
            .collect())
    }

    /// The agent's cards, one per channel at most, by channel name.
    pub async fn business_cards(&self, agent_id: i64) -> sqlx::Result<Vec<CardRow>> {
        sqlx::query_as(&format!(
            "SELECT {CARD_COLUMNS} WHERE b.agent_id = $1 ORDER BY c.name, c.id"
        ))
        .bind(agent_id)
        .fetch_all(self.pool())
        .await
    }

    /// Issues `code` for the agent's card on `channel_id`, replacing (and so revoking) the code
    /// the card had. Returns the card as stored.
    pub async fn issue_business_card(
        &self,
        agent_id: i64,
        channel_id: i64,
        code: &str,
        issued_at: i64,
        event: &AuditEvent<'_>,
    ) -> sqlx::Result<CardRow> {
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO business_cards (agent_id, channel_id, code, issued_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (agent_id, channel_id)
             DO UPDATE SET code = excluded.code, issued_at = excluded.issued_at",
        )
        .bind(agent_id)
        .bind(channel_id)
        .bind(code)
        .bind(issued_at)
        .execute(&mut *tx)
        .await?;
        let card = sqlx::query_as(&format!(
            "SELECT {CARD_COLUMNS} WHERE b.agent_id = $1 AND b.channel_id = $2"
        ))
        .bind(agent_id)
        .bind(channel_id)
        .fetch_one(&mut *tx)
        .await?;
        audit::record(&mut tx, event).await?;
        tx.commit().await?;
        Ok(card)
    }

    /// Revokes the agent's card on `channel_id`.
    pub async fn revoke_business_card(
        &self,
        agent_id: i64,
        channel_id: i64,
        event: &AuditEvent<'_>,
    ) -> Result<(), Refusal> {
        let mut tx = self.pool().begin().await?;
        let done =
            sqlx::query("DELETE FROM business_cards WHERE agent_id = $1 AND channel_id = $2")
                .bind(agent_id)
                .bind(channel_id)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(Refusal::NotFound);
        }
        audit::record(&mut tx, event).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The agent and channel a live routing code stands for. A code stops resolving when it is
    /// replaced or revoked, and while its agent no longer holds the e-card permission.
    pub async fn routing_target(&self, code: &str) -> sqlx::Result<Option<RoutingRow>> {
        sqlx::query_as(
            "SELECT b.agent_id, c.org_unit_id, b.channel_id, c.phone_number, b.code, b.issued_at
             FROM business_cards b
             JOIN whatsapp_channels c ON c.id = b.channel_id
             JOIN agent_permissions p
               ON p.agent_id = b.agent_id AND p.permission = 'generate_business_card'
             JOIN agents a ON a.id = b.agent_id
             JOIN employees e ON e.id = a.employee_id
             WHERE b.code = $1 AND e.active = 1",
        )
        .bind(code)
        .fetch_optional(self.pool())
        .await
    }

    pub async fn card_holder(&self, agent_id: i64) -> sqlx::Result<CardHolder> {
        sqlx::query_as(
            "SELECT COALESCE(s.avatar, 1) AS avatar, s.nickname, e.username
             FROM agents a
             JOIN employees e ON e.id = a.employee_id
             LEFT JOIN agent_settings s ON s.agent_id = a.id
             WHERE a.id = $1",
        )
        .bind(agent_id)
        .fetch_one(self.pool())
        .await
    }
}
