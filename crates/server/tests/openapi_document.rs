//! SEC-3: the OpenAPI document tells the truth. Regression tests for what schema-driven fuzzing
//! (`cargo xtask fuzz`, part of `cargo xtask test`) found the server and the document to
//! disagree on.

mod common;

use axum::http::{header, StatusCode};
use common::{json_body, problem, server, write_request};
use pc_model::ProblemType;
use serde_json::{json, Value};

async fn document() -> Value {
    server().await.openapi_document().await
}

fn documented(document: &Value, method: &str, path: &str) -> Vec<String> {
    let responses = &document["paths"][path][method]["responses"];
    let mut statuses: Vec<String> = responses
        .as_object()
        .unwrap_or_else(|| panic!("{method} {path} is not documented"))
        .keys()
        .cloned()
        .collect();
    statuses.sort();
    statuses
}

#[tokio::test]
async fn every_write_documents_the_refusals_its_shared_guards_give() {
    let document = document().await;
    let settings = documented(&document, "put", "/me/settings");
    for status in ["400", "401", "403", "413", "415", "422"] {
        assert!(
            settings.contains(&status.to_owned()),
            "{status} in {settings:?}"
        );
    }
    // Signing in needs no session, but is a write like any other.
    let sign_in = documented(&document, "post", "/session");
    assert!(sign_in.contains(&"403".to_owned()), "{sign_in:?}");
    // A read with a path parameter that must parse.
    let revoke = documented(&document, "delete", "/me/business-cards/{channel_id}");
    assert!(revoke.contains(&"400".to_owned()), "{revoke:?}");
    // Public reads are not said to need a session.
    let workbench = documented(&document, "get", "/workbench");
    assert!(!workbench.contains(&"401".to_owned()), "{workbench:?}");
}

#[tokio::test]
async fn a_path_parameter_of_the_wrong_type_is_a_problem_not_plain_text() {
    let server = server().await;
    let agent = server.signed_in("carol.chen").await;
    // Found by fuzzing: one past i64::MAX used to be answered in plain text.
    let response = server
        .send(write_request(
            "DELETE",
            "/api/me/business-cards/9223372036854775808",
            &agent,
            &json!({}),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/problem+json"
    );
    assert_eq!(
        problem(response).await.problem_type,
        ProblemType::MalformedRequest
    );
}

#[tokio::test]
async fn a_whole_number_written_with_a_fraction_is_an_integer_as_json_schema_counts_it() {
    let server = server().await;
    let agent = server.signed_in("alice.wang").await;
    let page: Value = json_body(server.get("/api/me/parameters", Some(&agent)).await).await;
    let version = page["version"].as_i64().expect("the parameters' version");
    // Found by fuzzing: `17.0` was refused as "not an integer".
    let response = server
        .send(write_request(
            "PUT",
            "/api/me/parameters/ring_when_maximized",
            &agent,
            &json!({"version": version as f64, "value": "yes"}),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // A number with a fraction is still not an integer.
    let response = server
        .send(write_request(
            "PUT",
            "/api/me/parameters/ring_when_maximized",
            &agent,
            &json!({"version": version as f64 + 0.5, "value": "no"}),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        problem(response).await.problem_type,
        ProblemType::MalformedRequest
    );
}
