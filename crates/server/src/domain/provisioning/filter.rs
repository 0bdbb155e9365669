//! PRV-3: SCIM filters (RFC 7644 §3.4.2.2), parsed by `scim_v2` (with its depth and size
//! limits) and evaluated here against a resource's document, as the client would read it:
//! attribute names without regard to case, and strings compared without regard to case
//! unless the attribute is case-exact.

pub use scim_v2::filter::Filter;
use scim_v2::filter::{AttrExp, AttrPath, CompValue, CompareOp, ValFilter};
use serde_json::Value;

use super::schema::{attribute, schema, Attribute};
use super::{ScimError, ScimResult, ScimType};

/// Parses a `filter` query parameter.
pub fn parse(text: &str) -> ScimResult<Filter> {
    inline_sub_attributes(text)
        .parse::<Filter>()
        .map_err(|error| {
            ScimError::bad(
                ScimType::InvalidFilter,
                format!("filter {text:?} cannot be read: {error}"),
            )
        })
}

/// `emails[type eq "work"].value eq "a@b.c"`, which Microsoft Entra ID sends, as the RFC's
/// grammar says it: `emails[(type eq "work") and value eq "a@b.c"]`. (RFC 7644 allows a
/// sub-attribute after a value filter in PATCH paths only; the meaning is the same.)
fn inline_sub_attributes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut opened: Vec<usize> = Vec::new();
    let mut in_string = false;
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        if in_string {
            out.push(c);
            if c == '\\' && at + 1 < chars.len() {
                out.push(chars[at + 1]);
                at += 1;
            } else if c == '"' {
                in_string = false;
            }
            at += 1;
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' => opened.push(out.len() + 1),
            ']' => {
                if let (Some(start), Some((comparison, next))) =
                    (opened.pop(), trailing_comparison(&chars, at + 1))
                {
                    let inner = out[start..].to_owned();
                    out.truncate(start);
                    out.push_str(&format!("({inner}) and {comparison}]"));
                    at = next;
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
        at += 1;
    }
    out
}

/// `.sub op value` right after a `]`: the comparison (`sub op value`) and where it ends.
fn trailing_comparison(chars: &[char], from: usize) -> Option<(String, usize)> {
    if chars.get(from) != Some(&'.') {
        return None;
    }
    let mut at = from + 1;
    let name_start = at;
    while at < chars.len() && (chars[at].is_ascii_alphanumeric() || matches!(chars[at], '_' | '-'))
    {
        at += 1;
    }
    let name: String = chars[name_start..at].iter().collect();
    if name.is_empty() {
        return None;
    }
    let mut rest = at;
    while rest < chars.len() && chars[rest] == ' ' {
        rest += 1;
    }
    let op_start = rest;
    while rest < chars.len() && chars[rest].is_ascii_alphabetic() {
        rest += 1;
    }
    let op: String = chars[op_start..rest].iter().collect();
    if op.eq_ignore_ascii_case("pr") {
        return Some((format!("{name} pr"), rest));
    }
    let known = ["eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le"];
    if !known.iter().any(|k| k.eq_ignore_ascii_case(&op)) {
        return None;
    }
    while rest < chars.len() && chars[rest] == ' ' {
        rest += 1;
    }
    let value_start = rest;
    if chars.get(rest) == Some(&'"') {
        rest += 1;
        while rest < chars.len() && chars[rest] != '"' {
            if chars[rest] == '\\' {
                rest += 1;
            }
            rest += 1;
        }
        rest = (rest + 1).min(chars.len());
    } else {
        while rest < chars.len() && !matches!(chars[rest], ' ' | ')' | ']') {
            rest += 1;
        }
    }
    let value: String = chars[value_start..rest].iter().collect();
    Some((format!("{name} {op} {value}"), rest))
}

/// Whether the document matches the filter. `core`: the attributes of the resource's own
/// schema (`core_urn`).
pub fn matches(
    filter: &Filter,
    document: &Value,
    core: &'static [Attribute],
    core_urn: &str,
) -> bool {
    let resource = Resource {
        document,
        core,
        core_urn,
    };
    resource.filter(filter)
}

struct Resource<'a> {
    document: &'a Value,
    core: &'static [Attribute],
    core_urn: &'a str,
}

/// The values an attribute path names, and whether they compare case-exactly.
struct Found<'a> {
    values: Vec<&'a Value>,
    case_exact: bool,
}

impl<'a> Resource<'a> {
    fn filter(&self, filter: &Filter) -> bool {
        match filter {
            Filter::Attr(expression) => {
                let found = self.find(expression_path(expression));
                compare(expression, &found)
            }
            Filter::ValuePath(value_path) => {
                let (container, attributes) = self.container(&value_path.attr);
                let Some((definition, values)) = container.and_then(|container| {
                    member(container, &value_path.attr.name)
                        .map(|values| (attribute(attributes, &value_path.attr.name), values))
                }) else {
                    return false;
                };
                let subs = definition.map_or(&[][..], Attribute::sub_attributes);
                let elements: Vec<&Value> = match values {
                    Value::Array(items) => items.iter().collect(),
                    other => vec![other],
                };
                elements
                    .into_iter()
                    .any(|element| self.value_filter(&value_path.filter, element, subs))
            }
            Filter::Not(inner) => !self.filter(inner),
            Filter::And(operands) => operands.iter().all(|f| self.filter(f)),
            Filter::Or(operands) => operands.iter().any(|f| self.filter(f)),
        }
    }

