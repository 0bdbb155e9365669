//! PRV-3: the schemas `/scim/v2/Schemas` publishes, as data. They state exactly what this server
//! keeps: an attribute that is not here is not stored (a client may send it; it is ignored). The
//! same definitions give attribute names without regard to case (RFC 7643 §2.1), which
//! comparisons are case-exact, and the `/Schemas` documents themselves.

use serde_json::{json, Map, Value};

use super::{AGENT_SCHEMA, ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    String,
    Boolean,
    Integer,
    /// A URI of one of these resource types (or `external`).
    Reference(&'static [&'static str]),
    Complex(&'static [Attribute]),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mutability {
    ReadOnly,
    ReadWrite,
    Immutable,
    WriteOnly,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returned {
    Always,
    Never,
    Default,
    Request,
}

/// The values an attribute takes, as the schema publishes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Canonical {
    Any,
    Values(&'static [&'static str]),
    /// The codes of the tenant's organization units.
    OrgUnitCodes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub name: &'static str,
    pub kind: Kind,
    pub multi_valued: bool,
    pub required: bool,
    pub case_exact: bool,
    pub mutability: Mutability,
    pub returned: Returned,
    pub unique: bool,
    pub canonical: Canonical,
    pub description: &'static str,
}

const fn text(name: &'static str, description: &'static str) -> Attribute {
    Attribute {
        name,
        kind: Kind::String,
        multi_valued: false,
        required: false,
        case_exact: false,
        mutability: Mutability::ReadWrite,
        returned: Returned::Default,
        unique: false,
        canonical: Canonical::Any,
        description,
    }
}

const fn required(attribute: Attribute) -> Attribute {
    Attribute {
        required: true,
        ..attribute
    }
}

const fn of_kind(kind: Kind, attribute: Attribute) -> Attribute {
    Attribute { kind, ..attribute }
}

const fn many(attribute: Attribute) -> Attribute {
    Attribute {
        multi_valued: true,
        ..attribute
    }
}

const fn choices(values: &'static [&'static str], attribute: Attribute) -> Attribute {
    Attribute {
        canonical: Canonical::Values(values),
        ..attribute
    }
}

const fn exact(attribute: Attribute) -> Attribute {
    Attribute {
        case_exact: true,
        ..attribute
    }
}

const fn with_mutability(mutability: Mutability, attribute: Attribute) -> Attribute {
    Attribute {
        mutability,
        ..attribute
    }
}

pub const ROLES: &[&str] = &["agent", "team_leader", "quality_inspector"];
pub const AGENT_TYPES: &[&str] = &["voice", "multimedia", "versatile"];
pub const ENTITLEMENTS: &[&str] = &["generate_business_card"];
/// `phoneNumbers` types: `work` is the employee's phone (EMP-1), `mobile` the agent mobile and
/// `fixed` the agent fixed-line number (AGT-6).
pub const PHONE_TYPES: &[&str] = &["work", "mobile", "fixed"];

const NAME: &[Attribute] = &[
    text("formatted", "The full name, as displayed."),
    text("familyName", "The family name."),
    text("givenName", "The given name."),
];

const EMAIL: &[Attribute] = &[
    text("value", "The address (EMP-1). One address is kept."),
    choices(
        &["work"],
        text("type", "Always `work`: the one address kept."),
    ),
];

const PHONE_NUMBER: &[Attribute] = &[
    text(
        "value",
        "The number. Mobile and fixed-line numbers are digits with an optional leading +, 3–24 characters (spaces, dashes, dots and brackets are dropped).",
    ),
    choices(
        PHONE_TYPES,
        text(
            "type",
            "work: the employee's phone (EMP-1); mobile: the agent mobile; fixed: the agent fixed-line number (AGT-6).",
        ),
    ),
];

const ROLE: &[Attribute] = &[choices(
    ROLES,
    required(text("value", "The agent's role (AGT-1).")),
)];

const ENTITLEMENT: &[Attribute] = &[choices(
    ENTITLEMENTS,
    required(text(
        "value",
        "A permission: generate_business_card (PER-6, the E-Name Card).",
    )),
)];

const GROUP_OF_USER: &[Attribute] = &[
    with_mutability(
        Mutability::ReadOnly,
        exact(text("value", "The Group's id.")),
    ),
    with_mutability(
        Mutability::ReadOnly,
        of_kind(
            Kind::Reference(&["Group"]),
            text("$ref", "The Group's URI."),
        ),
    ),
    with_mutability(
        Mutability::ReadOnly,
        text("display", "The skill queue's name."),
    ),
];

