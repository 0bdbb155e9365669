//! PRV-4: SCIM PATCH (RFC 7644 §3.5.2) applied to a resource's document, as the big identity
//! providers send it: `op` in any case (`Replace`), a path-less replace whose value has dotted
//! keys and extension URNs, filtered paths (`emails[type eq "work"].value`) that create the
//! element when none matches, member removal by a value list or by `members[value eq "…"]`.
//! The patched document is then read like a replace, so every rule of a create holds for it.
//! An operation on an attribute this server does not keep changes nothing.

use scim_v2::filter::{AttrExp, CompValue, CompareOp, PatchPath, ValFilter};
use serde_json::{Map, Value};

use super::schema::{attribute, canonical_value, schema, Attribute, Mutability, Schema};
use super::{ScimError, ScimResult, ScimType, PATCH_OP};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Add,
    Remove,
    Replace,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    pub op: Op,
    pub path: Option<String>,
    pub value: Option<Value>,
}

/// Reads a PatchOp body; member names and `op` values in any case.
pub fn parse_request(body: &Value) -> ScimResult<Vec<Operation>> {
    let member = |object: &Value, name: &str| -> Option<Value> {
        object
            .as_object()?
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.clone())
    };
    let schemas = member(body, "schemas").unwrap_or_default();
    let names_patch_op = schemas.as_array().is_some_and(|list| {
        list.iter()
            .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(PATCH_OP)))
    });
    if !names_patch_op {
        return Err(ScimError::bad(
            ScimType::InvalidSyntax,
            format!("a PATCH body names the schema {PATCH_OP}"),
        ));
    }
    let Some(Value::Array(operations)) = member(body, "Operations") else {
        return Err(ScimError::bad(
            ScimType::InvalidSyntax,
            "a PATCH body has a list of Operations",
        ));
    };
    operations
        .iter()
        .enumerate()
        .map(|(index, operation)| {
            let op = match member(operation, "op").as_ref().and_then(Value::as_str) {
                Some(op) if op.eq_ignore_ascii_case("add") => Op::Add,
                Some(op) if op.eq_ignore_ascii_case("remove") => Op::Remove,
                Some(op) if op.eq_ignore_ascii_case("replace") => Op::Replace,
                other => {
                    return Err(ScimError::bad(
                        ScimType::InvalidSyntax,
                        format!("Operations[{index}].op {other:?} is not add, remove or replace"),
                    ))
                }
            };
            let path = match member(operation, "path") {
                None | Some(Value::Null) => None,
                Some(Value::String(path)) if path.trim().is_empty() => None,
                Some(Value::String(path)) => Some(path),
                Some(_) => {
                    return Err(ScimError::bad(
                        ScimType::InvalidPath,
                        format!("Operations[{index}].path must be a string"),
                    ))
                }
            };
            let value = member(operation, "value").filter(|value| !value.is_null());
            if op != Op::Remove && value.is_none() {
                return Err(ScimError::bad(
                    ScimType::InvalidValue,
                    format!("Operations[{index}] ({op:?}) needs a value"),
                ));
            }
            Ok(Operation { op, path, value })
        })
        .collect()
}