    fn value_filter(
        &self,
        filter: &ValFilter,
        element: &'a Value,
        subs: &'static [Attribute],
    ) -> bool {
        match filter {
            ValFilter::Attr(expression) => {
                let path = expression_path(expression);
                let found = match member(element, &path.name) {
                    Some(value) => Found {
                        values: vec![value],
                        case_exact: attribute(subs, &path.name).is_some_and(|a| a.case_exact),
                    },
                    None => Found {
                        values: Vec::new(),
                        case_exact: false,
                    },
                };
                compare(expression, &found)
            }
            ValFilter::Not(inner) => !self.value_filter(inner, element, subs),
            ValFilter::And(operands) => {
                operands.iter().all(|f| self.value_filter(f, element, subs))
            }
            ValFilter::Or(operands) => operands.iter().any(|f| self.value_filter(f, element, subs)),
        }
    }

    /// The object an attribute path's name is looked up in, with the attributes that may be
    /// there: the document itself, or one of its extensions.
    fn container(&self, path: &AttrPath) -> (Option<&'a Value>, &'static [Attribute]) {
        match path.uri.as_deref() {
            None => (Some(self.document), self.core),
            Some(uri) if uri.eq_ignore_ascii_case(self.core_urn) => {
                (Some(self.document), self.core)
            }
            Some(uri) => match schema(uri) {
                Some(extension) => (member(self.document, extension.id), extension.attributes),
                None => (None, &[]),
            },
        }
    }

    fn find(&self, path: &AttrPath) -> Found<'a> {
        let (container, attributes) = self.container(path);
        let definition = attribute(attributes, &path.name);
        let mut case_exact = definition.is_some_and(|a| a.case_exact)
            || (path.uri.is_none() && path.name.eq_ignore_ascii_case("id"));
        let Some(value) = container.and_then(|c| member(c, &path.name)) else {
            return Found {
                values: Vec::new(),
                case_exact,
            };
        };
        let items: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        let sub = path.sub_attr.as_deref().or_else(|| {
            // A multi-valued complex attribute compares by its `value` (RFC 7644 §3.4.2.2).
            definition
                .filter(|a| a.multi_valued && !a.sub_attributes().is_empty())
                .map(|_| "value")
        });
        let values = match sub {
            None => items,
            Some(sub) => {
                if let Some(definition) = definition {
                    case_exact =
                        attribute(definition.sub_attributes(), sub).is_some_and(|a| a.case_exact);
                }
                items
                    .into_iter()
                    .filter_map(|item| member(item, sub))
                    .collect()
            }
        };
        Found { values, case_exact }
    }
}

fn expression_path(expression: &AttrExp) -> &AttrPath {
    match expression {
        AttrExp::Present(path) | AttrExp::Comparison(path, _, _) => path,
    }
}

/// A member of an object by name, without regard to case.
fn member<'a>(object: &'a Value, name: &str) -> Option<&'a Value> {
    object
        .as_object()?
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
        .filter(|value| !value.is_null())
}

fn compare(expression: &AttrExp, found: &Found<'_>) -> bool {
    match expression {
        AttrExp::Present(_) => found.values.iter().any(|value| match value {
            Value::String(text) => !text.is_empty(),
            Value::Array(items) => !items.is_empty(),
            Value::Null => false,
            _ => true,
        }),
        AttrExp::Comparison(_, CompareOp::Ne, wanted) => !found
            .values
            .iter()
            .any(|value| holds(value, &CompareOp::Eq, wanted, found.case_exact)),
        AttrExp::Comparison(_, CompareOp::Eq, CompValue::Null) => found.values.is_empty(),
        AttrExp::Comparison(_, op, wanted) => found
            .values
            .iter()
            .any(|value| holds(value, op, wanted, found.case_exact)),
    }
}

