//! Employees and their agent identities (EMP-1, AGT-1).

use pc_model::{AgentInfo, AgentRole, AgentType, Employee, Permission, SkillQueue};
use sqlx::FromRow;

use super::{Db, Flag, Whose};

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

/// The agent once per skill queue (`queue_id` and `name`; once without when there is none) and
/// once per permission (`name` alone).
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
    queue_id: Option<i64>,
    name: Option<String>,
}

/// The columns of [`AgentRow`] from `agents a`.
const AGENT_COLUMNS: &str = "a.id, a.agent_type, a.role, a.softphone_number, a.registration_server,
    a.fixed_line, a.mobile, a.webrtc_enabled, a.bound_to_business_account";

/// Reads a value the schema's CHECK constraints keep to the model's set.
fn from_db<T: serde::de::DeserializeOwned>(column: &str, value: &str) -> sqlx::Result<T> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).map_err(|e| {
        sqlx::Error::ColumnDecode {
            index: column.to_owned(),
            source: Box::new(e),
        }
    })
}

impl Db {
    /// The agent signing in with `business_account`, if there is one.
    pub async fn credentials(&self, business_account: &str) -> sqlx::Result<Option<Credentials>> {
        sqlx::query_as(
            "SELECT a.id AS agent_id, e.password_hash
             FROM employees e JOIN agents a ON a.employee_id = e.id
             WHERE e.business_account = $1",
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
        // One query for the agent, its skill queues and its permissions: one round trip, one
        // snapshot. Sorted by name, so each kind comes in its own order.
        let sql = format!(
            "SELECT {AGENT_COLUMNS}, q.id AS queue_id, q.name AS name
             FROM {from}
             LEFT JOIN agent_skill_queues aq ON aq.agent_id = a.id
             LEFT JOIN skill_queues q ON q.id = aq.skill_queue_id
             WHERE {picks}
             UNION ALL
             SELECT {AGENT_COLUMNS}, NULL, p.permission
             FROM {from}
             JOIN agent_permissions p ON p.agent_id = a.id
             WHERE {picks}
             ORDER BY name"
        );
        let rows: Vec<AgentRow> = whose
            .bind(sqlx::query_as(&sql))
            .fetch_all(self.pool())
            .await?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let mut agent = AgentInfo {
            agent_id: row.id,
            agent_type: from_db::<AgentType>("agent_type", &row.agent_type)?,
            role: from_db::<AgentRole>("role", &row.role)?,
            softphone_number: row.softphone_number.clone(),
            registration_server: row.registration_server.clone(),
            skill_queues: Vec::new(),
            fixed_line: row.fixed_line.clone(),
            mobile: row.mobile.clone(),
            webrtc_enabled: row.webrtc_enabled.0,
            bound_to_business_account: row.bound_to_business_account.0,
            permissions: Vec::new(),
        };
        for row in rows {
            match (row.queue_id, row.name) {
                (Some(id), Some(name)) => agent.skill_queues.push(SkillQueue { id, name }),
                (None, Some(permission)) => agent
                    .permissions
                    .push(from_db::<Permission>("permission", &permission)?),
                // The row of an agent without skill queues names none.
                _ => {}
            }
        }
        Ok(Some(agent))
    }
}
