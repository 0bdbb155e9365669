//! BEY-1 through the API: what a customer sees of the agent, by the very rules the app's live
//! preview uses (`pc_model::customer_view`), for every hour of the day.

mod common;

use axum::http::StatusCode;
use common::{json_body, problem, server};
use pc_model::customer_view::customer_view;
use pc_model::settings::SignatureInEffect;
use pc_model::{CustomerView, ProblemType, SettingsPage};
use serde_json::json;

#[tokio::test]
async fn the_server_and_the_preview_rules_agree_for_every_hour() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let settings = json!({
        "avatar": 4, "nickname": "", "work_email": "",
        "greetings": [
            {"start_hour": 8, "end_hour": 12, "text": "Good morning"},
            {"start_hour": 20, "end_hour": 0, "text": "Good evening"}
        ],
        "signature": "", "follow_ou_concurrency": true, "multimedia_concurrency": null
    });
    assert_eq!(
        server.save_settings(&alice, 0, settings).await.status(),
        StatusCode::OK
    );
    let page: SettingsPage = json_body(server.get("/api/me/settings", Some(&alice)).await).await;
    for hour in 0..24u8 {
        let response = server
            .get(&format!("/api/me/customer-view?hour={hour}"), Some(&alice))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let view: CustomerView = json_body(response).await;
        assert_eq!(
            view,
            customer_view(&page.settings, &page.context, hour),
            "{hour}"
        );
    }
    let morning: CustomerView = json_body(
        server
            .get("/api/me/customer-view?hour=9", Some(&alice))
            .await,
    )
    .await;
    assert_eq!(morning.greeting.as_deref(), Some("Good morning"));
    // No nickname: customers see the username; no own signature: the tenant's.
    assert_eq!(morning.display_name, "Alice Wang");
    assert_eq!(morning.signature_source, SignatureInEffect::Tenant);
    assert!(!morning.signature.is_empty());
}

#[tokio::test]
async fn an_hour_outside_the_day_is_refused_at_its_field() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    for hour in ["24", "300", "-1"] {
        let response = server
            .get(&format!("/api/me/customer-view?hour={hour}"), Some(&alice))
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{hour}"
        );
        assert_eq!(problem(response).await.errors[0].field, "hour");
    }
    let response = server
        .get("/api/me/customer-view?hour=noon", Some(&alice))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        problem(response).await.problem_type,
        ProblemType::MalformedRequest
    );
}