/// Where an operation points.
enum Target {
    /// A whole extension object.
    Extension(&'static Schema),
    Attribute(AttributeTarget),
    /// An attribute this server does not keep.
    Unknown,
}

struct AttributeTarget {
    /// The extension holding it; `None`: the resource itself.
    extension: Option<&'static Schema>,
    definition: &'static Attribute,
    sub: Option<&'static Attribute>,
    filter: Option<ValFilter>,
}

/// Applies the operations in order to `document`, a resource of the schema `core_urn`.
pub fn apply(
    document: &mut Value,
    operations: &[Operation],
    core: &'static [Attribute],
    core_urn: &str,
) -> ScimResult<()> {
    for operation in operations {
        match &operation.path {
            Some(path) => {
                let target = resolve(path, core, core_urn)?;
                apply_at(document, operation.op, target, operation.value.as_ref())?;
            }
            None => {
                if operation.op == Op::Remove {
                    return Err(ScimError::bad(ScimType::NoTarget, "a remove needs a path"));
                }
                let Some(Value::Object(members)) = &operation.value else {
                    return Err(ScimError::bad(
                        ScimType::InvalidValue,
                        "an operation without a path has an object as its value",
                    ));
                };
                for (key, value) in members {
                    if ["schemas", "id", "meta"]
                        .iter()
                        .any(|skip| key.eq_ignore_ascii_case(skip))
                    {
                        continue;
                    }
                    let target = match schema(key) {
                        Some(extension) if !extension.id.eq_ignore_ascii_case(core_urn) => {
                            Target::Extension(extension)
                        }
                        _ => resolve(key, core, core_urn)?,
                    };
                    apply_at(document, operation.op, target, Some(value))?;
                }
            }
        }
    }
    Ok(())
}

fn resolve(path: &str, core: &'static [Attribute], core_urn: &str) -> ScimResult<Target> {
    let invalid = |reason: String| ScimError::bad(ScimType::InvalidPath, reason);
    if let Some(extension) = schema(path) {
        if !extension.id.eq_ignore_ascii_case(core_urn) {
            return Ok(Target::Extension(extension));
        }
    }
    let parsed: PatchPath = path
        .parse()
        .map_err(|error| invalid(format!("path {path:?} cannot be read: {error}")))?;
    let (attr, filter, sub_name) = match parsed {
        PatchPath::Attr(attr) => {
            let sub = attr.sub_attr.clone();
            (attr, None, sub)
        }
        PatchPath::Value(value_path) => {
            if value_path.attr.sub_attr.is_some() {
                return Err(invalid(format!(
                    "path {path:?}: a filter follows an attribute"
                )));
            }
            (
                value_path.attr,
                Some(value_path.filter),
                value_path.sub_attr,
            )
        }
    };
    let (extension, attributes) = match attr.uri.as_deref() {
        None => (None, core),
        Some(uri) if uri.eq_ignore_ascii_case(core_urn) => (None, core),
        Some(uri) => match schema(uri) {
            Some(extension) => (Some(extension), extension.attributes),
            None => return Ok(Target::Unknown),
        },
    };
    let Some(definition) = attribute(attributes, &attr.name) else {
        return Ok(Target::Unknown);
    };
    let sub = match sub_name {
        None => None,
        Some(name) => match attribute(definition.sub_attributes(), &name) {
            Some(sub) => Some(sub),
            None => return Ok(Target::Unknown),
        },
    };
    if definition.mutability == Mutability::ReadOnly {
        return Err(ScimError::bad(
            ScimType::Mutability,
            format!("{} is read-only", definition.name),
        ));
    }
    if filter.is_some() && !definition.multi_valued {
        return Err(invalid(format!(
            "path {path:?}: only a multi-valued attribute takes a filter"
        )));
    }
    Ok(Target::Attribute(AttributeTarget {
        extension,
        definition,
        sub,
        filter,
    }))
}

/// The object an attribute lives in, made when it is not there yet.
fn container<'a>(
    document: &'a mut Value,
    extension: Option<&'static Schema>,
) -> &'a mut Map<String, Value> {
    let root = ensure_object(document);
    match extension {
        None => root,
        Some(extension) => ensure_object(
            root.entry(extension.id.to_owned())
                .or_insert_with(|| Value::Object(Map::new())),
        ),
    }
}

fn ensure_object(value: &mut Value) -> &mut Map<String, Value> {
    if !value.is_object() {
        *value = Value::Object(Map::new());
    }
    value.as_object_mut().expect("made an object")
}

