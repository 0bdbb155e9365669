//! RTC-1 through the API: the browser softphone's account goes to the signed-in agent only, with
//! the tenant's registration server, the SIP user, the HA1 set with the softphone password (never
//! the password), and PAR-6 as in effect after a sync.

mod common;

use axum::http::StatusCode;
use common::{json_body, problem, world, write_request, Agent, World};
use pc_model::{DigestCredentials, ProblemType, SoftphoneAccount};
use serde_json::json;

impl World {
    async fn account(&self, agent: &Agent) -> SoftphoneAccount {
        let response = self
            .server
            .get("/api/me/agent/softphone", Some(agent))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        json_body(response).await
    }

    async fn set_password(&self, agent: &Agent, password: &str) {
        let response = self
            .server
            .send(write_request(
                "PUT",
                "/api/me/agent/softphone-password",
                agent,
                &json!({"password": password, "confirmation": password, "code": ""}),
            ))
            .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn an_agent_with_webrtc_gets_the_tenants_registration_server_and_their_sip_user() {
    let world = world().await;
    let david = world.server.signed_in("david.zhao").await;
    let account = world.account(&david).await;
    assert_eq!(account.websocket_url, "wss://sip.fabrikam.example:7443");
    assert_eq!(account.domain, "fabrikam.example");
    assert_eq!(account.user, "90003001");
    assert_eq!(account.display_name, "David Zhao");
    // The demo softphone password's HA1, never the password.
    assert_eq!(
        account.credentials,
        Some(DigestCredentials {
            realm: "fabrikam.example".into(),
            // python3 -c 'import hashlib;print(hashlib.md5(b"90003001:fabrikam.example:Softphone@3001").hexdigest())'
            ha1: "05211267b1065bbc8f4e663f7d589108".into(),
        })
    );
    assert!(account.auto_register);
}

#[tokio::test]
async fn the_softphone_password_gives_the_ha1_for_the_tenants_realm_and_never_the_password() {
    let world = world().await;
    let david = world.server.signed_in("david.zhao").await;
    world.set_password(&david, "Secret@2026").await;
    let response = world
        .server
        .get("/api/me/agent/softphone", Some(&david))
        .await;
    let body = String::from_utf8(
        http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(!body.contains("Secret@2026"), "{body}");
    let account: SoftphoneAccount = serde_json::from_str(&body).unwrap();
    assert_eq!(
        account.credentials,
        Some(DigestCredentials {
            realm: "fabrikam.example".into(),
            // python3 -c 'import hashlib;print(hashlib.md5(b"90003001:fabrikam.example:Secret@2026").hexdigest())'
            ha1: "8b54d509d3205a227097f53a15723163".into(),
        })
    );
}

#[tokio::test]
async fn the_registration_server_is_the_tenants_configuration() {
    let world = world().await;
    sqlx::query("UPDATE tenants SET sip_websocket_url = 'ws://127.0.0.1:5066' WHERE id = 3")
        .execute(&world.db)
        .await
        .unwrap();
    let david = world.server.signed_in("david.zhao").await;
    assert_eq!(
        world.account(&david).await.websocket_url,
        "ws://127.0.0.1:5066"
    );
    // Alice's tenant keeps its own.
    let alice = world.server.signed_in("alice.wang").await;
    let alice_account = world.account(&alice).await;
    assert_eq!(
        alice_account.websocket_url,
        "wss://sip.northwind.example:7443"
    );
    assert_eq!(alice_account.user, "70001001");

    sqlx::query("UPDATE tenants SET sip_websocket_url = '' WHERE id = 3")
        .execute(&world.db)
        .await
        .unwrap();
    let response = world
        .server
        .get("/api/me/agent/softphone", Some(&david))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(problem(response)
        .await
        .detail
        .unwrap()
        .contains("registration server"));
}

#[tokio::test]
async fn agents_without_webrtc_and_visitors_get_no_account() {
    let world = world().await;
    let bob = world.server.signed_in("bob.li").await;
    let response = world
        .server
        .get("/api/me/agent/softphone", Some(&bob))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let refused = problem(response).await;
    assert_eq!(refused.problem_type, ProblemType::Forbidden);
    assert!(refused.detail.unwrap().contains("OpenEye"));

    let response = world.server.get("/api/me/agent/softphone", None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn auto_registration_follows_par_6_once_synced() {
    let world = world().await;
    let alice = world.server.signed_in("alice.wang").await;
    let saved = world
        .server
        .send(write_request(
            "PUT",
            "/api/me/parameters/webrtc_auto_register",
            &alice,
            &json!({"version": 0, "value": "no"}),
        ))
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    // Saved but not synced: not in effect yet.
    assert!(world.account(&alice).await.auto_register);
    let synced = world
        .server
        .send(write_request(
            "POST",
            "/api/me/parameters/sync",
            &alice,
            &json!({"version": 1, "ids": ["webrtc_auto_register"]}),
        ))
        .await;
    assert_eq!(synced.status(), StatusCode::OK);
    assert!(!world.account(&alice).await.auto_register);
}
