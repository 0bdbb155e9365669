//! TEN-1: a contact center's tenants declared in one TOML file (`pc-server tenant apply FILE`):
//! everything a tenant carries (SPEC §1), its tree of organization units with their WhatsApp
//! channels, and its skill queues. This module reads and checks a file and writes one back
//! (`tenant export`); `storage::tenants` makes the database match it.
//!
//! A file names things by codes, never by database IDs, so the same file applies to any
//! database. A TURN server's shared secret is never in the file: it names an environment
//! variable or a file that holds it.

use std::collections::{HashMap, HashSet};
use std::fmt;

use pc_model::parameters::TenantAnswerMode;
use pc_model::settings::{CONCURRENCY_MAX, CONCURRENCY_MIN, SIGNATURE_MAX};
use pc_model::validation::phone_number_violation;
use pc_model::TwoFactorMethod;
use serde::{Deserialize, Serialize};

/// The longest name of a tenant, an OU, a channel or a skill queue.
pub const NAME_MAX: usize = 100;
/// The longest code.
pub const CODE_MAX: usize = 64;
/// The longest address (download, registration server, STUN/TURN).
pub const ADDRESS_MAX: usize = 2000;
/// The highest agent ID (AICC's agent IDs are 32-bit).
pub const AGENT_ID_MAX: i64 = i32::MAX as i64;

/// The whole file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantsFile {
    #[serde(default)]
    pub tenants: Vec<TenantDeclaration>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantDeclaration {
    /// What the file, the CLI and SCIM tokens name the tenant by.
    pub code: String,
    pub name: String,
    /// PER-5: the signature of agents who have none of their own.
    #[serde(default)]
    pub default_email_signature: String,
    /// AGT-4: how a softphone-password reset is confirmed.
    pub two_factor_method: TwoFactorMethod,
    #[serde(default)]
    pub screen_recording: bool,
    #[serde(default)]
    pub screen_inspection: bool,
    /// AGT-2: empty, or an `http(s)://` address.
    #[serde(default)]
    pub vrc_download_url: String,
    /// AGT-3: empty, or an `http(s)://` address.
    #[serde(default)]
    pub softphone_download_url: String,
    #[serde(default)]
    pub webrtc: bool,
    /// PER-8: the tenant's multimedia concurrency, 1–60.
    pub concurrency: i64,
    /// PRV-2: the agent IDs that agents provisioned by SCIM get, lowest free first.
    pub agent_ids: AgentIdRange,
    /// PRV-2: the OU of an agent provisioned without one; the first OU when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_org_unit: Option<String>,
    #[serde(default)]
    pub agent_parameters: TenantParameterValues,
    #[serde(default)]
    pub softphone: SoftphoneDeclaration,
    #[serde(default)]
    pub ice_servers: Vec<IceServerDeclaration>,
    #[serde(default)]
    pub org_units: Vec<OrgUnitDeclaration>,
    #[serde(default)]
    pub skill_queues: Vec<SkillQueueDeclaration>,
    /// SSO-1: the contact center's OpenID Provider, when its agents sign in through it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso: Option<SsoDeclaration>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentIdRange {
    pub first: i64,
    pub last: i64,
}

impl AgentIdRange {
    pub fn overlaps(self, other: AgentIdRange) -> bool {
        self.first <= other.last && other.first <= self.last
    }
}

impl fmt::Display for AgentIdRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.first, self.last)
    }
}

/// The values "Consistent with tenant" stands for (PAR-2, PAR-3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantParameterValues {
    pub answer_mode: TenantAnswerMode,
    pub integrate_openeye: bool,
}

