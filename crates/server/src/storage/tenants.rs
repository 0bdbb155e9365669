//! TEN-1: the database made to match a tenant file, and the file written from the database.
//!
//! Applying compares what is stored with what the file declares, thing by thing (found again by
//! codes, channels by their phone numbers), changes only what differs and describes each
//! difference; all of it in one transaction. A dry run is the same apply, rolled back, so it
//! describes exactly what an apply would do.

use std::collections::{HashMap, HashSet};

use pc_model::parameters::TenantAnswerMode;
use pc_model::TwoFactorMethod;
use sqlx::{AnyConnection, FromRow};

use super::{from_db, to_db, Db, Flag};
use crate::domain::tenant_file::{
    AgentIdRange, ChannelDeclaration, CheckedTenants, FileProblem, IceServerDeclaration,
    OrgUnitDeclaration, SecretSource, SkillQueueDeclaration, SoftphoneDeclaration, SsoDeclaration,
    SsoMatch, StoredIceServer, TenantDeclaration, TenantParameterValues, TenantsFile,
};

/// Why an apply changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The file contradicts what is stored (e.g. it removes an OU that agents belong to).
    #[error("the file is refused")]
    Refused(Vec<FileProblem>),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

#[derive(FromRow)]
struct TenantRow {
    id: i64,
    code: String,
    name: String,
    default_email_signature: String,
    two_factor_method: String,
    screen_recording: Flag,
    screen_inspection: Flag,
    vrc_download_url: String,
    softphone_download_url: String,
    webrtc_enabled: Flag,
    multimedia_concurrency: i64,
    answer_mode: String,
    integrate_openeye: Flag,
    sip_websocket_url: String,
    sip_domain: String,
    agent_registration_server: String,
    default_org_unit: String,
    first_agent_id: i64,
    last_agent_id: i64,
}

const TENANT_COLUMNS: &str = "id, code, name, default_email_signature, two_factor_method,
    screen_recording, screen_inspection, vrc_download_url, softphone_download_url,
    webrtc_enabled, multimedia_concurrency, answer_mode, integrate_openeye, sip_websocket_url,
    sip_domain, agent_registration_server, default_org_unit, first_agent_id, last_agent_id";

#[derive(FromRow)]
struct OrgUnitRow {
    id: i64,
    code: String,
    name: String,
    parent_id: Option<i64>,
    multimedia_concurrency: Option<i64>,
}

#[derive(FromRow)]
struct ChannelRow {
    id: i64,
    org_unit_id: i64,
    name: String,
    phone_number: String,
}

#[derive(FromRow)]
struct QueueRow {
    id: i64,
    code: Option<String>,
    name: String,
}

#[derive(FromRow)]
struct IceServerRow {
    url: String,
    turn_secret: Option<String>,
    secret_source: Option<String>,
}

/// What one apply found different, described for the operator.
struct Changes {
    lines: Vec<String>,
    problems: Vec<FileProblem>,
}

impl Changes {
    fn note(&mut self, line: String) {
        self.lines.push(line);
    }

    fn field<T: PartialEq + std::fmt::Debug>(&mut self, what: &str, field: &str, old: &T, new: &T) {
        if old != new {
            self.lines
                .push(format!("{what}: {field} {old:?} → {new:?}"));
        }
    }
}

impl Db {
    /// Makes every tenant the file names match it, in one transaction, and answers the
    /// differences; with `dry_run` the transaction is rolled back. Tenants the file does not
    /// name are left as they are.
    pub async fn apply_tenants(
        &self,
        checked: &CheckedTenants,
        dry_run: bool,
    ) -> Result<Vec<String>, ApplyError> {
        let mut tx = self.pool().begin().await?;
        let changes = apply_tenants_in(&mut tx, checked).await?;
        if dry_run {
            tx.rollback().await?;
        } else {
            tx.commit().await?;
        }
        Ok(changes)
    }

