//! Demo data for a new database: three tenants (two-factor none, SMS and email) and four agents
//! that between them cover WebRTC on/off, bound/not bound to a business account, and with/without
//! the e-card permission.

use super::Db;
use crate::domain::{password, session, softphone};

pub const DEMO_PASSWORD: &str = "Demo@2026";

/// One demo sign-in, as printed at start-up.
pub struct DemoAgent {
    pub business_account: &'static str,
    pub summary: &'static str,
}

pub const DEMO_AGENTS: [DemoAgent; 4] = [
    DemoAgent {
        business_account: "alice.wang",
        summary:
            "Northwind (SMS codes, screen recording, VRC); WebRTC on (softphone password Softphone@1001); bound; e-card permission",
    },
    DemoAgent {
        business_account: "bob.li",
        summary: "Northwind (SMS codes); WebRTC off; not bound to a business account; no e-card",
    },
    DemoAgent {
        business_account: "carol.chen",
        summary: "Contoso (email codes, no VRC); WebRTC off; bound; e-card permission",
    },
    DemoAgent {
        business_account: "david.zhao",
        summary: "Fabrikam (no two-factor); WebRTC on (softphone password Softphone@3001); bound; no e-card",
    },
];

const DEMO_SQL: &str = r#"
INSERT INTO tenants (id, name, default_email_signature, two_factor_method, screen_recording,
                     screen_inspection, vrc_download_url, softphone_download_url, webrtc_enabled,
                     multimedia_concurrency, answer_mode, integrate_openeye, sip_websocket_url,
                     sip_domain) VALUES
 (1, 'Northwind Contact Center', 'Best regards,
Northwind Customer Care', 'sms', 1, 0,
  'https://downloads.northwind.example/vrc/VRC-Setup.exe',
  'https://downloads.northwind.example/openeye/OpenEye-Setup.exe', 1, 10, 'manual', 1,
  'wss://sip.northwind.example:7443', 'northwind.example'),
 (2, 'Contoso Service', 'Kind regards,
Contoso Service Team', 'email', 0, 0, '',
  'https://downloads.contoso.example/openeye/OpenEye-Setup.exe', 0, 8, 'automatic', 0, '', ''),
 (3, 'Fabrikam Support', '', 'none', 0, 1,
  'https://downloads.fabrikam.example/vrc/VRC-Setup.exe',
  'https://downloads.fabrikam.example/openeye/OpenEye-Setup.exe', 1, 6, 'automatic', 1,
  'wss://sip.fabrikam.example:7443', 'fabrikam.example');

INSERT INTO org_units (id, tenant_id, parent_id, name, multimedia_concurrency) VALUES
 (10, 1, NULL, 'Northwind', NULL),
 (11, 1, 10, 'Customer Care', 5),
 (12, 1, 10, 'Sales', 12),
 (20, 2, NULL, 'Contoso Service', 4),
 (30, 3, NULL, 'Fabrikam Support', NULL);

INSERT INTO whatsapp_channels (id, org_unit_id, name, phone_number) VALUES
 (100, 11, 'Northwind Care WhatsApp', '+8613800138000'),
 (101, 11, 'Northwind Care WhatsApp (English)', '+447700900123'),
 (102, 12, 'Northwind Sales WhatsApp', '+8613900139000'),
 (200, 20, 'Contoso WhatsApp', '+14155550123');

INSERT INTO skill_queues (id, tenant_id, name) VALUES
 (1, 1, 'Billing'), (2, 1, 'Technical Support'), (3, 1, 'VIP Customers'),
 (4, 2, 'General Enquiries'), (5, 2, 'Complaints'),
 (6, 3, 'Hardware Support');

INSERT INTO employees (id, tenant_id, business_account, username, phone, email, position, manager_id) VALUES
 (1, 1, 'grace.liu', 'Grace Liu', '+86 138 0013 8001', 'grace.liu@northwind.example', 'Contact Center Manager', NULL),
 (2, 2, 'henry.sun', 'Henry Sun', '+1 415 555 0100', 'henry.sun@contoso.example', 'Service Manager', NULL),
 (3, 3, 'irene.zhou', 'Irene Zhou', '+86 139 0013 9001', 'irene.zhou@fabrikam.example', 'Support Lead', NULL),
 (11, 1, 'alice.wang', 'Alice Wang', '+86 138 0013 8011', 'alice.wang@northwind.example', 'Senior Customer Service Agent', 1),
 (12, 1, 'bob.li', 'Bob Li', '+86 138 0013 8012', 'bob.li@northwind.example', 'Team Leader, Sales', 1),
 (13, 2, 'carol.chen', 'Carol Chen', '+1 415 555 0113', 'carol.chen@contoso.example', 'Quality Inspector', 2),
 (14, 3, 'david.zhao', 'David Zhao', '+86 139 0013 9014', 'david.zhao@fabrikam.example', 'Support Agent', 3);

INSERT INTO agents (id, tenant_id, employee_id, org_unit_id, agent_type, role, softphone_number,
                    registration_server, fixed_line, mobile, webrtc_enabled, bound_to_business_account) VALUES
 (1001, 1, 11, 11, 'versatile', 'agent', '70001001', 'sip.northwind.example:5060', '+861068001001', '+8613800138011', 1, 1),
 (1002, 1, 12, 12, 'multimedia', 'team_leader', '70001002', 'sip.northwind.example:5060', NULL, '+8613800138012', 0, 0),
 (2001, 2, 13, 20, 'voice', 'quality_inspector', '80002001', 'sip.contoso.example:5060', '+14155550113', NULL, 0, 1),
 (3001, 3, 14, 30, 'multimedia', 'agent', '90003001', 'sip.fabrikam.example:5060', NULL, '+8613900139014', 1, 1);