const MANAGER: &[Attribute] = &[
    exact(text("value", "The manager's User id.")),
    of_kind(
        Kind::Reference(&["User"]),
        text("$ref", "The manager's URI."),
    ),
];

const MEMBER: &[Attribute] = &[
    with_mutability(
        Mutability::Immutable,
        exact(text("value", "The member's User id.")),
    ),
    with_mutability(
        Mutability::Immutable,
        of_kind(
            Kind::Reference(&["User"]),
            text("$ref", "The member's URI."),
        ),
    ),
    with_mutability(
        Mutability::Immutable,
        choices(&["User"], text("type", "Members are Users (agents).")),
    ),
];

/// The common `externalId` (RFC 7643 §3.1), listed with each resource's own attributes.
const EXTERNAL_ID: Attribute = exact(text(
    "externalId",
    "The identity provider's own identifier.",
));

pub const USER_ATTRIBUTES: &[Attribute] = &[
    Attribute {
        unique: true,
        ..required(text(
            "userName",
            "The business account the agent signs in with; unique in the deployment, without regard to case.",
        ))
    },
    of_kind(
        Kind::Complex(NAME),
        text(
            "name",
            "The name; the username shown (EMP-1) is displayName, else this.",
        ),
    ),
    text("displayName", "The username shown (EMP-1)."),
    text("title", "The position (EMP-1)."),
    required(of_kind(
        Kind::Boolean,
        text(
            "active",
            "false: the agent cannot sign in, their sessions end, their softphone cannot register and their E-Name Cards stop resolving. Absent in a create: true.",
        ),
    )),
    Attribute {
        mutability: Mutability::WriteOnly,
        returned: Returned::Never,
        ..exact(text(
            "password",
            "The sign-in password, 8–128 characters; stored as an argon2id hash, never returned.",
        ))
    },
    many(of_kind(Kind::Complex(EMAIL), text("emails", "The email address (EMP-1)."))),
    many(of_kind(
        Kind::Complex(PHONE_NUMBER),
        text("phoneNumbers", "Phone numbers, one of each type."),
    )),
    required(many(of_kind(
        Kind::Complex(ROLE),
        text(
            "roles",
            "The agent's role, one. Absent in a create: agent.",
        ),
    ))),
    many(of_kind(
        Kind::Complex(ENTITLEMENT),
        text("entitlements", "The agent's permissions."),
    )),
    with_mutability(
        Mutability::ReadOnly,
        many(of_kind(
            Kind::Complex(GROUP_OF_USER),
            text(
                "groups",
                "The skill queues the agent is in; changed through the Groups' members.",
            ),
        )),
    ),
    EXTERNAL_ID,
];

pub const ENTERPRISE_ATTRIBUTES: &[Attribute] = &[
    text("employeeNumber", "The employee number, kept as sent."),
    text(
        "department",
        "The department, kept as sent; the organization unit is the contactcenter extension's organizationUnit.",
    ),
    of_kind(
        Kind::Complex(MANAGER),
        text("manager", "The manager (EMP-1): another User of the tenant."),
    ),
];

pub const AGENT_ATTRIBUTES: &[Attribute] = &[
    Attribute {
        mutability: Mutability::ReadOnly,
        returned: Returned::Request,
        unique: true,
        ..of_kind(
            Kind::Integer,
            text(
                "agentId",
                "The agent ID (AGT-1), given by the Personal Center from the tenant's range; returned when asked for (attributes=).",
            ),
        )
    },
    required(choices(
        AGENT_TYPES,
        text("agentType", "The agent type (AGT-1). Absent in a create: voice."),
    )),
    required(exact(text(
        "softphoneNumber",
        "The softphone number (AGT-1), also the SIP user: 1–64 letters, digits, . _ + -. Absent in a create: the agent ID.",
    ))),
    text(
        "registrationServer",
        "The registration server address shown (AGT-1); absent: the tenant's.",
    ),
    Attribute {
        canonical: Canonical::OrgUnitCodes,
        ..required(exact(text(
            "organizationUnit",
            "The code of the agent's organization unit (PER-6, PER-8). Absent in a create: the tenant's default.",
        )))
    },
    required(of_kind(
        Kind::Boolean,
        text(
            "webrtc",
            "The browser is the agent's softphone (RTC-1). Absent in a create: false.",
        ),
    )),
    required(of_kind(
        Kind::Boolean,
        text(
            "boundToBusinessAccount",
            "The agent is bound to a business account (PER-7, PER-8). Absent in a create: true.",
        ),
    )),
];

