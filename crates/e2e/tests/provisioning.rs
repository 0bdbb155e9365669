//! A contact center moves in (TEN-1, PRV): from an empty database, the operator applies the
//! example tenant file and makes a SCIM token; the identity provider provisions an agent and two
//! skill queues with plain HTTP requests, as curl would send them; the agent signs in and finds
//! their identity, queues, settings and parameters on every tab, sets a softphone password and
//! registers at Kamailio. Then the identity provider deactivates them (Entra's PATCH): the
//! registrar refuses their next REGISTER and the open page goes to sign-in, where their password
//! no longer works.

use pc_e2e::registrar::Registrar;
use pc_e2e::{Harness, Key};
use serde_json::{json, Value};

const EXAMPLE: &str = include_str!("../../../docs/tenants.example.toml");
const PASSWORD: &str = "Welcome@2026";
const SOFTPHONE_PASSWORD: &str = "Softphone@5001";
const AGENT: &str = "[data-testid=agent-details]";

/// An identity provider's request to `/scim/v2`, as curl would send it.
fn scim(h: &Harness, token: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let request = ureq::request(method, &format!("{}/scim/v2{path}", h.base_url))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", "application/scim+json");
    let response = match body {
        Some(body) => request.send_string(&body.to_string()),
        None => request.call(),
    };
    let response = match response {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("{method} {path}: {error}"),
    };
    let status = response.status();
    let text = response.into_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn expect_agent(h: &Harness, field: &str, value: &str) {
    h.expect_text(&format!("{AGENT} [data-field={field}]"), value)
        .await;
}

#[tokio::test]
async fn a_contact_center_moves_in_from_an_empty_database_and_a_leaver_loses_access_at_once() {
    let mut registrar = Registrar::on_free_port();
    let h = Harness::start_with(&["--no-demo-data"]).await;

    // The operator: the example tenant file, its browser softphones at this registrar.
    let file = h.database().with_file_name("tenants.toml");
    std::fs::write(
        &file,
        EXAMPLE.replace(
            "wss://sip.woodgrove.example:7443",
            &registrar.websocket_url(),
        ),
    )
    .unwrap();
    let turn = [("WOODGROVE_TURN_SECRET", "e2e-turn-secret")];
    let planned = h.operator(
        &["tenant", "apply", file.to_str().unwrap(), "--dry-run"],
        &turn,
    );
    assert!(planned.contains("tenant woodgrove: create"), "{planned}");
    assert_eq!(
        h.operator(&["tenant", "apply", file.to_str().unwrap()], &turn),
        planned
    );
    let token = h
        .operator(&["scim-token", "create", "--tenant", "woodgrove"], &[])
        .trim()
        .to_owned();
    registrar.start_on_sqlite(h.database());

    // The identity provider: an agent, two queues of its own, and one the file declares.
    let (status, olivia) = scim(
        &h,
        &token,
        "POST",
        "/Users",
        Some(json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                        "urn:ietf:params:scim:schemas:extension:contactcenter:2.0:User"],
            "userName": "olivia.park@woodgrove.example",
            "externalId": "8f3c1e2a",
            "name": {"givenName": "Olivia", "familyName": "Park"},
            "displayName": "Olivia Park",
            "title": "Premier Banking Advisor",
            "emails": [{"value": "olivia.park@woodgrove.example", "type": "work", "primary": true}],
            "phoneNumbers": [{"value": "+44 20 7946 0123", "type": "work"},
                             {"value": "+44 7700 900123", "type": "mobile"}],
            "roles": [{"value": "team_leader"}],
            "entitlements": [{"value": "generate_business_card"}],
            "password": PASSWORD,
            "urn:ietf:params:scim:schemas:extension:contactcenter:2.0:User": {
                "agentType": "versatile", "softphoneNumber": "75005001",
                "organizationUnit": "premier", "webrtc": true, "boundToBusinessAccount": true
            },
        })),
    );
    assert_eq!(status, 201, "{olivia}");
    let id = olivia["id"].as_str().unwrap().to_owned();
    for name in ["Fraud Alerts", "Card Disputes"] {
        let (status, group) = scim(
            &h,
            &token,
            "POST",
            "/Groups",
            Some(
                json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                        "displayName": name, "members": [{"value": id}]}),
            ),
        );
        assert_eq!(status, 201, "{group}");
    }
    let (_, cards) = scim(
        &h,
        &token,
        "GET",
        "/Groups?filter=displayName%20eq%20%22Cards%20and%20Payments%22",
        None,
    );
    let cards_id = cards["Resources"][0]["id"].as_str().unwrap().to_owned();
    let (status, _) = scim(
        &h,
        &token,
        "PATCH",
        &format!("/Groups/{cards_id}"),
        Some(
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [{"op": "Add", "path": "members", "value": [{"value": id}]}]}),
        ),
    );
    assert_eq!(status, 200);

    // The agent signs in and finds who they are.
    h.open("/sign-in?next=agent-info").await;
    h.sign_in("olivia.park@woodgrove.example", PASSWORD).await;
    expect_agent(&h, "agent_id", "5001").await;
    expect_agent(&h, "agent_type", "Versatile agent").await;
    expect_agent(&h, "role", "Team leader").await;
    expect_agent(&h, "softphone_number", "75005001").await;
    expect_agent(&h, "registration_server", "sip.woodgrove.example:5060").await;
    h.expect_text(
        ".skill-queues",
        "Card Disputes\nCards and Payments\nFraud Alerts",
    )
    .await;
    h.expect_text(
        "[data-testid=employee-details] [data-field=username]",
        "Olivia Park",
    )
    .await;
    h.expect_text(
        "[data-testid=employee-details] [data-field=position]",
        "Premier Banking Advisor",
    )
    .await;
    h.find("[data-testid=recent-activity] tr[data-kind=provisioned]")
        .await;
    h.screenshot("provisioned-agent-info").await;
    h.scroll_to("[data-testid=recent-activity]").await;
    h.screenshot("provisioned-recent-activity").await;
    h.open("/agent-info?lang=zh-CN").await;
    let provisioned = h
        .text("[data-testid=recent-activity] tr[data-kind=provisioned]")
        .await;
    assert!(
        provisioned.contains("管理员已开通您的账号"),
        "the provisioning reads in Chinese: {provisioned:?}"
    );
    h.scroll_to("[data-testid=recent-activity]").await;
    h.screenshot("provisioned-recent-activity-zh-CN").await;
    h.open("/agent-info").await;

    // No softphone password yet: the registrar refuses; the agent sets one (email code, the
    // tenant's two-factor method) and registers.
    h.find("[data-testid=registration-state][data-state=failed]")
        .await;
    h.click("#reset-password").await;
    h.expect_focus("id", "new_password").await;
    h.type_into("#new_password", SOFTPHONE_PASSWORD).await;
    h.type_into("#confirm_password", SOFTPHONE_PASSWORD).await;
    h.click("#send-code").await;
    h.expect_focus("id", "verification_code").await;
    h.type_into("#verification_code", &h.code_in_outbox().await)
        .await;
    h.press(Key::Enter).await;
    h.find("[data-testid=password-reset-done]:not([hidden])")
        .await;
    h.click("#register").await;
    h.find("[data-testid=registration-state][data-state=registered]")
        .await;
    registrar.expect_contacts("75005001", 1).await;

    // Every tab works for the new agent at once.
    h.click("#tab-personalized-settings").await;
    h.find("[data-testid=settings-view]").await;
    h.find("[data-testid=ecard]").await;
    h.expect_text("#ecard-org-unit option:checked", "Premier Banking")
        .await;
    h.screenshot("provisioned-personalized-settings").await;
    h.click("#tab-agent-parameters").await;
    h.find("tr[data-parameter=answer_mode]").await;
    h.expect_text(
        "tr[data-parameter=answer_mode] [data-testid=value-text]",
        "Consistent with tenant (tenant: Manual response)",
    )
    .await;
    h.screenshot("provisioned-agent-parameters").await;
    h.click("#tab-agent-info").await;
    h.find("[data-testid=registration-state][data-state=registered]")
        .await;

    // The leaver: Entra deactivates with a capitalised op and a string.
    let (status, body) = scim(
        &h,
        &token,
        "PATCH",
        &format!("/Users/{id}"),
        Some(
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}),
        ),
    );
    assert_eq!((status, &body["active"]), (200, &json!(false)), "{body}");
    // The page's next REGISTER (here after the registrar restarts) is refused: the registrar no
    // longer has a credential for her.
    registrar.restart();
    h.find("[data-testid=registration-state][data-state=failed]")
        .await;
    let detail = h.text("[data-testid=registration-detail]").await;
    assert!(detail.contains("403 Forbidden"), "{detail}");
    assert!(registrar.contacts("75005001").is_empty());
    // The open page's next request finds the session ended and goes to sign-in.
    h.click("#tab-personalized-settings").await;
    h.expect_path("/sign-in?next=personalized-settings").await;
    h.sign_in("olivia.park@woodgrove.example", PASSWORD).await;
    h.expect_text(
        ".error-summary li",
        "The business account or password is wrong. Check both and try again.",
    )
    .await;
    h.screenshot("provisioned-leaver-refused").await;
    h.finish().await;
}
