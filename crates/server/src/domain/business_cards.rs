//! PER-6: routing codes for E-Name Cards, the cards as the agent sees them, and what a code
//! resolves to for the routing service.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use pc_model::business_card::{is_routing_code, routing_code, whatsapp_link, ROUTING_CODE_BYTES};
use pc_model::customer_view::display_name;
use pc_model::{BusinessCard, BusinessCardPage, RoutingTarget, WhatsAppChannel};
use subtle::ConstantTimeEq;

use super::session::now;
use crate::storage::audit::AuditEvent;
use crate::storage::business_cards::{CardHolder, CardRow};
use crate::storage::Db;

/// The OUs (with their WhatsApp channels) the agent may use, and the agent's current cards.
pub async fn page(db: &Db, agent_id: i64) -> sqlx::Result<BusinessCardPage> {
    let org_units = db.card_org_units(agent_id).await?;
    let holder = db.card_holder(agent_id).await?;
    let cards = db
        .business_cards(agent_id)
        .await?
        .into_iter()
        // A card on a channel the agent can no longer reach is not shown (nor offered again).
        .filter(|row| org_units.iter().any(|u| u.id == row.org_unit_id))
        .map(|row| card(row, &holder))
        .collect();
    Ok(BusinessCardPage { org_units, cards })
}

/// Issues a new routing code for the agent's card on `channel_id` (one the agent may use),
/// replacing the card's old code.
pub async fn issue(
    db: &Db,
    agent_id: i64,
    channel_id: i64,
    event: &AuditEvent<'_>,
) -> sqlx::Result<BusinessCard> {
    let row = db
        .issue_business_card(agent_id, channel_id, &new_routing_code(), now(), event)
        .await?;
    let holder = db.card_holder(agent_id).await?;
    Ok(card(row, &holder))
}

/// The agent and channel a routing code stands for, if it is live and its agent can still
/// reach the channel's OU.
pub async fn resolve(db: &Db, code: &str) -> sqlx::Result<Option<RoutingTarget>> {
    if !is_routing_code(code) {
        return Ok(None);
    }
    let Some(target) = db.routing_target(code).await? else {
        return Ok(None);
    };
    // An agent moved out of reach of the channel's OU no longer gets its customers; the code
    // comes back if they are moved back.
    let reachable = db
        .card_org_units(target.agent_id)
        .await?
        .iter()
        .any(|unit| unit.id == target.org_unit_id);
    Ok(reachable.then(|| RoutingTarget {
        link: whatsapp_link(&target.phone_number, &target.code),
        code: target.code,
        agent_id: target.agent_id,
        org_unit_id: target.org_unit_id,
        channel_id: target.channel_id,
        issued_at: target.issued_at,
    }))
}

/// A new routing code: 128 bits from the operating system's CSPRNG, so it cannot be guessed
/// (a wrong guess is one in 2^128 per live code).
fn new_routing_code() -> String {
    let mut bytes = [0u8; ROUTING_CODE_BYTES];
    OsRng.fill_bytes(&mut bytes);
    routing_code(bytes)
}

fn card(row: CardRow, holder: &CardHolder) -> BusinessCard {
    let display_name = display_name(
        holder.nickname.as_deref().unwrap_or_default(),
        &holder.username,
    );
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