pub const GROUP_ATTRIBUTES: &[Attribute] = &[
    Attribute {
        unique: true,
        ..required(text(
            "displayName",
            "The skill queue's name, unique in the tenant without regard to case.",
        ))
    },
    many(of_kind(
        Kind::Complex(MEMBER),
        text("members", "The agents in the skill queue."),
    )),
    EXTERNAL_ID,
];

/// A published schema.
pub struct Schema {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub attributes: &'static [Attribute],
}

pub const SCHEMAS: [Schema; 4] = [
    Schema {
        id: USER_SCHEMA,
        name: "User",
        description: "An agent: the employee and their agent identity.",
        attributes: USER_ATTRIBUTES,
    },
    Schema {
        id: ENTERPRISE_SCHEMA,
        name: "EnterpriseUser",
        description: "The employee's place in the enterprise.",
        attributes: ENTERPRISE_ATTRIBUTES,
    },
    Schema {
        id: AGENT_SCHEMA,
        name: "ContactCenterAgent",
        description: "What only a contact center has: the agent's identity in it.",
        attributes: AGENT_ATTRIBUTES,
    },
    Schema {
        id: GROUP_SCHEMA,
        name: "Group",
        description: "A skill queue; its members are the agents in it.",
        attributes: GROUP_ATTRIBUTES,
    },
];

/// The schema with this URN, without regard to case.
pub fn schema(urn: &str) -> Option<&'static Schema> {
    SCHEMAS.iter().find(|s| s.id.eq_ignore_ascii_case(urn))
}

/// The attribute of `attributes` with this name, without regard to case.
pub fn attribute(attributes: &'static [Attribute], name: &str) -> Option<&'static Attribute> {
    attributes
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
}

impl Attribute {
    pub fn sub_attributes(&self) -> &'static [Attribute] {
        match self.kind {
            Kind::Complex(subs) => subs,
            _ => &[],
        }
    }

    fn document(&self, org_unit_codes: &[String]) -> Value {
        let kind = match self.kind {
            Kind::String => "string",
            Kind::Boolean => "boolean",
            Kind::Integer => "integer",
            Kind::Reference(_) => "reference",
            Kind::Complex(_) => "complex",
        };
        let mut document = json!({
            "name": self.name,
            "type": kind,
            "multiValued": self.multi_valued,
            "description": self.description,
            "required": self.required,
            "caseExact": self.case_exact,
            "mutability": match self.mutability {
                Mutability::ReadOnly => "readOnly",
                Mutability::ReadWrite => "readWrite",
                Mutability::Immutable => "immutable",
                Mutability::WriteOnly => "writeOnly",
            },
            "returned": match self.returned {
                Returned::Always => "always",
                Returned::Never => "never",
                Returned::Default => "default",
                Returned::Request => "request",
            },
            "uniqueness": if self.unique { "server" } else { "none" },
        });
        match self.canonical {
            Canonical::Any => {}
            Canonical::Values(values) => document["canonicalValues"] = json!(values),
            Canonical::OrgUnitCodes => document["canonicalValues"] = json!(org_unit_codes),
        }
        if let Kind::Reference(types) = self.kind {
            document["referenceTypes"] = json!(types);
        }
        if let Kind::Complex(subs) = self.kind {
            document["subAttributes"] = Value::Array(
                subs.iter()
                    .map(|sub| sub.document(org_unit_codes))
                    .collect(),
            );
        }
        document
    }
}

impl Schema {
    /// The schema as `/Schemas` answers it; the tenant's OU codes are the canonical values of
    /// `organizationUnit`.
    pub fn document(&self, base_url: &str, org_unit_codes: &[String]) -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "attributes": self.attributes.iter().map(|a| a.document(org_unit_codes)).collect::<Vec<_>>(),
            "meta": {
                "resourceType": "Schema",
                "location": format!("{base_url}/Schemas/{}", self.id),
            },
        })
    }
}

/// The resource types, as `/ResourceTypes` answers them.
pub fn resource_types(base_url: &str) -> Vec<Value> {
    vec![
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "Agents: each an employee with their agent identity.",
            "schema": USER_SCHEMA,
            "schemaExtensions": [
                {"schema": ENTERPRISE_SCHEMA, "required": false},
                {"schema": AGENT_SCHEMA, "required": true},
            ],
            "meta": {"resourceType": "ResourceType", "location": format!("{base_url}/ResourceTypes/User")},
        }),
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "Skill queues.",
            "schema": GROUP_SCHEMA,
            "meta": {"resourceType": "ResourceType", "location": format!("{base_url}/ResourceTypes/Group")},
        }),
    ]
}

