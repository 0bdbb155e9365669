//! SPEC §5 through the API: save, reset and sync one or many parameters, what the cache holds
//! after a sync, invalid values refused at their field, stale changes refused, each agent only
//! ever touching their own parameters. What involves the cache runs with the built-in table and
//! with Redis, where the telephony side reads the hashes the README describes.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::time::Duration;

use axum::http::StatusCode;
use common::{
    json_body, problem, server, server_with_redis, write_request, Agent, Redis, TestServer,
};
use pc_model::{
    BatchAnswer, BatchOutcome, CachedParameter, ParameterId, ParametersPage, ProblemType,
    TenantAnswerMode, VideoPart, Violation,
};
use redis::Commands;
use serde_json::json;

async fn load(server: &TestServer, agent: &Agent) -> ParametersPage {
    json_body(server.get("/api/me/parameters", Some(agent)).await).await
}

async fn cache(server: &TestServer, agent: &Agent) -> Vec<CachedParameter> {
    json_body(server.get("/api/me/parameters/cache", Some(agent)).await).await
}

async fn save(
    server: &TestServer,
    agent: &Agent,
    id: &str,
    version: i64,
    value: &str,
) -> axum::response::Response {
    server
        .send(write_request(
            "PUT",
            &format!("/api/me/parameters/{id}"),
            agent,
            &json!({"version": version, "value": value}),
        ))
        .await
}

async fn batch(
    server: &TestServer,
    agent: &Agent,
    operation: &str,
    version: i64,
    ids: &[&str],
) -> axum::response::Response {
    server
        .send(write_request(
            "POST",
            &format!("/api/me/parameters/{operation}"),
            agent,
            &json!({"version": version, "ids": ids}),
        ))
        .await
}

fn row(page: &ParametersPage, id: ParameterId) -> (&str, bool) {
    let parameter = page.parameters.iter().find(|p| p.id == id).unwrap();
    (parameter.value.as_str(), parameter.synced)
}

/// Each named test, once with the built-in cache and once with Redis.
macro_rules! with_each_cache {
    ($($name:ident),* $(,)?) => {
        mod with_the_table_cache {
            $(#[tokio::test]
            async fn $name() {
                super::$name(super::server().await).await;
            })*
        }
        mod with_redis {
            $(#[tokio::test]
            async fn $name() {
                let redis = super::Redis::start();
                super::$name(super::server_with_redis(&redis).await).await;
            })*
        }
    };
}

with_each_cache!(
    a_new_agent_sees_the_seven_defaults_in_effect_and_the_tenant_values,
    a_saved_value_is_kept_canonically_and_waits_for_a_sync,
    a_change_based_on_an_old_version_is_refused_as_stale,
    batch_sync_puts_exactly_the_named_saved_values_into_the_cache,
    batch_reset_restores_defaults_in_one_go_and_the_cache_keeps_the_old_until_synced,
    parameters_and_cache_are_each_agents_own,
);

async fn a_new_agent_sees_the_seven_defaults_in_effect_and_the_tenant_values(server: TestServer) {
    let alice = server.signed_in("alice.wang").await;
    let page = load(&server, &alice).await;
    assert_eq!(page.version, 0);
    let ids: Vec<ParameterId> = page.parameters.iter().map(|p| p.id).collect();
    assert_eq!(ids, ParameterId::ALL);
    for parameter in &page.parameters {
        assert_eq!(parameter.value, parameter.id.default_value());
        assert!(parameter.synced);
    }
    // Northwind answers manually and integrates OpenEye; Contoso does neither.
    assert_eq!(page.tenant.answer_mode, TenantAnswerMode::Manual);
    assert!(page.tenant.integrate_openeye);
    assert!(page.openeye_integrated());
    let carol = server.signed_in("carol.chen").await;
    let contoso = load(&server, &carol).await;
    assert_eq!(contoso.tenant.answer_mode, TenantAnswerMode::Automatic);
    assert!(!contoso.openeye_integrated());
    assert!(cache(&server, &alice).await.is_empty());
}

