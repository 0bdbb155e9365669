//! BEY-1: the agent as a customer meets them — the name and avatar in a chat, the greeting a
//! session started at a given hour receives, the signature under an email. The app's live
//! preview and the server's answer both come from these functions, so they cannot differ.

use serde::{Deserialize, Serialize};

use crate::settings::{signature_in_effect, Greeting, SignatureInEffect};
use crate::{PersonalSettings, SettingsContext};

/// The greeting a session started at `hour` (0–23) receives: the first greeting, in the
/// agent's order, whose range covers the hour; none when no greeting covers it. Saved greetings
/// never overlap, so the order only matters for a draft.
pub fn greeting_for_hour(greetings: &[Greeting], hour: u8) -> Option<&Greeting> {
    greetings.iter().find(|greeting| greeting.covers(hour))
}

/// PER-2: the session nickname, or the username when the agent has none.
pub fn display_name(nickname: &str, username: &str) -> String {
    let nickname = nickname.trim();
    if nickname.is_empty() {
        username.to_owned()
    } else {
        nickname.to_owned()
    }
}

/// What a customer sees of the agent at `hour`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerView {
    pub hour: u8,
    /// PER-1: 1–8.
    pub avatar: u8,
    pub display_name: String,
    /// The greeting's text, if one covers the hour.
    pub greeting: Option<String>,
    /// PER-5: the signature under the agent's emails, and whose it is.
    pub signature: String,
    pub signature_source: SignatureInEffect,
}

pub fn customer_view(
    settings: &PersonalSettings,
    context: &SettingsContext,
    hour: u8,
) -> CustomerView {
    let source = signature_in_effect(settings, context);
    CustomerView {
        hour,
        avatar: settings.avatar,
        display_name: display_name(&settings.nickname, &context.username),
        greeting: greeting_for_hour(&settings.greetings, hour).map(|g| g.text.clone()),
        signature: match source {
            SignatureInEffect::Agent => settings.signature.clone(),
            SignatureInEffect::Tenant => context.tenant_signature.clone(),
            SignatureInEffect::None => String::new(),
        },
        signature_source: source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn greeting(start_hour: u8, end_hour: u8, text: &str) -> Greeting {
        Greeting {
            start_hour,
            end_hour,
            text: text.into(),
        }
    }

    #[test]
    fn each_hour_gets_the_greeting_that_covers_it_midnight_included() {
        let greetings = [greeting(8, 12, "Morning"), greeting(18, 0, "Evening")];
        let at = |hour| greeting_for_hour(&greetings, hour).map(|g| g.text.as_str());
        assert_eq!(at(7), None);
        assert_eq!(at(8), Some("Morning"));
        assert_eq!(at(11), Some("Morning"));
        assert_eq!(at(12), None);
        assert_eq!(at(18), Some("Evening"));
        assert_eq!(at(23), Some("Evening"));
        assert_eq!(at(0), None);
    }

    #[test]
    fn without_a_nickname_customers_see_the_username() {
        assert_eq!(display_name("  ", "Alice Wang"), "Alice Wang");
        assert_eq!(display_name("小王", "Alice Wang"), "小王");
    }

    #[test]
    fn the_signature_shown_is_the_one_in_effect() {
        let context = SettingsContext {
            tenant_signature: "Northwind Care".into(),
            ou_concurrency: None,
            tenant_concurrency: 10,
            bound_to_business_account: true,
            username: "Alice Wang".into(),
        };
        let mut settings = PersonalSettings::default();
        let view = customer_view(&settings, &context, 9);
        assert_eq!(view.signature, "Northwind Care");
        assert_eq!(view.signature_source, SignatureInEffect::Tenant);
        settings.signature = "Alice".into();
        assert_eq!(customer_view(&settings, &context, 9).signature, "Alice");
    }
}