impl Default for TenantParameterValues {
    fn default() -> Self {
        TenantParameterValues {
            answer_mode: TenantAnswerMode::Automatic,
            integrate_openeye: false,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoftphoneDeclaration {
    /// RTC-1: where the browser softphone registers, `ws://` or `wss://`; empty: nowhere.
    #[serde(default)]
    pub websocket_url: String,
    /// RTC-1: the SIP domain, which is also the digest realm.
    #[serde(default)]
    pub sip_domain: String,
    /// AGT-1: the registration server address agents see unless one of their own is
    /// provisioned.
    #[serde(default)]
    pub registration_server: String,
}

/// BEY-3: a STUN or TURN server; a TURN server's shared secret comes from `secret_env` or
/// `secret_file`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IceServerDeclaration {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_env: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_file: Option<String>,
}

/// SSO-1: single sign-on through an OpenID Provider; the client secret comes from
/// `client_secret_env` or `client_secret_file`, never from the file itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsoDeclaration {
    /// The issuer identifier; its discovery document is at `/.well-known/openid-configuration`.
    pub issuer: String,
    /// What the sign-in page calls the provider: "Sign in with …".
    pub display_name: String,
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_env: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_file: Option<String>,
    /// Asked for besides `openid`.
    #[serde(default = "default_sso_scopes")]
    pub scopes: Vec<String>,
    /// The ID token's claim that names the agent.
    #[serde(default = "default_agent_claim")]
    pub agent_claim: String,
    /// Which of the agent's provisioned attributes the claim is compared with.
    #[serde(default)]
    pub matched_to: SsoMatch,
    /// Off: the tenant's agents sign in only through the provider.
    #[serde(default = "default_true")]
    pub password_sign_in: bool,
}

fn default_sso_scopes() -> Vec<String> {
    vec!["profile".into(), "email".into()]
}

fn default_agent_claim() -> String {
    "preferred_username".into()
}

fn default_true() -> bool {
    true
}

/// SSO-1: what an ID token's agent claim is compared with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SsoMatch {
    /// The business account (SCIM `userName`), compared without case.
    #[default]
    UserName,
    /// SCIM `externalId`, compared exactly.
    ExternalId,
}

impl SsoMatch {
    pub fn stored(self) -> &'static str {
        match self {
            SsoMatch::UserName => "user_name",
            SsoMatch::ExternalId => "external_id",
        }
    }

    pub fn from_stored(stored: &str) -> SsoMatch {
        match stored {
            "external_id" => SsoMatch::ExternalId,
            _ => SsoMatch::UserName,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgUnitDeclaration {
    pub code: String,
    pub name: String,
    /// The parent OU's code; none for a root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// PER-8: the OU's multimedia concurrency, 1–60, or none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<i64>,
    /// PER-6: found again by their phone numbers, unique in the tenant.
    #[serde(default)]
    pub whatsapp_channels: Vec<ChannelDeclaration>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelDeclaration {
    pub name: String,
    pub phone_number: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillQueueDeclaration {
    pub code: String,
    pub name: String,
}

/// Where a TURN server's shared secret is read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretSource {
    Env(String),
    File(String),
}

impl SecretSource {
    /// As stored beside the secret: `env:NAME` or `file:PATH`.
    pub fn stored(&self) -> String {
        match self {
            SecretSource::Env(name) => format!("env:{name}"),
            SecretSource::File(path) => format!("file:{path}"),
        }
    }

    pub fn from_stored(stored: &str) -> Option<SecretSource> {
        if let Some(name) = stored.strip_prefix("env:") {
            Some(SecretSource::Env(name.to_owned()))
        } else {
            stored
                .strip_prefix("file:")
                .map(|path| SecretSource::File(path.to_owned()))
        }
    }
}

/// A STUN or TURN server as it is stored: a TURN server with its secret and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredIceServer {
    pub url: String,
    pub secret: Option<(String, SecretSource)>,
}

/// A file that passed every check, with its TURN secrets read: what `tenant apply` applies.
#[derive(Clone, Debug)]
pub struct CheckedTenants {
    pub file: TenantsFile,
    /// Per tenant, its STUN and TURN servers in the file's order.
    pub ice_servers: Vec<Vec<StoredIceServer>>,
    /// Per tenant, its provider's client secret and where it came from, when it has SSO.
    pub sso_secrets: Vec<Option<(String, SecretSource)>>,
}

/// What is wrong with a file, and where: `tenants[0].org_units[2].concurrency: 61 is above 60`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileProblem {
    pub place: String,
    pub message: String,
}

impl FileProblem {
    pub fn new(place: impl Into<String>, message: impl Into<String>) -> Self {
        FileProblem {
            place: place.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.place, self.message)
        }
    }
}

/// Reads a file's text; a syntax error or an unknown key is one problem with its line.
pub fn parse(text: &str) -> Result<TenantsFile, Vec<FileProblem>> {
    toml::from_str(text).map_err(|error| {
        let message = error.message().to_owned();
        let place = error
            .span()
            .map(|span| {
                let line = text[..span.start].matches('\n').count() + 1;
                format!("line {line}")
            })
            .unwrap_or_default();
        vec![FileProblem::new(place, message)]
    })
}

