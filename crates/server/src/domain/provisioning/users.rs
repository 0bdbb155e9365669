//! PRV-3: a SCIM User and what is stored of it: the employee (EMP-1) and the agent (AGT-1,
//! AGT-6). Reading a request is lenient where the big identity providers differ (names in any
//! case, `"False"` as a boolean, phone numbers with spaces, several emails of which one is
//! kept) and strict where a value would be wrong (a role or permission that does not exist, a
//! phone number with letters).

use std::collections::HashSet;

use pc_model::agent_info::optional_phone_violation;
use pc_model::settings::work_email_violation;
use pc_model::{AgentRole, AgentType, FieldChange, Permission};
use serde_json::{json, Map, Value};

use super::schema::{canonical, AGENT_TYPES, ENTITLEMENTS, PHONE_TYPES, ROLES, USER_ATTRIBUTES};
use super::{meta, ScimError, ScimResult, AGENT_SCHEMA, ENTERPRISE_SCHEMA, USER_SCHEMA};

/// The longest text of a free-text attribute (names, title, department, …).
const TEXT_MAX: usize = 200;
/// The longest business account (as the sign-in form takes it).
const USER_NAME_MAX: usize = pc_model::session::BUSINESS_ACCOUNT_MAX;
const PASSWORD_MIN: usize = 8;
const PASSWORD_MAX: usize = pc_model::session::PASSWORD_MAX;
const SOFTPHONE_NUMBER_MAX: usize = 64;
const EXTERNAL_ID_MAX: usize = 255;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Name {
    pub formatted: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
}

/// A skill queue the user is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRef {
    pub id: i64,
    pub name: String,
}

/// Another user of the tenant, named by a reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRef {
    pub id: i64,
    pub username: String,
}

/// A user as stored: the employee and their agent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRecord {
    /// The SCIM id: the employee's.
    pub id: i64,
    pub user_name: String,
    pub external_id: Option<String>,
    pub display_name: Option<String>,
    pub name: Name,
    /// EMP-1's username, as shown.
    pub username: String,
    pub title: String,
    pub active: bool,
    pub email: String,
    pub phone: String,
    pub mobile: Option<String>,
    pub fixed_line: Option<String>,
    pub role: AgentRole,
    pub permissions: Vec<Permission>,
    pub groups: Vec<GroupRef>,
    pub employee_number: Option<String>,
    pub department: Option<String>,
    pub manager: Option<UserRef>,
    pub agent_id: i64,
    pub agent_type: AgentType,
    pub softphone_number: String,
    pub registration_server: String,
    pub org_unit: String,
    pub webrtc: bool,
    pub bound: bool,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A user as a request states it, checked. `None` for an attribute the request leaves out that
/// a user always has: a create gives it its default, a replace keeps what is stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserInput {
    pub user_name: String,
    pub external_id: Option<String>,
    pub display_name: Option<String>,
    pub name: Name,
    pub title: String,
    pub active: Option<bool>,
    /// Write-only: set when the request carries one.
    pub password: Option<String>,
    pub email: String,
    pub phone: String,
    pub mobile: Option<String>,
    pub fixed_line: Option<String>,
    pub role: Option<AgentRole>,
    pub permissions: Vec<Permission>,
    pub employee_number: Option<String>,
    pub department: Option<String>,
    /// The manager's SCIM id.
    pub manager_id: Option<i64>,
    pub agent_type: Option<AgentType>,
    pub softphone_number: Option<String>,
    pub registration_server: String,
    pub org_unit: Option<String>,
    pub webrtc: Option<bool>,
    pub bound: Option<bool>,
}

impl UserInput {
    /// EMP-1's username: the display name, else the formatted name, else the given and family
    /// names, else the business account.
    pub fn username(&self) -> String {
        let parts: Vec<&str> = [&self.name.given_name, &self.name.family_name]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        self.display_name
            .clone()
            .or_else(|| self.name.formatted.clone())
            .or_else(|| (!parts.is_empty()).then(|| parts.join(" ")))
            .unwrap_or_else(|| self.user_name.clone())
    }
}

