//! PRV-3: a SCIM Group is a skill queue; its members are the agents in it (AGT-1's skill
//! queues). Queues the tenant file declares keep their name from the file; SCIM changes only
//! their members.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::schema::{canonical, GROUP_ATTRIBUTES};
use super::users::{text_of, Problems};
use super::{meta, ScimResult, GROUP_SCHEMA};

/// The longest skill queue name (as the tenant file takes it).
const NAME_MAX: usize = crate::domain::tenant_file::NAME_MAX;
const EXTERNAL_ID_MAX: usize = 255;

/// A skill queue as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRecord {
    pub id: i64,
    pub display_name: String,
    pub external_id: Option<String>,
    /// The tenant file's code; `None` for a queue created by SCIM.
    pub code: Option<String>,
    /// The members' User ids, ascending.
    pub members: Vec<i64>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A group as a request states it, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupInput {
    pub display_name: String,
    pub external_id: Option<String>,
    /// User ids, each once.
    pub members: BTreeSet<i64>,
}

pub fn group_document(group: &GroupRecord, base_url: &str) -> Value {
    let mut document = Map::new();
    document.insert("schemas".into(), json!([GROUP_SCHEMA]));
    document.insert("id".into(), json!(group.id.to_string()));
    if let Some(external_id) = &group.external_id {
        document.insert("externalId".into(), json!(external_id));
    }
    document.insert("displayName".into(), json!(group.display_name));
    if !group.members.is_empty() {
        document.insert(
            "members".into(),
            Value::Array(
                group
                    .members
                    .iter()
                    .map(|id| {
                        json!({
                            "value": id.to_string(),
                            "$ref": format!("{base_url}/Users/{id}"),
                            "type": "User",
                        })
                    })
                    .collect(),
            ),
        );
    }
    let location = format!("{base_url}/Groups/{}", group.id);
    document.insert(
        "meta".into(),
        meta(
            "Group",
            &location,
            group.created_at,
            group.updated_at,
            group.version,
        ),
    );
    Value::Object(document)
}

/// Reads a Group document (a create, a replace, or the result of a PATCH).
pub fn parse_group(document: &Value) -> ScimResult<GroupInput> {
    let document = canonical(document, GROUP_ATTRIBUTES);
    let mut problems = Problems::default();
    let mut input = GroupInput::default();
    match text_of(
        &document,
        "displayName",
        "displayName",
        NAME_MAX,
        &mut problems,
    ) {
        Some(name) if !name.trim().is_empty() => input.display_name = name,
        _ => problems.add("displayName", "is required"),
    }
    input.external_id = text_of(
        &document,
        "externalId",
        "externalId",
        EXTERNAL_ID_MAX,
        &mut problems,
    );
    match document.get("members") {
        None | Some(Value::Null) => {}
        Some(Value::Array(members)) => {
            for member in members {
                let id = member.get("value").and_then(|value| match value {
                    Value::String(id) => id.trim().parse::<i64>().ok(),
                    Value::Number(id) => id.as_i64(),
                    _ => None,
                });
                match (id, member.get("type").and_then(Value::as_str)) {
                    (Some(_), Some(kind)) if !kind.eq_ignore_ascii_case("User") => problems.add(
                        "members.type",
                        format!("{kind:?}: members are Users (agents), not groups"),
                    ),
                    (Some(id), _) => {
                        input.members.insert(id);
                    }
                    (None, _) => problems.add(
                        "members.value",
                        format!("{} is not the id of a User", member["value"]),
                    ),
                }
            }
        }
        Some(_) => problems.add("members", "must be a list"),
    }
    problems.into_result(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_reads_back_from_its_own_document() {
        let group = GroupRecord {
            id: 4,
            display_name: "Billing".into(),
            external_id: Some("grp-1".into()),
            code: None,
            members: vec![11, 12],
            version: 2,
            created_at: 0,
            updated_at: 0,
        };
        let document = group_document(&group, "https://pc.example/scim/v2");
        assert_eq!(
            document["members"][1],
            json!({"value": "12", "$ref": "https://pc.example/scim/v2/Users/12", "type": "User"})
        );
        let input = parse_group(&document).unwrap();
        assert_eq!(input.display_name, "Billing");
        assert_eq!(input.members, BTreeSet::from([11, 12]));
    }

    #[test]
    fn members_are_users_named_by_id() {
        let refused = parse_group(&json!({
            "displayName": "Billing",
            "members": [{"value": "abc"}, {"value": "5", "type": "Group"}],
        }))
        .unwrap_err();
        assert_eq!(
            refused.detail,
            "members.value: \"abc\" is not the id of a User; members.type: \"Group\": members are Users (agents), not groups"
        );
        assert!(parse_group(&json!({"members": []})).is_err());
    }
}
