//! PER-6: routing codes for E-Name Cards, and the card as the agent sees it.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use pc_model::business_card::{routing_code, whatsapp_link, ROUTING_CODE_BYTES};
use pc_model::{BusinessCard, WhatsAppChannel};
use subtle::ConstantTimeEq;

use crate::storage::business_cards::{CardHolder, CardRow};

/// A new routing code: 128 bits from the operating system's CSPRNG, so it cannot be guessed
/// (a wrong guess is one in 2^128 per live code).
pub fn new_routing_code() -> String {
    let mut bytes = [0u8; ROUTING_CODE_BYTES];
    OsRng.fill_bytes(&mut bytes);
    routing_code(bytes)
}

pub fn card(row: CardRow, holder: &CardHolder) -> BusinessCard {
    let display_name = holder
        .nickname
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| holder.username.clone());
    BusinessCard {
        org_unit_id: row.org_unit_id,
        org_unit_name: row.org_unit_name,
        link: whatsapp_link(&row.phone_number, &row.code),
        channel: WhatsAppChannel {
            id: row.channel_id,
            name: row.channel_name,
            phone_number: row.phone_number,
        },
        code: row.code,
        issued_at: row.issued_at,
        avatar: u8::try_from(holder.avatar).unwrap_or(1),
        display_name,
    }
}

/// Whether an `Authorization` header carries the configured routing token. Without a
/// configured token nothing matches.
pub fn routing_token_matches(authorization: Option<&str>, configured: Option<&str>) -> bool {
    let (Some(header), Some(configured)) = (authorization, configured) else {
        return false;
    };
    let presented = header.strip_prefix("Bearer ").unwrap_or_default();
    !configured.is_empty() && bool::from(presented.as_bytes().ct_eq(configured.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pc_model::business_card::is_routing_code;

    #[test]
    fn codes_are_well_formed_and_distinct() {
        let (a, b) = (new_routing_code(), new_routing_code());
        assert!(is_routing_code(&a) && is_routing_code(&b));
        assert_ne!(a, b);
    }

    #[test]
    fn the_routing_token_must_be_configured_and_match_exactly() {
        assert!(routing_token_matches(Some("Bearer s3cret"), Some("s3cret")));
        assert!(!routing_token_matches(Some("Bearer s3cret"), None));
        assert!(!routing_token_matches(Some("Bearer "), Some("")));
        assert!(!routing_token_matches(Some("s3cret"), Some("s3cret")));
        assert!(!routing_token_matches(Some("Bearer s3cre"), Some("s3cret")));
        assert!(!routing_token_matches(None, Some("s3cret")));
    }
}