/// The user as SCIM answers it, at `base_url` (`…/scim/v2`). `with_agent_id`: the request asked
/// for the agent ID (`returned: request`).
pub fn user_document(user: &UserRecord, base_url: &str, with_agent_id: bool) -> Value {
    let mut document = Map::new();
    let mut schemas = vec![json!(USER_SCHEMA)];
    document.insert("id".into(), json!(user.id.to_string()));
    if let Some(external_id) = &user.external_id {
        document.insert("externalId".into(), json!(external_id));
    }
    document.insert("userName".into(), json!(user.user_name));
    let mut name = Map::new();
    for (key, value) in [
        ("formatted", &user.name.formatted),
        ("familyName", &user.name.family_name),
        ("givenName", &user.name.given_name),
    ] {
        if let Some(value) = value {
            name.insert(key.into(), json!(value));
        }
    }
    if !name.is_empty() {
        document.insert("name".into(), Value::Object(name));
    }
    if let Some(display_name) = &user.display_name {
        document.insert("displayName".into(), json!(display_name));
    }
    if !user.title.is_empty() {
        document.insert("title".into(), json!(user.title));
    }
    document.insert("active".into(), json!(user.active));
    if !user.email.is_empty() {
        document.insert(
            "emails".into(),
            json!([{"value": user.email, "type": "work"}]),
        );
    }
    let phones: Vec<Value> = [
        ("work", (!user.phone.is_empty()).then_some(&user.phone)),
        ("mobile", user.mobile.as_ref()),
        ("fixed", user.fixed_line.as_ref()),
    ]
    .into_iter()
    .filter_map(|(kind, value)| value.map(|value| json!({"value": value, "type": kind})))
    .collect();
    if !phones.is_empty() {
        document.insert("phoneNumbers".into(), Value::Array(phones));
    }
    document.insert("roles".into(), json!([{"value": user.role.code()}]));
    if !user.permissions.is_empty() {
        document.insert(
            "entitlements".into(),
            Value::Array(
                user.permissions
                    .iter()
                    .map(|p| json!({"value": p.code()}))
                    .collect(),
            ),
        );
    }
    if !user.groups.is_empty() {
        document.insert(
            "groups".into(),
            Value::Array(
                user.groups
                    .iter()
                    .map(|group| {
                        json!({
                            "value": group.id.to_string(),
                            "$ref": format!("{base_url}/Groups/{}", group.id),
                            "display": group.name,
                        })
                    })
                    .collect(),
            ),
        );
    }
    let mut enterprise = Map::new();
    if let Some(number) = &user.employee_number {
        enterprise.insert("employeeNumber".into(), json!(number));
    }
    if let Some(department) = &user.department {
        enterprise.insert("department".into(), json!(department));
    }
    if let Some(manager) = &user.manager {
        enterprise.insert(
            "manager".into(),
            json!({"value": manager.id.to_string(), "$ref": format!("{base_url}/Users/{}", manager.id)}),
        );
    }
    if !enterprise.is_empty() {
        schemas.push(json!(ENTERPRISE_SCHEMA));
        document.insert(ENTERPRISE_SCHEMA.into(), Value::Object(enterprise));
    }
    let mut agent = Map::new();
    if with_agent_id {
        agent.insert("agentId".into(), json!(user.agent_id));
    }
    agent.insert("agentType".into(), json!(user.agent_type.code()));
    agent.insert("softphoneNumber".into(), json!(user.softphone_number));
    if !user.registration_server.is_empty() {
        agent.insert("registrationServer".into(), json!(user.registration_server));
    }
    agent.insert("organizationUnit".into(), json!(user.org_unit));
    agent.insert("webrtc".into(), json!(user.webrtc));
    agent.insert("boundToBusinessAccount".into(), json!(user.bound));
    schemas.push(json!(AGENT_SCHEMA));
    document.insert(AGENT_SCHEMA.into(), Value::Object(agent));
    let location = format!("{base_url}/Users/{}", user.id);
    document.insert(
        "meta".into(),
        meta(
            "User",
            &location,
            user.created_at,
            user.updated_at,
            user.version,
        ),
    );
    document.insert("schemas".into(), Value::Array(schemas));
    Value::Object(document)
}

