//! PER-6 E-Name Card: an agent's WhatsApp business card. The agent chooses an OU they may access
//! and one of its WhatsApp channels; the server issues a routing code for that agent and channel
//! and a `wa.me` link whose prefilled text carries the code. The contact center resolves the code
//! in the customer's first message back to the agent.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

use crate::identity::{AgentInfo, Permission};
use crate::problem::{FieldError, Violation};
use crate::validation::Errors;

/// Every routing code starts with this, so the contact center can find it in a message.
pub const ROUTING_CODE_PREFIX: &str = "PC-";
/// The random bytes behind a routing code: 128 bits from a CSPRNG.
pub const ROUTING_CODE_BYTES: usize = 16;
/// Crockford's base32 (no I, L, O, U): readable aloud, and safe in a URL and a chat message.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 128 bits in base32 digits of 5 bits each.
pub const ROUTING_CODE_DIGITS: usize = 26;

/// One WhatsApp channel (a business number) of an OU.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhatsAppChannel {
    pub id: i64,
    pub name: String,
    /// As configured, e.g. `+8613800138000`.
    pub phone_number: String,
}

/// An OU the agent may access, with its WhatsApp channels (possibly none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardOrgUnit {
    pub id: i64,
    pub name: String,
    pub channels: Vec<WhatsAppChannel>,
}

/// The agent's card for one channel: what is shown and encoded in the QR code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessCard {
    pub org_unit_id: i64,
    pub org_unit_name: String,
    pub channel: WhatsAppChannel,
    /// The routing code, e.g. `PC-0123456789ABCDEFGHJKMNPQRS`.
    pub code: String,
    /// The `https://wa.me/…?text=…` link the QR code holds.
    pub link: String,
    /// When the code was issued, in seconds since the Unix epoch.
    pub issued_at: i64,
    /// PER-1: the agent's avatar (1–8), as customers see it.
    pub avatar: u8,
    /// PER-2: the session nickname, or the username when the agent has none.
    pub display_name: String,
}

/// What the E-Name Card section loads: the OUs and channels to choose from, and the cards the
/// agent already has (one per channel at most).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessCardPage {
    pub org_units: Vec<CardOrgUnit>,
    pub cards: Vec<BusinessCard>,
}

/// A request to issue a card (and a new routing code) for a channel. Both are optional on the
/// wire so that a missing choice is refused at its field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GenerateBusinessCard {
    pub org_unit_id: Option<i64>,
    pub channel_id: Option<i64>,
}

/// What a routing code stands for: the agent to route to, and the channel the customer writes on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoutingTarget {
    pub code: String,
    pub agent_id: i64,
    pub org_unit_id: i64,
    pub channel_id: i64,
    /// The link issued with the code.
    pub link: String,
    pub issued_at: i64,
}

/// PER-6: only agents with the permission may have a card.
pub fn may_generate_business_card(agent: &AgentInfo) -> bool {
    agent.has_permission(Permission::GenerateBusinessCard)
}

/// An OU of the tenant's tree, as far as access is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrgUnitNode {
    pub id: i64,
    pub parent_id: Option<i64>,
}

/// *Interpretation* of "an OU that can be accessed by an agent": the agent's own OU and every OU
/// beneath it, never an OU above or beside it. `units` is the tenant's whole tree; the result is
/// in tree order (the agent's OU first, then breadth first, each level in the given order).
pub fn accessible_org_units(units: &[OrgUnitNode], home: i64) -> Vec<i64> {
    if !units.iter().any(|u| u.id == home) {
        return Vec::new();
    }
    let mut found = vec![home];
    let mut next = 0;
    while next < found.len() {
        let parent = found[next];
        for unit in units {
            // `found` guards against a cycle in bad data.
            if unit.parent_id == Some(parent) && !found.contains(&unit.id) {
                found.push(unit.id);
            }
        }
        next += 1;
    }
    found
}

crate::field::fields! {
    /// The fields of PER-6's choice.
    CardField {
        OrgUnit = "org_unit_id",
        Channel = "channel_id",
    }
}

