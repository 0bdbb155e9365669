//! PRV: the users (employees with their agents) and groups (skill queues) an identity provider
//! provisions over SCIM, always within one tenant: the token's.
//!
//! Every change starts with a write that locks what it depends on (see the module above): a
//! user's change raises its version first, with `WHERE version = $n` when the client names
//! one (`If-Match`), so of two racing changes exactly one wins; a create locks its tenant's row
//! while it picks the lowest free agent ID.

use std::collections::{BTreeSet, HashMap};

use pc_model::{ActivityKind, AgentRole, AgentType, FieldChange, Permission};
use sqlx::{AnyConnection, FromRow};

use super::audit::{self, AuditEvent};
use super::{from_db, Db, Flag, Refusal};
use crate::domain::provisioning::groups::{GroupInput, GroupRecord};
use crate::domain::provisioning::users::{changes, GroupRef, Name, UserInput, UserRecord, UserRef};
use crate::domain::session::now;

/// What provisioning needs to know about a tenant.
#[derive(Clone, Debug, FromRow)]
pub struct ProvisioningTenant {
    pub id: i64,
    pub default_org_unit: String,
    pub first_agent_id: i64,
    pub last_agent_id: i64,
}

/// Who makes a change, as the audit trail records it.
#[derive(Clone, Copy, Debug)]
pub struct Caller<'a> {
    pub tenant_id: i64,
    pub address: &'a str,
}

#[derive(FromRow)]
struct UserRow {
    id: i64,
    business_account: String,
    external_id: Option<String>,
    display_name: Option<String>,
    name_formatted: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    username: String,
    position: String,
    active: Flag,
    email: String,
    phone: String,
    mobile: Option<String>,
    fixed_line: Option<String>,
    role: String,
    employee_number: Option<String>,
    department: Option<String>,
    manager_id: Option<i64>,
    manager_name: Option<String>,
    agent_id: i64,
    agent_type: String,
    softphone_number: String,
    registration_server: String,
    org_unit: Option<String>,
    webrtc_enabled: Flag,
    bound_to_business_account: Flag,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

const USER_SELECT: &str = "SELECT e.id, e.business_account, e.external_id, e.display_name,
        e.name_formatted, e.given_name, e.family_name, e.username, e.position, e.active, e.email,
        e.phone, a.mobile, a.fixed_line, a.role, e.employee_number, e.department, e.manager_id,
        m.username AS manager_name, a.id AS agent_id, a.agent_type, a.softphone_number,
        a.registration_server, o.code AS org_unit, a.webrtc_enabled, a.bound_to_business_account,
        e.version, e.created_at, e.updated_at
     FROM employees e
     JOIN agents a ON a.employee_id = e.id
     LEFT JOIN org_units o ON o.id = a.org_unit_id
     LEFT JOIN employees m ON m.id = e.manager_id AND m.deleted_at IS NULL
     WHERE e.tenant_id = $1 AND e.deleted_at IS NULL";

#[derive(FromRow)]
struct GroupRow {
    id: i64,
    name: String,
    external_id: Option<String>,
    code: Option<String>,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

/// The tenant's users (all, or the one with `id`), with their permissions and skill queues.
async fn load_users(
    connection: &mut AnyConnection,
    tenant_id: i64,
    id: Option<i64>,
) -> sqlx::Result<Vec<UserRecord>> {
    let rows: Vec<UserRow> = match id {
        Some(id) => {
            sqlx::query_as(&format!("{USER_SELECT} AND e.id = $2"))
                .bind(tenant_id)
                .bind(id)
                .fetch_all(&mut *connection)
                .await?
        }
        None => {
            sqlx::query_as(&format!("{USER_SELECT} ORDER BY e.id"))
                .bind(tenant_id)
                .fetch_all(&mut *connection)
                .await?
        }
    };
    let permission_rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT p.agent_id, p.permission FROM agent_permissions p
         JOIN agents a ON a.id = p.agent_id WHERE a.tenant_id = $1 ORDER BY p.permission",
    )
    .bind(tenant_id)
    .fetch_all(&mut *connection)
    .await?;
    let group_rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT aq.agent_id, q.id, q.name FROM agent_skill_queues aq
         JOIN skill_queues q ON q.id = aq.skill_queue_id WHERE q.tenant_id = $1
         ORDER BY q.name, q.id",
    )
    .bind(tenant_id)
    .fetch_all(&mut *connection)
    .await?;
    let mut permissions: HashMap<i64, Vec<Permission>> = HashMap::new();
    for (agent_id, permission) in permission_rows {
        permissions
            .entry(agent_id)
            .or_default()
            .push(from_db("permission", &permission)?);
    }
    let mut groups: HashMap<i64, Vec<GroupRef>> = HashMap::new();
    for (agent_id, id, name) in group_rows {
        groups
            .entry(agent_id)
            .or_default()
            .push(GroupRef { id, name });
    }
    rows.into_iter()
        .map(|row| {
            Ok(UserRecord {
                id: row.id,
                user_name: row.business_account,
                external_id: row.external_id,
                display_name: row.display_name,
                name: Name {
                    formatted: row.name_formatted,
                    given_name: row.given_name,
                    family_name: row.family_name,
                },
                username: row.username,
                title: row.position,
                active: row.active.0,
                email: row.email,
                phone: row.phone,
                mobile: row.mobile,
                fixed_line: row.fixed_line,
                role: from_db::<AgentRole>("role", &row.role)?,
                permissions: permissions.remove(&row.agent_id).unwrap_or_default(),
                groups: groups.remove(&row.agent_id).unwrap_or_default(),
                employee_number: row.employee_number,
                department: row.department,
                manager: row
                    .manager_id
                    .zip(row.manager_name)
                    .map(|(id, username)| UserRef { id, username }),
                agent_id: row.agent_id,
                agent_type: from_db::<AgentType>("agent_type", &row.agent_type)?,
                softphone_number: row.softphone_number,
                registration_server: row.registration_server,
                org_unit: row.org_unit.unwrap_or_default(),
                webrtc: row.webrtc_enabled.0,
                bound: row.bound_to_business_account.0,
                version: row.version,
                created_at: row.created_at,
                updated_at: row.updated_at,
            })
        })
        .collect()
}

