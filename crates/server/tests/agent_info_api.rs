//! AGT-1, AGT-2, AGT-3, AGT-5 and AGT-6 through the API: the agent's queues and permissions,
//! which client downloads each demo agent is offered, the softphone registration and Unregister,
//! and the agent's phone numbers saved, refused at their field, and only ever the agent's own.

mod common;

use axum::http::StatusCode;
use common::{json_body, problem, server, world, write_request, Agent, TestServer};
use pc_model::{
    AgentInfo, ClientDownloads, Permission, ProblemType, RegistrationStatus, SkillQueue, Violation,
};
use serde_json::json;

/// AGT-1: every skill queue (by name, whatever characters it holds) and permission of the agent
/// and none of another's; an agent without permissions has an empty list.
#[tokio::test]
async fn an_agent_reads_all_of_their_queues_and_permissions_and_no_one_else_s() {
    let world = world().await;
    let server = &world.server;
    sqlx::query(
        "INSERT INTO skill_queues (id, tenant_id, name) VALUES (90, 1, 'Sales: VIP, 2nd line')",
    )
    .execute(&world.db)
    .await
    .unwrap();
    sqlx::query("INSERT INTO agent_skill_queues (agent_id, skill_queue_id) VALUES (1002, 90)")
        .execute(&world.db)
        .await
        .unwrap();
    let read = |account: &'static str| async move {
        let agent = server.signed_in(account).await;
        let info: AgentInfo = json_body(server.get("/api/me/agent", Some(&agent)).await).await;
        info
    };
    let alice = read("alice.wang").await;
    let names: Vec<_> = alice.skill_queues.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(names, ["Billing", "Technical Support", "VIP Customers"]);
    assert_eq!(alice.permissions, [Permission::GenerateBusinessCard]);
    let bob = read("bob.li").await;
    assert_eq!(
        bob.skill_queues,
        [
            SkillQueue {
                id: 1,
                name: alice.skill_queues[0].name.clone(),
            },
            SkillQueue {
                id: 90,
                name: "Sales: VIP, 2nd line".into(),
            },
        ]
    );
    assert!(bob.permissions.is_empty());
}

async fn downloads(server: &TestServer, agent: &Agent) -> ClientDownloads {
    let response = server.get("/api/me/agent/downloads", Some(agent)).await;
    assert_eq!(response.status(), StatusCode::OK);
    json_body(response).await
}

/// Saves the numbers based on what the agent's numbers are now.
async fn save_phones(
    server: &TestServer,
    agent: &Agent,
    fixed_line: &str,
    mobile: &str,
) -> axum::response::Response {
    let now: AgentInfo = json_body(server.get("/api/me/agent", Some(agent)).await).await;
    let was = (
        now.fixed_line.unwrap_or_default(),
        now.mobile.unwrap_or_default(),
    );
    save_phones_based_on(server, agent, fixed_line, mobile, (&was.0, &was.1)).await
}

async fn save_phones_based_on(
    server: &TestServer,
    agent: &Agent,
    fixed_line: &str,
    mobile: &str,
    was: (&str, &str),
) -> axum::response::Response {
    server
        .send(write_request(
            "PUT",
            "/api/me/agent/phone-numbers",
            agent,
            &json!({"fixed_line": fixed_line, "mobile": mobile,
                    "was_fixed_line": was.0, "was_mobile": was.1}),
        ))
        .await
}

#[tokio::test]
async fn each_demo_agent_is_offered_the_downloads_of_its_tenant() {
    let server = server().await;
    let northwind_vrc = Some("https://downloads.northwind.example/vrc/VRC-Setup.exe".to_owned());
    // Northwind records screens and has a VRC address; WebRTC is on for Alice.
    let alice = server.signed_in("alice.wang").await;
    assert_eq!(
        downloads(&server, &alice).await,
        ClientDownloads {
            vrc_url: northwind_vrc.clone(),
            openeye_url: None
        }
    );
    // Bob: same tenant, WebRTC off.
    let bob = server.signed_in("bob.li").await;
    assert_eq!(
        downloads(&server, &bob).await,
        ClientDownloads {
            vrc_url: northwind_vrc,
            openeye_url: Some(
                "https://downloads.northwind.example/openeye/OpenEye-Setup.exe".to_owned()
            ),
        }
    );
    // Contoso: no VRC address.
    let carol = server.signed_in("carol.chen").await;
    assert_eq!(
        downloads(&server, &carol).await,
        ClientDownloads {
            vrc_url: None,
            openeye_url: Some(
                "https://downloads.contoso.example/openeye/OpenEye-Setup.exe".to_owned()
            ),
        }
    );
    // Fabrikam inspects screens (no recording) and has a VRC address; WebRTC on for David.
    let david = server.signed_in("david.zhao").await;
    assert_eq!(
        downloads(&server, &david).await,
        ClientDownloads {
            vrc_url: Some("https://downloads.fabrikam.example/vrc/VRC-Setup.exe".to_owned()),
            openeye_url: None,
        }
    );
}