/// The file's text for `tenant export`.
pub fn write(file: &TenantsFile) -> String {
    toml::to_string(file).expect("a tenants file always serializes")
}

/// Checks every rule of a file, reading each TURN secret with `read_secret`; answers every
/// problem found, not only the first.
pub fn check(
    file: TenantsFile,
    read_secret: impl Fn(&SecretSource) -> Result<String, String>,
) -> Result<CheckedTenants, Vec<FileProblem>> {
    let mut problems = Vec::new();
    let mut ice_servers = Vec::new();
    let mut sso_secrets = Vec::new();
    let mut codes = HashSet::new();
    let mut ranges: Vec<(usize, AgentIdRange)> = Vec::new();
    for (index, tenant) in file.tenants.iter().enumerate() {
        let place = format!("tenants[{index}]");
        if !codes.insert(tenant.code.as_str()) {
            problems.push(FileProblem::new(
                format!("{place}.code"),
                format!("{:?} is declared twice", tenant.code),
            ));
        }
        for &(other, range) in &ranges {
            if range.overlaps(tenant.agent_ids) {
                problems.push(FileProblem::new(
                    format!("{place}.agent_ids"),
                    format!(
                        "{} overlaps tenants[{other}]'s {range}: an agent ID names one agent",
                        tenant.agent_ids
                    ),
                ));
            }
        }
        ranges.push((index, tenant.agent_ids));
        check_tenant(tenant, &place, &mut problems);
        ice_servers.push(check_ice_servers(
            &tenant.ice_servers,
            &place,
            &read_secret,
            &mut problems,
        ));
        sso_secrets.push(
            tenant.sso.as_ref().and_then(|sso| {
                check_sso(sso, &format!("{place}.sso"), &read_secret, &mut problems)
            }),
        );
    }
    if problems.is_empty() {
        Ok(CheckedTenants {
            file,
            ice_servers,
            sso_secrets,
        })
    } else {
        Err(problems)
    }
}

fn check_tenant(tenant: &TenantDeclaration, place: &str, problems: &mut Vec<FileProblem>) {
    let mut at = |field: &str, problem: Option<String>| {
        if let Some(message) = problem {
            problems.push(FileProblem::new(format!("{place}.{field}"), message));
        }
    };
    at("code", code_problem(&tenant.code));
    at("name", name_problem(&tenant.name));
    at(
        "default_email_signature",
        too_long(&tenant.default_email_signature, SIGNATURE_MAX),
    );
    at(
        "vrc_download_url",
        web_address_problem(&tenant.vrc_download_url),
    );
    at(
        "softphone_download_url",
        web_address_problem(&tenant.softphone_download_url),
    );
    at("concurrency", concurrency_problem(tenant.concurrency));
    let range = tenant.agent_ids;
    at("agent_ids.first", id_problem(range.first));
    at("agent_ids.last", id_problem(range.last));
    if range.first > range.last {
        at(
            "agent_ids.last",
            Some(format!("{} is below first ({})", range.last, range.first)),
        );
    }
    let softphone = &tenant.softphone;
    at(
        "softphone.websocket_url",
        websocket_address_problem(&softphone.websocket_url),
    );
    if !softphone.websocket_url.is_empty() && softphone.sip_domain.trim().is_empty() {
        at(
            "softphone.sip_domain",
            Some("is needed with a websocket_url: it is the digest realm".into()),
        );
    }
    at("softphone.sip_domain", host_problem(&softphone.sip_domain));
    at(
        "softphone.registration_server",
        too_long(&softphone.registration_server, ADDRESS_MAX),
    );

    let mut org_units: HashMap<&str, usize> = HashMap::new();
    for (index, unit) in tenant.org_units.iter().enumerate() {
        if org_units.insert(unit.code.as_str(), index).is_some() {
            at(
                &format!("org_units[{index}].code"),
                Some(format!("{:?} is declared twice", unit.code)),
            );
        }
    }
    let mut phone_numbers = HashSet::new();
    for (index, unit) in tenant.org_units.iter().enumerate() {
        let unit_place = format!("org_units[{index}]");
        at(&format!("{unit_place}.code"), code_problem(&unit.code));
        at(&format!("{unit_place}.name"), name_problem(&unit.name));
        if let Some(concurrency) = unit.concurrency {
            at(
                &format!("{unit_place}.concurrency"),
                concurrency_problem(concurrency),
            );
        }
        if let Some(parent) = &unit.parent {
            if !org_units.contains_key(parent.as_str()) {
                at(
                    &format!("{unit_place}.parent"),
                    Some(format!("{parent:?} is not an OU of this tenant")),
                );
            } else if in_a_cycle(tenant, index, &org_units) {
                at(
                    &format!("{unit_place}.parent"),
                    Some(format!(
                        "{parent:?} makes a cycle: an OU cannot be below itself"
                    )),
                );
            }
        }
        for (channel_index, channel) in unit.whatsapp_channels.iter().enumerate() {
            let channel_place = format!("{unit_place}.whatsapp_channels[{channel_index}]");
            at(
                &format!("{channel_place}.name"),
                name_problem(&channel.name),
            );
            let number = channel.phone_number.as_str();
            at(
                &format!("{channel_place}.phone_number"),
                phone_number_violation(number).map(|_| {
                    format!("{number:?} is not a phone number: digits with an optional leading +, 3 to 24 characters")
                }),
            );
            if !phone_numbers.insert(number) {
                at(
                    &format!("{channel_place}.phone_number"),
                    Some(format!(
                        "{number:?} is declared twice: a number is one channel"
                    )),
                );
            }
        }
    }
    match &tenant.default_org_unit {
        Some(code) if !org_units.contains_key(code.as_str()) => at(
            "default_org_unit",
            Some(format!("{code:?} is not an OU of this tenant")),
        ),
        _ => {}
    }

    let mut queue_codes = HashSet::new();
    let mut queue_names = HashSet::new();
    for (index, queue) in tenant.skill_queues.iter().enumerate() {
        let queue_place = format!("skill_queues[{index}]");
        at(&format!("{queue_place}.code"), code_problem(&queue.code));
        at(&format!("{queue_place}.name"), name_problem(&queue.name));
        if !queue_codes.insert(queue.code.as_str()) {
            at(
                &format!("{queue_place}.code"),
                Some(format!("{:?} is declared twice", queue.code)),
            );
        }
        if !queue_names.insert(queue.name.to_lowercase()) {
            at(
                &format!("{queue_place}.name"),
                Some(format!(
                    "{:?} is declared twice: agents tell queues apart by name",
                    queue.name
                )),
            );
        }
    }
}