fn holds(value: &Value, op: &CompareOp, wanted: &CompValue, case_exact: bool) -> bool {
    match (value, wanted) {
        (Value::String(text), CompValue::Str(wanted)) => {
            let (text, wanted) = if case_exact {
                (text.clone(), wanted.clone())
            } else {
                (text.to_lowercase(), wanted.to_lowercase())
            };
            match op {
                CompareOp::Eq => text == wanted,
                CompareOp::Ne => text != wanted,
                CompareOp::Co => text.contains(&wanted),
                CompareOp::Sw => text.starts_with(&wanted),
                CompareOp::Ew => text.ends_with(&wanted),
                CompareOp::Gt => text > wanted,
                CompareOp::Ge => text >= wanted,
                CompareOp::Lt => text < wanted,
                CompareOp::Le => text <= wanted,
            }
        }
        (Value::Bool(flag), CompValue::True | CompValue::False) => {
            let wanted = matches!(wanted, CompValue::True);
            match op {
                CompareOp::Eq => *flag == wanted,
                CompareOp::Ne => *flag != wanted,
                _ => false,
            }
        }
        (Value::Number(number), CompValue::Number(wanted)) => {
            let (Some(number), Some(wanted)) = (number.as_f64(), wanted.as_f64()) else {
                return false;
            };
            match op {
                CompareOp::Eq => number == wanted,
                CompareOp::Ne => number != wanted,
                CompareOp::Gt => number > wanted,
                CompareOp::Ge => number >= wanted,
                CompareOp::Lt => number < wanted,
                CompareOp::Le => number <= wanted,
                _ => false,
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::schema::{GROUP_ATTRIBUTES, USER_ATTRIBUTES};
    use super::super::{AGENT_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};
    use super::*;

    fn user() -> Value {
        json!({
            "schemas": [USER_SCHEMA, AGENT_SCHEMA],
            "id": "11",
            "externalId": "00uAbC",
            "userName": "Alice.Wang",
            "displayName": "Alice Wang",
            "active": true,
            "emails": [{"value": "alice.wang@northwind.example", "type": "work"}],
            "phoneNumbers": [{"value": "+8613800138011", "type": "mobile"}],
            AGENT_SCHEMA: {"agentType": "versatile", "organizationUnit": "care"},
            "meta": {"lastModified": "2026-12-04T10:00:00Z"},
        })
    }

    fn user_matches(filter: &str) -> bool {
        matches(
            &parse(filter).unwrap(),
            &user(),
            USER_ATTRIBUTES,
            USER_SCHEMA,
        )
    }

    #[test]
    fn user_name_compares_without_case_and_external_id_with_it() {
        assert!(user_matches(r#"userName eq "alice.wang""#));
        assert!(user_matches(r#"USERNAME Eq "ALICE.WANG""#));
        assert!(user_matches(r#"externalId eq "00uAbC""#));
        assert!(!user_matches(r#"externalId eq "00uabc""#));
        assert!(user_matches(r#"id eq "11""#));
    }

    #[test]
    fn value_paths_and_sub_attributes_look_inside_multi_valued_attributes() {
        assert!(user_matches(
            r#"emails[type eq "work"].value eq "alice.wang@northwind.example""#
        ));
        assert!(user_matches(
            r#"emails[type eq "work" and value co "@northwind"]"#
        ));
        assert!(!user_matches(r#"emails[type eq "home"]"#));
        assert!(user_matches(r#"emails.value sw "alice""#));
        assert!(user_matches(r#"emails co "northwind""#));
        assert!(user_matches(
            r#"phoneNumbers[type eq "mobile"].value eq "+8613800138011""#
        ));
    }

    #[test]
    fn logic_presence_booleans_and_extensions() {
        assert!(user_matches(
            r#"userName eq "alice.wang" and active eq true"#
        ));
        assert!(user_matches(r#"active eq false or displayName pr"#));
        assert!(!user_matches(r#"not (displayName pr)"#));
        assert!(!user_matches(r#"title pr"#));
        assert!(user_matches(&format!(
            r#"{AGENT_SCHEMA}:organizationUnit eq "care""#
        )));
        assert!(user_matches(
            r#"meta.lastModified gt "2026-01-01T00:00:00Z""#
        ));
        assert!(user_matches(r#"title ne "Manager""#));
    }

    #[test]
    fn groups_filter_by_display_name_and_members() {
        let group = json!({
            "schemas": [GROUP_SCHEMA], "id": "4", "displayName": "Billing",
            "members": [{"value": "11", "type": "User"}],
        });
        let group_matches = |text: &str| {
            matches(
                &parse(text).unwrap(),
                &group,
                GROUP_ATTRIBUTES,
                GROUP_SCHEMA,
            )
        };
        assert!(group_matches(r#"displayName eq "billing""#));
        assert!(group_matches(r#"members[value eq "11"]"#));
        assert!(group_matches(r#"members.value eq "11""#));
        assert!(!group_matches(r#"members[value eq "12"]"#));
    }

    #[test]
    fn a_sub_attribute_after_a_value_filter_joins_the_filter() {
        assert_eq!(
            inline_sub_attributes(r#"emails[type eq "work"].value eq "a@b.c" and active eq true"#),
            r#"emails[(type eq "work") and value eq "a@b.c"] and active eq true"#
        );
        assert_eq!(
            inline_sub_attributes(
                r#"userName eq "x]y.value eq" and emails[type eq "work"].value pr"#
            ),
            r#"userName eq "x]y.value eq" and emails[(type eq "work") and value pr]"#
        );
        assert!(!user_matches(
            r#"emails[type eq "work"].value eq "someone.else@northwind.example""#
        ));
    }

    #[test]
    fn a_filter_that_cannot_be_read_is_an_invalid_filter() {
        let refused = parse(r#"userName eq"#).unwrap_err();
        assert_eq!(refused.scim_type, Some(ScimType::InvalidFilter));
        assert_eq!(refused.status, 400);
    }
}
