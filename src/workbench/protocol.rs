//! EMB-6, version 1 of the messages between the app and the workbench that frames it, as plain
//! Rust: what the app sends, what it accepts, and from whom. Every message is a plain object
//! `{"type": "pc.<name>", "v": 1, …}`; `docs/workbench-protocol.md` lists them for the
//! workbench's developers. Anything else, or from an origin not allowed, is ignored.

pub use pc_model::SignInMethod;
use serde::{Deserialize, Serialize};

use crate::routes::Tab;

/// The protocol version this app speaks.
pub const VERSION: u64 = 1;

/// A language the workbench may choose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    English,
    SimplifiedChinese,
}

impl Language {
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::SimplifiedChinese => "zh-CN",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Language> {
        [Language::English, Language::SimplifiedChinese]
            .into_iter()
            .find(|language| language.tag() == tag)
    }
}

/// What the parent window may ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Incoming {
    SetLanguage(Language),
    OpenTab(Tab),
    /// The app answers with `pc.ready`.
    RequestState,
}

/// A part of the Personal Center whose change was saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SavedArea {
    PersonalizedSettings,
    AgentParameters,
    PhoneNumbers,
    SoftphonePassword,
    BusinessCard,
}

/// The browser softphone's registration, as the workbench sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SoftphoneState {
    Registering,
    Registered,
    Reconnecting,
    Failed,
    Unregistered,
}

/// What the app tells the parent window.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum Outgoing {
    #[serde(rename = "pc.ready", rename_all = "camelCase")]
    Ready { language: String, signed_in: bool },
    /// The content's height in CSS pixels, so the workbench can size the iframe.
    #[serde(rename = "pc.resize")]
    Resize { height: u32 },
    #[serde(rename = "pc.signedIn", rename_all = "camelCase")]
    SignedIn {
        business_account: String,
        /// `"password"` or `"sso"` (through the contact center's identity provider).
        sign_in_method: SignInMethod,
    },
    #[serde(rename = "pc.signedOut")]
    SignedOut,
    #[serde(rename = "pc.unsavedChanges")]
    UnsavedChanges { dirty: bool },
    /// `sign_in_again`: the change takes effect after the agent signs in again (parameters).
    #[serde(rename = "pc.saved", rename_all = "camelCase")]
    Saved {
        area: SavedArea,
        sign_in_again: bool,
    },
    #[serde(rename = "pc.softphone")]
    Softphone { state: SoftphoneState },
}

/// A message as posted: the message and the protocol version.
#[derive(Serialize)]
pub struct Envelope<'a> {
    #[serde(flatten)]
    message: &'a Outgoing,
    v: u64,
}

impl Outgoing {
    /// The message as the object to post.
    pub fn envelope(&self) -> Envelope<'_> {
        Envelope {
            message: self,
            v: VERSION,
        }
    }
}

/// A posted object as the app reads it: the members a request may have; others are ignored.
/// A value that is not such an object (a member of another type included) is not read at all.
#[derive(Debug, Default, Deserialize)]
pub struct Posted {
    #[serde(rename = "type")]
    kind: Option<String>,
    v: Option<u64>,
    language: Option<String>,
    tab: Option<String>,
}

/// The request in `posted`, if it comes from an allowed `origin` and is one the app speaks.
pub fn accept(origin: &str, posted: &Posted, allowed: &[String]) -> Option<Incoming> {
    if !allowed.iter().any(|a| a == origin) || posted.v != Some(VERSION) {
        return None;
    }
    match posted.kind.as_deref()? {
        "pc.setLanguage" => {
            Language::from_tag(posted.language.as_deref()?).map(Incoming::SetLanguage)
        }
        "pc.openTab" => {
            let slug = posted.tab.as_deref()?;
            Tab::ALL
                .into_iter()
                .find(|tab| tab.slug() == slug)
                .map(Incoming::OpenTab)
        }
        "pc.requestState" => Some(Incoming::RequestState),
        _ => None,
    }
}

