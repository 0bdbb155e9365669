//! PRV: a contact center's identity provider provisions its agents over SCIM 2.0 (RFC 7643,
//! RFC 7644). A SCIM User is an employee with their agent identity; a SCIM Group is a skill
//! queue, whose members are the agents in it.
//!
//! The rules here are plain Rust over JSON documents: the published schemas (`schema`), the
//! mapping between a document and what is stored (`users`, `groups`), filters (`filter`), PATCH
//! (`patch`) and the `attributes` a client asks for (`projection`). `storage::provisioning`
//! stores, `routes::scim` speaks HTTP.

pub mod filter;
pub mod groups;
pub mod patch;
pub mod projection;
pub mod schema;
pub mod users;

use std::fmt;

use serde_json::{json, Value};

use crate::domain::session::random_token;

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const ENTERPRISE_SCHEMA: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// PRV-3: what only a contact center has. In the `urn:ietf:params:scim:schemas:extension:` form
/// that Microsoft Entra ID requires of the custom extensions it maps attributes to.
pub const AGENT_SCHEMA: &str = "urn:ietf:params:scim:schemas:extension:contactcenter:2.0:User";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const SEARCH_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// The media type of SCIM requests and answers.
pub const MEDIA_TYPE: &str = "application/scim+json";

/// A list answers this many resources unless asked for fewer (or more, up to [`MAX_RESULTS`]).
pub const DEFAULT_COUNT: usize = 100;
pub const MAX_RESULTS: usize = 1000;

/// The prefix that tells a SCIM token apart from the other secrets an operator handles.
const TOKEN_PREFIX: &str = "pcscim_";

/// A new bearer token: the prefix and 256 random bits.
pub fn new_token() -> String {
    format!("{TOKEN_PREFIX}{}", random_token())
}

/// The SCIM `scimType` of a refusal (RFC 7644 §3.12).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScimType {
    InvalidFilter,
    TooMany,
    Uniqueness,
    Mutability,
    InvalidSyntax,
    InvalidPath,
    NoTarget,
    InvalidValue,
    InvalidVersion,
}

impl ScimType {
    pub fn code(self) -> &'static str {
        match self {
            ScimType::InvalidFilter => "invalidFilter",
            ScimType::TooMany => "tooMany",
            ScimType::Uniqueness => "uniqueness",
            ScimType::Mutability => "mutability",
            ScimType::InvalidSyntax => "invalidSyntax",
            ScimType::InvalidPath => "invalidPath",
            ScimType::NoTarget => "noTarget",
            ScimType::InvalidValue => "invalidValue",
            ScimType::InvalidVersion => "invalidVersion",
        }
    }
}

/// Every refusal of `/scim/v2`, as the SCIM error schema says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScimError {
    pub status: u16,
    pub scim_type: Option<ScimType>,
    pub detail: String,
}

impl ScimError {
    pub fn new(status: u16, scim_type: Option<ScimType>, detail: impl Into<String>) -> Self {
        ScimError {
            status,
            scim_type,
            detail: detail.into(),
        }
    }

    /// 400 with a `scimType`: the request is wrong in the way `scim_type` says.
    pub fn bad(scim_type: ScimType, detail: impl Into<String>) -> Self {
        ScimError::new(400, Some(scim_type), detail)
    }

    pub fn invalid_value(detail: impl Into<String>) -> Self {
        ScimError::bad(ScimType::InvalidValue, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        ScimError::new(404, None, detail)
    }

    pub fn uniqueness(detail: impl Into<String>) -> Self {
        ScimError::new(409, Some(ScimType::Uniqueness), detail)
    }

    /// 412: the resource changed since the version the client names (`If-Match`).
    pub fn stale() -> Self {
        ScimError::new(
            412,
            None,
            "The resource changed since that version (If-Match); read it again, then change it.",
        )
    }

    pub fn unauthorized() -> Self {
        ScimError::new(
            401,
            None,
            "A valid SCIM bearer token is needed (pc-server scim-token create --tenant CODE).",
        )
    }

    pub fn body(&self) -> Value {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.to_string(),
            "detail": self.detail,
        });
        if let Some(scim_type) = self.scim_type {
            body["scimType"] = json!(scim_type.code());
        }
        body
    }
}

impl fmt::Display for ScimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, self.detail)
    }
}

pub type ScimResult<T> = Result<T, ScimError>;

/// `meta.version`: a weak entity tag of the stored version.
pub fn entity_tag(version: i64) -> String {
    format!("W/\"{version}\"")
}

/// The version an `If-Match` header names; `None` for `*` (any version).
pub fn version_matched(if_match: &str) -> ScimResult<Option<i64>> {
    let tag = if_match.trim();
    if tag == "*" {
        return Ok(None);
    }
    tag.trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map(Some)
        .map_err(|_| {
            ScimError::bad(
                ScimType::InvalidVersion,
                format!("If-Match {tag:?} is not a version this server gave (W/\"n\")"),
            )
        })
}

/// RFC 3339 in UTC, as SCIM's dateTime is.
pub fn date_time(unix_seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix_seconds)
        .ok()
        .and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

/// `meta` of a stored resource.
pub fn meta(
    resource_type: &str,
    location: &str,
    created: i64,
    updated: i64,
    version: i64,
) -> Value {
    json!({
        "resourceType": resource_type,
        "created": date_time(created),
        "lastModified": date_time(updated),
        "location": location,
        "version": entity_tag(version),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_travels_as_a_weak_entity_tag() {
        assert_eq!(entity_tag(3), "W/\"3\"");
        assert_eq!(version_matched("W/\"3\""), Ok(Some(3)));
        assert_eq!(version_matched("\"3\""), Ok(Some(3)));
        assert_eq!(version_matched("*"), Ok(None));
        assert_eq!(
            version_matched("W/\"abc\"").unwrap_err().scim_type,
            Some(ScimType::InvalidVersion)
        );
    }

    #[test]
    fn an_error_has_the_error_schema_and_its_type() {
        let body = ScimError::uniqueness("userName \"a\" is taken").body();
        assert_eq!(body["schemas"], json!([ERROR_SCHEMA]));
        assert_eq!(body["status"], "409");
        assert_eq!(body["scimType"], "uniqueness");
        assert!(ScimError::not_found("no").body().get("scimType").is_none());
    }

    #[test]
    fn times_are_rfc_3339_in_utc() {
        assert_eq!(date_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(date_time(1_796_400_000), "2026-12-04T16:00:00Z");
    }

    #[test]
    fn tokens_are_long_distinct_and_recognisable() {
        let (a, b) = (new_token(), new_token());
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == TOKEN_PREFIX.len() + 43);
        assert_ne!(a, b);
    }
}