/// Whether following parents from the OU at `start` comes back to it.
fn in_a_cycle(tenant: &TenantDeclaration, start: usize, by_code: &HashMap<&str, usize>) -> bool {
    let mut current = start;
    for _ in 0..tenant.org_units.len() {
        let Some(parent) = tenant.org_units[current]
            .parent
            .as_deref()
            .and_then(|code| by_code.get(code))
        else {
            return false;
        };
        if *parent == start {
            return true;
        }
        current = *parent;
    }
    // Longer than the tree has OUs: the walk is in a cycle that does not pass `start`.
    true
}

fn check_ice_servers(
    servers: &[IceServerDeclaration],
    tenant_place: &str,
    read_secret: &impl Fn(&SecretSource) -> Result<String, String>,
    problems: &mut Vec<FileProblem>,
) -> Vec<StoredIceServer> {
    let mut stored = Vec::new();
    for (index, server) in servers.iter().enumerate() {
        let place = format!("{tenant_place}.ice_servers[{index}]");
        let url = server.url.as_str();
        let is_turn = url.starts_with("turn:") || url.starts_with("turns:");
        let is_stun = url.starts_with("stun:") || url.starts_with("stuns:");
        if !(is_turn || is_stun) || url.len() > ADDRESS_MAX || url.contains(char::is_whitespace) {
            problems.push(FileProblem::new(
                format!("{place}.url"),
                format!("{url:?} is not a stun:, stuns:, turn: or turns: address"),
            ));
            continue;
        }
        let source = match (&server.secret_env, &server.secret_file) {
            (Some(_), Some(_)) => {
                problems.push(FileProblem::new(
                    place,
                    "give secret_env or secret_file, not both",
                ));
                continue;
            }
            (Some(name), None) => Some(SecretSource::Env(name.clone())),
            (None, Some(path)) => Some(SecretSource::File(path.clone())),
            (None, None) => None,
        };
        match (is_turn, source) {
            (true, None) => problems.push(FileProblem::new(
                place,
                "a TURN server needs its shared secret: secret_env or secret_file",
            )),
            (false, Some(_)) => problems.push(FileProblem::new(
                place,
                "a STUN server has no secret: remove secret_env or secret_file",
            )),
            (false, None) => stored.push(StoredIceServer {
                url: url.to_owned(),
                secret: None,
            }),
            (true, Some(source)) => match read_secret(&source) {
                Ok(secret) if !secret.is_empty() => stored.push(StoredIceServer {
                    url: url.to_owned(),
                    secret: Some((secret, source)),
                }),
                Ok(_) => problems.push(FileProblem::new(
                    secret_place(&place, &source),
                    "the secret is empty",
                )),
                Err(reason) => {
                    problems.push(FileProblem::new(secret_place(&place, &source), reason))
                }
            },
        }
    }
    stored
}