/// The problems found in one request, said together.
#[derive(Default)]
pub struct Problems(Vec<String>);

impl Problems {
    pub fn add(&mut self, attribute: &str, reason: impl std::fmt::Display) {
        self.0.push(format!("{attribute}: {reason}"));
    }

    pub fn into_result<T>(self, value: T) -> ScimResult<T> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(ScimError::invalid_value(self.0.join("; ")))
        }
    }
}

/// A text attribute: `None` when absent or null; a string, else a problem.
pub fn text_of(
    object: &Value,
    key: &str,
    place: &str,
    max: usize,
    problems: &mut Problems,
) -> Option<String> {
    match object.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => {
            if text.chars().count() > max {
                problems.add(place, format!("at most {max} characters"));
            } else if text.chars().any(char::is_control) {
                problems.add(place, "a control character is not allowed");
            }
            Some(text.clone())
        }
        // Numbers arrive where an IdP's source attribute is numeric (an employee number).
        Some(Value::Number(number)) => Some(number.to_string()),
        Some(_) => {
            problems.add(place, "must be a string");
            None
        }
    }
}

/// A boolean attribute: JSON true/false, or the strings some IdPs send (`"False"`).
pub fn boolean_of(object: &Value, key: &str, place: &str, problems: &mut Problems) -> Option<bool> {
    match object.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::Bool(value)) => Some(*value),
        Some(Value::String(text)) if text.eq_ignore_ascii_case("true") => Some(true),
        Some(Value::String(text)) if text.eq_ignore_ascii_case("false") => Some(false),
        Some(_) => {
            problems.add(place, "must be true or false");
            None
        }
    }
}

/// The elements of a multi-valued attribute (a single object counts as one).
fn elements<'a>(
    object: &'a Value,
    key: &str,
    place: &str,
    problems: &mut Problems,
) -> Vec<&'a Value> {
    match object.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().filter(|item| !item.is_null()).collect(),
        Some(item @ Value::Object(_)) => vec![item],
        Some(_) => {
            problems.add(place, "must be a list");
            Vec::new()
        }
    }
}

/// Whether a multi-valued element says it is the primary one.
fn is_primary(element: &Value) -> bool {
    let mut ignored = Problems::default();
    boolean_of(element, "primary", "", &mut ignored).unwrap_or(false)
}

/// A phone number the agent rules accept: the separators people write dropped, then digits
/// with an optional leading `+`.
fn agent_phone(value: &str, place: &str, problems: &mut Problems) -> Option<String> {
    let number: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    if let Some(violation) = optional_phone_violation(&number) {
        problems.add(place, violation.english());
    }
    (!number.is_empty()).then_some(number)
}

