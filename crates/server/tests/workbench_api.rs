//! EMB-1, EMB-5: the app inside a workbench's iframe on another site: the session cookie the
//! browser sends back there, the origins the app may talk to, and writes still refused when
//! they come from another site.

mod common;

use axum::http::{header, HeaderValue, StatusCode};
use common::{json_body, problem, server, server_with, write_request};
use pc_model::{ProblemType, WorkbenchSettings};
use pc_server::storage::seed::DEMO_PASSWORD;
use serde_json::json;

const WORKBENCH: &str = "https://workbench.example.com";

async fn framed_server() -> common::TestServer {
    server_with(|config, _| config.frame_ancestors = vec![WORKBENCH.into()]).await
}

fn session_cookie(response: &axum::response::Response) -> String {
    response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn with_a_workbench_the_session_cookie_is_partitioned_for_a_cross_site_iframe() {
    let server = framed_server().await;
    let response = server.sign_in("alice.wang", DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = session_cookie(&response);
    for attribute in [
        "SameSite=None",
        "Secure",
        "Partitioned",
        "HttpOnly",
        "Path=/",
    ] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("SameSite=Strict"), "{cookie}");

    // Signing out removes the same partitioned cookie.
    let agent = server.signed_in("alice.wang").await;
    let response = server
        .send(write_request("DELETE", "/api/session", &agent, &json!({})))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let removal = session_cookie(&response);
    assert!(removal.contains("Partitioned"), "{removal}");
    assert!(removal.contains("Max-Age=0"), "{removal}");
}

#[tokio::test]
async fn standalone_the_session_cookie_stays_strict() {
    let response = server().await.sign_in("alice.wang", DEMO_PASSWORD).await;
    let cookie = session_cookie(&response);
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(!cookie.contains("Partitioned"), "{cookie}");
}

#[tokio::test]
async fn the_app_learns_which_workbench_origins_it_may_talk_to() {
    let settings: WorkbenchSettings =
        json_body(framed_server().await.get("/api/workbench", None).await).await;
    assert_eq!(settings.origins, [WORKBENCH]);
    let standalone: WorkbenchSettings =
        json_body(server().await.get("/api/workbench", None).await).await;
    assert!(standalone.origins.is_empty());
}

#[tokio::test]
async fn a_write_from_the_workbench_site_itself_is_still_refused() {
    let server = framed_server().await;
    let agent = server.signed_in("alice.wang").await;
    // The browser marks a request the workbench page makes to the app's server as cross-site,
    // even with the session cookie and a stolen CSRF token.
    let body = json!({"fixed_line": "", "mobile": "", "was_fixed_line": "", "was_mobile": ""});
    let mut request = write_request("PUT", "/api/me/agent/phone-numbers", &agent, &body);
    let headers = request.headers_mut();
    headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
    headers.insert(header::ORIGIN, HeaderValue::from_static(WORKBENCH));
    let response = server.send(request).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        problem(response).await.problem_type,
        ProblemType::CsrfRejected
    );
}

#[tokio::test]
async fn the_workbench_settings_are_in_the_openapi_document() {
    let document = server().await.openapi_document().await;
    assert!(document["paths"]["/workbench"]["get"].is_object());
}
