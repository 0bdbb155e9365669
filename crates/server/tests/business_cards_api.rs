//! PER-6 E-Name Card through the API: who may generate, which OUs and channels, and routing
//! codes issued, resolved, replaced and revoked.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::demo::*;
use common::{json_body, problem, server_with, write_request, Agent, TestServer};
use pc_model::business_card::{find_routing_code, is_routing_code};
use pc_model::{BusinessCard, BusinessCardPage, ProblemType, RoutingTarget, Violation};
use serde_json::json;

const ROUTING_TOKEN: &str = "routing-service-token-for-tests";

async fn server() -> TestServer {
    server_with(|config, _| config.routing_token = Some(ROUTING_TOKEN.into())).await
}

async fn generate(
    server: &TestServer,
    agent: &Agent,
    org_unit_id: i64,
    channel_id: i64,
) -> axum::response::Response {
    server
        .send(write_request(
            "POST",
            "/api/me/business-cards",
            agent,
            &json!({"org_unit_id": org_unit_id, "channel_id": channel_id}),
        ))
        .await
}

async fn generated(server: &TestServer, agent: &Agent, ou: i64, channel: i64) -> BusinessCard {
    let response = generate(server, agent, ou, channel).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    json_body(response).await
}

async fn resolve(server: &TestServer, code: &str, token: Option<&str>) -> axum::response::Response {
    let mut request = Request::get(format!("/api/routing-codes/{code}"));
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    server.send(request.body(Body::empty()).unwrap()).await
}

async fn resolved(server: &TestServer, code: &str) -> Option<RoutingTarget> {
    let response = resolve(server, code, Some(ROUTING_TOKEN)).await;
    match response.status() {
        StatusCode::OK => Some(json_body(response).await),
        StatusCode::NOT_FOUND => None,
        other => panic!("resolving {code}: {other}"),
    }
}

#[tokio::test]
async fn an_agent_with_the_permission_is_offered_their_ou_and_the_ous_beneath_it() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let page: BusinessCardPage =
        json_body(server.get("/api/me/business-cards", Some(&alice)).await).await;
    let offered: Vec<(i64, Vec<i64>)> = page
        .org_units
        .iter()
        .map(|u| (u.id, u.channels.iter().map(|c| c.id).collect()))
        .collect();
    // Customer Care (her own) and Customer Care VIP beneath it; not Northwind above it, not
    // Sales beside it, nothing of another tenant.
    assert_eq!(
        offered,
        [
            (CARE, vec![CARE_CHANNEL, CARE_ENGLISH_CHANNEL]),
            (CARE_VIP, vec![VIP_CHANNEL])
        ]
    );
    assert_eq!(page.org_units[0].channels[0].phone_number, "+8613800138000");
    assert!(page.cards.is_empty());

    let carol = server.signed_in("carol.chen").await;
    let page: BusinessCardPage =
        json_body(server.get("/api/me/business-cards", Some(&carol)).await).await;
    assert_eq!(page.org_units.len(), 1);
    assert_eq!(page.org_units[0].id, CONTOSO_SERVICE);
    assert_eq!(page.org_units[0].channels[0].id, CONTOSO_CHANNEL);
}

