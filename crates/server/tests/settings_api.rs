//! PER-1 … PER-8 and SPEC §8 through the API: every rule refused at its field, stale saves
//! refused, one work email per agent even under a race.

mod common;

use axum::http::StatusCode;
use common::{json_body, problem, server, Agent, TestServer};
use pc_model::{ProblemType, SettingsPage, Violation};
use serde_json::{json, Value};

fn valid_settings() -> Value {
    json!({
        "avatar": 3,
        "nickname": "小王 Alice",
        "work_email": "alice.care@northwind.example",
        "greetings": [
            {"start_hour": 8, "end_hour": 12, "text": "Good morning, how can I help?"},
            {"start_hour": 12, "end_hour": 0, "text": "Good afternoon!"}
        ],
        "signature": "Alice Wang\nNorthwind Customer Care",
        "follow_ou_concurrency": false,
        "multimedia_concurrency": 7
    })
}

async fn load(server: &TestServer, agent: &Agent) -> SettingsPage {
    json_body(server.get("/api/me/settings", Some(agent)).await).await
}

#[tokio::test]
async fn an_agent_who_never_saved_gets_the_defaults_and_what_they_fall_back_to() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let page = load(&server, &alice).await;
    assert_eq!(page.version, 0);
    assert_eq!(page.settings, pc_model::PersonalSettings::default());
    assert_eq!(
        page.context.tenant_signature,
        "Best regards,\nNorthwind Customer Care"
    );
    assert_eq!(page.context.ou_concurrency, Some(5));
    assert_eq!(page.context.tenant_concurrency, 10);
    assert!(page.context.bound_to_business_account);
}

#[tokio::test]
async fn a_save_stores_everything_at_once_and_raises_the_version() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let response = server.save_settings(&alice, 0, valid_settings()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let saved: SettingsPage = json_body(response).await;
    assert_eq!(saved.version, 1);
    let page = load(&server, &alice).await;
    assert_eq!(page, saved);
    assert_eq!(
        serde_json::to_value(&page.settings).unwrap(),
        valid_settings()
    );

    let mut changed = valid_settings();
    changed["greetings"] = json!([]);
    changed["multimedia_concurrency"] = Value::Null;
    let response = server.save_settings(&alice, 1, changed.clone()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = load(&server, &alice).await;
    assert_eq!(page.version, 2);
    assert_eq!(serde_json::to_value(&page.settings).unwrap(), changed);
}

#[tokio::test]
async fn each_rule_is_refused_at_its_field_and_nothing_is_saved() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let cases: Vec<(&str, Value, &str, Violation)> = vec![
        (
            "avatar",
            json!(9),
            "avatar",
            Violation::OutOfRange { min: 1, max: 8 },
        ),
        (
            "nickname",
            json!("Al!ce@Care"),
            "nickname",
            Violation::ForbiddenCharacters {
                chars: vec!['!', '@'],
            },
        ),
        (
            "nickname",
            json!("a".repeat(21)),
            "nickname",
            Violation::TooLong { max: 20 },
        ),
        (
            "work_email",
            json!("alice@"),
            "work_email",
            Violation::InvalidEmail,
        ),
        (
            "signature",
            json!("s".repeat(1001)),
            "signature",
            Violation::TooLong { max: 1000 },
        ),
        (
            "multimedia_concurrency",
            json!(61),
            "multimedia_concurrency",
            Violation::OutOfRange { min: 1, max: 60 },
        ),
        (
            "multimedia_concurrency",
            json!(0),
            "multimedia_concurrency",
            Violation::OutOfRange { min: 1, max: 60 },
        ),
        (
            "greetings",
            json!([{"start_hour": 8, "end_hour": 12, "text": "Hi"}, {"start_hour": 10, "end_hour": 14, "text": "Hello"}]),
            "greetings[1].end_hour",
            Violation::Overlaps { other: 1 },
        ),
        (
            "greetings",
            json!([{"start_hour": 14, "end_hour": 9, "text": "Hi"}]),
            "greetings[0].end_hour",
            Violation::EndNotAfterStart,
        ),
        (
            "greetings",
            json!([{"start_hour": 9, "end_hour": 10, "text": "<b>Hi</b>"}]),
            "greetings[0].text",
            Violation::ForbiddenCharacters {
                chars: vec!['<', '>', '/'],
            },
        ),
        (
            "greetings",
            json!([{"start_hour": 9, "end_hour": 10, "text": "  "}]),
            "greetings[0].text",
            Violation::Required,
        ),
        (
            "greetings",
            json!((0..5)
                .map(|h| json!({"start_hour": h, "end_hour": h + 1, "text": "Hi"}))
                .collect::<Vec<_>>()),
            "greetings",
            Violation::TooMany { max: 4 },
        ),
    ];
    let more_cases: Vec<(&str, Value, &str, Violation)> = vec![
        (
            "greetings",
            json!([{"start_hour": 24, "end_hour": 0, "text": "Hi"}]),
            "greetings[0].start_hour",
            Violation::OutOfRange { min: 0, max: 23 },
        ),
        (
            "greetings",
            json!([{"start_hour": 8, "end_hour": 24, "text": "Hi"}]),
            "greetings[0].end_hour",
            Violation::OutOfRange { min: 0, max: 23 },
        ),
        (
            "greetings",
            json!([{"start_hour": 8, "end_hour": 9, "text": "好".repeat(201)}]),
            "greetings[0].text",
            Violation::TooLong { max: 200 },
        ),
    ];
    for (member, value, field, violation) in cases.into_iter().chain(more_cases) {
        let mut settings = valid_settings();
        settings[member] = value;
        let response = server.save_settings(&alice, 0, settings).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}"
        );
        let problem = problem(response).await;
        assert_eq!(problem.problem_type, ProblemType::Validation);
        assert_eq!(
            problem.field_error(field).map(|e| &e.violation),
            Some(&violation),
            "{field}: {problem:?}"
        );
    }
    assert_eq!(load(&server, &alice).await.version, 0);
}

