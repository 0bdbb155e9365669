//! BEY-3 through the API: the tenant's STUN and TURN servers go to the signed-in agent with
//! WebRTC only, each TURN server with a time-limited credential made for that agent (the TURN
//! REST API), never the TURN server's shared secret; a tenant without any gets none.

mod common;

use axum::http::StatusCode;
use common::{json_body, problem, server_with_clock, world, TestServer};
use pc_model::{IceServer, IceServers, ProblemType};
use pc_server::Clock;

/// 2025-12-31 12:00 UTC; with a 12-hour sign-in, credentials work until 2026-01-01 00:00 UTC.
const NOW: i64 = 1_767_182_400;
const SESSION_TTL_SECS: i64 = 12 * 60 * 60;
const SECRET: &str = "demo-turn-secret";

async fn ice_servers(server: &TestServer, account: &str) -> IceServers {
    let agent = server.signed_in(account).await;
    let response = server.get("/api/me/agent/ice-servers", Some(&agent)).await;
    assert_eq!(response.status(), StatusCode::OK);
    json_body(response).await
}

#[tokio::test]
async fn a_turn_server_comes_with_a_credential_for_the_agent_until_the_sign_in_would_end() {
    let server = server_with_clock(
        |config, _| {
            config.session_ttl_secs = SESSION_TTL_SECS;
            config.demo_turn_server = Some("127.0.0.1:3478".into());
            config.demo_turn_secret = Some(SECRET.into());
        },
        Clock::from_fn(|| NOW),
    )
    .await;
    let servers = ice_servers(&server, "david.zhao").await;
    assert_eq!(
        servers,
        IceServers {
            servers: vec![
                IceServer {
                    urls: vec!["stun:127.0.0.1:3478".into()],
                    username: None,
                    credential: None,
                },
                IceServer {
                    urls: vec!["turn:127.0.0.1:3478?transport=udp".into()],
                    username: Some("1767225600:3001".into()),
                    // python3 -c 'import hmac,hashlib,base64;print(base64.b64encode(hmac.new(
                    //   b"demo-turn-secret",b"1767225600:3001",hashlib.sha1).digest()).decode())'
                    credential: Some("kUFh7MflqTxrQYvt86TYqWLo6CQ=".into()),
                },
            ],
            expires_at: Some(NOW + SESSION_TTL_SECS),
        }
    );
    assert!(!format!("{servers:?}").contains(SECRET));
    // Alice, in another tenant with the same demo server, gets a credential of her own.
    let alice = ice_servers(&server, "alice.wang").await;
    assert_eq!(
        alice.servers[1].username.as_deref(),
        Some("1767225600:1001")
    );
    assert_ne!(alice.servers[1].credential, servers.servers[1].credential);
}

#[tokio::test]
async fn a_tenant_without_stun_or_turn_servers_gives_none() {
    let world = world().await;
    assert_eq!(
        ice_servers(&world.server, "david.zhao").await,
        IceServers::default()
    );
    // Each tenant has its own: a STUN server for Fabrikam only.
    sqlx::query("INSERT INTO tenant_ice_servers (tenant_id, url) VALUES (3, 'stun:stun.fabrikam.example:3478')")
        .execute(&world.db)
        .await
        .unwrap();
    let david = ice_servers(&world.server, "david.zhao").await;
    assert_eq!(david.servers.len(), 1);
    assert_eq!(david.expires_at, None);
    assert!(!david.has_turn());
    assert_eq!(
        ice_servers(&world.server, "alice.wang").await,
        IceServers::default()
    );
}

#[tokio::test]
async fn a_turn_server_without_a_secret_or_a_stun_server_with_one_cannot_be_stored() {
    let world = world().await;
    for (url, secret) in [
        ("turn:turn.fabrikam.example:3478", None),
        ("stun:stun.fabrikam.example:3478", Some("secret")),
        ("turn:turn.fabrikam.example:3478", Some("")),
        ("https://turn.fabrikam.example", None),
    ] {
        let stored = sqlx::query(
            "INSERT INTO tenant_ice_servers (tenant_id, url, turn_secret) VALUES (3, $1, $2)",
        )
        .bind(url)
        .bind(secret)
        .execute(&world.db)
        .await;
        assert!(stored.is_err(), "{url} {secret:?}");
    }
}

#[tokio::test]
async fn agents_without_webrtc_and_visitors_get_no_ice_servers() {
    let world = world().await;
    let bob = world.server.signed_in("bob.li").await;
    let response = world
        .server
        .get("/api/me/agent/ice-servers", Some(&bob))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let refused = problem(response).await;
    assert_eq!(refused.problem_type, ProblemType::Forbidden);
    assert!(refused.detail.unwrap().contains("OpenEye"));
    let response = world.server.get("/api/me/agent/ice-servers", None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