#[tokio::test]
async fn an_agent_without_the_permission_is_refused_everything() {
    let server = server().await;
    let bob = server.signed_in("bob.li").await;
    let response = server.get("/api/me/business-cards", Some(&bob)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(problem(response).await.problem_type, ProblemType::Forbidden);
    // Not even his own OU's channel.
    let response = generate(&server, &bob, SALES, SALES_CHANNEL).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(problem(response).await.problem_type, ProblemType::Forbidden);
    let response = server
        .send(write_request(
            "DELETE",
            &format!("/api/me/business-cards/{SALES_CHANNEL}"),
            &bob,
            &json!({}),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn nothing_without_a_session_or_the_csrf_token() {
    let server = server().await;
    let response = server.get("/api/me/business-cards", None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let alice = server.signed_in("alice.wang").await;
    let forged = Agent {
        cookie: alice.cookie.clone(),
        csrf: "wrong".into(),
    };
    let response = generate(&server, &forged, CARE, CARE_CHANNEL).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        problem(response).await.problem_type,
        ProblemType::CsrfRejected
    );
}

#[tokio::test]
async fn a_generated_card_carries_a_wa_me_link_with_a_code_that_resolves_to_the_agent() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let card = generated(&server, &alice, CARE, CARE_ENGLISH_CHANNEL).await;
    assert!(is_routing_code(&card.code), "{}", card.code);
    assert!(card.link.starts_with("https://wa.me/447700900123?text="));
    assert_eq!(find_routing_code(&card.link), Some(card.code.as_str()));
    assert_eq!(card.channel.name, "Northwind Care WhatsApp (English)");
    assert_eq!(card.org_unit_name, "Customer Care");
    // Without a nickname, the card shows the username.
    assert_eq!(card.display_name, "Alice Wang");
    assert_eq!(card.avatar, 1);

    let target = resolved(&server, &card.code)
        .await
        .expect("the code resolves");
    assert_eq!(
        (target.agent_id, target.org_unit_id, target.channel_id),
        (1001, CARE, CARE_ENGLISH_CHANNEL)
    );
    assert_eq!(target.link, card.link);

    // The card is kept: the page shows it again, unchanged.
    let page: BusinessCardPage =
        json_body(server.get("/api/me/business-cards", Some(&alice)).await).await;
    assert_eq!(page.cards, [card]);
}

#[tokio::test]
async fn the_card_shows_the_nickname_and_avatar_customers_see() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let settings = json!({"version": 0, "settings": {
        "avatar": 6, "nickname": "小王 Alice", "work_email": "", "greetings": [],
        "signature": "", "follow_ou_concurrency": true, "multimedia_concurrency": null}});
    let response = server
        .send(write_request("PUT", "/api/me/settings", &alice, &settings))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let card = generated(&server, &alice, CARE_VIP, VIP_CHANNEL).await;
    assert_eq!((card.avatar, card.display_name.as_str()), (6, "小王 Alice"));
}

#[tokio::test]
async fn generating_again_replaces_the_code_and_the_old_one_stops_resolving() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let first = generated(&server, &alice, CARE, CARE_CHANNEL).await;
    let other_channel = generated(&server, &alice, CARE_VIP, VIP_CHANNEL).await;
    let second = generated(&server, &alice, CARE, CARE_CHANNEL).await;
    assert_ne!(first.code, second.code);
    assert_ne!(first.link, second.link);
    assert!(resolved(&server, &first.code).await.is_none());
    assert_eq!(
        resolved(&server, &second.code).await.unwrap().channel_id,
        CARE_CHANNEL
    );
    // Another channel's card is not touched.
    assert_eq!(
        resolved(&server, &other_channel.code)
            .await
            .unwrap()
            .channel_id,
        VIP_CHANNEL
    );
    let page: BusinessCardPage =
        json_body(server.get("/api/me/business-cards", Some(&alice)).await).await;
    let codes: Vec<&str> = page.cards.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes.len(), 2);
    assert!(codes.contains(&second.code.as_str()) && !codes.contains(&first.code.as_str()));
}

#[tokio::test]
async fn a_revoked_code_stops_resolving() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let card = generated(&server, &alice, CARE, CARE_CHANNEL).await;
    let path = format!("/api/me/business-cards/{CARE_CHANNEL}");
    let revoke = || write_request("DELETE", &path, &alice, &json!({}));
    assert_eq!(server.send(revoke()).await.status(), StatusCode::NO_CONTENT);
    assert!(resolved(&server, &card.code).await.is_none());
    let response = server.send(revoke()).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let page: BusinessCardPage =
        json_body(server.get("/api/me/business-cards", Some(&alice)).await).await;
    assert!(page.cards.is_empty());
}

