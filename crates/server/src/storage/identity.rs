//! Employees and their agent identities (EMP-1, AGT-1).

use pc_model::{AgentInfo, AgentRole, AgentType, Employee, Permission, SkillQueue};
use sqlx::FromRow;

use super::{Db, Flag};

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

#[derive(FromRow)]
struct SkillQueueRow {
    id: i64,
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

    pub async fn employee_of_agent(&self, agent_id: i64) -> sqlx::Result<Employee> {
        let row: EmployeeRow = sqlx::query_as(
            "SELECT e.business_account, e.username, e.phone, e.email, e.position,
                    m.username AS manager
             FROM agents a
             JOIN employees e ON e.id = a.employee_id
             LEFT JOIN employees m ON m.id = e.manager_id
             WHERE a.id = $1",
        )
        .bind(agent_id)
        .fetch_one(self.pool())
        .await?;
        Ok(Employee {
            business_account: row.business_account,
            username: row.username,
            phone: row.phone,
            email: row.email,
            position: row.position,
            manager: row.manager,
        })
    }

    pub async fn agent_info(&self, agent_id: i64) -> sqlx::Result<AgentInfo> {
        let row: AgentRow = sqlx::query_as(
            "SELECT id, agent_type, role, softphone_number, registration_server, fixed_line,
                    mobile, webrtc_enabled, bound_to_business_account
             FROM agents WHERE id = $1",
        )
        .bind(agent_id)
        .fetch_one(self.pool())
        .await?;
        let skill_queues: Vec<SkillQueueRow> = sqlx::query_as(
            "SELECT q.id, q.name FROM agent_skill_queues aq
             JOIN skill_queues q ON q.id = aq.skill_queue_id
             WHERE aq.agent_id = $1 ORDER BY q.name",
        )
        .bind(agent_id)
        .fetch_all(self.pool())
        .await?;
        let permissions: Vec<(String,)> = sqlx::query_as(
            "SELECT permission FROM agent_permissions WHERE agent_id = $1 ORDER BY permission",
        )
        .bind(agent_id)
        .fetch_all(self.pool())
        .await?;
        Ok(AgentInfo {
            agent_id: row.id,
            agent_type: from_db::<AgentType>("agent_type", &row.agent_type)?,
            role: from_db::<AgentRole>("role", &row.role)?,
            softphone_number: row.softphone_number,
            registration_server: row.registration_server,
            skill_queues: skill_queues
                .into_iter()
                .map(|q| SkillQueue {
                    id: q.id,
                    name: q.name,
                })
                .collect(),
            fixed_line: row.fixed_line,
            mobile: row.mobile,
            webrtc_enabled: row.webrtc_enabled.0,
            bound_to_business_account: row.bound_to_business_account.0,
            permissions: permissions
                .into_iter()
                .map(|(p,)| from_db::<Permission>("permission", &p))
                .collect::<sqlx::Result<_>>()?,
        })
    }
}