fn apply_at(document: &mut Value, op: Op, target: Target, value: Option<&Value>) -> ScimResult<()> {
    match target {
        Target::Unknown => Ok(()),
        Target::Extension(extension) => {
            let root = ensure_object(document);
            match op {
                Op::Remove => {
                    root.remove(extension.id);
                }
                Op::Add | Op::Replace => {
                    let Some(Value::Object(members)) = value else {
                        return Err(ScimError::invalid_value(format!(
                            "{}: the value is an object",
                            extension.id
                        )));
                    };
                    for (key, value) in members {
                        if key.eq_ignore_ascii_case("schemas") {
                            continue;
                        }
                        let Some(definition) = attribute(extension.attributes, key) else {
                            continue;
                        };
                        if definition.mutability == Mutability::ReadOnly {
                            continue;
                        }
                        set_attribute(container(document, Some(extension)), definition, op, value);
                    }
                }
            }
            Ok(())
        }
        Target::Attribute(target) => {
            let object = container(document, target.extension);
            match (&target.filter, target.sub) {
                (None, None) => {
                    match (op, value) {
                        (Op::Remove, Some(Value::Array(values)))
                            if target.definition.multi_valued =>
                        {
                            remove_values(object, target.definition, values);
                        }
                        (Op::Remove, _) => {
                            object.remove(target.definition.name);
                        }
                        (_, Some(value)) => set_attribute(object, target.definition, op, value),
                        (_, None) => {}
                    }
                    Ok(())
                }
                (None, Some(sub)) => {
                    let parent = object
                        .entry(target.definition.name.to_owned())
                        .or_insert_with(|| Value::Object(Map::new()));
                    match (op, value, parent) {
                        (Op::Remove, _, Value::Object(members)) => {
                            members.remove(sub.name);
                        }
                        (Op::Remove, _, Value::Array(items)) => {
                            for item in items.iter_mut().filter_map(Value::as_object_mut) {
                                item.remove(sub.name);
                            }
                        }
                        (_, Some(value), Value::Array(items)) => {
                            for item in items.iter_mut() {
                                ensure_object(item).insert(sub.name.to_owned(), value.clone());
                            }
                        }
                        (_, Some(value), parent) => {
                            ensure_object(parent).insert(sub.name.to_owned(), value.clone());
                        }
                        (_, None, _) => {}
                    }
                    if object
                        .get(target.definition.name)
                        .is_some_and(|v| v.as_object().is_some_and(Map::is_empty))
                    {
                        object.remove(target.definition.name);
                    }
                    Ok(())
                }
                (Some(filter), sub) => {
                    apply_filtered(object, target.definition, filter, sub, op, value);
                    Ok(())
                }
            }
        }
    }
}

/// Add or replace an attribute's value (RFC 7644 §3.5.2.1, §3.5.2.3).
fn set_attribute(object: &mut Map<String, Value>, definition: &Attribute, op: Op, value: &Value) {
    let value = canonical_value(definition, value);
    let name = definition.name.to_owned();
    if definition.multi_valued {
        let new_items = match value {
            Value::Array(items) => items,
            single => vec![single],
        };
        match op {
            Op::Replace => {
                object.insert(name, Value::Array(new_items));
            }
            _ => {
                let items = object
                    .entry(name)
                    .or_insert_with(|| Value::Array(Vec::new()));
                if !items.is_array() {
                    *items = Value::Array(Vec::new());
                }
                let items = items.as_array_mut().expect("made an array");
                for item in new_items {
                    match items.iter().position(|old| same_element(old, &item)) {
                        Some(at) => items[at] = item,
                        None => items.push(item),
                    }
                }
            }
        }
    } else if let (Value::Object(new_members), false) =
        (&value, definition.sub_attributes().is_empty())
    {
        // A complex attribute: the sub-attributes given replace those there; the others stay.
        let existing = object
            .entry(name)
            .or_insert_with(|| Value::Object(Map::new()));
        let members = ensure_object(existing);
        for (key, value) in new_members {
            members.insert(key.clone(), value.clone());
        }
    } else {
        object.insert(name, value);
    }
}

