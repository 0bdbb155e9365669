//! The browser softphone's account (RTC-1): the tenant's registration server and the agent's
//! digest credential; and the tenant's STUN and TURN servers (BEY-3).

use sqlx::FromRow;

use super::{Db, Flag};
use crate::domain::softphone::{IceServerRecord, SoftphoneRecord};

#[derive(FromRow)]
struct SoftphoneRow {
    webrtc_enabled: Flag,
    sip_websocket_url: String,
    sip_domain: String,
    softphone_number: String,
    display_name: String,
    sip_ha1: Option<String>,
    sip_ha1_realm: Option<String>,
}

impl Db {
    /// Every tenant's registration server for browsers (RTC-1), for the page's connect policy.
    pub async fn registration_servers(&self) -> sqlx::Result<Vec<String>> {
        sqlx::query_scalar(
            "SELECT DISTINCT sip_websocket_url FROM tenants WHERE sip_websocket_url <> ''
             ORDER BY sip_websocket_url",
        )
        .fetch_all(self.pool())
        .await
    }

    /// Everything about the agent that the softphone account is made of.
    pub async fn softphone_record(&self, agent_id: i64) -> sqlx::Result<SoftphoneRecord> {
        let row: SoftphoneRow = sqlx::query_as(
            "SELECT a.webrtc_enabled, t.sip_websocket_url, t.sip_domain, a.softphone_number,
                    e.username AS display_name, a.sip_ha1, a.sip_ha1_realm
             FROM agents a
             JOIN tenants t ON t.id = a.tenant_id
             JOIN employees e ON e.id = a.employee_id
             WHERE a.id = $1",
        )
        .bind(agent_id)
        .fetch_one(self.pool())
        .await?;
        Ok(SoftphoneRecord {
            webrtc_enabled: row.webrtc_enabled.0,
            websocket_url: row.sip_websocket_url,
            domain: row.sip_domain,
            user: row.softphone_number,
            display_name: row.display_name,
            ha1: row.sip_ha1.zip(row.sip_ha1_realm),
        })
    }

    /// BEY-3: whether the agent has WebRTC, and their tenant's STUN and TURN servers in order.
    pub async fn ice_server_records(
        &self,
        agent_id: i64,
    ) -> sqlx::Result<(bool, Vec<IceServerRecord>)> {
        let webrtc_enabled: Flag =
            sqlx::query_scalar("SELECT webrtc_enabled FROM agents WHERE id = $1")
                .bind(agent_id)
                .fetch_one(self.pool())
                .await?;
        let servers: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT s.url, s.turn_secret
             FROM tenant_ice_servers s
             JOIN agents a ON a.tenant_id = s.tenant_id
             WHERE a.id = $1
             ORDER BY s.id",
        )
        .bind(agent_id)
        .fetch_all(self.pool())
        .await?;
        let servers = servers
            .into_iter()
            .map(|(url, turn_secret)| IceServerRecord { url, turn_secret })
            .collect();
        Ok((webrtc_enabled.0, servers))
    }
}
