//! Demo data for a new database, made the way an operator makes theirs: the demo tenant file
//! (`demo/tenants.toml`: three tenants, two-factor none, SMS and email) applied, then the
//! demo's people provisioned through the same functions SCIM requests call. Four agents sign
//! in; between them they cover WebRTC on/off, bound/not bound to a business account, and
//! with/without the e-card permission. Their three managers are agents too, without a password.

use std::collections::HashMap;

use pc_model::{AgentRole, AgentType, Permission};
use sqlx::AnyConnection;

use super::provisioning::{self, Caller};
use super::{tenants, Db};
use crate::domain::provisioning::groups::GroupInput;
use crate::domain::provisioning::users::{Name, UserInput, UserRecord};
use crate::domain::tenant_file::{
    self, CheckedTenants, IceServerDeclaration, SecretSource, SsoDeclaration, SsoMatch,
};
use crate::domain::{password, session, softphone};

/// The demo tenants, as an operator would declare theirs.
const DEMO_TENANTS: &str = include_str!("../../demo/tenants.toml");

/// The environment variable the demo's TURN secret is named by (`--demo-turn-secret`'s).
const DEMO_TURN_SECRET_ENV: &str = "PC_DEMO_TURN_SECRET";

/// SSO-1: the demo's single sign-on: the northwind tenant, as the client `DEMO_SSO_CLIENT_ID`
/// of the test OpenID Provider, with the client secret named by this variable
/// (`--demo-identity-provider-secret`'s).
const DEMO_SSO_TENANT: &str = "northwind";
pub const DEMO_SSO_CLIENT_ID: &str = "personal-center";
const DEMO_SSO_SECRET_ENV: &str = "PC_DEMO_IDENTITY_PROVIDER_SECRET";

/// The services outside the server that the demo tenants are pointed at when demo data is
/// seeded; each is left out when not given.
#[derive(Clone, Copy, Default)]
pub struct DemoServices<'a> {
    /// RTC-1: the registration server (`ws://…`) of the tenants with WebRTC.
    pub registration_server: Option<&'a str>,
    /// BEY-3: the STUN/TURN server (`host:port`) and its shared secret.
    pub turn: Option<(&'a str, &'a str)>,
    /// SSO-1: the OpenID Provider's issuer and the demo client's secret.
    pub identity_provider: Option<(&'a str, &'a str)>,
}

/// Where the demo's provisioning comes from, as the agents' activity shows it.
pub const DEMO_ADDRESS: &str = "demo data";

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

/// One of the demo's people, as their identity provider would provision them.
struct DemoPerson {
    tenant: &'static str,
    user_name: &'static str,
    display_name: &'static str,
    title: &'static str,
    email: &'static str,
    phone: &'static str,
    mobile: Option<&'static str>,
    fixed_line: Option<&'static str>,
    role: AgentRole,
    agent_type: AgentType,
    softphone_number: &'static str,
    org_unit: &'static str,
    webrtc: bool,
    bound: bool,
    e_card: bool,
    /// Their manager's business account.
    manager: Option<&'static str>,
}

impl DemoPerson {
    fn input(&self) -> UserInput {
        UserInput {
            user_name: self.user_name.to_owned(),
            display_name: Some(self.display_name.to_owned()),
            name: Name::default(),
            title: self.title.to_owned(),
            active: Some(true),
            email: self.email.to_owned(),
            phone: self.phone.to_owned(),
            mobile: self.mobile.map(str::to_owned),
            fixed_line: self.fixed_line.map(str::to_owned),
            role: Some(self.role),
            permissions: if self.e_card {
                vec![Permission::GenerateBusinessCard]
            } else {
                Vec::new()
            },
            agent_type: Some(self.agent_type),
            softphone_number: Some(self.softphone_number.to_owned()),
            org_unit: Some(self.org_unit.to_owned()),
            webrtc: Some(self.webrtc),
            bound: Some(self.bound),
            ..UserInput::default()
        }
    }
}