/// Whether an added element stands for one already there: the same type (one number of each
/// type), or the same value (one membership per member).
fn same_element(old: &Value, new: &Value) -> bool {
    let field = |item: &Value, name: &str| {
        item.get(name)
            .and_then(Value::as_str)
            .map(str::to_lowercase)
    };
    match (field(old, "type"), field(new, "type")) {
        (Some(old_type), Some(new_type)) if old_type != "user" || new_type != "user" => {
            old_type == new_type
        }
        _ => field(old, "value").is_some() && field(old, "value") == field(new, "value"),
    }
}

/// Removes the elements whose value is among `values` (Entra's member removal).
fn remove_values(object: &mut Map<String, Value>, definition: &Attribute, values: &[Value]) {
    let Some(Value::Array(items)) = object.get_mut(definition.name) else {
        return;
    };
    let removed: Vec<Option<String>> = values
        .iter()
        .map(|value| match value {
            Value::Object(_) => value
                .get("value")
                .and_then(Value::as_str)
                .map(str::to_owned),
            Value::String(text) => Some(text.clone()),
            _ => None,
        })
        .collect();
    items.retain(|item| {
        let value = item.get("value").and_then(Value::as_str).map(str::to_owned);
        !removed.contains(&value)
    });
    if items.is_empty() {
        object.remove(definition.name);
    }
}

fn apply_filtered(
    object: &mut Map<String, Value>,
    definition: &Attribute,
    filter: &ValFilter,
    sub: Option<&'static Attribute>,
    op: Op,
    value: Option<&Value>,
) {
    let subs = definition.sub_attributes();
    let items = object
        .entry(definition.name.to_owned())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !items.is_array() {
        *items = Value::Array(vec![items.take()]);
    }
    let items = items.as_array_mut().expect("made an array");
    let matched: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, item)| element_matches(filter, item, subs))
        .map(|(at, _)| at)
        .collect();
    match op {
        Op::Remove => {
            if let Some(sub) = sub {
                for at in matched {
                    if let Some(item) = items[at].as_object_mut() {
                        item.remove(sub.name);
                    }
                }
            } else {
                let mut at = 0;
                items.retain(|_| {
                    at += 1;
                    !matched.contains(&(at - 1))
                });
            }
        }
        Op::Add | Op::Replace => {
            let Some(value) = value else {
                return;
            };
            if matched.is_empty() {
                // Entra replaces `emails[type eq "work"].value` on a user without one: the
                // element the filter describes is made.
                let mut element = equalities(filter);
                match (sub, value) {
                    (Some(sub), value) => {
                        element.insert(sub.name.to_owned(), value.clone());
                    }
                    (None, Value::Object(members)) => element.extend(members.clone()),
                    (None, _) => return,
                }
                items.push(canonical_value(definition, &Value::Object(element)));
            }
            for at in matched {
                match (sub, value) {
                    (Some(sub), value) => {
                        ensure_object(&mut items[at]).insert(sub.name.to_owned(), value.clone());
                    }
                    (None, Value::Object(members)) => {
                        let item = ensure_object(&mut items[at]);
                        for (key, value) in members {
                            item.insert(key.clone(), value.clone());
                        }
                    }
                    (None, other) => items[at] = other.clone(),
                }
            }
        }
    }
    if items.is_empty() {
        object.remove(definition.name);
    }
}

/// The `attribute eq "value"` parts of a filter (joined by `and`), as an element's members.
fn equalities(filter: &ValFilter) -> Map<String, Value> {
    let mut members = Map::new();
    match filter {
        ValFilter::Attr(AttrExp::Comparison(path, CompareOp::Eq, CompValue::Str(text))) => {
            members.insert(path.name.clone(), Value::String(text.clone()));
        }
        ValFilter::And(operands) => {
            for operand in operands.iter() {
                members.extend(equalities(operand));
            }
        }
        _ => {}
    }
    members
}

