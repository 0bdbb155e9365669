//! PRV-3: `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5): which attributes of a
//! resource an answer carries. `schemas` and `id` are always there.

use serde_json::{Map, Value};

use super::schema::schema;

/// The attributes a request asks for, or leaves out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Projection {
    /// Only these (empty: the default set).
    pub attributes: Vec<String>,
    pub excluded: Vec<String>,
}

impl Projection {
    /// From the comma-separated query parameters.
    pub fn from_query(attributes: Option<&str>, excluded: Option<&str>) -> Self {
        let list = |text: Option<&str>| -> Vec<String> {
            text.unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_owned)
                .collect()
        };
        Projection {
            attributes: list(attributes),
            excluded: list(excluded),
        }
    }

    /// Whether the request names this attribute of this extension (a `returned: request`
    /// attribute is only answered then).
    pub fn asks_for(&self, extension: &str, name: &str) -> bool {
        self.attributes.iter().any(|path| {
            let path = path.to_ascii_lowercase();
            path == format!("{extension}:{name}").to_ascii_lowercase()
        })
    }

    /// The document as the request wants it.
    pub fn apply(&self, document: Value) -> Value {
        let Value::Object(members) = document else {
            return document;
        };
        let mut kept = if self.attributes.is_empty() {
            members
        } else {
            let mut kept = Map::new();
            for always in ["schemas", "id"] {
                if let Some(value) = members.get(always) {
                    kept.insert(always.to_owned(), value.clone());
                }
            }
            for path in &self.attributes {
                copy_path(&members, &mut kept, path);
            }
            kept
        };
        for path in &self.excluded {
            remove_path(&mut kept, path);
        }
        Value::Object(kept)
    }
}

/// A path as (extension URN or none, attribute, sub-attribute).
fn split(path: &str) -> (Option<&'static str>, String, Option<String>) {
    if let Some(extension) = schema(path) {
        return (Some(extension.id), String::new(), None);
    }
    let (uri, rest) = match path.rsplit_once(':') {
        Some((uri, rest)) => match schema(uri) {
            Some(extension) => (Some(extension.id), rest),
            None => (None, rest),
        },
        None => (None, path),
    };
    match rest.split_once('.') {
        Some((name, sub)) => (uri, name.to_owned(), Some(sub.to_owned())),
        None => (uri, rest.to_owned(), None),
    }
}

fn key_of(object: &Map<String, Value>, name: &str) -> Option<String> {
    object
        .keys()
        .find(|key| key.eq_ignore_ascii_case(name))
        .cloned()
}

/// Copies what `path` names from `from` into `into`. A core schema's URN prefix counts as no
/// prefix.
fn copy_path(from: &Map<String, Value>, into: &mut Map<String, Value>, path: &str) {
    let (extension, name, sub) = split(path);
    let (source, target) = match extension {
        Some(urn) if from.get(urn).is_some_and(Value::is_object) && name.is_empty() => {
            into.insert(urn.to_owned(), from[urn].clone());
            return;
        }
        Some(urn) => {
            let Some(Value::Object(source)) = from.get(urn) else {
                return;
            };
            let target = into
                .entry(urn.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            (source, target.as_object_mut().expect("made an object"))
        }
        None => (from, into),
    };
    let Some(key) = key_of(source, &name) else {
        return;
    };
    match sub {
        None => {
            target.insert(key.clone(), source[&key].clone());
        }
        Some(sub) => {
            let picked = match &source[&key] {
                Value::Array(items) => {
                    Value::Array(items.iter().filter_map(|item| pick(item, &sub)).collect())
                }
                item => pick(item, &sub).unwrap_or(Value::Null),
            };
            if !picked.is_null() {
                target.insert(key, picked);
            }
        }
    }
}

fn pick(item: &Value, sub: &str) -> Option<Value> {
    let object = item.as_object()?;
    let key = key_of(object, sub)?;
    let mut picked = Map::new();
    picked.insert(key.clone(), object[&key].clone());
    Some(Value::Object(picked))
}

fn remove_path(object: &mut Map<String, Value>, path: &str) {
    let (extension, name, sub) = split(path);
    let container = match extension {
        Some(urn) if name.is_empty() => {
            object.remove(urn);
            return;
        }
        Some(urn) => match object.get_mut(urn).and_then(Value::as_object_mut) {
            Some(container) => container,
            None => return,
        },
        None => object,
    };
    if ["id", "schemas"]
        .iter()
        .any(|always| always.eq_ignore_ascii_case(&name))
        && extension.is_none()
    {
        return;
    }
    let Some(key) = key_of(container, &name) else {
        return;
    };
    match sub {
        None => {
            container.remove(&key);
        }
        Some(sub) => match container.get_mut(&key) {
            Some(Value::Object(members)) => {
                if let Some(sub_key) = key_of(members, &sub) {
                    members.remove(&sub_key);
                }
            }
            Some(Value::Array(items)) => {
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    if let Some(sub_key) = key_of(item, &sub) {
                        item.remove(&sub_key);
                    }
                }
            }
            _ => {}
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::{AGENT_SCHEMA, USER_SCHEMA};
    use super::*;

    fn user() -> Value {
        json!({
            "schemas": [USER_SCHEMA, AGENT_SCHEMA],
            "id": "11",
            "externalId": "e-11",
            "userName": "ann",
            "name": {"givenName": "Ann", "familyName": "Lee"},
            "emails": [{"value": "ann@contoso.example", "type": "work"}],
            AGENT_SCHEMA: {"agentType": "voice", "webrtc": false},
            "meta": {"resourceType": "User"},
        })
    }

    #[test]
    fn attributes_keep_only_what_is_named_and_always_the_id() {
        let projection =
            Projection::from_query(Some("externalId, name.givenName,emails.value"), None);
        assert_eq!(
            projection.apply(user()),
            json!({
                "schemas": [USER_SCHEMA, AGENT_SCHEMA],
                "id": "11",
                "externalId": "e-11",
                "name": {"givenName": "Ann"},
                "emails": [{"value": "ann@contoso.example"}],
            })
        );
        let extension = Projection::from_query(Some(&format!("{AGENT_SCHEMA}:agentType")), None);
        assert_eq!(
            extension.apply(user())[AGENT_SCHEMA],
            json!({"agentType": "voice"})
        );
    }

    #[test]
    fn excluded_attributes_go_but_never_the_id() {
        let projection =
            Projection::from_query(None, Some(&format!("name,id,{AGENT_SCHEMA},meta")));
        let answer = projection.apply(user());
        assert!(answer.get("name").is_none() && answer.get(AGENT_SCHEMA).is_none());
        assert!(answer.get("meta").is_none());
        assert_eq!(answer["id"], "11");
    }

    #[test]
    fn a_returned_on_request_attribute_is_asked_for_by_its_path() {
        let projection = Projection::from_query(Some(&format!("{AGENT_SCHEMA}:AGENTID")), None);
        assert!(projection.asks_for(AGENT_SCHEMA, "agentId"));
        assert!(!Projection::default().asks_for(AGENT_SCHEMA, "agentId"));
    }
}