fn secret_place(place: &str, source: &SecretSource) -> String {
    match source {
        SecretSource::Env(_) => format!("{place}.secret_env"),
        SecretSource::File(_) => format!("{place}.secret_file"),
    }
}

/// SSO-1: an issuer on `https://`, or on `http://` only on this machine (the demo's and the
/// tests' provider); the client secret read.
fn check_sso(
    sso: &SsoDeclaration,
    place: &str,
    read_secret: &impl Fn(&SecretSource) -> Result<String, String>,
    problems: &mut Vec<FileProblem>,
) -> Option<(String, SecretSource)> {
    let mut at = |field: &str, problem: Option<String>| {
        if let Some(message) = problem {
            problems.push(FileProblem::new(format!("{place}.{field}"), message));
        }
    };
    at("issuer", issuer_problem(&sso.issuer));
    at("display_name", name_problem(&sso.display_name));
    at(
        "client_id",
        (sso.client_id.trim().is_empty() || sso.client_id.len() > ADDRESS_MAX)
            .then(|| "is empty or too long".to_owned()),
    );
    at(
        "agent_claim",
        (sso.agent_claim.is_empty() || sso.agent_claim.len() > CODE_MAX)
            .then(|| "is empty or too long".to_owned()),
    );
    for (index, scope) in sso.scopes.iter().enumerate() {
        let valid = !scope.is_empty()
            && scope.len() <= CODE_MAX
            && scope
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\');
        at(
            &format!("scopes[{index}]"),
            (!valid).then(|| format!("{scope:?} is not a scope")),
        );
    }
    let source = match (&sso.client_secret_env, &sso.client_secret_file) {
        (Some(_), Some(_)) => {
            at(
                "client_secret_env",
                Some("give client_secret_env or client_secret_file, not both".into()),
            );
            return None;
        }
        (Some(name), None) => SecretSource::Env(name.clone()),
        (None, Some(path)) => SecretSource::File(path.clone()),
        (None, None) => {
            problems.push(FileProblem::new(
                place,
                "the provider's client secret is needed: client_secret_env or client_secret_file",
            ));
            return None;
        }
    };
    let field = match source {
        SecretSource::Env(_) => "client_secret_env",
        SecretSource::File(_) => "client_secret_file",
    };
    match read_secret(&source) {
        Ok(secret) if !secret.is_empty() => Some((secret, source)),
        Ok(_) => {
            problems.push(FileProblem::new(
                format!("{place}.{field}"),
                "the secret is empty",
            ));
            None
        }
        Err(reason) => {
            problems.push(FileProblem::new(format!("{place}.{field}"), reason));
            None
        }
    }
}

/// An issuer: `https://host…`, or `http://` on a loopback address or localhost (the demo's
/// and the tests' provider); no query or fragment (OpenID Connect Discovery §2).
fn issuer_problem(issuer: &str) -> Option<String> {
    let local = issuer.strip_prefix("http://").is_some_and(|rest| {
        let authority = rest.split('/').next().unwrap_or_default();
        let host = authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host);
        host == "localhost"
            || host
                .parse::<std::net::Ipv4Addr>()
                .is_ok_and(|address| address.is_loopback())
    });
    let valid = (issuer.starts_with("https://") || local)
        && address_problem(issuer, &["http://", "https://"]).is_none()
        && !issuer.contains(['?', '#']);
    (!valid).then(|| {
        format!("{issuer:?} is not an issuer: an https:// address without query or fragment (http:// only on this machine)")
    })
}

/// Reads a secret from the process's environment or a file (a trailing line break is not part
/// of it).
pub fn read_secret(source: &SecretSource) -> Result<String, String> {
    match source {
        SecretSource::Env(name) => {
            std::env::var(name).map_err(|_| format!("the environment variable {name} is not set"))
        }
        SecretSource::File(path) => std::fs::read_to_string(path)
            .map(|text| text.trim_end_matches(['\r', '\n']).to_owned())
            .map_err(|error| format!("{path} cannot be read: {error}")),
    }
}