async fn a_saved_value_is_kept_canonically_and_waits_for_a_sync(server: TestServer) {
    let alice = server.signed_in("alice.wang").await;
    let response = save(
        &server,
        &alice,
        "openeye_video_display",
        0,
        " 0, 0, 800, 380, pip, fit",
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let saved: ParametersPage = json_body(response).await;
    assert_eq!(saved.version, 1);
    assert_eq!(
        row(&saved, ParameterId::OpeneyeVideoDisplay),
        ("0,0,800,380,PiP,Fit", false)
    );
    let response = save(&server, &alice, "answer_mode", 1, "automatic").await;
    assert_eq!(response.status(), StatusCode::OK);
    let reloaded = load(&server, &alice).await;
    assert_eq!(reloaded.version, 2);
    assert_eq!(
        row(&reloaded, ParameterId::AnswerMode),
        ("automatic", false)
    );
    // Nothing reaches the cache until a sync.
    assert!(cache(&server, &alice).await.is_empty());
}

#[tokio::test]
async fn each_invalid_value_is_refused_at_the_value_field_with_its_reason() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let cases = [
        ("callout_caller", "12-34", Violation::InvalidPhoneNumber),
        (
            "answer_mode",
            "sometimes",
            Violation::NotAnOption {
                options: vec!["automatic".into(), "manual".into(), "tenant".into()],
            },
        ),
        (
            "ring_when_maximized",
            "tenant",
            Violation::NotAnOption {
                options: vec!["yes".into(), "no".into()],
            },
        ),
        (
            "openeye_video_display",
            "0,0,800,380",
            Violation::VideoPartCount { found: 4 },
        ),
        (
            "openeye_video_display",
            "0,0,800,0,PiP,Fit",
            Violation::InvalidVideoPart {
                part: VideoPart::Height,
            },
        ),
        (
            "openeye_video_display",
            "0,0,800,380,Grid,Fit",
            Violation::InvalidVideoPart {
                part: VideoPart::Layout,
            },
        ),
    ];
    for (id, value, expected) in cases {
        let response = save(&server, &alice, id, 0, value).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{id}");
        let problem = problem(response).await;
        assert_eq!(problem.problem_type, ProblemType::Validation);
        assert_eq!(problem.errors.len(), 1);
        assert_eq!(problem.errors[0].field, "value");
        assert_eq!(problem.errors[0].violation, expected, "{id} {value}");
        assert!(!problem.errors[0].message.is_empty());
    }
    // Nothing was saved.
    assert_eq!(load(&server, &alice).await.version, 0);
}