    /// Every tenant as a tenant file, which applied again changes nothing.
    pub async fn export_tenants(&self) -> sqlx::Result<TenantsFile> {
        let mut connection = self.pool().acquire().await?;
        let rows: Vec<TenantRow> =
            sqlx::query_as(&format!("SELECT {TENANT_COLUMNS} FROM tenants ORDER BY id"))
                .fetch_all(&mut *connection)
                .await?;
        let mut tenants = Vec::new();
        for row in rows {
            tenants.push(export_tenant(&mut connection, row).await?);
        }
        Ok(TenantsFile { tenants })
    }

    /// The tenant a code names.
    pub async fn tenant_id(&self, code: &str) -> sqlx::Result<Option<i64>> {
        sqlx::query_scalar("SELECT id FROM tenants WHERE code = $1")
            .bind(code)
            .fetch_optional(self.pool())
            .await
    }
}

/// [`Db::apply_tenants`], in the caller's transaction (which a refusal leaves to be rolled
/// back).
pub(super) async fn apply_tenants_in(
    tx: &mut AnyConnection,
    checked: &CheckedTenants,
) -> Result<Vec<String>, ApplyError> {
    let mut changes = Changes {
        lines: Vec::new(),
        problems: Vec::new(),
    };
    let named: HashSet<&str> = checked
        .file
        .tenants
        .iter()
        .map(|t| t.code.as_str())
        .collect();
    let others: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT code, first_agent_id, last_agent_id FROM tenants
         WHERE last_agent_id >= first_agent_id",
    )
    .fetch_all(&mut *tx)
    .await?;
    for (index, tenant) in checked.file.tenants.iter().enumerate() {
        for (code, first, last) in &others {
            let theirs = AgentIdRange {
                first: *first,
                last: *last,
            };
            if !named.contains(code.as_str()) && theirs.overlaps(tenant.agent_ids) {
                changes.problems.push(FileProblem::new(
                    format!("tenants[{index}].agent_ids"),
                    format!(
                        "{} overlaps tenant {code:?}'s {theirs}: an agent ID names one agent",
                        tenant.agent_ids
                    ),
                ));
            }
        }
        apply_tenant(tx, index, tenant, checked, &mut changes).await?;
    }
    if !changes.problems.is_empty() {
        return Err(ApplyError::Refused(changes.problems));
    }
    Ok(changes.lines)
}