fn element_matches(filter: &ValFilter, element: &Value, subs: &'static [Attribute]) -> bool {
    match filter {
        ValFilter::Attr(expression) => {
            let (path, op, wanted) = match expression {
                AttrExp::Present(path) => {
                    return member(element, &path.name).is_some();
                }
                AttrExp::Comparison(path, op, wanted) => (path, op, wanted),
            };
            let case_exact = attribute(subs, &path.name).is_some_and(|a| a.case_exact);
            let value = member(element, &path.name);
            match (value, wanted, op) {
                (Some(Value::String(text)), CompValue::Str(wanted), CompareOp::Eq) => {
                    if case_exact {
                        text == wanted
                    } else {
                        text.eq_ignore_ascii_case(wanted)
                    }
                }
                (Some(Value::String(text)), CompValue::Str(wanted), CompareOp::Ne) => {
                    !text.eq_ignore_ascii_case(wanted)
                }
                (Some(Value::Bool(flag)), CompValue::True, CompareOp::Eq) => *flag,
                (Some(Value::Bool(flag)), CompValue::False, CompareOp::Eq) => !*flag,
                (Some(Value::String(text)), CompValue::True, CompareOp::Eq) => {
                    text.eq_ignore_ascii_case("true")
                }
                (None, _, CompareOp::Ne) => true,
                _ => false,
            }
        }
        ValFilter::Not(inner) => !element_matches(inner, element, subs),
        ValFilter::And(operands) => operands.iter().all(|f| element_matches(f, element, subs)),
        ValFilter::Or(operands) => operands.iter().any(|f| element_matches(f, element, subs)),
    }
}