#[tokio::test]
async fn concurrency_is_refused_for_an_agent_not_bound_to_a_business_account() {
    let server = server().await;
    let bob = server.signed_in("bob.li").await;
    assert!(!load(&server, &bob).await.context.bound_to_business_account);
    let mut settings = valid_settings();
    settings["work_email"] = json!("");
    let problem = problem(server.save_settings(&bob, 0, settings.clone()).await).await;
    assert_eq!(
        problem
            .field_error("multimedia_concurrency")
            .map(|e| &e.violation),
        Some(&Violation::NotAvailable)
    );
    settings["multimedia_concurrency"] = Value::Null;
    assert_eq!(
        server.save_settings(&bob, 0, settings).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_address_bound_to_another_agent_is_refused_whatever_its_case() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let carol = server.signed_in("carol.chen").await;
    assert_eq!(
        server
            .save_settings(&alice, 0, valid_settings())
            .await
            .status(),
        StatusCode::OK
    );
    let mut settings = valid_settings();
    settings["work_email"] = json!("Alice.Care@Northwind.Example");
    let response = server.save_settings(&carol, 0, settings).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = problem(response).await;
    assert_eq!(
        problem.field_error("work_email").map(|e| &e.violation),
        Some(&Violation::EmailTaken)
    );
    // The agent who holds the address can save it again.
    assert_eq!(
        server
            .save_settings(&alice, 1, valid_settings())
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn two_agents_racing_for_one_address_cannot_both_win() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let carol = server.signed_in("carol.chen").await;
    for round in 0..5 {
        let mut settings = valid_settings();
        settings["work_email"] = json!(format!("shared{round}@northwind.example"));
        let (a, c) = tokio::join!(
            server.save_settings(&alice, round, settings.clone()),
            server.save_settings(&carol, round, settings.clone())
        );
        let mut statuses = [a.status(), c.status()];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY]);
        // Whoever lost keeps their old version; bring both to the same version for the next round.
        for (agent, response) in [(&alice, a), (&carol, c)] {
            if response.status() != StatusCode::OK {
                let mut own = valid_settings();
                own["work_email"] = json!("");
                assert_eq!(
                    server.save_settings(agent, round, own).await.status(),
                    StatusCode::OK
                );
            }
        }
    }
}

#[tokio::test]
async fn a_save_based_on_an_old_version_is_refused_as_stale() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    // Two browser tabs read version 0; the first saves.
    assert_eq!(
        server
            .save_settings(&alice, 0, valid_settings())
            .await
            .status(),
        StatusCode::OK
    );
    let mut second = valid_settings();
    second["nickname"] = json!("Other tab");
    let response = server.save_settings(&alice, 0, second).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let problem = problem(response).await;
    assert_eq!(problem.problem_type, ProblemType::Stale);
    assert!(problem.detail.unwrap().contains("Reload"));
    assert_eq!(load(&server, &alice).await.settings.nickname, "小王 Alice");
}

#[tokio::test]
async fn a_save_without_the_csrf_token_is_refused() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let forged = Agent {
        cookie: alice.cookie.clone(),
        csrf: "guessed".into(),
    };
    let response = server.save_settings(&forged, 0, valid_settings()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(load(&server, &alice).await.version, 0);
}

#[tokio::test]
async fn twenty_chinese_characters_are_a_valid_nickname() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let mut settings = valid_settings();
    settings["nickname"] = json!("坐".repeat(20));
    assert_eq!(
        server.save_settings(&alice, 0, settings).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        load(&server, &alice).await.settings.nickname,
        "坐".repeat(20)
    );
}

#[tokio::test]
async fn an_oversized_save_is_refused_quickly() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    // Many greetings, each with a bad range: refused as too many, not checked pair by pair.
    let mut settings = valid_settings();
    settings["greetings"] = json!((0..500)
        .map(|_| json!({"start_hour": 5, "end_hour": 3, "text": "x"}))
        .collect::<Vec<_>>());
    let response = server.save_settings(&alice, 0, settings).await;
    let refused = problem(response).await;
    assert_eq!(refused.errors.len(), 1);
    assert_eq!(refused.errors[0].violation, Violation::TooMany { max: 4 });
    // A body far beyond any valid settings is not even read.
    let mut huge = valid_settings();
    huge["signature"] = json!("s".repeat(200_000));
    let response = server.save_settings(&alice, 0, huge).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        problem(response).await.problem_type,
        ProblemType::MalformedRequest
    );
}
