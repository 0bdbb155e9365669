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
}

/// A skill queue (with its ID) or a permission (without) of an agent.
#[derive(FromRow)]
struct AgentPartRow {
    id: Option<i64>,
    name: String,
}

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
        let sql = format!(
            "SELECT a.id, a.agent_type, a.role, a.softphone_number, a.registration_server,
                    a.fixed_line, a.mobile, a.webrtc_enabled, a.bound_to_business_account
             FROM {from} WHERE {picks}"
        );
        // Both reads on one connection: the pool checks a connection each time it comes back.
        let mut connection = self.pool().acquire().await?;
        let row: Option<AgentRow> = whose
            .bind(sqlx::query_as(&sql))
            .fetch_optional(&mut *connection)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        // The skill queues and the permissions in one round trip, each sorted by name.
        let parts: Vec<AgentPartRow> = sqlx::query_as(
            "SELECT 'queue' AS part, q.id, q.name FROM agent_skill_queues aq
             JOIN skill_queues q ON q.id = aq.skill_queue_id
             WHERE aq.agent_id = $1
             UNION ALL
             SELECT 'permission' AS part, NULL AS id, permission AS name FROM agent_permissions
             WHERE agent_id = $1
             ORDER BY part, name",
        )
        .bind(row.id)
        .fetch_all(&mut *connection)
        .await?;
        let mut skill_queues = Vec::new();
        let mut permissions = Vec::new();
        for part in parts {
            match part.id {
                Some(id) => skill_queues.push(SkillQueue {
                    id,
                    name: part.name,
                }),
                None => permissions.push(from_db::<Permission>("permission", &part.name)?),
            }
        }
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
