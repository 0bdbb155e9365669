//! BEY-2 through the API: a version is written with each save (and reset) and with no refused
//! one, holds what the save left and what it changed, is the agent's own, and only the newest
//! `--history-versions` are kept.

mod common;

use axum::http::{header, HeaderValue, StatusCode};
use common::{json_body, server, server_with, write_request, Agent, TestServer};
use pc_model::{FieldChange, ParameterVersion, SettingsVersion};
use serde_json::{json, Value};

const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36";

fn settings(nickname: &str) -> Value {
    json!({
        "avatar": 2, "nickname": nickname, "work_email": "", "greetings": [],
        "signature": "", "follow_ou_concurrency": true, "multimedia_concurrency": null
    })
}

async fn save_settings(
    server: &TestServer,
    agent: &Agent,
    version: i64,
    nickname: &str,
) -> StatusCode {
    let mut request = write_request(
        "PUT",
        "/api/me/settings",
        agent,
        &json!({"version": version, "settings": settings(nickname)}),
    );
    request
        .headers_mut()
        .insert(header::USER_AGENT, HeaderValue::from_static(BROWSER));
    server.send(request).await.status()
}

async fn settings_history(server: &TestServer, agent: &Agent) -> Vec<SettingsVersion> {
    let response = server.get("/api/me/settings/history", Some(agent)).await;
    assert_eq!(response.status(), StatusCode::OK);
    json_body(response).await
}

async fn parameter_write(
    server: &TestServer,
    agent: &Agent,
    method: &str,
    path: &str,
    body: Value,
) -> StatusCode {
    server
        .send(write_request(
            method,
            &format!("/api/me/parameters{path}"),
            agent,
            &body,
        ))
        .await
        .status()
}

async fn parameter_history(server: &TestServer, agent: &Agent, id: &str) -> Vec<ParameterVersion> {
    let response = server
        .get(&format!("/api/me/parameters/{id}/history"), Some(agent))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    json_body(response).await
}

fn nicknames(history: &[SettingsVersion]) -> Vec<&str> {
    history
        .iter()
        .map(|v| v.settings.nickname.as_str())
        .collect()
}

#[tokio::test]
async fn each_settings_save_writes_a_version_and_a_refused_one_none() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    assert!(settings_history(&server, &alice).await.is_empty());

    assert_eq!(
        save_settings(&server, &alice, 0, "Ann").await,
        StatusCode::OK
    );
    assert_eq!(
        save_settings(&server, &alice, 1, "Bea").await,
        StatusCode::OK
    );
    // Stale, then invalid: neither is a version.
    assert_eq!(
        save_settings(&server, &alice, 1, "Cat").await,
        StatusCode::CONFLICT
    );
    assert_eq!(
        save_settings(&server, &alice, 2, "Dan<").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let history = settings_history(&server, &alice).await;
    assert_eq!(nicknames(&history), ["Bea", "Ann"]);
    assert!(history[0].id > history[1].id);
    let newest = &history[0].saved;
    assert_eq!(newest.browser, BROWSER);
    assert_eq!(newest.address, "unknown");
    assert_eq!(
        newest.changes,
        [FieldChange {
            field: "nickname".into(),
            old: Some("Ann".into()),
            new: Some("Bea".into()),
        }]
    );
    // The first save changed the avatar and the nickname from the defaults.
    let fields: Vec<&str> = history[1]
        .saved
        .changes
        .iter()
        .map(|c| c.field.as_str())
        .collect();
    assert_eq!(fields, ["avatar", "nickname"]);
    assert_eq!(history[1].settings.avatar, 2);
}

#[tokio::test]
async fn a_parameters_history_has_the_saves_and_resets_that_changed_it() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let save = |version: i64, id: &'static str, value: &'static str| {
        (
            "PUT",
            format!("/{id}"),
            json!({"version": version, "value": value}),
        )
    };
    for (version, id, value) in [
        (0, "answer_mode", "manual"),
        (1, "callout_caller", "+8613800138011"),
        (2, "answer_mode", "automatic"),
    ] {
        let (method, path, body) = save(version, id, value);
        assert_eq!(
            parameter_write(&server, &alice, method, &path, body).await,
            StatusCode::OK
        );
    }
    // Refused: stale, and invalid.
    let (method, path, body) = save(1, "answer_mode", "manual");
    assert_eq!(
        parameter_write(&server, &alice, method, &path, body).await,
        StatusCode::CONFLICT
    );
    let (method, path, body) = save(3, "answer_mode", "sometimes");
    assert_eq!(
        parameter_write(&server, &alice, method, &path, body).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        parameter_write(
            &server,
            &alice,
            "POST",
            "/reset",
            json!({"version": 3, "ids": ["answer_mode"]})
        )
        .await,
        StatusCode::OK
    );

    let history = parameter_history(&server, &alice, "answer_mode").await;
    let values: Vec<&str> = history.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["tenant", "automatic", "manual"]);
    assert_eq!(
        history[1].saved.changes,
        [FieldChange {
            field: "answer_mode".into(),
            old: Some("manual".into()),
            new: Some("automatic".into()),
        }]
    );
    let callout = parameter_history(&server, &alice, "callout_caller").await;
    assert_eq!(callout.len(), 1);
    assert_eq!(callout[0].value, "+8613800138011");
    assert!(parameter_history(&server, &alice, "integrate_openeye")
        .await
        .is_empty());
    assert_eq!(
        server
            .get("/api/me/parameters/volume/history", Some(&alice))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_agent_sees_only_their_own_history() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let bob = server.signed_in("bob.li").await;
    assert_eq!(
        save_settings(&server, &alice, 0, "Ann").await,
        StatusCode::OK
    );
    assert_eq!(
        parameter_write(
            &server,
            &alice,
            "PUT",
            "/answer_mode",
            json!({"version": 0, "value": "manual"})
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(save_settings(&server, &bob, 0, "Bob").await, StatusCode::OK);

    assert_eq!(nicknames(&settings_history(&server, &alice).await), ["Ann"]);
    assert_eq!(nicknames(&settings_history(&server, &bob).await), ["Bob"]);
    assert!(parameter_history(&server, &bob, "answer_mode")
        .await
        .is_empty());
    assert_eq!(
        server.get("/api/me/settings/history", None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn only_the_newest_versions_are_kept_per_agent_and_area() {
    let server = server_with(|config, _| config.history_versions = 3).await;
    let alice = server.signed_in("alice.wang").await;
    for (version, nickname) in ["A", "B", "C", "D", "E"].into_iter().enumerate() {
        assert_eq!(
            save_settings(&server, &alice, version as i64, nickname).await,
            StatusCode::OK
        );
    }
    for (version, value) in ["manual", "automatic", "manual", "automatic"]
        .into_iter()
        .enumerate()
    {
        assert_eq!(
            parameter_write(
                &server,
                &alice,
                "PUT",
                "/answer_mode",
                json!({"version": version, "value": value})
            )
            .await,
            StatusCode::OK
        );
    }
    assert_eq!(
        nicknames(&settings_history(&server, &alice).await),
        ["E", "D", "C"]
    );
    assert_eq!(
        parameter_history(&server, &alice, "answer_mode")
            .await
            .len(),
        3
    );
    // The audit trail keeps every save: only the versions go.
    let activity: pc_model::ActivityPage =
        json_body(server.get("/api/me/activity", Some(&alice)).await).await;
    let saves = activity
        .entries
        .iter()
        .filter(|e| e.kind == pc_model::ActivityKind::SettingsSaved)
        .count();
    assert_eq!(saves, 5);
}
