//! SEC-1: sign-in throttling per business account and per client address, with time moved by
//! the test instead of waited for.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, StatusCode};
use axum::response::Response;
use common::{json_body, problem, server_with_clock, sign_in_request, TestServer, TestTime};
use pc_model::{ActivityKind, ActivityPage, Problem, ProblemType};
use pc_server::storage::seed::DEMO_PASSWORD;
use pc_server::storage::Db;
use serde_json::{json, Value};

const WRONG: &str = "Wrong@2026";

/// The defaults: five failures per business account in 15 minutes, then a minute's lock.
async fn throttled_server(time: &TestTime) -> TestServer {
    server_with_clock(|_, _| {}, time.clock()).await
}

/// A sign-in from `peer`, as a server with connection info sees it, with extra headers.
async fn sign_in_from(
    server: &TestServer,
    peer: &str,
    headers: &[(&str, &str)],
    account: &str,
    password: &str,
) -> Response {
    let peer: SocketAddr = format!("{peer}:50000").parse().unwrap();
    let mut request = sign_in_request().extension(ConnectInfo(peer));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let body = json!({"business_account": account, "password": password}).to_string();
    server.send(request.body(Body::from(body)).unwrap()).await
}

/// Fails `times` sign-ins, each answered 401.
async fn fail(server: &TestServer, account: &str, times: usize) {
    for attempt in 1..=times {
        let response = server.sign_in(account, WRONG).await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
}

/// A 429 with `Retry-After`; the seconds to wait.
async fn too_many(response: Response) -> u64 {
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().get(header::SET_COOKIE).is_none());
    let retry_after: u64 = response.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let problem = problem(response).await;
    assert_eq!(problem.problem_type, ProblemType::TooManyRequests);
    assert_eq!(problem.retry_after_secs, Some(retry_after));
    retry_after
}

#[tokio::test]
async fn the_attempt_after_five_failures_is_answered_429_with_retry_after() {
    let time = TestTime::starting_now();
    let server = throttled_server(&time).await;
    fail(&server, "alice.wang", 5).await;
    assert_eq!(
        too_many(server.sign_in("alice.wang", WRONG).await).await,
        60
    );
    time.advance(20);
    assert_eq!(
        too_many(server.sign_in("Alice.Wang", WRONG).await).await,
        40,
        "the account as typed in other case is the same account"
    );
}