async fn apply_tenant(
    tx: &mut AnyConnection,
    index: usize,
    tenant: &TenantDeclaration,
    checked: &CheckedTenants,
    changes: &mut Changes,
) -> sqlx::Result<()> {
    let what = format!("tenant {}", tenant.code);
    let default_org_unit = tenant
        .default_org_unit
        .clone()
        .or_else(|| tenant.org_units.first().map(|unit| unit.code.clone()))
        .unwrap_or_default();
    let existing: Option<TenantRow> = sqlx::query_as(&format!(
        "SELECT {TENANT_COLUMNS} FROM tenants WHERE code = $1"
    ))
    .bind(&tenant.code)
    .fetch_optional(&mut *tx)
    .await?;
    let tenant_id = match &existing {
        None => {
            changes.note(format!("{what}: create"));
            sqlx::query_scalar(
                "INSERT INTO tenants (code, name, default_email_signature, two_factor_method,
                     screen_recording, screen_inspection, vrc_download_url,
                     softphone_download_url, webrtc_enabled, multimedia_concurrency, answer_mode,
                     integrate_openeye, sip_websocket_url, sip_domain, agent_registration_server,
                     default_org_unit, first_agent_id, last_agent_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                         $17, $18)
                 RETURNING id",
            )
            .bind(&tenant.code)
            .bind(&tenant.name)
            .bind(&tenant.default_email_signature)
            .bind(to_db(&tenant.two_factor_method))
            .bind(Flag(tenant.screen_recording))
            .bind(Flag(tenant.screen_inspection))
            .bind(&tenant.vrc_download_url)
            .bind(&tenant.softphone_download_url)
            .bind(Flag(tenant.webrtc))
            .bind(tenant.concurrency)
            .bind(to_db(&tenant.agent_parameters.answer_mode))
            .bind(Flag(tenant.agent_parameters.integrate_openeye))
            .bind(&tenant.softphone.websocket_url)
            .bind(&tenant.softphone.sip_domain)
            .bind(&tenant.softphone.registration_server)
            .bind(&default_org_unit)
            .bind(tenant.agent_ids.first)
            .bind(tenant.agent_ids.last)
            .fetch_one(&mut *tx)
            .await?
        }
        Some(row) => {
            let was = declaration_of(row, Vec::new(), Vec::new(), Vec::new(), None)?;
            changes.field(&what, "name", &was.name, &tenant.name);
            changes.field(
                &what,
                "default_email_signature",
                &was.default_email_signature,
                &tenant.default_email_signature,
            );
            changes.field(
                &what,
                "two_factor_method",
                &was.two_factor_method,
                &tenant.two_factor_method,
            );
            changes.field(
                &what,
                "screen_recording",
                &was.screen_recording,
                &tenant.screen_recording,
            );
            changes.field(
                &what,
                "screen_inspection",
                &was.screen_inspection,
                &tenant.screen_inspection,
            );
            changes.field(
                &what,
                "vrc_download_url",
                &was.vrc_download_url,
                &tenant.vrc_download_url,
            );
            changes.field(
                &what,
                "softphone_download_url",
                &was.softphone_download_url,
                &tenant.softphone_download_url,
            );
            changes.field(&what, "webrtc", &was.webrtc, &tenant.webrtc);
            changes.field(&what, "concurrency", &was.concurrency, &tenant.concurrency);
            changes.field(&what, "agent_ids", &was.agent_ids, &tenant.agent_ids);
            changes.field(
                &what,
                "default_org_unit",
                &was.default_org_unit.clone().unwrap_or_default(),
                &default_org_unit,
            );
            changes.field(
                &what,
                "agent_parameters",
                &was.agent_parameters,
                &tenant.agent_parameters,
            );
            changes.field(&what, "softphone", &was.softphone, &tenant.softphone);
            sqlx::query(
                "UPDATE tenants SET name = $1, default_email_signature = $2,
                     two_factor_method = $3, screen_recording = $4, screen_inspection = $5,
                     vrc_download_url = $6, softphone_download_url = $7, webrtc_enabled = $8,
                     multimedia_concurrency = $9, answer_mode = $10, integrate_openeye = $11,
                     sip_websocket_url = $12, sip_domain = $13, agent_registration_server = $14,
                     default_org_unit = $15, first_agent_id = $16, last_agent_id = $17
                 WHERE id = $18",
            )
            .bind(&tenant.name)
            .bind(&tenant.default_email_signature)
            .bind(to_db(&tenant.two_factor_method))
            .bind(Flag(tenant.screen_recording))
            .bind(Flag(tenant.screen_inspection))
            .bind(&tenant.vrc_download_url)
            .bind(&tenant.softphone_download_url)
            .bind(Flag(tenant.webrtc))
            .bind(tenant.concurrency)
            .bind(to_db(&tenant.agent_parameters.answer_mode))
            .bind(Flag(tenant.agent_parameters.integrate_openeye))
            .bind(&tenant.softphone.websocket_url)
            .bind(&tenant.softphone.sip_domain)
            .bind(&tenant.softphone.registration_server)
            .bind(&default_org_unit)
            .bind(tenant.agent_ids.first)
            .bind(tenant.agent_ids.last)
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
            row.id
        }
    };
    apply_ice_servers(tx, tenant_id, &what, &checked.ice_servers[index], changes).await?;
    let sso = tenant.sso.as_ref().zip(checked.sso_secrets[index].as_ref());
    apply_sso(tx, tenant_id, &what, sso, changes).await?;
    let org_unit_ids = apply_org_units(tx, tenant_id, &what, tenant, changes).await?;
    apply_skill_queues(tx, tenant_id, index, &what, &tenant.skill_queues, changes).await?;
    remove_org_units(tx, tenant_id, index, &what, &org_unit_ids, changes).await
}