/// Reads a User document (a create, a replace, or the result of a PATCH).
pub fn parse_user(document: &Value) -> ScimResult<UserInput> {
    let document = canonical(document, USER_ATTRIBUTES);
    let mut problems = Problems::default();
    let mut input = UserInput::default();

    match text_of(
        &document,
        "userName",
        "userName",
        USER_NAME_MAX,
        &mut problems,
    ) {
        Some(name) if !name.trim().is_empty() && !name.contains(char::is_whitespace) => {
            input.user_name = name;
        }
        Some(_) => problems.add("userName", "must not be empty or hold spaces"),
        None => problems.add("userName", "is required"),
    }
    input.external_id = text_of(
        &document,
        "externalId",
        "externalId",
        EXTERNAL_ID_MAX,
        &mut problems,
    );
    input.display_name = text_of(
        &document,
        "displayName",
        "displayName",
        TEXT_MAX,
        &mut problems,
    );
    if let Some(name) = document.get("name").filter(|name| !name.is_null()) {
        if name.is_object() {
            input.name = Name {
                formatted: text_of(name, "formatted", "name.formatted", TEXT_MAX, &mut problems),
                given_name: text_of(name, "givenName", "name.givenName", TEXT_MAX, &mut problems),
                family_name: text_of(
                    name,
                    "familyName",
                    "name.familyName",
                    TEXT_MAX,
                    &mut problems,
                ),
            };
        } else {
            problems.add("name", "must be an object");
        }
    }
    input.title = text_of(&document, "title", "title", TEXT_MAX, &mut problems).unwrap_or_default();
    input.active = boolean_of(&document, "active", "active", &mut problems);
    if let Some(password) = text_of(
        &document,
        "password",
        "password",
        PASSWORD_MAX,
        &mut problems,
    ) {
        if password.chars().count() < PASSWORD_MIN {
            problems.add("password", format!("at least {PASSWORD_MIN} characters"));
        }
        input.password = Some(password);
    }

    // One address is kept: the work one, else the primary one, else the first.
    let emails = elements(&document, "emails", "emails", &mut problems);
    let kept = emails
        .iter()
        .find(|email| email.get("type").and_then(Value::as_str) == Some("work"))
        .or_else(|| emails.iter().find(|email| is_primary(email)))
        .or_else(|| emails.first());
    if let Some(email) = kept {
        let address =
            text_of(email, "value", "emails.value", TEXT_MAX, &mut problems).unwrap_or_default();
        if let Some(violation) = work_email_violation(&address) {
            problems.add("emails.value", violation.english());
        }
        input.email = address;
    }

    let mut types_seen = HashSet::new();
    for phone in elements(&document, "phoneNumbers", "phoneNumbers", &mut problems) {
        let kind = phone
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("work")
            .to_ascii_lowercase();
        // Numbers of other types (home, fax, …) are not the Personal Center's to keep.
        if !PHONE_TYPES.contains(&kind.as_str()) {
            continue;
        }
        if !types_seen.insert(kind.clone()) {
            problems.add(
                "phoneNumbers",
                format!("one number of type {kind}, not several"),
            );
            continue;
        }
        let place = format!("phoneNumbers[type eq \"{kind}\"].value");
        let value = text_of(phone, "value", &place, TEXT_MAX, &mut problems).unwrap_or_default();
        match kind.as_str() {
            "work" => input.phone = value,
            "mobile" => input.mobile = agent_phone(&value, &place, &mut problems),
            _ => input.fixed_line = agent_phone(&value, &place, &mut problems),
        }
    }

    let roles = elements(&document, "roles", "roles", &mut problems);
    let role = roles
        .iter()
        .find(|role| is_primary(role))
        .or_else(|| roles.first());
    if let Some(role) = role {
        let value =
            text_of(role, "value", "roles.value", TEXT_MAX, &mut problems).unwrap_or_default();
        // As an IdP's display names spell them: "Team Leader", "team-leader".
        let code = value.trim().to_lowercase().replace([' ', '-'], "_");
        match AgentRole::from_code(&code) {
            Some(role) => input.role = Some(role),
            None => problems.add(
                "roles.value",
                format!("{value:?} is not a role: {}", ROLES.join(", ")),
            ),
        }
    }
    for entitlement in elements(&document, "entitlements", "entitlements", &mut problems) {
        let value = text_of(
            entitlement,
            "value",
            "entitlements.value",
            TEXT_MAX,
            &mut problems,
        )
        .unwrap_or_default();
        match Permission::from_code(value.trim()) {
            Some(permission) if !input.permissions.contains(&permission) => {
                input.permissions.push(permission)
            }
            Some(_) => {}
            None => problems.add(
                "entitlements.value",
                format!("{value:?} is not a permission: {}", ENTITLEMENTS.join(", ")),
            ),
        }
    }

    if let Some(enterprise) = document.get(ENTERPRISE_SCHEMA).filter(|e| e.is_object()) {
        input.employee_number = text_of(
            enterprise,
            "employeeNumber",
            "employeeNumber",
            TEXT_MAX,
            &mut problems,
        );
        input.department = text_of(
            enterprise,
            "department",
            "department",
            TEXT_MAX,
            &mut problems,
        );
        input.manager_id = match enterprise.get("manager") {
            None | Some(Value::Null) => None,
            // Entra sends the manager's id alone, as a string.
            Some(Value::String(id)) => reference_id(id, "manager", &mut problems),
            Some(manager) => manager
                .get("value")
                .and_then(Value::as_str)
                .and_then(|id| reference_id(id, "manager.value", &mut problems)),
        };
    }

    if let Some(agent) = document.get(AGENT_SCHEMA).filter(|a| a.is_object()) {
        if let Some(kind) = text_of(agent, "agentType", "agentType", TEXT_MAX, &mut problems) {
            match AgentType::from_code(&kind) {
                Some(kind) => input.agent_type = Some(kind),
                None => problems.add(
                    "agentType",
                    format!("{kind:?} is not an agent type: {}", AGENT_TYPES.join(", ")),
                ),
            }
        }
        if let Some(number) = text_of(
            agent,
            "softphoneNumber",
            "softphoneNumber",
            SOFTPHONE_NUMBER_MAX,
            &mut problems,
        ) {
            let valid = !number.is_empty()
                && number
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-'));
            if !valid {
                problems.add(
                    "softphoneNumber",
                    format!("{number:?}: 1 to {SOFTPHONE_NUMBER_MAX} letters, digits, . _ + -"),
                );
            }
            input.softphone_number = Some(number);
        }
        input.registration_server = text_of(
            agent,
            "registrationServer",
            "registrationServer",
            crate::domain::tenant_file::ADDRESS_MAX,
            &mut problems,
        )
        .unwrap_or_default();
        input.org_unit = text_of(
            agent,
            "organizationUnit",
            "organizationUnit",
            TEXT_MAX,
            &mut problems,
        );
        input.webrtc = boolean_of(agent, "webrtc", "webrtc", &mut problems);
        input.bound = boolean_of(
            agent,
            "boundToBusinessAccount",
            "boundToBusinessAccount",
            &mut problems,
        );
    }
    problems.into_result(input)
}