impl GenerateBusinessCard {
    /// The OU and channel chosen, if both are among `offered`; otherwise the fields at fault.
    pub fn validate(&self, offered: &[CardOrgUnit]) -> Result<(i64, i64), Vec<FieldError>> {
        let mut errors = Errors::default();
        let unit = self
            .org_unit_id
            .and_then(|id| offered.iter().find(|u| u.id == id));
        errors.add(
            CardField::OrgUnit,
            match (self.org_unit_id, unit) {
                (None, _) => Some(Violation::Required),
                (Some(_), None) => Some(Violation::NotOffered),
                _ => None,
            },
        );
        let channel = self
            .channel_id
            .zip(unit)
            .and_then(|(id, unit)| unit.channels.iter().find(|c| c.id == id));
        errors.add(
            CardField::Channel,
            match (self.channel_id, unit, channel) {
                (None, _, _) => Some(Violation::Required),
                // Said once, at the OU, when the OU itself is not offered.
                (Some(_), None, _) => None,
                (Some(_), Some(_), None) => Some(Violation::NotOffered),
                _ => None,
            },
        );
        errors.into_result()?;
        match (unit, channel) {
            (Some(unit), Some(channel)) => Ok((unit.id, channel.id)),
            _ => Err(vec![FieldError::new(
                CardField::OrgUnit,
                Violation::NotOffered,
            )]),
        }
    }
}

/// A routing code from 16 random bytes: `PC-` and 26 Crockford base32 digits.
pub fn routing_code(random: [u8; ROUTING_CODE_BYTES]) -> String {
    let mut value = u128::from_be_bytes(random);
    let mut digits = [0u8; ROUTING_CODE_DIGITS];
    for digit in digits.iter_mut().rev() {
        *digit = CROCKFORD[(value & 31) as usize];
        value >>= 5;
    }
    let mut code = String::with_capacity(ROUTING_CODE_PREFIX.len() + ROUTING_CODE_DIGITS);
    code.push_str(ROUTING_CODE_PREFIX);
    code.extend(digits.iter().map(|&d| char::from(d)));
    code
}

/// Whether `text` has the shape of a routing code (it may still be unknown or revoked).
pub fn is_routing_code(text: &str) -> bool {
    text.strip_prefix(ROUTING_CODE_PREFIX)
        .is_some_and(|digits| {
            digits.len() == ROUTING_CODE_DIGITS
            && digits.bytes().all(|b| CROCKFORD.contains(&b))
            // 26 digits hold 130 bits; a code made of 128 starts with 0–7.
            && matches!(digits.as_bytes()[0], b'0'..=b'7')
        })
}

/// The routing code in a customer's message (the prefilled text, perhaps edited), if any.
pub fn find_routing_code(message: &str) -> Option<&str> {
    let length = ROUTING_CODE_PREFIX.len() + ROUTING_CODE_DIGITS;
    message
        .match_indices(ROUTING_CODE_PREFIX)
        .filter_map(|(start, _)| message.get(start..start + length))
        .find(|candidate| is_routing_code(candidate))
}

/// The text a customer's WhatsApp opens with: the routing code in plain sight.
pub fn prefilled_text(code: &str) -> String {
    format!("Hello, I would like to chat with my agent. Code: {code}")
}

/// Characters kept as they are in the `text` query value: RFC 3986 unreserved.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The `wa.me` link: the channel's number in international form without `+`, spaces or dashes,
/// and the prefilled text, percent-encoded.
pub fn whatsapp_link(phone_number: &str, code: &str) -> String {
    let digits: String = phone_number.chars().filter(char::is_ascii_digit).collect();
    let text = prefilled_text(code);
    format!(
        "https://wa.me/{digits}?text={}",
        utf8_percent_encode(&text, QUERY_VALUE)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_prefixed_base32_of_all_128_bits() {
        assert_eq!(routing_code([0; 16]), format!("PC-{}", "0".repeat(26)));
        let max = routing_code([0xff; 16]);
        assert_eq!(max, "PC-7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
        assert!(is_routing_code(&max));
        let mut one = [0; 16];
        one[15] = 33;
        assert!(routing_code(one).ends_with("011"));
    }
}