/// A code: lowercase letters, digits, `-` and `_`, starting with a letter or digit.
pub fn code_problem(code: &str) -> Option<String> {
    let valid = !code.is_empty()
        && code.len() <= CODE_MAX
        && code.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    (!valid).then(|| {
        format!(
            "{code:?} is not a code: 1 to {CODE_MAX} lowercase letters, digits, - and _, starting with a letter or digit"
        )
    })
}

fn name_problem(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        Some("is empty".into())
    } else if name.chars().any(char::is_control) {
        Some("has a control character".into())
    } else {
        too_long(name, NAME_MAX)
    }
}

fn too_long(text: &str, max: usize) -> Option<String> {
    let length = text.chars().count();
    (length > max).then(|| format!("{length} characters is above {max}"))
}

fn concurrency_problem(value: i64) -> Option<String> {
    let (min, max) = (i64::from(CONCURRENCY_MIN), i64::from(CONCURRENCY_MAX));
    if value < min {
        Some(format!("{value} is below {min}"))
    } else if value > max {
        Some(format!("{value} is above {max}"))
    } else {
        None
    }
}

fn id_problem(value: i64) -> Option<String> {
    if value < 1 {
        Some(format!("{value} is below 1"))
    } else if value > AGENT_ID_MAX {
        Some(format!("{value} is above {AGENT_ID_MAX}"))
    } else {
        None
    }
}

fn web_address_problem(url: &str) -> Option<String> {
    address_problem(url, &["http://", "https://"])
}

fn websocket_address_problem(url: &str) -> Option<String> {
    address_problem(url, &["ws://", "wss://"])
}

/// Empty, or an address with one of `schemes` and a host.
fn address_problem(url: &str, schemes: &[&str]) -> Option<String> {
    if url.is_empty() {
        return None;
    }
    let host = schemes.iter().find_map(|scheme| url.strip_prefix(scheme));
    let valid = host.is_some_and(|rest| {
        !rest.is_empty() && !rest.starts_with('/') && !url.contains(char::is_whitespace)
    }) && url.len() <= ADDRESS_MAX;
    (!valid).then(|| format!("{url:?} is not an {} address", schemes.join(" or ")))
}

