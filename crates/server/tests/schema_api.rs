//! The SQLite and the PostgreSQL migrations make the same schema, as the API shows it: the same
//! requests against a server on each database get the same answers, reads and writes touching
//! every table, refusals included. (Whichever `PC_TEST_DATABASE` says, this test uses both.)

mod common;

use common::demo::*;
use common::{new_postgres_database, server_in, write_request, TestServer};
use http_body_util::BodyExt;
use pc_server::storage::Location;
use pc_server::Clock;
use serde_json::{json, Value};

/// Fields that differ from run to run whatever the database: times, tokens, random codes.
const VOLATILE: [&str; 8] = [
    "at",
    "changed_at",
    "issued_at",
    "synced_at",
    "expires_at",
    "csrf_token",
    "code",
    "link",
];

/// Every signed-in read of the API.
const READS: [&str; 15] = [
    "/api/session",
    "/api/me/employee",
    "/api/me/agent",
    "/api/me/activity",
    "/api/me/customer-view?hour=10",
    "/api/me/agent/downloads",
    "/api/me/agent/registration",
    "/api/me/agent/softphone",
    "/api/me/agent/softphone-password",
    "/api/me/settings",
    "/api/me/settings/history",
    "/api/me/parameters",
    "/api/me/parameters/answer_mode/history",
    "/api/me/parameters/cache",
    "/api/me/business-cards",
];

fn settings(nickname: &str, work_email: &str) -> Value {
    json!({
        "avatar": 4, "nickname": nickname, "work_email": work_email,
        "greetings": [{"start_hour": 8, "end_hour": 12, "text": "早上好 Good morning"}],
        "signature": "Care", "follow_ou_concurrency": false, "multimedia_concurrency": 5
    })
}

/// What the server answers, as text, with the volatile fields blanked.
async fn transcript_of(server: &TestServer) -> Vec<String> {
    let mut transcript = Vec::new();
    let mut note = |what: String, status: u16, mut body: Value| {
        blank_volatile(&mut body);
        transcript.push(format!("{what} -> {status} {body}"));
    };
    let wrong = server.sign_in("alice.wang", "not her password").await;
    note(
        "wrong sign-in".into(),
        wrong.status().as_u16(),
        body(wrong).await,
    );
    for account in ["alice.wang", "bob.li", "carol.chen", "david.zhao"] {
        let agent = server.signed_in(account).await;
        let nickname = account.split('.').next().unwrap();
        let writes = [
            (
                "PUT",
                "/api/me/settings",
                json!({"version": 0, "settings": settings(nickname, "")}),
            ),
            (
                "PUT",
                "/api/me/settings",
                json!({"version": 0, "settings": settings("stale", "")}),
            ),
            (
                "PUT",
                "/api/me/settings",
                json!({"version": 1, "settings": settings(nickname, "Shared@Example.com")}),
            ),
            (
                "PUT",
                "/api/me/parameters/answer_mode",
                json!({"version": 0, "value": "manual"}),
            ),
            (
                "POST",
                "/api/me/parameters/sync",
                json!({"version": 1, "ids": ["answer_mode"]}),
            ),
            (
                "POST",
                "/api/me/parameters/reset",
                json!({"version": 1, "ids": ["answer_mode"]}),
            ),
            (
                "POST",
                "/api/me/business-cards",
                json!({"org_unit_id": CARE, "channel_id": CARE_CHANNEL}),
            ),
            (
                "POST",
                "/api/me/business-cards",
                json!({"org_unit_id": CONTOSO_SERVICE, "channel_id": CONTOSO_CHANNEL}),
            ),
            ("DELETE", "/api/me/business-cards/2", json!({})),
            (
                "PUT",
                "/api/me/agent/phone-numbers",
                json!({"fixed_line": "+861068009999", "mobile": "+8613800138011",
                       "was_fixed_line": "+861068001001", "was_mobile": "+8613800138011"}),
            ),
            ("POST", "/api/me/agent/softphone-password/code", json!({})),
            (
                "PUT",
                "/api/me/agent/softphone-password",
                json!({"password": "Softphone@2026", "confirmation": "Softphone@2026",
                       "code": "000000"}),
            ),
            ("DELETE", "/api/me/agent/registration", json!({})),
        ];
        for (method, uri, request) in writes {
            let response = server
                .send(write_request(method, uri, &agent, &request))
                .await;
            note(
                format!("{account} {method} {uri} {request}"),
                response.status().as_u16(),
                body(response).await,
            );
        }
        for uri in READS {
            let response = server.get(uri, Some(&agent)).await;
            note(
                format!("{account} GET {uri}"),
                response.status().as_u16(),
                body(response).await,
            );
        }
    }
    transcript
}

async fn body(response: axum::response::Response) -> Value {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
}

fn blank_volatile(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if VOLATILE.contains(&key.as_str()) {
                    *value = Value::Null;
                } else {
                    blank_volatile(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(blank_volatile),
        _ => {}
    }
}

#[tokio::test]
async fn both_databases_answer_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite_file = Location::Sqlite(dir.path().join("test.db"));
    let sqlite = server_in(dir, sqlite_file, |_, _| {}, Clock::system()).await;
    let postgres = server_in(
        tempfile::tempdir().unwrap(),
        new_postgres_database().await,
        |_, _| {},
        Clock::system(),
    )
    .await;
    let on_sqlite = transcript_of(&sqlite).await;
    let on_postgres = transcript_of(&postgres).await;
    assert!(on_sqlite.len() > 100);
    for (sqlite, postgres) in on_sqlite.iter().zip(&on_postgres) {
        assert_eq!(sqlite, postgres);
    }
    assert_eq!(on_sqlite.len(), on_postgres.len());
}

#[tokio::test]
async fn an_instance_is_ready_while_its_database_answers() {
    let ready = common::server().await.get("/api/health/ready", None).await;
    assert_eq!(ready.status(), 200);
    assert_eq!(body(ready).await, "ready");
}
