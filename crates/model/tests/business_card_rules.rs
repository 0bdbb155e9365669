//! PER-6 E-Name Card rules: who may generate, which OUs and channels, the routing code and the
//! link that carries it.

use pc_model::business_card::{
    accessible_org_units, find_routing_code, is_routing_code, may_generate_business_card,
    prefilled_text, routing_code, whatsapp_link, OrgUnitNode,
};
use pc_model::{
    AgentInfo, AgentRole, AgentType, CardOrgUnit, GenerateBusinessCard, Permission, Violation,
    WhatsAppChannel,
};
use proptest::prelude::*;

fn agent(permissions: Vec<Permission>) -> AgentInfo {
    AgentInfo {
        agent_id: 1001,
        agent_type: AgentType::Versatile,
        role: AgentRole::Agent,
        softphone_number: "70001001".into(),
        registration_server: "sip.example:5060".into(),
        skill_queues: Vec::new(),
        fixed_line: None,
        mobile: None,
        webrtc_enabled: false,
        bound_to_business_account: true,
        permissions,
    }
}

#[test]
fn only_agents_with_the_permission_may_generate() {
    assert!(may_generate_business_card(&agent(vec![
        Permission::GenerateBusinessCard
    ])));
    assert!(!may_generate_business_card(&agent(Vec::new())));
}

fn node(id: i64, parent_id: Option<i64>) -> OrgUnitNode {
    OrgUnitNode { id, parent_id }
}

/// Northwind (10) → Customer Care (11) → VIP (13) and Night Shift (14) → Nights VIP (15);
/// Northwind → Sales (12).
fn tree() -> Vec<OrgUnitNode> {
    vec![
        node(10, None),
        node(11, Some(10)),
        node(12, Some(10)),
        node(13, Some(11)),
        node(14, Some(11)),
        node(15, Some(14)),
    ]
}

#[test]
fn an_agent_may_access_their_own_ou_and_everything_beneath_it() {
    assert_eq!(accessible_org_units(&tree(), 11), [11, 13, 14, 15]);
    assert_eq!(accessible_org_units(&tree(), 10), [10, 11, 12, 13, 14, 15]);
}

#[test]
fn never_an_ou_above_or_beside_their_own() {
    assert_eq!(accessible_org_units(&tree(), 12), [12]);
    assert_eq!(accessible_org_units(&tree(), 15), [15]);
}

#[test]
fn an_unknown_ou_gives_nothing_and_a_cycle_ends() {
    assert!(accessible_org_units(&tree(), 99).is_empty());
    let cycle = [node(1, Some(2)), node(2, Some(1))];
    assert_eq!(accessible_org_units(&cycle, 1), [1, 2]);
}

fn channel(id: i64) -> WhatsAppChannel {
    WhatsAppChannel {
        id,
        name: format!("Channel {id}"),
        phone_number: "+8613800138000".into(),
    }
}

fn offered() -> Vec<CardOrgUnit> {
    vec![
        CardOrgUnit {
            id: 11,
            name: "Customer Care".into(),
            channels: vec![channel(100), channel(101)],
        },
        CardOrgUnit {
            id: 13,
            name: "VIP".into(),
            channels: vec![channel(103)],
        },
        CardOrgUnit {
            id: 14,
            name: "Night Shift".into(),
            channels: Vec::new(),
        },
    ]
}

fn request(org_unit_id: Option<i64>, channel_id: Option<i64>) -> GenerateBusinessCard {
    GenerateBusinessCard {
        org_unit_id,
        channel_id,
    }
}

fn violations(request: GenerateBusinessCard) -> Vec<(String, Violation)> {
    request
        .validate(&offered())
        .unwrap_err()
        .into_iter()
        .map(|e| (e.field, e.violation))
        .collect()
}

#[test]
fn a_channel_of_an_offered_ou_is_accepted() {
    assert_eq!(
        request(Some(11), Some(101)).validate(&offered()),
        Ok((11, 101))
    );
    assert_eq!(
        request(Some(13), Some(103)).validate(&offered()),
        Ok((13, 103))
    );
}

#[test]
fn both_choices_are_required() {
    assert_eq!(
        violations(request(None, None)),
        [
            ("org_unit_id".into(), Violation::Required),
            ("channel_id".into(), Violation::Required)
        ]
    );
    assert_eq!(
        violations(request(Some(14), None)),
        [("channel_id".into(), Violation::Required)]
    );
}

#[test]
fn an_ou_not_offered_is_refused_at_the_ou_only() {
    assert_eq!(
        violations(request(Some(12), Some(102))),
        [("org_unit_id".into(), Violation::NotOffered)]
    );
}

#[test]
fn a_channel_of_another_ou_is_refused_at_the_channel() {
    assert_eq!(
        violations(request(Some(11), Some(103))),
        [("channel_id".into(), Violation::NotOffered)]
    );
    assert_eq!(
        violations(request(Some(14), Some(100))),
        [("channel_id".into(), Violation::NotOffered)]
    );
}

#[test]
fn the_link_opens_whatsapp_with_the_channel_number_and_the_code_in_the_text() {
    let code = routing_code([7; 16]);
    let link = whatsapp_link("+86 138-0013-8000", &code);
    assert_eq!(
        link,
        format!(
            "https://wa.me/8613800138000?text=Hello%2C%20I%20would%20like%20to%20chat%20with%20my%20agent.%20Code%3A%20{code}"
        )
    );
    assert!(prefilled_text(&code).ends_with(&code));
}

#[test]
fn the_code_is_found_in_a_message_the_customer_edited() {
    let code = routing_code([0xa5; 16]);
    let message = format!(
        "hi!! PC- is not it, {} but this is: {code}. thanks",
        "PC-XYZ"
    );
    assert_eq!(find_routing_code(&message), Some(code.as_str()));
    assert_eq!(find_routing_code("Hello, no code here"), None);
    assert_eq!(find_routing_code("你好 PC-"), None);
}

#[test]
fn malformed_codes_are_not_codes() {
    let code = routing_code([1; 16]);
    assert!(is_routing_code(&code));
    assert!(!is_routing_code(&code[1..]));
    assert!(!is_routing_code(&format!("{code}0")));
    assert!(!is_routing_code(&code.replace("PC-", "pc-")));
    assert!(!is_routing_code(&code.to_lowercase()));
    // I, L, O and U are not Crockford digits; 8 as the first digit is more than 128 bits.
    assert!(!is_routing_code(&format!("PC-I{}", &code[4..])));
    assert!(!is_routing_code(&format!("PC-8{}", &code[4..])));
}

proptest! {
    #[test]
    fn every_random_value_makes_a_distinct_well_formed_code(a in any::<[u8; 16]>(), b in any::<[u8; 16]>()) {
        let (code_a, code_b) = (routing_code(a), routing_code(b));
        prop_assert!(is_routing_code(&code_a));
        prop_assert_eq!(code_a == code_b, a == b);
        let text = prefilled_text(&code_a);
        prop_assert_eq!(find_routing_code(&text), Some(code_a.as_str()));
    }
}