#[tokio::test]
async fn ous_and_channels_the_agent_may_not_use_are_refused_at_their_field() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let cases = [
        // Sales, beside her OU; Northwind, above it; Contoso, another tenant.
        (SALES, SALES_CHANNEL, "org_unit_id"),
        (NORTHWIND, CARE_CHANNEL, "org_unit_id"),
        (CONTOSO_SERVICE, CONTOSO_CHANNEL, "org_unit_id"),
        // Her OU, but a channel of another OU (or none at all).
        (CARE, VIP_CHANNEL, "channel_id"),
        (CARE, SALES_CHANNEL, "channel_id"),
        (CARE, 999, "channel_id"),
    ];
    for (ou, channel, field) in cases {
        let response = generate(&server, &alice, ou, channel).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{ou}/{channel}"
        );
        let problem = problem(response).await;
        assert_eq!(problem.errors.len(), 1, "{ou}/{channel}: {problem:?}");
        assert_eq!(problem.errors[0].field, field);
        assert_eq!(problem.errors[0].violation, Violation::NotOffered);
    }
    let response = server
        .send(write_request(
            "POST",
            "/api/me/business-cards",
            &alice,
            &json!({}),
        ))
        .await;
    let problem = problem(response).await;
    let fields: Vec<_> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["org_unit_id", "channel_id"]);
    assert!(problem
        .errors
        .iter()
        .all(|e| e.violation == Violation::Required));
    // Nothing was issued by any of these.
    let page: BusinessCardPage =
        json_body(server.get("/api/me/business-cards", Some(&alice)).await).await;
    assert!(page.cards.is_empty());
}

#[tokio::test]
async fn only_the_routing_service_with_its_token_resolves_codes() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let card = generated(&server, &alice, CARE, CARE_CHANNEL).await;
    for token in [None, Some("wrong-token")] {
        let response = resolve(&server, &card.code, token).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // An agent's session is not the routing service.
    let response = server
        .get(&format!("/api/routing-codes/{}", card.code), Some(&alice))
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // Malformed and unknown codes are simply not found.
    for code in [
        "nonsense",
        "PC-0000000000000000000000000O",
        &card.code.to_lowercase(),
    ] {
        let response = resolve(&server, code, Some(ROUTING_TOKEN)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{code}");
    }
}

#[tokio::test]
async fn without_a_configured_token_nobody_resolves_codes() {
    let server = common::server().await;
    let alice = server.signed_in("alice.wang").await;
    let card = generated(&server, &alice, CARE, CARE_CHANNEL).await;
    let response = resolve(&server, &card.code, Some("")).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_code_stops_resolving_while_its_agent_lacks_the_permission_or_the_channels_ou() {
    let server = server_with(|config, _| config.routing_token = Some(ROUTING_TOKEN.into())).await;
    let db = pc_server::storage::Db::open(&server.database)
        .await
        .unwrap();
    let alice = server.signed_in("alice.wang").await;
    let card = generated(&server, &alice, CARE_VIP, VIP_CHANNEL).await;
    let change = |sql: &'static str| {
        let pool = db.pool().clone();
        async move { sqlx::query(sql).execute(&pool).await.unwrap() }
    };

    // Moved to Sales: Customer Care VIP is out of her reach.
    change("UPDATE agents SET org_unit_id = 3 WHERE id = 1001").await;
    assert!(resolved(&server, &card.code).await.is_none());
    let page: BusinessCardPage =
        json_body(server.get("/api/me/business-cards", Some(&alice)).await).await;
    assert!(page.cards.is_empty());
    change("UPDATE agents SET org_unit_id = 2 WHERE id = 1001").await;
    assert_eq!(
        resolved(&server, &card.code).await.unwrap().channel_id,
        VIP_CHANNEL
    );

    change("DELETE FROM agent_permissions WHERE agent_id = 1001").await;
    assert!(resolved(&server, &card.code).await.is_none());
}