/// A User id in a reference.
fn reference_id(id: &str, place: &str, problems: &mut Problems) -> Option<i64> {
    match id.trim().parse() {
        Ok(id) => Some(id),
        Err(_) => {
            problems.add(place, format!("{id:?} is not the id of a User"));
            None
        }
    }
}

/// What changed between two versions of a user, as the agent's activity shows it (SEC-4):
/// the fields an agent sees, by the names the app labels. Never the password.
pub fn changes(before: &UserRecord, after: &UserRecord) -> Vec<FieldChange> {
    let optional = |value: &Option<String>| value.clone().unwrap_or_default();
    let manager = |user: &UserRecord| {
        user.manager
            .as_ref()
            .map(|m| m.username.clone())
            .unwrap_or_default()
    };
    let permissions = |user: &UserRecord| {
        user.permissions
            .iter()
            .map(|p| p.code())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let groups = |user: &UserRecord| {
        user.groups
            .iter()
            .map(|g| g.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let yes_no = |value: bool| if value { "yes" } else { "no" }.to_owned();
    [
        (
            "business_account",
            before.user_name.clone(),
            after.user_name.clone(),
        ),
        ("username", before.username.clone(), after.username.clone()),
        ("email", before.email.clone(), after.email.clone()),
        ("phone", before.phone.clone(), after.phone.clone()),
        ("position", before.title.clone(), after.title.clone()),
        ("manager", manager(before), manager(after)),
        ("mobile", optional(&before.mobile), optional(&after.mobile)),
        (
            "fixed_line",
            optional(&before.fixed_line),
            optional(&after.fixed_line),
        ),
        (
            "agent_type",
            before.agent_type.code().to_owned(),
            after.agent_type.code().to_owned(),
        ),
        (
            "role",
            before.role.code().to_owned(),
            after.role.code().to_owned(),
        ),
        (
            "softphone_number",
            before.softphone_number.clone(),
            after.softphone_number.clone(),
        ),
        (
            "registration_server",
            before.registration_server.clone(),
            after.registration_server.clone(),
        ),
        ("org_unit", before.org_unit.clone(), after.org_unit.clone()),
        ("webrtc", yes_no(before.webrtc), yes_no(after.webrtc)),
        (
            "bound_to_business_account",
            yes_no(before.bound),
            yes_no(after.bound),
        ),
        ("permissions", permissions(before), permissions(after)),
        ("skill_queues", groups(before), groups(after)),
    ]
    .into_iter()
    .filter_map(|(field, old, new)| FieldChange::between(field, &old, &new))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn alice() -> UserRecord {
        UserRecord {
            id: 11,
            user_name: "alice.wang".into(),
            external_id: Some("00u1".into()),
            display_name: Some("Alice Wang".into()),
            name: Name {
                formatted: None,
                given_name: Some("Alice".into()),
                family_name: Some("Wang".into()),
            },
            username: "Alice Wang".into(),
            title: "Senior Customer Service Agent".into(),
            active: true,
            email: "alice.wang@northwind.example".into(),
            phone: "+86 138 0013 8011".into(),
            mobile: Some("+8613800138011".into()),
            fixed_line: None,
            role: AgentRole::Agent,
            permissions: vec![Permission::GenerateBusinessCard],
            groups: vec![GroupRef {
                id: 1,
                name: "Billing".into(),
            }],
            employee_number: None,
            department: Some("Customer Care".into()),
            manager: Some(UserRef {
                id: 1,
                username: "Grace Liu".into(),
            }),
            agent_id: 1001,
            agent_type: AgentType::Versatile,
            softphone_number: "70001001".into(),
            registration_server: String::new(),
            org_unit: "care".into(),
            webrtc: true,
            bound: true,
            version: 3,
            created_at: 0,
            updated_at: 0,
        }
    }

    const BASE: &str = "https://pc.example/scim/v2";

    #[test]
    fn a_user_reads_back_from_its_own_document() {
        let user = alice();
        let document = user_document(&user, BASE, false);
        let input = parse_user(&document).unwrap();
        assert_eq!(input.user_name, "alice.wang");
        assert_eq!(input.username(), "Alice Wang");
        assert_eq!(input.email, user.email);
        assert_eq!(input.phone, user.phone);
        assert_eq!(input.mobile, user.mobile);
        assert_eq!(input.role, Some(AgentRole::Agent));
        assert_eq!(input.permissions, user.permissions);
        assert_eq!(input.manager_id, Some(1));
        assert_eq!(input.org_unit.as_deref(), Some("care"));
        assert_eq!(input.webrtc, Some(true));
        assert_eq!(document["meta"]["version"], "W/\"3\"");
        assert_eq!(document["meta"]["location"], format!("{BASE}/Users/11"));
        assert_eq!(document["groups"][0]["display"], "Billing");
        assert!(document[AGENT_SCHEMA].get("agentId").is_none());
        assert_eq!(
            user_document(&user, BASE, true)[AGENT_SCHEMA]["agentId"],
            1001
        );
    }

    #[test]
    fn a_minimal_user_has_only_a_business_account() {
        let input = parse_user(&json!({"schemas": [USER_SCHEMA], "userName": "ann"})).unwrap();
        assert_eq!(input.username(), "ann");
        assert_eq!(
            (input.active, input.role, input.org_unit),
            (None, None, None)
        );
    }

    #[test]
    fn booleans_may_come_as_strings_and_names_in_any_case() {
        let input = parse_user(&json!({
            "USERNAME": "ann",
            "Active": "False",
            AGENT_SCHEMA: {"WEBRTC": "True"},
        }))
        .unwrap();
        assert_eq!((input.active, input.webrtc), (Some(false), Some(true)));
    }

    #[test]
    fn phone_numbers_go_to_their_places_and_agent_numbers_follow_the_agent_rule() {
        let input = parse_user(&json!({
            "userName": "ann",
            "phoneNumbers": [
                {"value": "+86 138 0013 8011", "type": "work"},
                {"value": "+86 (138) 0013-8012", "type": "mobile"},
                {"value": "+861068001001", "type": "fixed"},
                {"value": "+861068001009", "type": "fax"},
            ],
        }))
        .unwrap();
        assert_eq!(input.phone, "+86 138 0013 8011");
        assert_eq!(input.mobile.as_deref(), Some("+8613800138012"));
        assert_eq!(input.fixed_line.as_deref(), Some("+861068001001"));
        let refused = parse_user(&json!({
            "userName": "ann",
            "phoneNumbers": [{"value": "call me", "type": "mobile"}],
        }))
        .unwrap_err();
        assert_eq!(refused.status, 400);
        assert!(
            refused
                .detail
                .starts_with("phoneNumbers[type eq \"mobile\"].value: Enter digits only"),
            "{}",
            refused.detail
        );
    }

    #[test]
    fn one_email_is_kept_the_work_one_first() {
        let input = parse_user(&json!({
            "userName": "ann",
            "emails": [
                {"value": "ann@home.example", "type": "home", "primary": true},
                {"value": "ann@contoso.example", "type": "work"},
            ],
        }))
        .unwrap();
        assert_eq!(input.email, "ann@contoso.example");
    }

    #[test]
    fn roles_and_permissions_must_exist() {
        let input =
            parse_user(&json!({"userName": "ann", "roles": [{"value": "Team Leader"}]})).unwrap();
        assert_eq!(input.role, Some(AgentRole::TeamLeader));
        let refused = parse_user(&json!({
            "userName": "ann",
            "roles": [{"value": "admin"}],
            "entitlements": [{"value": "delete_everything"}],
        }))
        .unwrap_err();
        assert_eq!(
            refused.detail,
            "roles.value: \"admin\" is not a role: agent, team_leader, quality_inspector; entitlements.value: \"delete_everything\" is not a permission: generate_business_card"
        );
    }

    #[test]
    fn every_problem_is_named() {
        let refused = parse_user(&json!({
            "userName": "has spaces",
            "password": "short",
            AGENT_SCHEMA: {"agentType": "robot", "softphoneNumber": "70 01"},
        }))
        .unwrap_err();
        assert_eq!(
            refused.detail.matches("; ").count(),
            3,
            "{}",
            refused.detail
        );
        assert!(refused
            .detail
            .contains("userName: must not be empty or hold spaces"));
        assert!(refused.detail.contains("password: at least 8 characters"));
        assert!(refused
            .detail
            .contains("agentType: \"robot\" is not an agent type"));
        assert!(refused.detail.contains("softphoneNumber: \"70 01\""));
    }

    #[test]
    fn changes_name_what_the_agent_sees_and_never_the_password() {
        let before = alice();
        let mut after = alice();
        after.mobile = None;
        after.org_unit = "vip".into();
        after.groups.clear();
        let changes = changes(&before, &after);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["mobile", "org_unit", "skill_queues"]);
        assert_eq!(changes[0].new, None);
    }
}