/// What this server supports, as `/ServiceProviderConfig` answers it.
pub fn service_provider_config(base_url: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": "https://github.com/agent-personal-center#bring-your-contact-center",
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": super::MAX_RESULTS},
        "changePassword": {"supported": true},
        "sort": {"supported": false},
        "etag": {"supported": true},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "Bearer token",
            "description": "A token of the tenant, from `pc-server scim-token create --tenant CODE`, in Authorization: Bearer.",
            "primary": true,
        }],
        "meta": {"resourceType": "ServiceProviderConfig", "location": format!("{base_url}/ServiceProviderConfig")},
    })
}

/// A document with every attribute name spelled as its schema spells it (RFC 7643 §2.1:
/// names are case-insensitive), extension objects under their schema's exact URN, and
/// `schemas`, `id` and `meta` as they are. Names no schema knows are left as sent.
pub fn canonical(document: &Value, core: &'static [Attribute]) -> Value {
    let Value::Object(members) = document else {
        return document.clone();
    };
    let mut out = Map::new();
    for (key, value) in members {
        let canonical_key = if let Some(extension) = schema(key) {
            out_extension(&mut out, extension, value);
            continue;
        } else if let Some(attribute) = attribute(core, key) {
            (attribute.name.to_owned(), canonical_value(attribute, value))
        } else {
            let known = ["schemas", "id", "meta"]
                .into_iter()
                .find(|name| name.eq_ignore_ascii_case(key));
            (known.unwrap_or(key).to_owned(), value.clone())
        };
        out.insert(canonical_key.0, canonical_key.1);
    }
    Value::Object(out)
}

fn out_extension(out: &mut Map<String, Value>, extension: &'static Schema, value: &Value) {
    let Value::Object(members) = value else {
        out.insert(extension.id.to_owned(), value.clone());
        return;
    };
    let mut canonical_members = Map::new();
    for (key, value) in members {
        match attribute(extension.attributes, key) {
            Some(attribute) => {
                canonical_members
                    .insert(attribute.name.to_owned(), canonical_value(attribute, value));
            }
            None => {
                canonical_members.insert(key.clone(), value.clone());
            }
        }
    }
    out.insert(extension.id.to_owned(), Value::Object(canonical_members));
}

/// A value with its sub-attribute names spelled as the schema spells them.
pub fn canonical_value(attribute: &Attribute, value: &Value) -> Value {
    let subs = attribute.sub_attributes();
    if subs.is_empty() {
        return value.clone();
    }
    let element = |value: &Value| match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, value)| {
                    let name = self::attribute(subs, key).map_or(key.as_str(), |a| a.name);
                    (name.to_owned(), value.clone())
                })
                .collect(),
        ),
        other => other.clone(),
    };
    match value {
        Value::Array(items) => Value::Array(items.iter().map(element).collect()),
        other => element(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_spelled_as_the_schema_spells_them_whatever_their_case() {
        let sent = json!({
            "SCHEMAS": [USER_SCHEMA],
            "USERNAME": "Ann",
            "Name": {"GIVENNAME": "Ann"},
            "EMAILS": [{"VALUE": "ann@contoso.example", "Type": "work"}],
            "urn:ietf:params:scim:schemas:extension:CONTACTCENTER:2.0:User": {"AgentType": "voice"},
            "nickName": "kept as sent",
        });
        assert_eq!(
            canonical(&sent, USER_ATTRIBUTES),
            json!({
                "schemas": [USER_SCHEMA],
                "userName": "Ann",
                "name": {"givenName": "Ann"},
                "emails": [{"value": "ann@contoso.example", "type": "work"}],
                AGENT_SCHEMA: {"agentType": "voice"},
                "nickName": "kept as sent",
            })
        );
    }

    #[test]
    fn a_schema_document_carries_the_tenants_org_units_as_choices() {
        let document = SCHEMAS[2].document("http://pc.example/scim/v2", &["care".into()]);
        let unit = document["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == "organizationUnit")
            .unwrap();
        assert_eq!(unit["canonicalValues"], json!(["care"]));
        assert_eq!(unit["required"], true);
        let agent_id = &document["attributes"][0];
        assert_eq!(
            (agent_id["name"].as_str(), agent_id["mutability"].as_str()),
            (Some("agentId"), Some("readOnly"))
        );
    }

    #[test]
    fn the_password_is_write_only_and_never_returned() {
        let password = attribute(USER_ATTRIBUTES, "PASSWORD").unwrap();
        assert_eq!(password.mutability, Mutability::WriteOnly);
        assert_eq!(password.returned, Returned::Never);
    }
}