/// In the order they are provisioned, which gives the agent IDs: the four who sign in first in
/// their tenants (1001, 1002, 2001, 3001), their managers after them.
const DEMO_PEOPLE: [DemoPerson; 7] = [
    DemoPerson {
        tenant: "northwind",
        user_name: "alice.wang",
        display_name: "Alice Wang",
        title: "Senior Customer Service Agent",
        email: "alice.wang@northwind.example",
        phone: "+86 138 0013 8011",
        mobile: Some("+8613800138011"),
        fixed_line: Some("+861068001001"),
        role: AgentRole::Agent,
        agent_type: AgentType::Versatile,
        softphone_number: "70001001",
        org_unit: "care",
        webrtc: true,
        bound: true,
        e_card: true,
        manager: Some("grace.liu"),
    },
    DemoPerson {
        tenant: "northwind",
        user_name: "bob.li",
        display_name: "Bob Li",
        title: "Team Leader, Sales",
        email: "bob.li@northwind.example",
        phone: "+86 138 0013 8012",
        mobile: Some("+8613800138012"),
        fixed_line: None,
        role: AgentRole::TeamLeader,
        agent_type: AgentType::Multimedia,
        softphone_number: "70001002",
        org_unit: "sales",
        webrtc: false,
        bound: false,
        e_card: false,
        manager: Some("grace.liu"),
    },
    DemoPerson {
        tenant: "northwind",
        user_name: "grace.liu",
        display_name: "Grace Liu",
        title: "Contact Center Manager",
        email: "grace.liu@northwind.example",
        phone: "+86 138 0013 8001",
        mobile: None,
        fixed_line: None,
        role: AgentRole::TeamLeader,
        agent_type: AgentType::Voice,
        softphone_number: "70001003",
        org_unit: "northwind",
        webrtc: false,
        bound: true,
        e_card: false,
        manager: None,
    },
    DemoPerson {
        tenant: "contoso",
        user_name: "carol.chen",
        display_name: "Carol Chen",
        title: "Quality Inspector",
        email: "carol.chen@contoso.example",
        phone: "+1 415 555 0113",
        mobile: None,
        fixed_line: Some("+14155550113"),
        role: AgentRole::QualityInspector,
        agent_type: AgentType::Voice,
        softphone_number: "80002001",
        org_unit: "service",
        webrtc: false,
        bound: true,
        e_card: true,
        manager: Some("henry.sun"),
    },
    DemoPerson {
        tenant: "contoso",
        user_name: "henry.sun",
        display_name: "Henry Sun",
        title: "Service Manager",
        email: "henry.sun@contoso.example",
        phone: "+1 415 555 0100",
        mobile: None,
        fixed_line: None,
        role: AgentRole::TeamLeader,
        agent_type: AgentType::Voice,
        softphone_number: "80002002",
        org_unit: "service",
        webrtc: false,
        bound: true,
        e_card: false,
        manager: None,
    },
    DemoPerson {
        tenant: "fabrikam",
        user_name: "david.zhao",
        display_name: "David Zhao",
        title: "Support Agent",
        email: "david.zhao@fabrikam.example",
        phone: "+86 139 0013 9014",
        mobile: Some("+8613900139014"),
        fixed_line: None,
        role: AgentRole::Agent,
        agent_type: AgentType::Multimedia,
        softphone_number: "90003001",
        org_unit: "support",
        webrtc: true,
        bound: true,
        e_card: false,
        manager: Some("irene.zhou"),
    },
    DemoPerson {
        tenant: "fabrikam",
        user_name: "irene.zhou",
        display_name: "Irene Zhou",
        title: "Support Lead",
        email: "irene.zhou@fabrikam.example",
        phone: "+86 139 0013 9001",
        mobile: None,
        fixed_line: None,
        role: AgentRole::TeamLeader,
        agent_type: AgentType::Voice,
        softphone_number: "90003002",
        org_unit: "support",
        webrtc: false,
        bound: true,
        e_card: false,
        manager: None,
    },
];

/// The skill queues' members (tenant, queue, business accounts), as Groups would provision them.
const DEMO_SKILL_QUEUES: [(&str, &str, &[&str]); 6] = [
    ("northwind", "Billing", &["alice.wang", "bob.li"]),
    ("northwind", "Technical Support", &["alice.wang"]),
    ("northwind", "VIP Customers", &["alice.wang"]),
    ("contoso", "General Enquiries", &["carol.chen"]),
    ("contoso", "Complaints", &["carol.chen"]),
    ("fabrikam", "Hardware Support", &["david.zhao"]),
];

/// AGT-5: the softphones of Alice, Bob and David are registered; Carol's never was.
const REGISTERED_DEMO_AGENTS: [i64; 3] = [1001, 1002, 3001];

/// RTC-1: the softphone passwords of the WebRTC demo agents (agent, SIP user, SIP domain,
/// password). Only their HA1s are stored, which the demo and test registrar checks through the
/// `subscriber` view (migration 0011).
pub const DEMO_SOFTPHONE_PASSWORDS: [(i64, &str, &str, &str); 2] = [
    (1001, "70001001", "northwind.example", "Softphone@1001"),
    (3001, "90003001", "fabrikam.example", "Softphone@3001"),
];