#[tokio::test]
async fn downloads_need_a_session() {
    let server = server().await;
    let response = server.get("/api/me/agent/downloads", None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn phone_numbers_are_saved_and_cleared_for_the_signed_in_agent_only() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let bob = server.signed_in("bob.li").await;
    let bob_before: AgentInfo = json_body(server.get("/api/me/agent", Some(&bob)).await).await;

    let response = save_phones(&server, &alice, "+861068009999", "13900001111").await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer: AgentInfo = json_body(response).await;
    assert_eq!(answer.fixed_line.as_deref(), Some("+861068009999"));
    assert_eq!(answer.mobile.as_deref(), Some("13900001111"));
    let reread: AgentInfo = json_body(server.get("/api/me/agent", Some(&alice)).await).await;
    assert_eq!(reread, answer);

    // An empty value clears the number.
    let cleared: AgentInfo = json_body(save_phones(&server, &alice, "", "13900001111").await).await;
    assert_eq!(cleared.fixed_line, None);

    let bob_after: AgentInfo = json_body(server.get("/api/me/agent", Some(&bob)).await).await;
    assert_eq!(bob_after, bob_before);
}

#[tokio::test]
async fn invalid_phone_numbers_are_refused_at_their_field_and_nothing_is_stored() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let before: AgentInfo = json_body(server.get("/api/me/agent", Some(&alice)).await).await;
    for (fixed_line, mobile, at_fault) in [
        ("010-6800", "+8613800138011", vec!["fixed_line"]),
        ("+861068001001", "12", vec!["mobile"]),
        ("+", &"9".repeat(25), vec!["fixed_line", "mobile"]),
        ("++123", "138 0013 8011", vec!["fixed_line", "mobile"]),
    ] {
        let response = save_phones(&server, &alice, fixed_line, mobile).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem = problem(response).await;
        assert_eq!(problem.problem_type, ProblemType::Validation);
        let fields: Vec<_> = problem.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, at_fault, "{fixed_line:?} {mobile:?}");
        assert!(problem
            .errors
            .iter()
            .all(|e| e.violation == Violation::InvalidPhoneNumber));
    }
    let after: AgentInfo = json_body(server.get("/api/me/agent", Some(&alice)).await).await;
    assert_eq!(after, before);
}

#[tokio::test]
async fn a_save_based_on_numbers_changed_elsewhere_is_refused_as_stale() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    // Two tabs read +861068001001 / +8613800138011; the first saves.
    let read = ("+861068001001", "+8613800138011");
    let first = save_phones_based_on(&server, &alice, "110", "+8613800138011", read).await;
    assert_eq!(first.status(), StatusCode::OK);
    let second = save_phones_based_on(&server, &alice, "120", "+8613800138011", read).await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    assert_eq!(problem(second).await.problem_type, ProblemType::Stale);
    let now: AgentInfo = json_body(server.get("/api/me/agent", Some(&alice)).await).await;
    assert_eq!(now.fixed_line.as_deref(), Some("110"));
    // Bob has no fixed line: "" stands for none.
    let bob = server.signed_in("bob.li").await;
    let saved = save_phones_based_on(&server, &bob, "110", "", ("", "+8613800138012")).await;
    assert_eq!(saved.status(), StatusCode::OK);
}

#[tokio::test]
async fn saving_phone_numbers_needs_the_csrf_token() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let forged = Agent {
        cookie: alice.cookie.clone(),
        csrf: "forged".into(),
    };
    let response = save_phones(&server, &forged, "110", "120").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let genuine = save_phones(&server, &alice, "110", "120").await;
    assert_eq!(genuine.status(), StatusCode::OK);
}

async fn registration(server: &TestServer, agent: &Agent) -> RegistrationStatus {
    let response = server.get("/api/me/agent/registration", Some(agent)).await;
    assert_eq!(response.status(), StatusCode::OK);
    json_body(response).await
}

async fn unregister(server: &TestServer, agent: &Agent) -> axum::response::Response {
    server
        .send(write_request(
            "DELETE",
            "/api/me/agent/registration",
            agent,
            &json!({}),
        ))
        .await
}

#[tokio::test]
async fn unregister_signs_out_only_the_agents_own_softphone_once() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let bob = server.signed_in("bob.li").await;
    let before = registration(&server, &alice).await;
    assert!(before.registered);
    let since = before.changed_at.expect("a registered number has a time");

    let response = unregister(&server, &alice).await;
    assert_eq!(response.status(), StatusCode::OK);
    let after: RegistrationStatus = json_body(response).await;
    assert!(!after.registered);
    assert!(after.changed_at.unwrap() >= since);
    assert_eq!(registration(&server, &alice).await, after);

    // Again: nothing changes, not even the time of the last change.
    let again: RegistrationStatus = json_body(unregister(&server, &alice).await).await;
    assert_eq!(again, after);

    // Bob's softphone is untouched.
    assert!(registration(&server, &bob).await.registered);
}

#[tokio::test]
async fn a_number_never_registered_has_no_time_and_unregister_needs_csrf() {
    let server = server().await;
    let carol = server.signed_in("carol.chen").await;
    assert_eq!(
        registration(&server, &carol).await,
        RegistrationStatus {
            registered: false,
            changed_at: None
        }
    );
    let david = server.signed_in("david.zhao").await;
    let forged = Agent {
        cookie: david.cookie.clone(),
        csrf: "forged".into(),
    };
    assert_eq!(
        unregister(&server, &forged).await.status(),
        StatusCode::FORBIDDEN
    );
    assert!(registration(&server, &david).await.registered);
    assert_eq!(
        server
            .get("/api/me/agent/registration", None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}