async fn apply_ice_servers(
    tx: &mut AnyConnection,
    tenant_id: i64,
    what: &str,
    declared: &[StoredIceServer],
    changes: &mut Changes,
) -> sqlx::Result<()> {
    let current = stored_ice_servers(tx, tenant_id).await?;
    if current == declared {
        return Ok(());
    }
    let urls = |servers: &[StoredIceServer]| -> Vec<String> {
        servers.iter().map(|server| server.url.clone()).collect()
    };
    if urls(&current) != urls(declared) {
        changes.field(what, "ice_servers", &urls(&current), &urls(declared));
    } else {
        for (index, (old, new)) in current.iter().zip(declared).enumerate() {
            let source = |server: &StoredIceServer| {
                server.secret.as_ref().map(|(_, source)| source.stored())
            };
            if source(old) != source(new) {
                changes.field(
                    what,
                    &format!("ice_servers[{index}] secret source"),
                    &source(old).unwrap_or_default(),
                    &source(new).unwrap_or_default(),
                );
            } else {
                // Never shown: only that it changed.
                changes.note(format!("{what}: ice_servers[{index}] secret changed"));
            }
        }
    }
    sqlx::query("DELETE FROM tenant_ice_servers WHERE tenant_id = $1")
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
    for server in declared {
        sqlx::query(
            "INSERT INTO tenant_ice_servers (tenant_id, url, turn_secret, secret_source)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(tenant_id)
        .bind(&server.url)
        .bind(server.secret.as_ref().map(|(secret, _)| secret.as_str()))
        .bind(server.secret.as_ref().map(|(_, source)| source.stored()))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// SSO-1: the tenant's provider as declared; a changed secret is noted, never shown.
async fn apply_sso(
    tx: &mut AnyConnection,
    tenant_id: i64,
    what: &str,
    declared: Option<(&SsoDeclaration, &(String, SecretSource))>,
    changes: &mut Changes,
) -> sqlx::Result<()> {
    let current = stored_sso(tx, tenant_id).await?;
    let source = declared.map(|(_, (_, source))| source.stored());
    let declared = declared.map(|(sso, (secret, _))| (sso.clone(), secret.clone()));
    if current == declared {
        return Ok(());
    }
    match (&current, &declared) {
        (Some((old, old_secret)), Some((new, new_secret))) => {
            if old != new {
                changes.field(what, "sso", old, new);
            }
            if old_secret != new_secret {
                changes.note(format!("{what}: sso client secret changed"));
            }
        }
        _ => changes.field(
            what,
            "sso",
            &current
                .as_ref()
                .map_or("none", |(sso, _)| sso.issuer.as_str()),
            &declared
                .as_ref()
                .map_or("none", |(sso, _)| sso.issuer.as_str()),
        ),
    }
    sqlx::query("DELETE FROM tenant_sso WHERE tenant_id = $1")
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
    if let Some(((sso, secret), source)) = declared.as_ref().zip(source) {
        sqlx::query(
            "INSERT INTO tenant_sso (tenant_id, issuer, display_name, client_id, client_secret,
             secret_source, scopes, agent_claim, matched_to, password_sign_in)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(tenant_id)
        .bind(&sso.issuer)
        .bind(&sso.display_name)
        .bind(&sso.client_id)
        .bind(secret)
        .bind(source)
        .bind(sso.scopes.join(" "))
        .bind(&sso.agent_claim)
        .bind(sso.matched_to.stored())
        .bind(Flag(sso.password_sign_in))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

#[derive(FromRow)]
struct SsoRow {
    issuer: String,
    display_name: String,
    client_id: String,
    client_secret: String,
    secret_source: String,
    scopes: String,
    agent_claim: String,
    matched_to: String,
    password_sign_in: Flag,
}

/// SSO-1: the tenant's provider as the file declares it, and its client secret.
async fn stored_sso(
    connection: &mut AnyConnection,
    tenant_id: i64,
) -> sqlx::Result<Option<(SsoDeclaration, String)>> {
    let row: Option<SsoRow> = sqlx::query_as(
        "SELECT issuer, display_name, client_id, client_secret, secret_source, scopes,
         agent_claim, matched_to, password_sign_in FROM tenant_sso WHERE tenant_id = $1",
    )
    .bind(tenant_id)
    .fetch_optional(&mut *connection)
    .await?;
    Ok(row.map(|row| {
        let source = SecretSource::from_stored(&row.secret_source);
        let declaration = SsoDeclaration {
            issuer: row.issuer,
            display_name: row.display_name,
            client_id: row.client_id,
            client_secret_env: match &source {
                Some(SecretSource::Env(name)) => Some(name.clone()),
                _ => None,
            },
            client_secret_file: match source {
                Some(SecretSource::File(path)) => Some(path),
                _ => None,
            },
            scopes: row.scopes.split_whitespace().map(str::to_owned).collect(),
            agent_claim: row.agent_claim,
            matched_to: SsoMatch::from_stored(&row.matched_to),
            password_sign_in: row.password_sign_in.0,
        };
        (declaration, row.client_secret)
    }))
}

async fn stored_ice_servers(
    tx: &mut AnyConnection,
    tenant_id: i64,
) -> sqlx::Result<Vec<StoredIceServer>> {
    let rows: Vec<IceServerRow> = sqlx::query_as(
        "SELECT url, turn_secret, secret_source FROM tenant_ice_servers WHERE tenant_id = $1
         ORDER BY id",
    )
    .bind(tenant_id)
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| StoredIceServer {
            url: row.url,
            secret: row.turn_secret.zip(
                row.secret_source
                    .as_deref()
                    .and_then(SecretSource::from_stored),
            ),
        })
        .collect())
}

/// Creates and updates the declared OUs and their channels, removes the channels no longer
/// declared; answers the IDs of the declared OUs by code (the OUs no longer declared are removed
/// last, once skill queues and channels are in place).
async fn apply_org_units(
    tx: &mut AnyConnection,
    tenant_id: i64,
    what: &str,
    tenant: &TenantDeclaration,
    changes: &mut Changes,
) -> sqlx::Result<HashMap<String, i64>> {
    let current: Vec<OrgUnitRow> = sqlx::query_as(
        "SELECT id, code, name, parent_id, multimedia_concurrency FROM org_units
         WHERE tenant_id = $1",
    )
    .bind(tenant_id)
    .fetch_all(&mut *tx)
    .await?;
    let code_by_id: HashMap<i64, &str> = current
        .iter()
        .map(|unit| (unit.id, unit.code.as_str()))
        .collect();
    let mut ids: HashMap<String, i64> = HashMap::new();
    for unit in &tenant.org_units {
        let unit_what = format!("{what}: org unit {}", unit.code);
        let id = match current.iter().find(|row| row.code == unit.code) {
            Some(row) => {
                changes.field(&unit_what, "name", &row.name, &unit.name);
                changes.field(
                    &unit_what,
                    "concurrency",
                    &row.multimedia_concurrency,
                    &unit.concurrency,
                );
                sqlx::query(
                    "UPDATE org_units SET name = $1, multimedia_concurrency = $2 WHERE id = $3",
                )
                .bind(&unit.name)
                .bind(unit.concurrency)
                .bind(row.id)
                .execute(&mut *tx)
                .await?;
                row.id
            }
            None => {
                changes.note(format!("{unit_what}: create"));
                sqlx::query_scalar(
                    "INSERT INTO org_units (tenant_id, code, name, multimedia_concurrency)
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(tenant_id)
                .bind(&unit.code)
                .bind(&unit.name)
                .bind(unit.concurrency)
                .fetch_one(&mut *tx)
                .await?
            }
        };
        ids.insert(unit.code.clone(), id);
    }
    // Parents once every declared OU exists: a file may declare a child before its parent.
    for unit in &tenant.org_units {
        let was = current
            .iter()
            .find(|row| row.code == unit.code)
            .map(|row| row.parent_id.and_then(|id| code_by_id.get(&id).copied()));
        let parent = unit.parent.as_deref();
        if let Some(was) = was {
            changes.field(
                &format!("{what}: org unit {}", unit.code),
                "parent",
                &was.unwrap_or_default(),
                &parent.unwrap_or_default(),
            );
        }
        sqlx::query("UPDATE org_units SET parent_id = $1 WHERE id = $2")
            .bind(parent.and_then(|code| ids.get(code).copied()))
            .bind(ids[&unit.code])
            .execute(&mut *tx)
            .await?;
    }
    apply_channels(tx, tenant_id, what, &tenant.org_units, &ids, changes).await?;
    Ok(ids)
}

async fn apply_channels(
    tx: &mut AnyConnection,
    tenant_id: i64,
    what: &str,
    org_units: &[OrgUnitDeclaration],
    ids: &HashMap<String, i64>,
    changes: &mut Changes,
) -> sqlx::Result<()> {
    let current: Vec<ChannelRow> = sqlx::query_as(
        "SELECT c.id, c.org_unit_id, c.name, c.phone_number
         FROM whatsapp_channels c JOIN org_units o ON o.id = c.org_unit_id
         WHERE o.tenant_id = $1",
    )
    .bind(tenant_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut declared_numbers = HashSet::new();
    for unit in org_units {
        let org_unit_id = ids[&unit.code];
        for channel in &unit.whatsapp_channels {
            declared_numbers.insert(channel.phone_number.as_str());
            let channel_what = format!("{what}: whatsapp channel {}", channel.phone_number);
            match current
                .iter()
                .find(|row| row.phone_number == channel.phone_number)
            {
                Some(row) => {
                    changes.field(&channel_what, "name", &row.name, &channel.name);
                    if row.org_unit_id != org_unit_id {
                        changes.note(format!("{channel_what}: moves to org unit {}", unit.code));
                    }
                    sqlx::query(
                        "UPDATE whatsapp_channels SET name = $1, org_unit_id = $2 WHERE id = $3",
                    )
                    .bind(&channel.name)
                    .bind(org_unit_id)
                    .bind(row.id)
                    .execute(&mut *tx)
                    .await?;
                }
                None => {
                    changes.note(format!("{channel_what}: create in org unit {}", unit.code));
                    sqlx::query(
                        "INSERT INTO whatsapp_channels (org_unit_id, name, phone_number)
                         VALUES ($1, $2, $3)",
                    )
                    .bind(org_unit_id)
                    .bind(&channel.name)
                    .bind(&channel.phone_number)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
    }
    for row in current
        .iter()
        .filter(|row| !declared_numbers.contains(row.phone_number.as_str()))
    {
        // PER-6: the cards for a channel that is gone stop resolving with it.
        let revoked = sqlx::query("DELETE FROM business_cards WHERE channel_id = $1")
            .bind(row.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM whatsapp_channels WHERE id = $1")
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
        changes.note(format!(
            "{what}: whatsapp channel {}: remove ({revoked} E-Name Cards revoked)",
            row.phone_number
        ));
    }
    Ok(())
}

/// Removes the OUs the file no longer declares, unless agents still belong to one.
async fn remove_org_units(
    tx: &mut AnyConnection,
    tenant_id: i64,
    index: usize,
    what: &str,
    declared: &HashMap<String, i64>,
    changes: &mut Changes,
) -> sqlx::Result<()> {
    let current: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, code FROM org_units WHERE tenant_id = $1 ORDER BY id")
            .bind(tenant_id)
            .fetch_all(&mut *tx)
            .await?;
    let removed: Vec<&(i64, String)> = current
        .iter()
        .filter(|(_, code)| !declared.contains_key(code))
        .collect();
    let mut refused = false;
    for (id, code) in &removed {
        let (agents,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM agents a JOIN employees e ON e.id = a.employee_id
             WHERE a.org_unit_id = $1 AND e.deleted_at IS NULL",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if agents > 0 {
            refused = true;
            let noun = if agents == 1 {
                "agent belongs"
            } else {
                "agents belong"
            };
            changes.problems.push(FileProblem::new(
                format!("tenants[{index}].org_units"),
                format!(
                    "org unit {code:?} is not declared, but {agents} {noun} to it: move them by SCIM first"
                ),
            ));
        }
    }
    if refused {
        return Ok(());
    }
    for (id, _) in &removed {
        sqlx::query("UPDATE org_units SET parent_id = NULL WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    for (id, code) in &removed {
        sqlx::query("DELETE FROM org_units WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        changes.note(format!("{what}: org unit {code}: remove"));
    }
    Ok(())
}

/// The skill queues the file declares; those created by SCIM (no code) are SCIM's.
async fn apply_skill_queues(
    tx: &mut AnyConnection,
    tenant_id: i64,
    index: usize,
    what: &str,
    declared: &[SkillQueueDeclaration],
    changes: &mut Changes,
) -> sqlx::Result<()> {
    let current: Vec<QueueRow> =
        sqlx::query_as("SELECT id, code, name FROM skill_queues WHERE tenant_id = $1")
            .bind(tenant_id)
            .fetch_all(&mut *tx)
            .await?;
    let now = crate::domain::session::now();
    for row in current.iter().filter(|row| {
        row.code
            .as_deref()
            .is_some_and(|code| !declared.iter().any(|queue| queue.code == code))
    }) {
        let members = remove_queue(tx, row.id, now).await?;
        changes.note(format!(
            "{what}: skill queue {}: remove ({members} members)",
            row.code.as_deref().unwrap_or_default()
        ));
    }
    for (queue_index, queue) in declared.iter().enumerate() {
        let queue_what = format!("{what}: skill queue {}", queue.code);
        if let Some(taken) = current
            .iter()
            .find(|row| row.code.is_none() && row.name.to_lowercase() == queue.name.to_lowercase())
        {
            changes.problems.push(FileProblem::new(
                format!("tenants[{index}].skill_queues[{queue_index}].name"),
                format!(
                    "{:?} is the name of a skill queue created by SCIM (Group {}): rename one",
                    queue.name, taken.id
                ),
            ));
            continue;
        }
        match current
            .iter()
            .find(|row| row.code.as_deref() == Some(queue.code.as_str()))
        {
            Some(row) if row.name == queue.name => {}
            Some(row) => {
                changes.field(&queue_what, "name", &row.name, &queue.name);
                sqlx::query(
                    "UPDATE skill_queues SET name = $1, version = version + 1, updated_at = $2
                     WHERE id = $3",
                )
                .bind(&queue.name)
                .bind(now)
                .bind(row.id)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                changes.note(format!("{queue_what}: create"));
                sqlx::query(
                    "INSERT INTO skill_queues (tenant_id, code, name, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $4)",
                )
                .bind(tenant_id)
                .bind(&queue.code)
                .bind(&queue.name)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    Ok(())
}

/// Removes a skill queue and its memberships; the members' users change as SCIM shows them
/// (their groups), so their versions are raised. Answers how many members it had.
pub(super) async fn remove_queue(
    tx: &mut AnyConnection,
    queue_id: i64,
    now: i64,
) -> sqlx::Result<u64> {
    sqlx::query(
        "UPDATE employees SET version = version + 1, updated_at = $1
         WHERE id IN (SELECT a.employee_id FROM agent_skill_queues aq
                      JOIN agents a ON a.id = aq.agent_id WHERE aq.skill_queue_id = $2)",
    )
    .bind(now)
    .bind(queue_id)
    .execute(&mut *tx)
    .await?;
    let members = sqlx::query("DELETE FROM agent_skill_queues WHERE skill_queue_id = $1")
        .bind(queue_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM skill_queues WHERE id = $1")
        .bind(queue_id)
        .execute(&mut *tx)
        .await?;
    Ok(members)
}

/// A stored tenant as the file declares it, with its OUs, ICE servers and skill queues.
fn declaration_of(
    row: &TenantRow,
    ice_servers: Vec<IceServerDeclaration>,
    org_units: Vec<OrgUnitDeclaration>,
    skill_queues: Vec<SkillQueueDeclaration>,
    sso: Option<SsoDeclaration>,
) -> sqlx::Result<TenantDeclaration> {
    Ok(TenantDeclaration {
        code: row.code.clone(),
        name: row.name.clone(),
        default_email_signature: row.default_email_signature.clone(),
        two_factor_method: from_db::<TwoFactorMethod>("two_factor_method", &row.two_factor_method)?,
        screen_recording: row.screen_recording.0,
        screen_inspection: row.screen_inspection.0,
        vrc_download_url: row.vrc_download_url.clone(),
        softphone_download_url: row.softphone_download_url.clone(),
        webrtc: row.webrtc_enabled.0,
        concurrency: row.multimedia_concurrency,
        agent_ids: AgentIdRange {
            first: row.first_agent_id,
            last: row.last_agent_id,
        },
        default_org_unit: (!row.default_org_unit.is_empty()).then(|| row.default_org_unit.clone()),
        agent_parameters: TenantParameterValues {
            answer_mode: from_db::<TenantAnswerMode>("answer_mode", &row.answer_mode)?,
            integrate_openeye: row.integrate_openeye.0,
        },
        softphone: SoftphoneDeclaration {
            websocket_url: row.sip_websocket_url.clone(),
            sip_domain: row.sip_domain.clone(),
            registration_server: row.agent_registration_server.clone(),
        },
        ice_servers,
        org_units,
        skill_queues,
        sso,
    })
}

async fn export_tenant(
    connection: &mut AnyConnection,
    row: TenantRow,
) -> sqlx::Result<TenantDeclaration> {
    let ice_servers = stored_ice_servers(connection, row.id)
        .await?
        .into_iter()
        .map(|server| {
            let source = server.secret.map(|(_, source)| source);
            IceServerDeclaration {
                url: server.url,
                secret_env: match &source {
                    Some(SecretSource::Env(name)) => Some(name.clone()),
                    _ => None,
                },
                secret_file: match source {
                    Some(SecretSource::File(path)) => Some(path),
                    _ => None,
                },
            }
        })
        .collect();
    let units: Vec<OrgUnitRow> = sqlx::query_as(
        "SELECT id, code, name, parent_id, multimedia_concurrency FROM org_units
         WHERE tenant_id = $1 ORDER BY id",
    )
    .bind(row.id)
    .fetch_all(&mut *connection)
    .await?;
    let channels: Vec<ChannelRow> = sqlx::query_as(
        "SELECT c.id, c.org_unit_id, c.name, c.phone_number
         FROM whatsapp_channels c JOIN org_units o ON o.id = c.org_unit_id
         WHERE o.tenant_id = $1 ORDER BY c.id",
    )
    .bind(row.id)
    .fetch_all(&mut *connection)
    .await?;
    let code_by_id: HashMap<i64, &str> = units
        .iter()
        .map(|unit| (unit.id, unit.code.as_str()))
        .collect();
    // Parents before their children, as a person would write the tree.
    let mut ordered: Vec<&OrgUnitRow> = Vec::new();
    let mut pending: Vec<&OrgUnitRow> = units
        .iter()
        .rev()
        .filter(|u| u.parent_id.is_none())
        .collect();
    while let Some(unit) = pending.pop() {
        ordered.push(unit);
        pending.extend(
            units
                .iter()
                .rev()
                .filter(|child| child.parent_id == Some(unit.id)),
        );
    }
    let org_units = ordered
        .into_iter()
        .map(|unit| OrgUnitDeclaration {
            code: unit.code.clone(),
            name: unit.name.clone(),
            parent: unit
                .parent_id
                .and_then(|id| code_by_id.get(&id).map(|code| (*code).to_owned())),
            concurrency: unit.multimedia_concurrency,
            whatsapp_channels: channels
                .iter()
                .filter(|channel| channel.org_unit_id == unit.id)
                .map(|channel| ChannelDeclaration {
                    name: channel.name.clone(),
                    phone_number: channel.phone_number.clone(),
                })
                .collect(),
        })
        .collect();
    let queues: Vec<QueueRow> = sqlx::query_as(
        "SELECT id, code, name FROM skill_queues WHERE tenant_id = $1 AND code IS NOT NULL
         ORDER BY id",
    )
    .bind(row.id)
    .fetch_all(&mut *connection)
    .await?;
    let skill_queues = queues
        .into_iter()
        .map(|queue| SkillQueueDeclaration {
            code: queue.code.unwrap_or_default(),
            name: queue.name,
        })
        .collect();
    let sso = stored_sso(connection, row.id).await?.map(|(sso, _)| sso);
    declaration_of(&row, ice_servers, org_units, skill_queues, sso)
}