#[tokio::test]
async fn the_right_password_is_refused_while_locked_and_accepted_after_the_wait() {
    let time = TestTime::starting_now();
    let server = throttled_server(&time).await;
    fail(&server, "alice.wang", 5).await;
    let wait = too_many(server.sign_in("alice.wang", DEMO_PASSWORD).await).await;
    time.advance(i64::try_from(wait).unwrap() - 1);
    too_many(server.sign_in("alice.wang", DEMO_PASSWORD).await).await;
    time.advance(1);
    let response = server.sign_in("alice.wang", DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn each_further_lock_lasts_longer() {
    let time = TestTime::starting_now();
    let server = throttled_server(&time).await;
    let mut locks = Vec::new();
    for _ in 0..3 {
        fail(&server, "bob.li", 5).await;
        let wait = too_many(server.sign_in("bob.li", WRONG).await).await;
        locks.push(wait);
        time.advance(i64::try_from(wait).unwrap());
    }
    assert_eq!(locks, [60, 120, 240]);
}

/// SEC-4: a pause is recorded once, when it begins, not for each attempt it refuses (or
/// anyone could fill the audit trail); the agent sees it among their activity, and for an
/// unknown account it is kept with neither agent nor account, like a failed sign-in.
#[tokio::test]
async fn a_pause_is_audited_once_when_it_begins() {
    let time = TestTime::starting_now();
    let server = throttled_server(&time).await;
    for account in ["alice.wang", "nobody"] {
        fail(&server, account, 5).await;
        for _ in 0..3 {
            too_many(server.sign_in(account, WRONG).await).await;
        }
    }
    time.advance(60);
    let alice = server.signed_in("alice.wang").await;
    let page: ActivityPage = json_body(server.get("/api/me/activity", Some(&alice)).await).await;
    let kinds = common::kinds_since_seeding(&page);
    let mut expected = vec![ActivityKind::SignedIn, ActivityKind::SignInPaused];
    expected.extend([ActivityKind::SignInFailed; 5]);
    assert_eq!(kinds, expected);
    let db = Db::open(&server.database).await.unwrap();
    let paused: Vec<(Option<i64>, String)> = sqlx::query_as(
        "SELECT agent_id, business_account FROM audit_events WHERE kind = 'sign_in_paused'
         ORDER BY id",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert_eq!(paused.len(), 2, "{paused:?}");
    assert!(paused[0].0.is_some());
    assert_eq!(paused[0].1, "alice.wang");
    assert_eq!(paused[1], (None, String::new()));
}

#[tokio::test]
async fn an_unknown_account_and_a_wrong_password_are_answered_alike() {
    let time = TestTime::starting_now();
    let server = throttled_server(&time).await;
    let mut answers: Vec<Vec<(StatusCode, Option<String>, Problem)>> = Vec::new();
    for account in ["alice.wang", "nobody"] {
        let mut answer = Vec::new();
        for _ in 0..7 {
            let response = server.sign_in(account, WRONG).await;
            let retry_after = response
                .headers()
                .get(header::RETRY_AFTER)
                .map(|v| v.to_str().unwrap().to_owned());
            answer.push((response.status(), retry_after, problem(response).await));
        }
        answers.push(answer);
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0][4].0, StatusCode::UNAUTHORIZED);
    assert_eq!(answers[0][5].0, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_successful_sign_in_resets_the_account_count() {
    let time = TestTime::starting_now();
    let server = throttled_server(&time).await;
    fail(&server, "carol.chen", 4).await;
    assert_eq!(
        server.sign_in("carol.chen", DEMO_PASSWORD).await.status(),
        StatusCode::OK
    );
    fail(&server, "carol.chen", 5).await;
    too_many(server.sign_in("carol.chen", WRONG).await).await;
}

#[tokio::test]
async fn failures_older_than_the_window_no_longer_count() {
    let time = TestTime::starting_now();
    let server = throttled_server(&time).await;
    fail(&server, "david.zhao", 4).await;
    time.advance(15 * 60);
    fail(&server, "david.zhao", 5).await;
    too_many(server.sign_in("david.zhao", WRONG).await).await;
}

#[tokio::test]
async fn the_address_limit_holds_across_accounts() {
    let time = TestTime::starting_now();
    let server = server_with_clock(
        |config, _| config.sign_in_failures_per_address = 3,
        time.clock(),
    )
    .await;
    let attacker = "203.0.113.7";
    for account in ["alice.wang", "bob.li", "nobody"] {
        let response = sign_in_from(&server, attacker, &[], account, WRONG).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{account}");
    }
    let refused = sign_in_from(&server, attacker, &[], "carol.chen", DEMO_PASSWORD).await;
    assert_eq!(too_many(refused).await, 60);
    let elsewhere = sign_in_from(&server, "198.51.100.1", &[], "carol.chen", DEMO_PASSWORD).await;
    assert_eq!(elsewhere.status(), StatusCode::OK, "other addresses go on");
}

#[tokio::test]
async fn a_forwarded_address_counts_only_from_a_trusted_proxy_header() {
    let time = TestTime::starting_now();
    let proxy = "10.0.0.1";
    // Not configured: the header is the client's word and changes nothing.
    let direct = server_with_clock(
        |config, _| config.sign_in_failures_per_address = 2,
        time.clock(),
    )
    .await;
    for forged in ["198.51.100.1", "198.51.100.2"] {
        let headers = [("x-forwarded-for", forged)];
        let response = sign_in_from(&direct, proxy, &headers, "nobody", WRONG).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let headers = [("x-forwarded-for", "198.51.100.3")];
    too_many(sign_in_from(&direct, proxy, &headers, "alice.wang", DEMO_PASSWORD).await).await;

    // Configured: the last address, the one the proxy added, counts; earlier ones are forged.
    let proxied = server_with_clock(
        |config, _| {
            config.sign_in_failures_per_address = 2;
            config.trusted_proxy_header = Some("x-forwarded-for".parse().unwrap());
        },
        time.clock(),
    )
    .await;
    for forged in ["198.51.100.1", "198.51.100.2"] {
        let list = format!("{forged}, 203.0.113.7");
        let headers = [("x-forwarded-for", list.as_str())];
        let response = sign_in_from(&proxied, proxy, &headers, "nobody", WRONG).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let headers = [("x-forwarded-for", "198.51.100.9, 203.0.113.7")];
    too_many(sign_in_from(&proxied, proxy, &headers, "alice.wang", DEMO_PASSWORD).await).await;
    let headers = [("x-forwarded-for", "203.0.113.8")];
    let other = sign_in_from(&proxied, proxy, &headers, "alice.wang", DEMO_PASSWORD).await;
    assert_eq!(
        other.status(),
        StatusCode::OK,
        "another client behind the proxy"
    );
}

#[tokio::test]
async fn the_count_holds_across_server_instances_on_one_database() {
    let time = TestTime::starting_now();
    let first = throttled_server(&time).await;
    let second = first.another_instance(time.clock()).await;
    fail(&first, "alice.wang", 3).await;
    fail(&second, "alice.wang", 2).await;
    too_many(first.sign_in("alice.wang", DEMO_PASSWORD).await).await;
    too_many(second.sign_in("alice.wang", DEMO_PASSWORD).await).await;
}

#[tokio::test]
async fn the_openapi_document_describes_the_429() {
    let time = TestTime::starting_now();
    let server = throttled_server(&time).await;
    let doc: Value = json_body(server.get("/api/openapi.json", None).await).await;
    let refused = &doc["paths"]["/session"]["post"]["responses"]["429"];
    assert!(refused["headers"]["Retry-After"].is_object(), "{refused}");
    assert!(refused["content"]["application/problem+json"].is_object());
}