impl Db {
    /// Seeds the demo data into an empty database, the tenants pointed at the given `services`.
    /// Returns whether it did.
    pub async fn seed_demo_data_if_empty(
        &self,
        services: DemoServices<'_>,
    ) -> anyhow::Result<bool> {
        if self.has_tenants().await? {
            return Ok(false);
        }
        match self.seed_demo_data(services).await {
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

    async fn seed_demo_data(&self, services: DemoServices<'_>) -> anyhow::Result<()> {
        let checked = demo_tenants(services)?;
        // One transaction: instances seeding a new database together see all of it or none.
        let mut tx = self.pool().begin().await?;
        tenants::apply_tenants_in(&mut tx, &checked)
            .await
            .map_err(|error| anyhow::anyhow!("the demo tenant file: {error:?}"))?;
        let demo_password = password::hash(DEMO_PASSWORD);
        let mut agents: HashMap<&str, UserRecord> = HashMap::new();
        for person in DEMO_PEOPLE {
            let tenant_id = tenant_id_in(&mut tx, person.tenant).await?;
            let caller = Caller {
                tenant_id,
                address: DEMO_ADDRESS,
            };
            let signs_in = DEMO_AGENTS
                .iter()
                .any(|agent| agent.business_account == person.user_name);
            let user = provisioning::create_user_in(
                &mut tx,
                caller,
                &person.input(),
                signs_in.then_some(demo_password.as_str()),
            )
            .await
            .map_err(|refusal| anyhow::anyhow!("demo user {}: {refusal}", person.user_name))?;
            agents.insert(person.user_name, user);
        }
        for person in DEMO_PEOPLE.iter().filter(|p| p.manager.is_some()) {
            let tenant_id = tenant_id_in(&mut tx, person.tenant).await?;
            let caller = Caller {
                tenant_id,
                address: DEMO_ADDRESS,
            };
            let mut input = person.input();
            input.manager_id = person.manager.map(|manager| agents[manager].id);
            provisioning::replace_user_in(
                &mut tx,
                caller,
                agents[person.user_name].id,
                &input,
                None,
                None,
            )
            .await
            .map_err(|refusal| {
                anyhow::anyhow!("demo manager of {}: {refusal}", person.user_name)
            })?;
        }
        for (tenant, queue, members) in DEMO_SKILL_QUEUES {
            let tenant_id = tenant_id_in(&mut tx, tenant).await?;
            let caller = Caller {
                tenant_id,
                address: DEMO_ADDRESS,
            };
            let (id,): (i64,) =
                sqlx::query_as("SELECT id FROM skill_queues WHERE tenant_id = $1 AND name = $2")
                    .bind(tenant_id)
                    .bind(queue)
                    .fetch_one(&mut *tx)
                    .await?;
            let input = GroupInput {
                display_name: queue.to_owned(),
                external_id: None,
                members: members.iter().map(|member| agents[member].id).collect(),
            };
            provisioning::replace_group_in(&mut tx, caller, id, &input, None)
                .await
                .map_err(|refusal| anyhow::anyhow!("demo skill queue {queue}: {refusal}"))?;
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

async fn tenant_id_in(connection: &mut AnyConnection, code: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT id FROM tenants WHERE code = $1")
        .bind(code)
        .fetch_one(connection)
        .await
}

/// The demo tenant file, its WebRTC tenants pointed at `registration_server` and given the
/// STUN/TURN server `turn` (`host:port` and its shared secret), checked like any tenant file.
fn demo_tenants(services: DemoServices<'_>) -> anyhow::Result<CheckedTenants> {
    let mut file = tenant_file::parse(DEMO_TENANTS)
        .map_err(|problems| anyhow::anyhow!("the demo tenant file: {problems:?}"))?;
    for tenant in &mut file.tenants {
        if let Some(url) = services
            .registration_server
            .filter(|_| !tenant.softphone.websocket_url.is_empty())
        {
            tenant.softphone.websocket_url = url.to_owned();
        }
        if let Some((address, _)) = services.turn.filter(|_| tenant.webrtc) {
            // BEY-3: coturn answers STUN too, so one server is both.
            tenant.ice_servers = vec![
                IceServerDeclaration {
                    url: format!("stun:{address}"),
                    secret_env: None,
                    secret_file: None,
                },
                IceServerDeclaration {
                    url: format!("turn:{address}?transport=udp"),
                    secret_env: Some(DEMO_TURN_SECRET_ENV.to_owned()),
                    secret_file: None,
                },
            ];
        }
        if let Some((issuer, _)) = services
            .identity_provider
            .filter(|_| tenant.code == DEMO_SSO_TENANT)
        {
            // Password sign-in stays on: the demo's printed passwords keep working.
            tenant.sso = Some(SsoDeclaration {
                issuer: issuer.to_owned(),
                display_name: "Northwind ID".into(),
                client_id: DEMO_SSO_CLIENT_ID.into(),
                client_secret_env: Some(DEMO_SSO_SECRET_ENV.into()),
                client_secret_file: None,
                scopes: vec!["profile".into(), "email".into()],
                agent_claim: "preferred_username".into(),
                matched_to: SsoMatch::UserName,
                password_sign_in: true,
            });
        }
    }
    tenant_file::check(file, |source| match source {
        SecretSource::Env(name) if name == DEMO_TURN_SECRET_ENV => services
            .turn
            .map(|(_, secret)| secret.to_owned())
            .ok_or_else(|| format!("{source:?} is not the demo's")),
        SecretSource::Env(name) if name == DEMO_SSO_SECRET_ENV => services
            .identity_provider
            .map(|(_, secret)| secret.to_owned())
            .ok_or_else(|| format!("{source:?} is not the demo's")),
        _ => Err(format!("{source:?} is not the demo's")),
    })
    .map_err(|problems| anyhow::anyhow!("the demo tenant file: {problems:?}"))
}