#[tokio::test]
async fn an_unknown_parameter_is_not_found() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let response = save(&server, &alice, "volume", 0, "11").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(problem(response).await.problem_type, ProblemType::NotFound);
    let response = batch(&server, &alice, "sync", 0, &["volume"]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

async fn a_change_based_on_an_old_version_is_refused_as_stale(server: TestServer) {
    let alice = server.signed_in("alice.wang").await;
    assert_eq!(
        save(&server, &alice, "callout_caller", 0, "+86100")
            .await
            .status(),
        StatusCode::OK
    );
    // A second tab still at version 0.
    let response = save(&server, &alice, "callout_caller", 0, "+86200").await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(problem(response).await.problem_type, ProblemType::Stale);
    for operation in ["reset", "sync"] {
        let response = batch(&server, &alice, operation, 0, &["callout_caller"]).await;
        assert_eq!(response.status(), StatusCode::CONFLICT, "{operation}");
    }
    let page = load(&server, &alice).await;
    assert_eq!(row(&page, ParameterId::CalloutCaller), ("+86100", false));
    assert!(cache(&server, &alice).await.is_empty());
}

#[tokio::test]
async fn two_racing_saves_on_one_version_cannot_both_win() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let (first, second) = tokio::join!(
        save(&server, &alice, "callout_caller", 0, "+86100"),
        save(&server, &alice, "callout_caller", 0, "+86200"),
    );
    let mut statuses = [first.status(), second.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    assert_eq!(load(&server, &alice).await.version, 1);
}

async fn batch_sync_puts_exactly_the_named_saved_values_into_the_cache(server: TestServer) {
    let alice = server.signed_in("alice.wang").await;
    save(&server, &alice, "callout_caller", 0, "+8613800138000").await;
    save(&server, &alice, "webrtc_auto_register", 1, "no").await;
    save(&server, &alice, "skill_queue_signin_mode", 2, "automatic").await;

    let response = batch(
        &server,
        &alice,
        "sync",
        3,
        &["webrtc_auto_register", "callout_caller", "answer_mode"],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer: BatchAnswer = json_body(response).await;
    let outcomes: Vec<(ParameterId, BatchOutcome)> =
        answer.results.iter().map(|r| (r.id, r.outcome)).collect();
    assert_eq!(
        outcomes,
        [
            (ParameterId::CalloutCaller, BatchOutcome::Synced),
            (ParameterId::AnswerMode, BatchOutcome::AlreadySynced),
            (ParameterId::WebrtcAutoRegister, BatchOutcome::Synced),
        ]
    );
    // Sync changes no saved value, so the version stays.
    assert_eq!(answer.page.version, 3);
    assert_eq!(
        row(&answer.page, ParameterId::CalloutCaller),
        ("+8613800138000", true)
    );
    assert_eq!(
        row(&answer.page, ParameterId::SkillQueueSigninMode),
        ("automatic", false)
    );

    let cached: Vec<(ParameterId, String)> = cache(&server, &alice)
        .await
        .into_iter()
        .map(|c| (c.id, c.value))
        .collect();
    assert_eq!(
        cached,
        [
            (ParameterId::CalloutCaller, "+8613800138000".to_owned()),
            (ParameterId::AnswerMode, "tenant".to_owned()),
            (ParameterId::WebrtcAutoRegister, "no".to_owned()),
        ]
    );
}

async fn batch_reset_restores_defaults_in_one_go_and_the_cache_keeps_the_old_until_synced(
    server: TestServer,
) {
    let alice = server.signed_in("alice.wang").await;
    save(&server, &alice, "callout_caller", 0, "+86100").await;
    save(&server, &alice, "ring_when_maximized", 1, "yes").await;
    save(&server, &alice, "answer_mode", 2, "manual").await;
    batch(&server, &alice, "sync", 3, &["callout_caller"]).await;

    let response = batch(
        &server,
        &alice,
        "reset",
        3,
        &[
            "callout_caller",
            "ring_when_maximized",
            "webrtc_auto_register",
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer: BatchAnswer = json_body(response).await;
    let outcomes: Vec<BatchOutcome> = answer.results.iter().map(|r| r.outcome).collect();
    assert_eq!(
        outcomes,
        [
            BatchOutcome::Reset,
            BatchOutcome::Reset,
            BatchOutcome::AlreadyDefault
        ]
    );
    let page = answer.page;
    assert_eq!(page.version, 4);
    assert_eq!(row(&page, ParameterId::CalloutCaller), ("", false));
    assert_eq!(row(&page, ParameterId::RingWhenMaximized), ("no", true));
    // Not named: kept.
    assert_eq!(row(&page, ParameterId::AnswerMode), ("manual", false));
    // The telephony side still reads the old number until the reset value is synced.
    assert_eq!(cache(&server, &alice).await[0].value, "+86100");
    batch(&server, &alice, "sync", 4, &["callout_caller"]).await;
    assert_eq!(cache(&server, &alice).await[0].value, "");
    assert!(row(&load(&server, &alice).await, ParameterId::CalloutCaller).1);
}

#[tokio::test]
async fn a_batch_must_name_a_parameter() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    for operation in ["reset", "sync"] {
        let response = batch(&server, &alice, operation, 0, &[]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem = problem(response).await;
        assert_eq!(problem.errors[0].field, "ids");
        assert_eq!(problem.errors[0].violation, Violation::Required);
    }
}

async fn parameters_and_cache_are_each_agents_own(server: TestServer) {
    let alice = server.signed_in("alice.wang").await;
    let bob = server.signed_in("bob.li").await;
    save(&server, &alice, "callout_caller", 0, "+86100").await;
    batch(&server, &alice, "sync", 1, &["callout_caller"]).await;
    let bobs = load(&server, &bob).await;
    assert_eq!(bobs.version, 0);
    assert_eq!(row(&bobs, ParameterId::CalloutCaller), ("", true));
    assert!(cache(&server, &bob).await.is_empty());
    assert_eq!(cache(&server, &alice).await.len(), 1);
}

#[tokio::test]
async fn changes_need_a_session_and_the_csrf_token() {
    let server = server().await;
    let response = server.get("/api/me/parameters", None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = server.get("/api/me/parameters/cache", None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let alice = server.signed_in("alice.wang").await;
    let forged = Agent {
        cookie: alice.cookie.clone(),
        csrf: "not-the-token".into(),
    };
    let response = save(&server, &forged, "callout_caller", 0, "+86100").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = batch(&server, &forged, "sync", 0, &["callout_caller"]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(load(&server, &alice).await.version, 0);
}

#[tokio::test]
async fn the_telephony_side_reads_the_synced_values_from_a_redis_hash_per_agent() {
    let redis = Redis::start();
    let server = server_with_redis(&redis).await;
    let alice = server.signed_in("alice.wang").await;
    save(&server, &alice, "callout_caller", 0, "+86100").await;
    save(
        &server,
        &alice,
        "openeye_video_display",
        1,
        "0,0,800,380,pip,fit",
    )
    .await;
    let before = pc_server::domain::session::now();
    batch(
        &server,
        &alice,
        "sync",
        2,
        &["callout_caller", "openeye_video_display"],
    )
    .await;

    let mut telephony = redis.connection();
    let values: HashMap<String, String> = telephony.hgetall("pc:agent:1001:parameters").unwrap();
    assert_eq!(
        values,
        HashMap::from([
            ("callout_caller".to_owned(), "+86100".to_owned()),
            (
                "openeye_video_display".to_owned(),
                "0,0,800,380,PiP,Fit".to_owned()
            ),
        ])
    );
    let synced_at: HashMap<String, i64> = telephony
        .hgetall("pc:agent:1001:parameters:synced_at")
        .unwrap();
    assert_eq!(synced_at.len(), 2);
    assert!(synced_at.values().all(|&at| at >= before), "{synced_at:?}");
    // Nothing of another agent's.
    let keys: Vec<String> = telephony.keys("pc:*").unwrap();
    assert_eq!(keys.len(), 2, "{keys:?}");

    // "Not yet synced" is judged against what Redis holds, whoever changed it.
    let _: () = telephony
        .hset("pc:agent:1001:parameters", "callout_caller", "+86999")
        .unwrap();
    let page = load(&server, &alice).await;
    assert_eq!(row(&page, ParameterId::CalloutCaller), ("+86100", false));
    assert_eq!(
        row(&page, ParameterId::OpeneyeVideoDisplay),
        ("0,0,800,380,PiP,Fit", true)
    );
}

#[tokio::test]
async fn a_batch_sync_is_one_redis_transaction() {
    let redis = Redis::start();
    let server = server_with_redis(&redis).await;
    let alice = server.signed_in("alice.wang").await;
    save(&server, &alice, "callout_caller", 0, "+86100").await;
    save(&server, &alice, "answer_mode", 1, "manual").await;

    // MONITOR shows every command Redis runs, in order.
    let mut monitor = std::net::TcpStream::connect(
        redis
            .url()
            .trim_start_matches("redis://")
            .trim_end_matches('/'),
    )
    .unwrap();
    monitor.write_all(b"MONITOR\r\n").unwrap();
    monitor
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut lines = BufReader::new(monitor).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "+OK");

    batch(
        &server,
        &alice,
        "sync",
        2,
        &["callout_caller", "answer_mode"],
    )
    .await;
    // The sync reads the cache, writes it, and reads it again for the page it answers with.
    let mut commands: Vec<String> = Vec::new();
    for line in lines.map_while(Result::ok) {
        // `+<time> [0 <client>] "HMSET" "pc:agent:1001:parameters" …`
        commands.push(line.split('"').nth(1).unwrap_or_default().to_owned());
        if commands.ends_with(&["HMSET".into(), "EXEC".into()]) {
            break;
        }
    }
    let start = commands
        .iter()
        .rposition(|c| c == "MULTI")
        .unwrap_or_else(|| panic!("no MULTI in {commands:?}"));
    let writes: Vec<&str> = commands[start..].iter().map(String::as_str).collect();
    assert_eq!(writes, ["MULTI", "HMSET", "HMSET", "EXEC"], "{commands:?}");
}