fn member<'a>(object: &'a Value, name: &str) -> Option<&'a Value> {
    object
        .as_object()?
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
        .filter(|value| !value.is_null())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::schema::{GROUP_ATTRIBUTES, USER_ATTRIBUTES};
    use super::super::{AGENT_SCHEMA, ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};
    use super::*;

    fn patched(mut document: Value, body: Value) -> ScimResult<Value> {
        let operations = parse_request(&body)?;
        apply(&mut document, &operations, USER_ATTRIBUTES, USER_SCHEMA)?;
        Ok(document)
    }

    fn request(operations: Value) -> Value {
        json!({"schemas": [PATCH_OP], "Operations": operations})
    }

    #[test]
    fn entra_replaces_with_a_capital_op_and_a_boolean_as_a_string() {
        let document = patched(
            json!({"userName": "ann", "active": true}),
            request(json!([{"op": "Replace", "path": "active", "value": "False"}])),
        )
        .unwrap();
        assert_eq!(document["active"], "False");
    }

    #[test]
    fn a_path_less_replace_takes_dotted_keys_and_extension_urns() {
        let document = patched(
            json!({"userName": "ann", "name": {"familyName": "Lee"}}),
            request(json!([{"op": "replace", "value": {
                "name.givenName": "Ann",
                "DISPLAYNAME": "Ann Lee",
                format!("{ENTERPRISE_SCHEMA}:department"): "Care",
                ENTERPRISE_SCHEMA: {"employeeNumber": "42"},
                AGENT_SCHEMA: {"schemas": [AGENT_SCHEMA], "webrtc": true},
            }}])),
        )
        .unwrap();
        assert_eq!(
            document["name"],
            json!({"familyName": "Lee", "givenName": "Ann"})
        );
        assert_eq!(document["displayName"], "Ann Lee");
        assert_eq!(
            document[ENTERPRISE_SCHEMA],
            json!({"department": "Care", "employeeNumber": "42"})
        );
        assert_eq!(document[AGENT_SCHEMA], json!({"webrtc": true}));
    }

    #[test]
    fn a_filtered_path_changes_the_element_and_makes_it_when_missing() {
        let document = patched(
            json!({"userName": "ann", "emails": [{"value": "old@contoso.example", "type": "work"}]}),
            request(json!([
                {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "ann@contoso.example"},
                {"op": "replace", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+8613800138011"},
            ])),
        )
        .unwrap();
        assert_eq!(
            document["emails"],
            json!([{"value": "ann@contoso.example", "type": "work"}])
        );
        assert_eq!(
            document["phoneNumbers"],
            json!([{"type": "mobile", "value": "+8613800138011"}])
        );
        let removed = patched(
            document,
            request(json!([{"op": "remove", "path": "phoneNumbers[type eq \"mobile\"]"}])),
        )
        .unwrap();
        assert!(removed.get("phoneNumbers").is_none());
    }

    #[test]
    fn members_go_by_a_value_list_and_by_a_filter() {
        let mut group = json!({"schemas": [GROUP_SCHEMA], "displayName": "Billing", "members": [
            {"value": "1"}, {"value": "2"}, {"value": "3"}]});
        let operations = parse_request(&request(json!([
            {"op": "Add", "path": "members", "value": [{"value": "4"}, {"value": "1"}]},
            {"op": "Remove", "path": "members", "value": [{"value": "2"}]},
            {"op": "remove", "path": "members[value eq \"3\"]"},
        ])))
        .unwrap();
        apply(&mut group, &operations, GROUP_ATTRIBUTES, GROUP_SCHEMA).unwrap();
        assert_eq!(group["members"], json!([{"value": "1"}, {"value": "4"}]));
    }

    #[test]
    fn extension_attributes_go_by_their_full_path() {
        let document = patched(
            json!({"userName": "ann"}),
            request(json!([
                {"op": "add", "path": format!("{ENTERPRISE_SCHEMA}:manager"), "value": {"value": "7"}},
                {"op": "replace", "path": format!("{AGENT_SCHEMA}:organizationUnit"), "value": "vip"},
            ])),
        )
        .unwrap();
        assert_eq!(
            document[ENTERPRISE_SCHEMA]["manager"],
            json!({"value": "7"})
        );
        assert_eq!(document[AGENT_SCHEMA]["organizationUnit"], "vip");
        let removed = patched(
            document,
            request(json!([{"op": "remove", "path": ENTERPRISE_SCHEMA}])),
        )
        .unwrap();
        assert!(removed.get(ENTERPRISE_SCHEMA).is_none());
    }

    #[test]
    fn removing_what_is_not_there_and_attributes_not_kept_change_nothing() {
        let before = json!({"userName": "ann"});
        let after = patched(
            before.clone(),
            request(json!([
                {"op": "remove", "path": "title"},
                {"op": "replace", "path": "nickName", "value": "Annie"},
                {"op": "add", "path": "addresses[type eq \"work\"].locality", "value": "Redmond"},
            ])),
        )
        .unwrap();
        assert_eq!(after, before);
    }

    #[test]
    fn what_cannot_be_done_is_refused_with_its_type() {
        let kind = |operations: Value| {
            patched(json!({"userName": "ann"}), request(operations))
                .unwrap_err()
                .scim_type
        };
        assert_eq!(
            kind(json!([{"op": "move", "path": "title", "value": "x"}])),
            Some(ScimType::InvalidSyntax)
        );
        assert_eq!(kind(json!([{"op": "remove"}])), Some(ScimType::NoTarget));
        assert_eq!(
            kind(json!([{"op": "replace", "path": "groups", "value": []}])),
            Some(ScimType::Mutability)
        );
        assert_eq!(
            kind(json!([{"op": "replace", "path": "emails[type eq", "value": "x"}])),
            Some(ScimType::InvalidPath)
        );
        assert_eq!(
            kind(json!([{"op": "replace", "path": "title"}])),
            Some(ScimType::InvalidValue)
        );
        let without_schema = json!({"Operations": []});
        assert_eq!(
            parse_request(&without_schema).unwrap_err().scim_type,
            Some(ScimType::InvalidSyntax)
        );
    }
}