INSERT INTO agent_permissions (agent_id, permission) VALUES
 (1001, 'generate_business_card'), (2001, 'generate_business_card');

INSERT INTO agent_skill_queues (agent_id, skill_queue_id) VALUES
 (1001, 1), (1001, 2), (1001, 3), (1002, 1), (2001, 4), (2001, 5), (3001, 6);
"#;

/// AGT-5: the softphones of Alice, Bob and David are registered; Carol's never was.
const REGISTERED_DEMO_AGENTS: [i64; 3] = [1001, 1002, 3001];

/// RTC-1: the softphone passwords of the WebRTC demo agents (agent, SIP user, SIP domain,
/// password). Only their HA1s are stored, which the demo and test registrar checks through the
/// `subscriber` view (migration 0011).
pub const DEMO_SOFTPHONE_PASSWORDS: [(i64, &str, &str, &str); 2] = [
    (1001, "70001001", "northwind.example", "Softphone@1001"),
    (3001, "90003001", "fabrikam.example", "Softphone@3001"),
];

/// PER-6: an OU below Alice's with a channel of its own, so that she has two OUs to choose from
/// (her own and the one beneath it), and Sales' channel stays out of her reach.
const E_CARD_DEMO_SQL: &str = r#"
INSERT INTO org_units (id, tenant_id, parent_id, name, multimedia_concurrency) VALUES
 (13, 1, 11, 'Customer Care VIP', NULL);

INSERT INTO whatsapp_channels (id, org_unit_id, name, phone_number) VALUES
 (103, 13, 'Northwind VIP WhatsApp', '+8613700137000');
"#;

impl Db {
    /// Seeds the demo data into an empty database, the WebRTC tenants pointed at
    /// `registration_server` and given the STUN/TURN server `turn` (`host:port` and its shared
    /// secret) if given. Returns whether it did.
    pub async fn seed_demo_data_if_empty(
        &self,
        registration_server: Option<&str>,
        turn: Option<(&str, &str)>,
    ) -> anyhow::Result<bool> {
        if self.has_tenants().await? {
            return Ok(false);
        }
        match self.seed_demo_data(registration_server, turn).await {
            Ok(()) => Ok(true),
            // Several instances started together on a new database: another one seeded it
            // between the check and this transaction, whose inserts then collided with its rows.
            Err(_) if self.has_tenants().await? => Ok(false),
            Err(error) => Err(error),
        }
    }

    async fn has_tenants(&self) -> anyhow::Result<bool> {
        let (tenants,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tenants")
            .fetch_one(self.pool())
            .await?;
        Ok(tenants > 0)
    }

    async fn seed_demo_data(
        &self,
        registration_server: Option<&str>,
        turn: Option<(&str, &str)>,
    ) -> anyhow::Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::raw_sql(DEMO_SQL).execute(&mut *tx).await?;
        sqlx::raw_sql(E_CARD_DEMO_SQL).execute(&mut *tx).await?;
        for agent in &DEMO_AGENTS {
            sqlx::query("UPDATE employees SET password_hash = $1 WHERE business_account = $2")
                .bind(password::hash(DEMO_PASSWORD))
                .bind(agent.business_account)
                .execute(&mut *tx)
                .await?;
        }
        for agent_id in REGISTERED_DEMO_AGENTS {
            sqlx::query(
                "INSERT INTO softphone_registrations (agent_id, registered, changed_at)
                 VALUES ($1, 1, $2)",
            )
            .bind(agent_id)
            .bind(session::now())
            .execute(&mut *tx)
            .await?;
        }
        if let Some(url) = registration_server {
            sqlx::query("UPDATE tenants SET sip_websocket_url = $1 WHERE sip_websocket_url <> ''")
                .bind(url)
                .execute(&mut *tx)
                .await?;
        }
        if let Some((address, secret)) = turn {
            // BEY-3: coturn answers STUN too, so one server is both.
            sqlx::query(
                "INSERT INTO tenant_ice_servers (tenant_id, url, turn_secret)
                 SELECT id, 'stun:' || $1, NULL FROM tenants WHERE webrtc_enabled = 1
                 UNION ALL
                 SELECT id, 'turn:' || $1 || '?transport=udp', $2 FROM tenants
                 WHERE webrtc_enabled = 1",
            )
            .bind(address)
            .bind(secret)
            .execute(&mut *tx)
            .await?;
        }
        for (agent_id, user, domain, password) in DEMO_SOFTPHONE_PASSWORDS {
            let credential = softphone::credential(user, domain, password);
            sqlx::query(
                "UPDATE agents SET softphone_password_hash = $1, sip_ha1 = $2, sip_ha1_realm = $3
                 WHERE id = $4",
            )
            .bind(password::hash(password))
            .bind(credential.as_ref().map(|c| c.ha1.as_str()))
            .bind(credential.as_ref().map(|c| c.realm.as_str()))
            .bind(agent_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