/// The OU a code names in the tenant.
async fn org_unit_id(
    connection: &mut AnyConnection,
    tenant_id: i64,
    code: &str,
) -> Result<i64, Refusal> {
    sqlx::query_scalar("SELECT id FROM org_units WHERE tenant_id = $1 AND code = $2")
        .bind(tenant_id)
        .bind(code)
        .fetch_optional(&mut *connection)
        .await?
        .ok_or_else(|| Refusal::Invalid {
            field: "organizationUnit",
            reason: if code.is_empty() {
                "the tenant has no organization unit to put agents in: declare one in the tenant file".into()
            } else {
                format!("{code:?} is not an organization unit of the tenant")
            },
        })
}

/// Checks that a manager is another, not deleted, user of the tenant.
async fn check_manager(
    connection: &mut AnyConnection,
    tenant_id: i64,
    manager_id: Option<i64>,
    user_id: Option<i64>,
) -> Result<(), Refusal> {
    let Some(manager_id) = manager_id else {
        return Ok(());
    };
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM employees WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL",
    )
    .bind(manager_id)
    .bind(tenant_id)
    .fetch_optional(&mut *connection)
    .await?;
    if found.is_none() || Some(manager_id) == user_id {
        return Err(Refusal::Invalid {
            field: "manager",
            reason: format!("{manager_id} is not another User of the tenant"),
        });
    }
    Ok(())
}

