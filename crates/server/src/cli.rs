//! The commands an operator runs once against the server's database (`pc-server tenant …`,
//! `pc-server scim-token …`): they print what they did, and say why when they refuse.

use std::io::Write;

use crate::config::{Command, ScimTokenCommand, TenantCommand};
use crate::domain::session::{now, token_hash};
use crate::domain::{provisioning, tenant_file};
use crate::storage::tenants::ApplyError;
use crate::storage::{Db, Location};

/// What a command ended with: its output was printed; `false` when it refused.
pub type Succeeded = bool;

/// Runs `command` on the database at `location`, printing to `out` (results) and `err`
/// (explanations and refusals).
pub async fn run(
    command: Command,
    location: &Location,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Succeeded> {
    let db = Db::open(location).await?;
    match command {
        Command::Tenant(TenantCommand::Apply { file, dry_run }) => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let checked = match tenant_file::parse(&text)
                .and_then(|parsed| tenant_file::check(parsed, tenant_file::read_secret))
            {
                Ok(checked) => checked,
                Err(problems) => {
                    writeln!(err, "{} is refused, nothing changed:", file.display())?;
                    for problem in problems {
                        writeln!(err, "  {problem}")?;
                    }
                    return Ok(false);
                }
            };
            match db.apply_tenants(&checked, dry_run).await {
                Ok(changes) => {
                    for change in &changes {
                        writeln!(out, "{change}")?;
                    }
                    let summary = match (changes.len(), dry_run) {
                        (0, _) => "No differences: the database matches the file.".to_owned(),
                        (n, true) => format!("Dry run: {n} differences, nothing changed."),
                        (n, false) => format!("Applied {n} differences."),
                    };
                    writeln!(err, "{summary}")?;
                    Ok(true)
                }
                Err(ApplyError::Refused(problems)) => {
                    writeln!(err, "{} is refused, nothing changed:", file.display())?;
                    for problem in problems {
                        writeln!(err, "  {problem}")?;
                    }
                    Ok(false)
                }
                Err(ApplyError::Database(error)) => Err(error.into()),
            }
        }
        Command::Tenant(TenantCommand::Export) => {
            let file = db.export_tenants().await?;
            write!(out, "{}", tenant_file::write(&file))?;
            Ok(true)
        }
        Command::ScimToken(command) => scim_token(&db, command, out, err).await,
    }
}

async fn scim_token(
    db: &Db,
    command: ScimTokenCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Succeeded> {
    let code = match &command {
        ScimTokenCommand::Create { tenant }
        | ScimTokenCommand::List { tenant }
        | ScimTokenCommand::Revoke { tenant, .. } => tenant.clone(),
    };
    let Some(tenant_id) = db.tenant_id(&code).await? else {
        writeln!(
            err,
            "There is no tenant {code:?}: `pc-server tenant export` lists the tenants."
        )?;
        return Ok(false);
    };
    match command {
        ScimTokenCommand::Create { .. } => {
            let token = provisioning::new_token();
            let id = db
                .insert_scim_token(tenant_id, &token_hash(&token), now())
                .await?;
            writeln!(
                err,
                "SCIM token {id} for tenant {code}. It is shown this once; give it to the identity provider as the bearer token of /scim/v2:"
            )?;
            writeln!(out, "{token}")?;
            Ok(true)
        }
        ScimTokenCommand::List { .. } => {
            for token in db.scim_tokens(tenant_id).await? {
                let state = match token.revoked_at {
                    Some(at) => format!("revoked at {at}"),
                    None => "in use".to_owned(),
                };
                writeln!(
                    out,
                    "{}\tcreated at {}\t{state}",
                    token.id, token.created_at
                )?;
            }
            Ok(true)
        }
        ScimTokenCommand::Revoke { id, .. } => {
            if db.revoke_scim_token(tenant_id, id, now()).await? {
                writeln!(err, "SCIM token {id} of tenant {code} is revoked.")?;
                Ok(true)
            } else {
                writeln!(
                    err,
                    "Tenant {code} has no SCIM token {id} in use: `pc-server scim-token list --tenant {code}` lists them."
                )?;
                Ok(false)
            }
        }
    }
}