fn host_problem(host: &str) -> Option<String> {
    let valid = host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
        && host.len() <= 253;
    (!valid).then(|| format!("{host:?} is not a domain like contoso.example"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[[tenants]]
code = "contoso"
name = "Contoso Service"
two_factor_method = "email"
concurrency = 8
agent_ids = { first = 2001, last = 2999 }

[[tenants.org_units]]
code = "service"
name = "Contoso Service"
concurrency = 4

[[tenants.org_units.whatsapp_channels]]
name = "Contoso WhatsApp"
phone_number = "+14155550123"

[[tenants.skill_queues]]
code = "general"
name = "General Enquiries"
"#;

    fn no_secrets(_: &SecretSource) -> Result<String, String> {
        Err("no secrets here".into())
    }

    fn problems_of(text: &str) -> Vec<String> {
        match check(parse(text).unwrap(), no_secrets) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn a_minimal_tenant_passes_with_its_defaults() {
        let checked = check(parse(MINIMAL).unwrap(), no_secrets).unwrap();
        let tenant = &checked.file.tenants[0];
        assert_eq!(tenant.agent_parameters, TenantParameterValues::default());
        assert!(!tenant.webrtc);
        assert_eq!(tenant.org_units[0].whatsapp_channels.len(), 1);
        assert_eq!(checked.ice_servers, vec![Vec::new()]);
    }

    const SSO: &str = r#"
[tenants.sso]
issuer = "https://login.contoso.example/"
display_name = "Contoso ID"
client_id = "personal-center"
client_secret_env = "CONTOSO_OIDC_SECRET"
"#;

    #[test]
    fn sso_takes_its_defaults_and_reads_the_client_secret() {
        let text = format!("{MINIMAL}{SSO}");
        let checked = check(parse(&text).unwrap(), |source| match source {
            SecretSource::Env(name) if name == "CONTOSO_OIDC_SECRET" => Ok("s3cret".into()),
            _ => Err("unexpected".into()),
        })
        .unwrap();
        let sso = checked.file.tenants[0].sso.as_ref().unwrap();
        assert_eq!(sso.agent_claim, "preferred_username");
        assert_eq!(sso.matched_to, SsoMatch::UserName);
        assert_eq!(sso.scopes, ["profile", "email"]);
        assert!(sso.password_sign_in);
        assert_eq!(
            checked.sso_secrets,
            [Some((
                "s3cret".to_owned(),
                SecretSource::Env("CONTOSO_OIDC_SECRET".into())
            ))]
        );
        assert!(!write(&checked.file).contains("s3cret"));
    }

    #[test]
    fn sso_problems_name_their_fields() {
        let text = format!("{MINIMAL}{SSO}")
            .replace(
                "https://login.contoso.example/",
                "http://login.contoso.example/",
            )
            .replace("display_name = \"Contoso ID\"", "display_name = \" \"");
        assert_eq!(
            problems_of(&text),
            [
                "tenants[0].sso.issuer: \"http://login.contoso.example/\" is not an issuer: an https:// address without query or fragment (http:// only on this machine)",
                "tenants[0].sso.display_name: is empty",
                "tenants[0].sso.client_secret_env: no secrets here",
            ]
        );
        let no_secret =
            format!("{MINIMAL}{SSO}").replace("client_secret_env = \"CONTOSO_OIDC_SECRET\"\n", "");
        assert_eq!(
            problems_of(&no_secret),
            ["tenants[0].sso: the provider's client secret is needed: client_secret_env or client_secret_file"]
        );
        for local in [
            "http://127.0.0.1:9000/",
            "http://127.0.0.2:4011",
            "http://localhost:9000",
        ] {
            let text = format!("{MINIMAL}{SSO}").replace("https://login.contoso.example/", local);
            assert_eq!(
                problems_of(&text),
                ["tenants[0].sso.client_secret_env: no secrets here"],
                "{local}"
            );
        }
        let text = format!("{MINIMAL}{SSO}").replace(
            "https://login.contoso.example/",
            "http://127.0.0.1.evil.example/",
        );
        assert_eq!(problems_of(&text).len(), 2, "not a loopback address");
    }

    #[test]
    fn a_problem_names_its_place_and_the_value() {
        let text = MINIMAL.replace("concurrency = 4", "concurrency = 61");
        assert_eq!(
            problems_of(&text),
            ["tenants[0].org_units[0].concurrency: 61 is above 60"]
        );
        let text = MINIMAL.replace("concurrency = 8", "concurrency = 0");
        assert_eq!(problems_of(&text), ["tenants[0].concurrency: 0 is below 1"]);
    }

    #[test]
    fn every_problem_is_reported_not_only_the_first() {
        let text = MINIMAL
            .replace("code = \"service\"", "code = \"Service Desk\"")
            .replace("+14155550123", "call us")
            .replace("name = \"General Enquiries\"", "name = \"\"");
        let problems = problems_of(&text);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].starts_with("tenants[0].org_units[0].code: \"Service Desk\" is not a code")
        );
        assert!(problems[1].starts_with(
            "tenants[0].org_units[0].whatsapp_channels[0].phone_number: \"call us\" is not a phone number"
        ));
        assert_eq!(problems[2], "tenants[0].skill_queues[0].name: is empty");
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_line() {
        let text = MINIMAL.replace("concurrency = 8", "concurency = 8");
        let problems = parse(&text).unwrap_err();
        assert_eq!(problems[0].place, "line 6");
        assert!(problems[0].message.contains("concurency"), "{problems:?}");
    }

    #[test]
    fn parents_must_be_declared_and_make_no_cycle() {
        let text = format!(
            "{MINIMAL}
[[tenants.org_units]]
code = \"a\"
name = \"A\"
parent = \"b\"

[[tenants.org_units]]
code = \"b\"
name = \"B\"
parent = \"a\"

[[tenants.org_units]]
code = \"c\"
name = \"C\"
parent = \"nowhere\"
"
        );
        assert_eq!(
            problems_of(&text),
            [
                "tenants[0].org_units[1].parent: \"b\" makes a cycle: an OU cannot be below itself",
                "tenants[0].org_units[2].parent: \"a\" makes a cycle: an OU cannot be below itself",
                "tenants[0].org_units[3].parent: \"nowhere\" is not an OU of this tenant",
            ]
        );
    }

    #[test]
    fn codes_and_names_that_tell_things_apart_are_unique() {
        let text = format!(
            "{MINIMAL}
[[tenants.skill_queues]]
code = \"general\"
name = \"general enquiries\"

[[tenants.org_units]]
code = \"service\"
name = \"Again\"

[[tenants.org_units.whatsapp_channels]]
name = \"Same number\"
phone_number = \"+14155550123\"
"
        );
        assert_eq!(
            problems_of(&text),
            [
                "tenants[0].org_units[1].code: \"service\" is declared twice",
                "tenants[0].org_units[1].whatsapp_channels[0].phone_number: \"+14155550123\" is declared twice: a number is one channel",
                "tenants[0].skill_queues[1].code: \"general\" is declared twice",
                "tenants[0].skill_queues[1].name: \"general enquiries\" is declared twice: agents tell queues apart by name",
            ]
        );
    }

    #[test]
    fn agent_id_ranges_of_two_tenants_do_not_overlap() {
        let second = MINIMAL
            .replace("code = \"contoso\"", "code = \"fabrikam\"")
            .replace("first = 2001, last = 2999", "first = 2999, last = 3999");
        let text = format!("{MINIMAL}{second}");
        assert_eq!(
            problems_of(&text),
            ["tenants[1].agent_ids: 2999–3999 overlaps tenants[0]'s 2001–2999: an agent ID names one agent"]
        );
        let reversed = MINIMAL.replace("first = 2001, last = 2999", "first = 2999, last = 2001");
        assert_eq!(
            problems_of(&reversed),
            ["tenants[0].agent_ids.last: 2001 is below first (2999)"]
        );
    }

    #[test]
    fn addresses_are_of_their_kind() {
        let text = MINIMAL
            .replace(
                "concurrency = 8",
                "concurrency = 8\nvrc_download_url = \"javascript:alert(1)\"",
            )
            .replace(
                "last = 2999 }",
                "last = 2999 }\n[tenants.softphone]\nwebsocket_url = \"https://sip.contoso.example\"",
            );
        assert_eq!(
            problems_of(&text),
            [
                "tenants[0].vrc_download_url: \"javascript:alert(1)\" is not an http:// or https:// address",
                "tenants[0].softphone.websocket_url: \"https://sip.contoso.example\" is not an ws:// or wss:// address",
                "tenants[0].softphone.sip_domain: is needed with a websocket_url: it is the digest realm",
            ]
        );
    }

    #[test]
    fn a_turn_secret_is_read_from_its_source_and_never_from_the_file() {
        let text = MINIMAL.replace(
            "last = 2999 }",
            "last = 2999 }\n[[tenants.ice_servers]]\nurl = \"stun:turn.contoso.example:3478\"\n[[tenants.ice_servers]]\nurl = \"turn:turn.contoso.example:3478\"\nsecret_env = \"CONTOSO_TURN\"",
        );
        let secrets = |source: &SecretSource| match source {
            SecretSource::Env(name) if name == "CONTOSO_TURN" => Ok("s3cret".to_owned()),
            _ => Err("unknown".to_owned()),
        };
        let checked = check(parse(&text).unwrap(), secrets).unwrap();
        assert_eq!(
            checked.ice_servers[0],
            [
                StoredIceServer {
                    url: "stun:turn.contoso.example:3478".into(),
                    secret: None
                },
                StoredIceServer {
                    url: "turn:turn.contoso.example:3478".into(),
                    secret: Some(("s3cret".into(), SecretSource::Env("CONTOSO_TURN".into()))),
                },
            ]
        );
        assert_eq!(
            problems_of(&text),
            ["tenants[0].ice_servers[1].secret_env: no secrets here"]
        );
        let without = text.replace("secret_env = \"CONTOSO_TURN\"", "");
        assert_eq!(
            problems_of(&without),
            ["tenants[0].ice_servers[1]: a TURN server needs its shared secret: secret_env or secret_file"]
        );
        let secret_in_file = text.replace("secret_env", "secret");
        assert!(parse(&secret_in_file).is_err());
    }

    #[test]
    fn a_secret_source_is_stored_and_read_back() {
        for source in [
            SecretSource::Env("TURN_SECRET".into()),
            SecretSource::File("/run/secrets/turn".into()),
        ] {
            assert_eq!(SecretSource::from_stored(&source.stored()), Some(source));
        }
        assert_eq!(SecretSource::from_stored("s3cret"), None);
    }

    #[test]
    fn a_written_file_reads_back_the_same() {
        let file = parse(MINIMAL).unwrap();
        assert_eq!(parse(&write(&file)).unwrap(), file);
    }
}
