//! SEC-4 through the API: every change and sign-in is recorded with when, from where and what
//! changed, in the same transaction as the change (a refused change records nothing), never a
//! secret, and each agent sees only their own.

mod common;

use axum::http::StatusCode;
use common::{json_body, server, world, write_request, Agent, TestServer};
use pc_model::{ActivityKind, ActivityPage, FieldChange};
use pc_server::storage::seed::DEMO_PASSWORD;
use serde_json::json;

async fn activity(server: &TestServer, agent: &Agent) -> ActivityPage {
    let response = server.get("/api/me/activity", Some(agent)).await;
    assert_eq!(response.status(), StatusCode::OK);
    json_body(response).await
}

fn kinds(page: &ActivityPage) -> Vec<ActivityKind> {
    common::kinds_since_seeding(page)
}

async fn save_nickname(
    server: &TestServer,
    agent: &Agent,
    version: i64,
    nickname: &str,
) -> StatusCode {
    let settings = json!({
        "avatar": 1, "nickname": nickname, "work_email": "", "greetings": [],
        "signature": "", "follow_ou_concurrency": true, "multimedia_concurrency": null
    });
    server
        .save_settings(agent, version, settings)
        .await
        .status()
}

#[tokio::test]
async fn a_sign_in_and_a_save_are_recorded_with_what_changed_newest_first() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    assert_eq!(
        save_nickname(&server, &alice, 0, "Ann").await,
        StatusCode::OK
    );
    let page = activity(&server, &alice).await;
    assert_eq!(
        kinds(&page),
        [ActivityKind::SettingsSaved, ActivityKind::SignedIn]
    );
    let saved = &page.entries[0];
    assert!(
        saved.changes.contains(&FieldChange {
            field: "nickname".into(),
            old: None,
            new: Some("Ann".into()),
        }),
        "{:?}",
        saved.changes
    );
    assert!(saved.at >= page.entries[1].at);
    assert_eq!(
        saved.address, "unknown",
        "in-process requests have no peer address"
    );
}

#[tokio::test]
async fn a_refused_change_records_nothing() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    // A rule broken, then a stale version: neither is a change.
    assert_eq!(
        save_nickname(&server, &alice, 0, "<script>").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        save_nickname(&server, &alice, 0, "Ann").await,
        StatusCode::OK
    );
    assert_eq!(
        save_nickname(&server, &alice, 0, "Bo").await,
        StatusCode::CONFLICT
    );
    let page = activity(&server, &alice).await;
    assert_eq!(
        kinds(&page),
        [ActivityKind::SettingsSaved, ActivityKind::SignedIn]
    );
}

#[tokio::test]
async fn an_agent_sees_only_their_own_activity() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let bob = server.signed_in("bob.li").await;
    assert_eq!(
        save_nickname(&server, &alice, 0, "Ann").await,
        StatusCode::OK
    );
    assert_eq!(
        kinds(&activity(&server, &bob).await),
        [ActivityKind::SignedIn]
    );
    assert_eq!(
        server.get("/api/me/activity", None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn failed_sign_ins_show_to_the_agent_and_unknown_accounts_are_kept_apart() {
    let world = world().await;
    let server = &world.server;
    let wrong = DEMO_PASSWORD.to_lowercase();
    assert_eq!(
        server.sign_in("alice.wang", &wrong).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        server.sign_in("nobody", &wrong).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let alice = server.signed_in("alice.wang").await;
    assert_eq!(
        kinds(&activity(server, &alice).await),
        [ActivityKind::SignedIn, ActivityKind::SignInFailed]
    );
    let unknown: (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE agent_id IS NULL AND business_account = ''",
    )
    .fetch_one(&world.db)
    .await
    .unwrap();
    assert_eq!(unknown.0, 1);
}

#[tokio::test]
async fn changes_across_the_personal_center_are_recorded_and_secrets_never() {
    let world = world().await;
    let server = &world.server;
    let david = server.signed_in("david.zhao").await;
    let current: pc_model::AgentInfo =
        json_body(server.get("/api/me/agent", Some(&david)).await).await;
    let phones = json!({
        "fixed_line": "110", "mobile": current.mobile.clone().unwrap_or_default(),
        "was_fixed_line": current.fixed_line.clone().unwrap_or_default(),
        "was_mobile": current.mobile.clone().unwrap_or_default(),
    });
    let response = server
        .send(write_request(
            "PUT",
            "/api/me/agent/phone-numbers",
            &david,
            &phones,
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // David's tenant has no two-factor method: no code needed.
    let password = "Secret@2026x";
    let response = server
        .send(write_request(
            "PUT",
            "/api/me/agent/softphone-password",
            &david,
            &json!({"password": password, "confirmation": password}),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = server
        .send(write_request(
            "PUT",
            "/api/me/parameters/answer_mode",
            &david,
            &json!({"version": 0, "value": "manual"}),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = server
        .send(write_request("DELETE", "/api/session", &david, &json!({})))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    let david = server.signed_in("david.zhao").await;
    let page = activity(server, &david).await;
    assert_eq!(
        kinds(&page),
        [
            ActivityKind::SignedIn,
            ActivityKind::SignedOut,
            ActivityKind::ParameterSaved,
            ActivityKind::SoftphonePasswordReset,
            ActivityKind::PhoneNumbersSaved,
            ActivityKind::SignedIn,
        ]
    );
    assert_eq!(page.entries[2].changes[0].field, "answer_mode");
    assert_eq!(page.entries[2].changes[0].new.as_deref(), Some("manual"));
    assert!(page.entries[3].changes.is_empty());
    assert_eq!(page.entries[4].changes[0].new.as_deref(), Some("110"));
    let stored: Vec<(String,)> = sqlx::query_as(
        "SELECT business_account || ' ' || address || ' ' || kind || ' ' || changes FROM audit_events",
    )
    .fetch_all(&world.db)
    .await
    .unwrap();
    assert!(
        stored.iter().all(|(row,)| !row.contains(password)),
        "{stored:?}"
    );
}