/// The origin to post to: the framing page's origin (from `location.ancestorOrigins`, else the
/// referrer's origin), when it is an allowed one. Otherwise nothing is posted.
pub fn parent_origin(candidates: &[String], allowed: &[String]) -> Option<String> {
    candidates
        .iter()
        .map(|candidate| origin_of(candidate))
        .find(|origin| allowed.contains(origin))
}

/// `https://host:port` of a URL (a bare origin is its own origin).
fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            format!("{scheme}://{host}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORKBENCH: &str = "https://workbench.example";

    fn allowed() -> Vec<String> {
        vec![WORKBENCH.to_owned()]
    }

    /// What the app does with `json` posted from `origin`: data that is not a request object is
    /// not read (the browser side, `crate::json`, refuses it the same way).
    pub(super) fn accept_text(origin: &str, json: &str, allowed: &[String]) -> Option<Incoming> {
        let posted: Posted = serde_json::from_str(json).ok()?;
        accept(origin, &posted, allowed)
    }

    fn from_workbench(json: &str) -> Option<Incoming> {
        accept_text(WORKBENCH, json, &allowed())
    }

    #[test]
    fn each_outgoing_message_is_typed_and_versioned() {
        let cases = [
            (
                Outgoing::Ready {
                    language: "zh-CN".into(),
                    signed_in: true,
                },
                r#"{"type":"pc.ready","language":"zh-CN","signedIn":true,"v":1}"#,
            ),
            (
                Outgoing::Resize { height: 812 },
                r#"{"type":"pc.resize","height":812,"v":1}"#,
            ),
            (
                Outgoing::SignedIn {
                    business_account: "alice.wang".into(),
                    sign_in_method: SignInMethod::Password,
                },
                r#"{"type":"pc.signedIn","businessAccount":"alice.wang","signInMethod":"password","v":1}"#,
            ),
            (
                Outgoing::SignedIn {
                    business_account: "alice.wang".into(),
                    sign_in_method: SignInMethod::Sso,
                },
                r#"{"type":"pc.signedIn","businessAccount":"alice.wang","signInMethod":"sso","v":1}"#,
            ),
            (Outgoing::SignedOut, r#"{"type":"pc.signedOut","v":1}"#),
            (
                Outgoing::UnsavedChanges { dirty: true },
                r#"{"type":"pc.unsavedChanges","dirty":true,"v":1}"#,
            ),
            (
                Outgoing::Saved {
                    area: SavedArea::AgentParameters,
                    sign_in_again: true,
                },
                r#"{"type":"pc.saved","area":"agentParameters","signInAgain":true,"v":1}"#,
            ),
            (
                Outgoing::Softphone {
                    state: SoftphoneState::Reconnecting,
                },
                r#"{"type":"pc.softphone","state":"reconnecting","v":1}"#,
            ),
        ];
        for (message, json) in cases {
            assert_eq!(serde_json::to_string(&message.envelope()).unwrap(), json);
        }
    }

    #[test]
    fn the_parent_may_set_the_language_open_a_tab_and_ask_for_the_state() {
        assert_eq!(
            from_workbench(r#"{"type":"pc.setLanguage","v":1,"language":"zh-CN"}"#),
            Some(Incoming::SetLanguage(Language::SimplifiedChinese))
        );
        assert_eq!(
            from_workbench(r#"{"type":"pc.openTab","v":1,"tab":"agent-parameters"}"#),
            Some(Incoming::OpenTab(Tab::AgentParameters))
        );
        assert_eq!(
            from_workbench(r#"{"type":"pc.requestState","v":1}"#),
            Some(Incoming::RequestState)
        );
    }

    #[test]
    fn anything_else_is_ignored() {
        for json in [
            r#"{"type":"pc.setLanguage","v":2,"language":"zh-CN"}"#,
            r#"{"type":"pc.setLanguage","v":"1","language":"zh-CN"}"#,
            r#"{"type":"pc.setLanguage","language":"zh-CN"}"#,
            r#"{"type":"pc.setLanguage","v":1,"language":"fr"}"#,
            r#"{"type":"pc.setLanguage","v":1}"#,
            r#"{"type":"pc.openTab","v":1,"tab":"/sign-in"}"#,
            r#"{"type":"pc.openTab","v":1,"tab":"//evil.example"}"#,
            r#"{"type":"pc.signOut","v":1}"#,
            r#"{"type":"pc.ready","v":1}"#,
            r#""pc.requestState""#,
            r#"[{"type":"pc.requestState","v":1}]"#,
            "null",
            "",
            "{",
        ] {
            assert_eq!(from_workbench(json), None, "{json}");
        }
    }

    #[test]
    fn messages_from_an_origin_not_allowed_are_ignored() {
        let json = r#"{"type":"pc.setLanguage","v":1,"language":"zh-CN"}"#;
        for origin in [
            "https://evil.example",
            "null",
            "",
            "https://workbench.example:444",
            "http://workbench.example",
            "https://workbench.example.evil.example",
        ] {
            assert_eq!(accept_text(origin, json, &allowed()), None, "{origin}");
        }
        assert_eq!(accept_text(WORKBENCH, json, &[]), None);
    }

    #[test]
    fn the_app_posts_only_to_an_allowed_parent() {
        let allowed = vec![
            "https://workbench.example".to_owned(),
            "http://localhost:8081".to_owned(),
        ];
        let parent = |candidates: &[&str]| {
            let candidates: Vec<String> = candidates.iter().map(|c| c.to_string()).collect();
            parent_origin(&candidates, &allowed)
        };
        assert_eq!(
            parent(&["http://localhost:8081"]),
            Some("http://localhost:8081".into())
        );
        assert_eq!(
            parent(&["https://workbench.example/desk?x=1#top"]),
            Some("https://workbench.example".into())
        );
        assert_eq!(parent(&["https://evil.example/workbench.example"]), None);
        assert_eq!(parent(&[]), None);
        assert_eq!(parent(&[""]), None);
    }
}

/// Property tests need a native target (proptest does not build for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use proptest::prelude::*;
    use serde_json::Value;

    use super::tests::accept_text;
    use super::*;

    const WORKBENCH: &str = "https://workbench.example";

    fn allowed() -> Vec<String> {
        vec![WORKBENCH.to_owned()]
    }

    proptest! {
        #[test]
        fn any_message_from_anyone_is_handled_without_panicking(
            origin in "\\PC{0,40}",
            json in "\\PC{0,200}",
        ) {
            let _ = accept_text(&origin, &json, &allowed());
            let _ = accept_text(WORKBENCH, &json, &allowed());
        }

        #[test]
        fn any_message_object_is_handled_without_panicking(
            kind in "(pc\\.)?[a-zA-Z]{0,14}",
            v in proptest::option::of(any::<i64>()),
            field in "[a-zA-Z]{0,10}".prop_filter("a member besides type and v", |f| f != "type" && f != "v"),
            value in "\\PC{0,20}",
        ) {
            let mut message = serde_json::Map::new();
            message.insert("type".into(), Value::from(kind.clone()));
            if let Some(v) = v {
                message.insert("v".into(), Value::from(v));
            }
            message.insert(field, Value::from(value));
            if accept_text(WORKBENCH, &Value::Object(message).to_string(), &allowed()).is_some() {
                // Only version 1 of a request the app knows is ever acted on.
                prop_assert_eq!(v, Some(1));
                prop_assert!(["pc.setLanguage", "pc.openTab", "pc.requestState"].contains(&kind.as_str()));
            }
        }

        #[test]
        fn a_parent_origin_is_always_one_of_the_allowed(
            candidates in proptest::collection::vec("\\PC{0,60}", 0..4),
        ) {
            if let Some(origin) = parent_origin(&candidates, &allowed()) {
                prop_assert!(allowed().contains(&origin));
            }
        }
    }
}
