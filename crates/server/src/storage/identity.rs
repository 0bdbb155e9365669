//! Employees and their agent identities (EMP-1, AGT-1).

use pc_model::{AgentInfo, AgentRole, AgentType, Employee, Permission, SkillQueue};
use sqlx::FromRow;

use super::{from_db, Db, Flag, Whose};

/// What sign-in needs to know about a business account.
#[derive(Debug, FromRow)]
pub struct Credentials {
    pub agent_id: i64,
    pub password_hash: Option<String>,
}

#[derive(FromRow)]
struct EmployeeRow {
    business_account: String,
    username: String,
    phone: String,
    email: String,
    position: String,
    manager: Option<String>,
}

/// The agent with its skill queues (`id:name` each) and its permissions, each list in one
/// column, its items apart by [`LIST_SEPARATOR`]; `None` for an empty list.
#[derive(FromRow)]
struct AgentRow {
    id: i64,
    agent_type: String,
    role: String,
    softphone_number: String,
    registration_server: String,
    fixed_line: Option<String>,
    mobile: Option<String>,
    webrtc_enabled: Flag,
    bound_to_business_account: Flag,
    skill_queues: Option<String>,
    permissions: Option<String>,
}

/// Between the items of a list aggregated into one column: a control character, which no name
/// an administrator gives holds.
const LIST_SEPARATOR: char = '\u{1f}';

/// The columns of [`AgentRow`] from `agents a`.
/// An agent without a registration server of their own shows the tenant's.
const AGENT_COLUMNS: &str = "a.id, a.agent_type, a.role, a.softphone_number,
    CASE WHEN a.registration_server <> '' THEN a.registration_server
         ELSE (SELECT t.agent_registration_server FROM tenants t WHERE t.id = a.tenant_id)
    END AS registration_server,
    a.fixed_line, a.mobile, a.webrtc_enabled, a.bound_to_business_account";

/// The items of a list aggregated into one column (see [`AgentRow`]).
fn items(list: Option<&str>) -> impl Iterator<Item = &str> {
    list.into_iter().flat_map(|list| list.split(LIST_SEPARATOR))
}

impl Db {
    /// The agent signing in with `business_account` (in any case), if there is one who may: an
    /// inactive or deleted one is no one (PRV-5), and so is one of a tenant whose agents sign
    /// in only through its identity provider (SSO-1).
    pub async fn credentials(&self, business_account: &str) -> sqlx::Result<Option<Credentials>> {
        sqlx::query_as(
            "SELECT a.id AS agent_id, e.password_hash
             FROM employees e JOIN agents a ON a.employee_id = e.id
             LEFT JOIN tenant_sso s ON s.tenant_id = e.tenant_id
             WHERE lower(e.business_account) = lower($1) AND e.deleted_at IS NULL
               AND e.active = 1 AND COALESCE(s.password_sign_in, 1) = 1",
        )
        .bind(business_account)
        .fetch_optional(self.pool())
        .await
    }

    /// EMP-1: the employee information of an agent; `None` if there is no such agent (or live
    /// session).
    pub async fn employee(&self, whose: Whose<'_>) -> sqlx::Result<Option<Employee>> {
        let (from, picks) = whose.agent();
        let sql = format!(
            "SELECT e.business_account, e.username, e.phone, e.email, e.position,
                    m.username AS manager
             FROM {from}
             JOIN employees e ON e.id = a.employee_id
             LEFT JOIN employees m ON m.id = e.manager_id
             WHERE {picks}"
        );
        let row: Option<EmployeeRow> = whose
            .bind(sqlx::query_as(&sql))
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|row| Employee {
            business_account: row.business_account,
            username: row.username,
            phone: row.phone,
            email: row.email,
            position: row.position,
            manager: row.manager,
        }))
    }

    /// AGT-1: an agent's information; `None` if there is no such agent (or live session).
    pub async fn agent_info(&self, whose: Whose<'_>) -> sqlx::Result<Option<AgentInfo>> {
        let (from, picks) = whose.agent();
        // One row for the agent, its skill queues and its permissions: one round trip, one
        // snapshot, and a row to decode instead of one per queue and permission (which made
        // this read a quarter slower under load; `cargo xtask bench`).
        let sql = format!(
            "SELECT {AGENT_COLUMNS},
                    (SELECT string_agg(CAST(q.id AS TEXT) || ':' || q.name, '{LIST_SEPARATOR}'
                                       ORDER BY q.name)
                     FROM agent_skill_queues aq JOIN skill_queues q ON q.id = aq.skill_queue_id
                     WHERE aq.agent_id = a.id) AS skill_queues,
                    (SELECT string_agg(p.permission, '{LIST_SEPARATOR}' ORDER BY p.permission)
                     FROM agent_permissions p WHERE p.agent_id = a.id) AS permissions
             FROM {from}
             WHERE {picks}"
        );
        let row: Option<AgentRow> = whose
            .bind(sqlx::query_as(&sql))
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let skill_queues = items(row.skill_queues.as_deref())
            .map(|item| {
                item.split_once(':')
                    .and_then(|(id, name)| {
                        Some(SkillQueue {
                            id: id.parse().ok()?,
                            name: name.to_owned(),
                        })
                    })
                    .ok_or_else(|| sqlx::Error::ColumnDecode {
                        index: "skill_queues".to_owned(),
                        source: format!("not id:name: {item:?}").into(),
                    })
            })
            .collect::<sqlx::Result<_>>()?;
        let permissions = items(row.permissions.as_deref())
            .map(|permission| from_db::<Permission>("permissions", permission))
            .collect::<sqlx::Result<_>>()?;
        Ok(Some(AgentInfo {
            agent_id: row.id,
            agent_type: from_db::<AgentType>("agent_type", &row.agent_type)?,
            role: from_db::<AgentRole>("role", &row.role)?,
            softphone_number: row.softphone_number,
            registration_server: row.registration_server,
            skill_queues,
            fixed_line: row.fixed_line,
            mobile: row.mobile,
            webrtc_enabled: row.webrtc_enabled.0,
            bound_to_business_account: row.bound_to_business_account.0,
            permissions,
        }))
    }
}