async fn set_permissions(
    connection: &mut AnyConnection,
    agent_id: i64,
    permissions: &[Permission],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM agent_permissions WHERE agent_id = $1")
        .bind(agent_id)
        .execute(&mut *connection)
        .await?;
    for permission in permissions {
        sqlx::query("INSERT INTO agent_permissions (agent_id, permission) VALUES ($1, $2)")
            .bind(agent_id)
            .bind(permission.code())
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// Records what provisioning did to an agent (SEC-4).
async fn record(
    connection: &mut AnyConnection,
    caller: Caller<'_>,
    user: &UserRecord,
    kind: ActivityKind,
    changes: Vec<FieldChange>,
) -> sqlx::Result<()> {
    audit::record(
        connection,
        &AuditEvent {
            agent_id: Some(user.agent_id),
            business_account: &user.user_name,
            at: now(),
            address: caller.address,
            kind,
            changes,
        },
    )
    .await
    .map(drop)
}

/// Ends every session of the agent: a deactivated or deleted one's next request gets 401, on
/// every instance (sessions live in the database).
async fn end_sessions(connection: &mut AnyConnection, agent_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE agent_id = $1")
        .bind(agent_id)
        .execute(&mut *connection)
        .await
        .map(drop)
}

/// Raises the versions of the users who are members of the given groups, or were: their
/// `groups` changed as SCIM shows them.
async fn touch_users(
    connection: &mut AnyConnection,
    agent_ids: &[i64],
    at: i64,
) -> sqlx::Result<()> {
    for agent_id in agent_ids {
        sqlx::query(
            "UPDATE employees SET version = version + 1, updated_at = $1
             WHERE id = (SELECT employee_id FROM agents WHERE id = $2)",
        )
        .bind(at)
        .bind(agent_id)
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}

impl Db {
    /// The codes of the tenant's OUs, in the order they were made.
    pub async fn org_unit_codes(&self, tenant_id: i64) -> sqlx::Result<Vec<String>> {
        sqlx::query_scalar("SELECT code FROM org_units WHERE tenant_id = $1 ORDER BY id")
            .bind(tenant_id)
            .fetch_all(self.pool())
            .await
    }

    /// Every user of the tenant that is not deleted, by id.
    pub async fn users(&self, tenant_id: i64) -> sqlx::Result<Vec<UserRecord>> {
        let mut connection = self.pool().acquire().await?;
        load_users(&mut connection, tenant_id, None).await
    }

    pub async fn user(&self, tenant_id: i64, id: i64) -> sqlx::Result<Option<UserRecord>> {
        let mut connection = self.pool().acquire().await?;
        Ok(load_users(&mut connection, tenant_id, Some(id))
            .await?
            .pop())
    }

    /// PRV-2: creates an agent with the lowest free agent ID of the tenant's range and the
    /// defaults of whatever the request leaves out. `password_hash`: of the sign-in password,
    /// when the request sets one.
    pub async fn create_user(
        &self,
        caller: Caller<'_>,
        input: &UserInput,
        password_hash: Option<&str>,
    ) -> Result<UserRecord, Refusal> {
        let mut tx = self.pool().begin().await?;
        let done = create_user_in(&mut tx, caller, input, password_hash).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// PRV-4: replaces what a user is (a PUT, or a PATCH once applied): what the request leaves
    /// out that a user always has stays as it is. `if_match`: the version the client read.
    pub async fn replace_user(
        &self,
        caller: Caller<'_>,
        id: i64,
        input: &UserInput,
        password_hash: Option<&str>,
        if_match: Option<i64>,
    ) -> Result<UserRecord, Refusal> {
        let mut tx = self.pool().begin().await?;
        let done = replace_user_in(&mut tx, caller, id, input, password_hash, if_match).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// PRV-5: deletes a user. The rows stay for the audit trail and the history, which refer to
    /// the agent (so does its agent ID, which no one gets again); the business account and the
    /// work email become free; sessions, E-Name Cards, skill queues, permissions, the passwords
    /// and the settings go.
    pub async fn delete_user(
        &self,
        caller: Caller<'_>,
        id: i64,
        if_match: Option<i64>,
    ) -> Result<(), Refusal> {
        let mut tx = self.pool().begin().await?;
        delete_user_in(&mut tx, caller, id, if_match).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every skill queue of the tenant, by id.
    pub async fn groups(&self, tenant_id: i64) -> sqlx::Result<Vec<GroupRecord>> {
        let mut connection = self.pool().acquire().await?;
        load_groups(&mut connection, tenant_id, None).await
    }

    pub async fn group(&self, tenant_id: i64, id: i64) -> sqlx::Result<Option<GroupRecord>> {
        let mut connection = self.pool().acquire().await?;
        Ok(load_groups(&mut connection, tenant_id, Some(id))
            .await?
            .pop())
    }

    /// PRV-3: creates a skill queue (no code: SCIM's own) with its members.
    pub async fn create_group(
        &self,
        caller: Caller<'_>,
        input: &GroupInput,
    ) -> Result<GroupRecord, Refusal> {
        let mut tx = self.pool().begin().await?;
        let done = create_group_in(&mut tx, caller, input).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// PRV-4: replaces a skill queue's name, external id and members. A queue the tenant file
    /// declares keeps its name: only the file renames it.
    pub async fn replace_group(
        &self,
        caller: Caller<'_>,
        id: i64,
        input: &GroupInput,
        if_match: Option<i64>,
    ) -> Result<GroupRecord, Refusal> {
        let mut tx = self.pool().begin().await?;
        let done = replace_group_in(&mut tx, caller, id, input, if_match).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Deletes a skill queue that SCIM created; one the tenant file declares is the file's.
    pub async fn delete_group(
        &self,
        caller: Caller<'_>,
        id: i64,
        if_match: Option<i64>,
    ) -> Result<(), Refusal> {
        let mut tx = self.pool().begin().await?;
        delete_group_in(&mut tx, caller, id, if_match).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// [`Db::create_user`], in the caller's transaction.
pub(super) async fn create_user_in(
    tx: &mut AnyConnection,
    caller: Caller<'_>,
    input: &UserInput,
    password_hash: Option<&str>,
) -> Result<UserRecord, Refusal> {
    let tenant: ProvisioningTenant = sqlx::query_as(
        "UPDATE tenants SET last_agent_id = last_agent_id WHERE id = $1
         RETURNING id, default_org_unit, first_agent_id, last_agent_id",
    )
    .bind(caller.tenant_id)
    .fetch_one(&mut *tx)
    .await?;
    let org_unit = input
        .org_unit
        .clone()
        .unwrap_or_else(|| tenant.default_org_unit.clone());
    let org_unit_id = org_unit_id(tx, tenant.id, &org_unit).await?;
    check_manager(tx, tenant.id, input.manager_id, None).await?;
    let taken: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM agents WHERE id BETWEEN $1 AND $2 ORDER BY id")
            .bind(tenant.first_agent_id)
            .bind(tenant.last_agent_id)
            .fetch_all(&mut *tx)
            .await?;
    let agent_id = (tenant.first_agent_id..=tenant.last_agent_id)
        .zip(
            taken
                .iter()
                .copied()
                .map(Some)
                .chain(std::iter::repeat(None)),
        )
        .find(|(candidate, taken)| Some(*candidate) != *taken)
        .map(|(candidate, _)| candidate)
        .ok_or_else(|| Refusal::Invalid {
            field: "agentId",
            reason: format!(
                "no agent ID of the tenant's {}–{} is free: widen agent_ids in the tenant file",
                tenant.first_agent_id, tenant.last_agent_id
            ),
        })?;
    let at = now();
    let employee_id: i64 = sqlx::query_scalar(
        "INSERT INTO employees (tenant_id, business_account, username, phone, email, position,
             manager_id, password_hash, external_id, display_name, name_formatted, given_name,
             family_name, employee_number, department, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                 $17)
         RETURNING id",
    )
    .bind(tenant.id)
    .bind(&input.user_name)
    .bind(input.username())
    .bind(&input.phone)
    .bind(&input.email)
    .bind(&input.title)
    .bind(input.manager_id)
    .bind(password_hash)
    .bind(&input.external_id)
    .bind(&input.display_name)
    .bind(&input.name.formatted)
    .bind(&input.name.given_name)
    .bind(&input.name.family_name)
    .bind(&input.employee_number)
    .bind(&input.department)
    .bind(Flag(input.active.unwrap_or(true)))
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO agents (id, tenant_id, employee_id, org_unit_id, agent_type, role,
             softphone_number, registration_server, fixed_line, mobile, webrtc_enabled,
             bound_to_business_account)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(agent_id)
    .bind(tenant.id)
    .bind(employee_id)
    .bind(org_unit_id)
    .bind(input.agent_type.unwrap_or(AgentType::Voice).code())
    .bind(input.role.unwrap_or(AgentRole::Agent).code())
    .bind(
        input
            .softphone_number
            .clone()
            .unwrap_or_else(|| agent_id.to_string()),
    )
    .bind(&input.registration_server)
    .bind(&input.fixed_line)
    .bind(&input.mobile)
    .bind(Flag(input.webrtc.unwrap_or(false)))
    .bind(Flag(input.bound.unwrap_or(true)))
    .execute(&mut *tx)
    .await?;
    set_permissions(tx, agent_id, &input.permissions).await?;
    let user = load_users(tx, tenant.id, Some(employee_id))
        .await?
        .pop()
        .ok_or(Refusal::NotFound)?;
    record(tx, caller, &user, ActivityKind::Provisioned, Vec::new()).await?;
    Ok(user)
}

/// [`Db::replace_user`], in the caller's transaction.
pub(super) async fn replace_user_in(
    tx: &mut AnyConnection,
    caller: Caller<'_>,
    id: i64,
    input: &UserInput,
    password_hash: Option<&str>,
    if_match: Option<i64>,
) -> Result<UserRecord, Refusal> {
    let at = now();
    lock_user(tx, caller.tenant_id, id, if_match, at).await?;
    let before = load_users(tx, caller.tenant_id, Some(id))
        .await?
        .pop()
        .ok_or(Refusal::NotFound)?;
    let org_unit = input
        .org_unit
        .clone()
        .unwrap_or_else(|| before.org_unit.clone());
    let org_unit_id = org_unit_id(tx, caller.tenant_id, &org_unit).await?;
    check_manager(tx, caller.tenant_id, input.manager_id, Some(id)).await?;
    let active = input.active.unwrap_or(before.active);
    sqlx::query(
        "UPDATE employees SET business_account = $1, username = $2, phone = $3, email = $4,
             position = $5, manager_id = $6, external_id = $7, display_name = $8,
             name_formatted = $9, given_name = $10, family_name = $11, employee_number = $12,
             department = $13, active = $14, password_hash = COALESCE($15, password_hash)
         WHERE id = $16",
    )
    .bind(&input.user_name)
    .bind(input.username())
    .bind(&input.phone)
    .bind(&input.email)
    .bind(&input.title)
    .bind(input.manager_id)
    .bind(&input.external_id)
    .bind(&input.display_name)
    .bind(&input.name.formatted)
    .bind(&input.name.given_name)
    .bind(&input.name.family_name)
    .bind(&input.employee_number)
    .bind(&input.department)
    .bind(Flag(active))
    .bind(password_hash)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE agents SET org_unit_id = $1, agent_type = $2, role = $3, softphone_number = $4,
             registration_server = $5, fixed_line = $6, mobile = $7, webrtc_enabled = $8,
             bound_to_business_account = $9
         WHERE id = $10",
    )
    .bind(org_unit_id)
    .bind(input.agent_type.unwrap_or(before.agent_type).code())
    .bind(input.role.unwrap_or(before.role).code())
    .bind(
        input
            .softphone_number
            .clone()
            .unwrap_or_else(|| before.softphone_number.clone()),
    )
    .bind(&input.registration_server)
    .bind(&input.fixed_line)
    .bind(&input.mobile)
    .bind(Flag(input.webrtc.unwrap_or(before.webrtc)))
    .bind(Flag(input.bound.unwrap_or(before.bound)))
    .bind(before.agent_id)
    .execute(&mut *tx)
    .await?;
    set_permissions(tx, before.agent_id, &input.permissions).await?;
    if !active {
        end_sessions(tx, before.agent_id).await?;
    }
    let after = load_users(tx, caller.tenant_id, Some(id))
        .await?
        .pop()
        .ok_or(Refusal::NotFound)?;
    let kind = match (before.active, after.active) {
        (true, false) => Some(ActivityKind::Deactivated),
        (false, true) => Some(ActivityKind::Reactivated),
        _ => None,
    };
    let changed = changes(&before, &after);
    if let Some(kind) = kind.or((!changed.is_empty()).then_some(ActivityKind::ProvisioningChanged))
    {
        record(tx, caller, &after, kind, changed).await?;
    }
    Ok(after)
}

/// [`Db::delete_user`], in the caller's transaction.
pub(super) async fn delete_user_in(
    tx: &mut AnyConnection,
    caller: Caller<'_>,
    id: i64,
    if_match: Option<i64>,
) -> Result<(), Refusal> {
    let at = now();
    lock_user(tx, caller.tenant_id, id, if_match, at).await?;
    let user = load_users(tx, caller.tenant_id, Some(id))
        .await?
        .pop()
        .ok_or(Refusal::NotFound)?;
    let agent_id = user.agent_id;
    let queues: Vec<i64> =
        sqlx::query_scalar("SELECT skill_queue_id FROM agent_skill_queues WHERE agent_id = $1")
            .bind(agent_id)
            .fetch_all(&mut *tx)
            .await?;
    for queue in queues {
        sqlx::query("UPDATE skill_queues SET version = version + 1, updated_at = $1 WHERE id = $2")
            .bind(at)
            .bind(queue)
            .execute(&mut *tx)
            .await?;
    }
    for statement in [
        "DELETE FROM sessions WHERE agent_id = $1",
        "DELETE FROM business_cards WHERE agent_id = $1",
        "DELETE FROM agent_skill_queues WHERE agent_id = $1",
        "DELETE FROM agent_permissions WHERE agent_id = $1",
        "DELETE FROM agent_greetings WHERE agent_id = $1",
        "DELETE FROM agent_settings WHERE agent_id = $1",
        "DELETE FROM softphone_registrations WHERE agent_id = $1",
        "UPDATE agents SET org_unit_id = NULL, softphone_password_hash = NULL, sip_ha1 = NULL,
             sip_ha1_realm = NULL
         WHERE id = $1",
    ] {
        sqlx::query(statement)
            .bind(agent_id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "UPDATE employees SET manager_id = NULL, version = version + 1, updated_at = $1
         WHERE manager_id = $2",
    )
    .bind(at)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE employees SET deleted_at = $1, password_hash = NULL, active = 0 WHERE id = $2",
    )
    .bind(at)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    record(tx, caller, &user, ActivityKind::Deprovisioned, Vec::new()).await?;
    Ok(())
}

/// [`Db::create_group`], in the caller's transaction.
pub(super) async fn create_group_in(
    tx: &mut AnyConnection,
    caller: Caller<'_>,
    input: &GroupInput,
) -> Result<GroupRecord, Refusal> {
    let at = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO skill_queues (tenant_id, name, external_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(caller.tenant_id)
    .bind(&input.display_name)
    .bind(&input.external_id)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    set_members(tx, caller, id, &input.members).await?;
    let group = load_groups(tx, caller.tenant_id, Some(id))
        .await?
        .pop()
        .ok_or(Refusal::NotFound)?;
    Ok(group)
}

/// [`Db::replace_group`], in the caller's transaction.
pub(super) async fn replace_group_in(
    tx: &mut AnyConnection,
    caller: Caller<'_>,
    id: i64,
    input: &GroupInput,
    if_match: Option<i64>,
) -> Result<GroupRecord, Refusal> {
    let at = now();
    lock_group(tx, caller.tenant_id, id, if_match, at).await?;
    let before = load_groups(tx, caller.tenant_id, Some(id))
        .await?
        .pop()
        .ok_or(Refusal::NotFound)?;
    if let Some(code) = &before.code {
        if before.display_name != input.display_name {
            return Err(Refusal::Unchangeable(format!(
                "the skill queue {:?} is declared by the tenant file (code {code}); rename it there",
                before.display_name
            )));
        }
    }
    sqlx::query("UPDATE skill_queues SET name = $1, external_id = $2 WHERE id = $3")
        .bind(&input.display_name)
        .bind(&input.external_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    set_members(tx, caller, id, &input.members).await?;
    let group = load_groups(tx, caller.tenant_id, Some(id))
        .await?
        .pop()
        .ok_or(Refusal::NotFound)?;
    Ok(group)
}

/// [`Db::delete_group`], in the caller's transaction.
pub(super) async fn delete_group_in(
    tx: &mut AnyConnection,
    caller: Caller<'_>,
    id: i64,
    if_match: Option<i64>,
) -> Result<(), Refusal> {
    let at = now();
    lock_group(tx, caller.tenant_id, id, if_match, at).await?;
    let group = load_groups(tx, caller.tenant_id, Some(id))
        .await?
        .pop()
        .ok_or(Refusal::NotFound)?;
    if let Some(code) = &group.code {
        return Err(Refusal::Unchangeable(format!(
            "the skill queue {:?} is declared by the tenant file (code {code}); remove it there",
            group.display_name
        )));
    }
    set_members(tx, caller, id, &BTreeSet::new()).await?;
    super::tenants::remove_queue(tx, id, at).await?;
    Ok(())
}

/// The write a user's change starts with: raises its version, if it is the tenant's, not
/// deleted, and (with `if_match`) still at that version.
async fn lock_user(
    connection: &mut AnyConnection,
    tenant_id: i64,
    id: i64,
    if_match: Option<i64>,
    at: i64,
) -> Result<(), Refusal> {
    let done = sqlx::query(
        "UPDATE employees SET version = version + 1, updated_at = $1
         WHERE id = $2 AND tenant_id = $3 AND deleted_at IS NULL
           AND EXISTS (SELECT 1 FROM agents a WHERE a.employee_id = employees.id)
           AND ($4 IS NULL OR version = $4)",
    )
    .bind(at)
    .bind(id)
    .bind(tenant_id)
    .bind(if_match)
    .execute(&mut *connection)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    let exists: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM employees WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL",
    )
    .bind(id)
    .bind(tenant_id)
    .fetch_optional(&mut *connection)
    .await?;
    Err(if exists.is_some() {
        Refusal::Stale
    } else {
        Refusal::NotFound
    })
}

async fn lock_group(
    connection: &mut AnyConnection,
    tenant_id: i64,
    id: i64,
    if_match: Option<i64>,
    at: i64,
) -> Result<(), Refusal> {
    let done = sqlx::query(
        "UPDATE skill_queues SET version = version + 1, updated_at = $1
         WHERE id = $2 AND tenant_id = $3 AND ($4 IS NULL OR version = $4)",
    )
    .bind(at)
    .bind(id)
    .bind(tenant_id)
    .bind(if_match)
    .execute(&mut *connection)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM skill_queues WHERE id = $1 AND tenant_id = $2")
            .bind(id)
            .bind(tenant_id)
            .fetch_optional(&mut *connection)
            .await?;
    Err(if exists.is_some() {
        Refusal::Stale
    } else {
        Refusal::NotFound
    })
}

async fn load_groups(
    connection: &mut AnyConnection,
    tenant_id: i64,
    id: Option<i64>,
) -> sqlx::Result<Vec<GroupRecord>> {
    let select = "SELECT id, name, external_id, code, version, created_at, updated_at
                  FROM skill_queues WHERE tenant_id = $1";
    let rows: Vec<GroupRow> = match id {
        Some(id) => {
            sqlx::query_as(&format!("{select} AND id = $2"))
                .bind(tenant_id)
                .bind(id)
                .fetch_all(&mut *connection)
                .await?
        }
        None => {
            sqlx::query_as(&format!("{select} ORDER BY id"))
                .bind(tenant_id)
                .fetch_all(&mut *connection)
                .await?
        }
    };
    let member_rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT aq.skill_queue_id, a.employee_id FROM agent_skill_queues aq
         JOIN agents a ON a.id = aq.agent_id WHERE a.tenant_id = $1 ORDER BY a.employee_id",
    )
    .bind(tenant_id)
    .fetch_all(&mut *connection)
    .await?;
    let mut members: HashMap<i64, Vec<i64>> = HashMap::new();
    for (queue, employee) in member_rows {
        members.entry(queue).or_default().push(employee);
    }
    Ok(rows
        .into_iter()
        .map(|row| GroupRecord {
            members: members.remove(&row.id).unwrap_or_default(),
            id: row.id,
            display_name: row.name,
            external_id: row.external_id,
            code: row.code,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
        .collect())
}

/// Makes the queue's members exactly `members` (User ids of the tenant); each agent who joins
/// or leaves has it recorded (SEC-4) and their version raised.
async fn set_members(
    connection: &mut AnyConnection,
    caller: Caller<'_>,
    queue_id: i64,
    members: &BTreeSet<i64>,
) -> Result<(), Refusal> {
    let mut agents: Vec<i64> = Vec::new();
    for member in members {
        let agent: Option<i64> = sqlx::query_scalar(
            "SELECT a.id FROM agents a JOIN employees e ON e.id = a.employee_id
             WHERE e.id = $1 AND e.tenant_id = $2 AND e.deleted_at IS NULL",
        )
        .bind(member)
        .bind(caller.tenant_id)
        .fetch_optional(&mut *connection)
        .await?;
        match agent {
            Some(agent) => agents.push(agent),
            None => {
                return Err(Refusal::Invalid {
                    field: "members",
                    reason: format!("{member} is not a User of the tenant"),
                })
            }
        }
    }
    let current: Vec<i64> =
        sqlx::query_scalar("SELECT agent_id FROM agent_skill_queues WHERE skill_queue_id = $1")
            .bind(queue_id)
            .fetch_all(&mut *connection)
            .await?;
    let joining: Vec<i64> = agents
        .iter()
        .copied()
        .filter(|a| !current.contains(a))
        .collect();
    let leaving: Vec<i64> = current
        .iter()
        .copied()
        .filter(|a| !agents.contains(a))
        .collect();
    if joining.is_empty() && leaving.is_empty() {
        return Ok(());
    }
    let affected: Vec<i64> = joining.iter().chain(&leaving).copied().collect();
    let mut before = HashMap::new();
    for user in load_users(connection, caller.tenant_id, None).await? {
        if affected.contains(&user.agent_id) {
            before.insert(user.agent_id, user);
        }
    }
    for agent in &leaving {
        sqlx::query("DELETE FROM agent_skill_queues WHERE skill_queue_id = $1 AND agent_id = $2")
            .bind(queue_id)
            .bind(agent)
            .execute(&mut *connection)
            .await?;
    }
    for agent in &joining {
        sqlx::query("INSERT INTO agent_skill_queues (agent_id, skill_queue_id) VALUES ($1, $2)")
            .bind(agent)
            .bind(queue_id)
            .execute(&mut *connection)
            .await?;
    }
    touch_users(connection, &affected, now()).await?;
    for user in load_users(connection, caller.tenant_id, None).await? {
        if let Some(was) = before.get(&user.agent_id) {
            record(
                connection,
                caller,
                &user,
                ActivityKind::ProvisioningChanged,
                changes(was, &user),
            )
            .await?;
        }
    }
    Ok(())
}
