//! EMB-1, EMB-5: the app inside a workbench's iframe on another site: the session cookie the
//! browser sends back there, the bearer token where it keeps none, the origins the app may
//! talk to, and writes still refused when they come from another site.

mod common;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use common::{json_body, problem, server, server_with, sign_in_request, write_request};
use pc_model::{
    AgentInfo, ProblemType, SessionInfo, WorkbenchSettings, BEARER_TRANSPORT, CSRF_HEADER,
    SESSION_TRANSPORT_HEADER,
};
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
    let session: SessionInfo = json_body(response).await;
    assert_eq!(session.bearer_token, None, "a cookie, not also a token");

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

/// EMB-5: WebKit keeps no cookie at all in a cross-site frame, so the app there asks for its
/// session as a bearer token; it works like the cookie, CSRF token included.
#[tokio::test]
async fn a_frame_that_keeps_no_cookie_carries_its_session_as_a_bearer_token() {
    let server = framed_server().await;
    let credentials = json!({"business_account": "alice.wang", "password": DEMO_PASSWORD});
    let response = server
        .send(
            sign_in_request()
                .header(SESSION_TRANSPORT_HEADER, BEARER_TRANSPORT)
                .body(Body::from(credentials.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get(header::SET_COOKIE).is_none());
    let session: SessionInfo = json_body(response).await;
    let bearer = format!("Bearer {}", session.bearer_token.expect("a bearer token"));
    let with_bearer = |method: &str, uri: &str, csrf: Option<&str>, body: &serde_json::Value| {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, &bearer)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(csrf) = csrf {
            request = request.header(CSRF_HEADER, csrf);
        }
        request.body(Body::from(body.to_string())).unwrap()
    };
    let none = json!({});

    let current: SessionInfo = json_body(
        server
            .send(with_bearer("GET", "/api/session", None, &none))
            .await,
    )
    .await;
    assert_eq!(current.business_account, "alice.wang");
    assert_eq!(current.csrf_token, session.csrf_token);
    assert_eq!(current.bearer_token, None, "the token is handed out once");

    let agent: AgentInfo = json_body(
        server
            .send(with_bearer("GET", "/api/me/agent", None, &none))
            .await,
    )
    .await;
    let (fixed_line, mobile) = (
        agent.fixed_line.unwrap_or_default(),
        agent.mobile.unwrap_or_default(),
    );
    let numbers = json!({"fixed_line": fixed_line, "mobile": "13800000000",
                         "was_fixed_line": fixed_line, "was_mobile": mobile});
    let phone_numbers = "/api/me/agent/phone-numbers";
    let unguarded = server
        .send(with_bearer("PUT", phone_numbers, None, &numbers))
        .await;
    assert_eq!(
        problem(unguarded).await.problem_type,
        ProblemType::CsrfRejected
    );
    let saved = server
        .send(with_bearer(
            "PUT",
            phone_numbers,
            Some(&session.csrf_token),
            &numbers,
        ))
        .await;
    let saved: AgentInfo = json_body(saved).await;
    assert_eq!(saved.mobile.as_deref(), Some("13800000000"));

    let signed_out = server
        .send(with_bearer(
            "DELETE",
            "/api/session",
            Some(&session.csrf_token),
            &none,
        ))
        .await;
    assert_eq!(signed_out.status(), StatusCode::NO_CONTENT);
    let after = server
        .send(with_bearer("GET", "/api/session", None, &none))
        .await;
    assert_eq!(
        problem(after).await.problem_type,
        ProblemType::Unauthenticated
    );
}
