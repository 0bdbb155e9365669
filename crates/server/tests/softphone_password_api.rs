//! AGT-4 through the API: verification codes sent, used, refused when wrong, expired, reused or
//! tried too often; sends limited per agent with a time to retry; the password rule and the
//! confirmation checked by the server; the password kept only as an argon2id hash, and its HA1
//! where the SIP registrar reads it.

mod common;

use axum::http::{header, StatusCode};
use common::{json_body, problem, world, write_request, Agent, World};
use pc_model::{CodeSent, PasswordResetContext, ProblemType, TwoFactorMethod, Violation};
use pc_server::storage::seed::DEMO_SOFTPHONE_PASSWORDS;
use pc_sip::digest::ha1;
use serde_json::json;

impl World {
    async fn reset(
        &self,
        agent: &Agent,
        password: &str,
        confirmation: &str,
        code: &str,
    ) -> axum::response::Response {
        self.server
            .send(write_request(
                "PUT",
                "/api/me/agent/softphone-password",
                agent,
                &json!({"password": password, "confirmation": confirmation, "code": code}),
            ))
            .await
    }

    /// The code in the newest outbox message to the agent, as the agent would read it.
    async fn code_in_outbox(&self, agent_id: i64) -> String {
        let (body,): (String,) =
            sqlx::query_as("SELECT body FROM outbox WHERE agent_id = $1 ORDER BY id DESC LIMIT 1")
                .bind(agent_id)
                .fetch_one(&self.db)
                .await
                .unwrap();
        body.split(|c: char| !c.is_ascii_digit())
            .find(|part| part.len() == 6)
            .unwrap_or_else(|| panic!("no code in {body:?}"))
            .to_owned()
    }

    async fn password_hash(&self, agent_id: i64) -> Option<String> {
        let (hash,): (Option<String>,) =
            sqlx::query_as("SELECT softphone_password_hash FROM agents WHERE id = $1")
                .bind(agent_id)
                .fetch_one(&self.db)
                .await
                .unwrap();
        hash
    }

    /// The HA1 the SIP registrar checks `user@domain`'s password against: Kamailio's auth_db
    /// query on the `subscriber` view.
    async fn registrar_ha1(&self, user: &str, domain: &str) -> Option<String> {
        sqlx::query_scalar("SELECT ha1 FROM subscriber WHERE username = $1 AND domain = $2")
            .bind(user)
            .bind(domain)
            .fetch_optional(&self.db)
            .await
            .unwrap()
    }

    /// Moves the agent's codes `seconds` into the past, as if that time had gone by.
    async fn age_codes(&self, agent_id: i64, seconds: i64) {
        sqlx::query(
            "UPDATE verification_codes SET created_at = created_at - $1,
                    expires_at = expires_at - $1 WHERE agent_id = $2",
        )
        .bind(seconds)
        .bind(agent_id)
        .execute(&self.db)
        .await
        .unwrap();
    }
}

async fn code_violation(response: axum::response::Response) -> Violation {
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = problem(response).await;
    problem
        .field_error("code")
        .expect("a code error")
        .violation
        .clone()
}

const ALICE: i64 = 1001;
const NEW: &str = "Softphone.2026";

#[tokio::test]
async fn each_tenant_says_whether_codes_are_needed() {
    let w = world().await;
    for (account, method) in [
        ("alice.wang", TwoFactorMethod::Sms),
        ("carol.chen", TwoFactorMethod::Email),
        ("david.zhao", TwoFactorMethod::None),
    ] {
        let agent = w.server.signed_in(account).await;
        let context: PasswordResetContext = json_body(
            w.server
                .get("/api/me/agent/softphone-password", Some(&agent))
                .await,
        )
        .await;
        assert_eq!(context.two_factor, method, "{account}");
    }
}

#[tokio::test]
async fn the_right_code_sets_the_password_once_as_an_argon2id_hash() {
    let w = world().await;
    let alice = w.server.signed_in("alice.wang").await;
    let response = w.send_code(&alice).await;
    assert_eq!(response.status(), StatusCode::OK);
    let sent: CodeSent = json_body(response).await;
    assert_eq!(sent.channel, TwoFactorMethod::Sms);
    assert_eq!(sent.destination, "+8613****8011");
    assert_eq!((sent.resend_after_secs, sent.expires_in_secs), (60, 300));
    let code = w.code_in_outbox(ALICE).await;
    // Only a hash of the code is stored.
    let (stored,): (Vec<u8>,) = sqlx::query_as("SELECT code_hash FROM verification_codes")
        .fetch_one(&w.db)
        .await
        .unwrap();
    assert_ne!(stored, code.as_bytes());

    let response = w.reset(&alice, NEW, NEW, &code).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let hash = w.password_hash(ALICE).await.expect("a hash");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(NEW));
    // The password is never returned.
    let info = w.server.get("/api/me/agent", Some(&alice)).await;
    let body = String::from_utf8(
        http_body_util::BodyExt::collect(info.into_body())
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(!body.contains("argon2") && !body.contains("softphone_password"));

    // Used once: the same code again is refused.
    let again = w.reset(&alice, "Another.2026", "Another.2026", &code).await;
    assert_eq!(code_violation(again).await, Violation::CodeExpired);
    assert_eq!(w.password_hash(ALICE).await.as_deref(), Some(hash.as_str()));
}

#[tokio::test]
async fn wrong_codes_count_down_and_the_fifth_voids_the_code() {
    let w = world().await;
    let alice = w.server.signed_in("alice.wang").await;
    let before = w.password_hash(ALICE).await;
    assert_eq!(w.send_code(&alice).await.status(), StatusCode::OK);
    let code = w.code_in_outbox(ALICE).await;
    let wrong = if code == "000000" { "000001" } else { "000000" };
    for tries_left in (1..=4).rev() {
        let response = w.reset(&alice, NEW, NEW, wrong).await;
        assert_eq!(
            code_violation(response).await,
            Violation::WrongCode { tries_left }
        );
    }
    let fifth = w.reset(&alice, NEW, NEW, wrong).await;
    assert_eq!(code_violation(fifth).await, Violation::CodeExpired);
    // Void now, even with the right code.
    let right = w.reset(&alice, NEW, NEW, &code).await;
    assert_eq!(code_violation(right).await, Violation::CodeExpired);
    assert_eq!(w.password_hash(ALICE).await, before);
}

#[tokio::test]
async fn a_code_expires_after_five_minutes_and_a_new_one_voids_the_old() {
    let w = world().await;
    let alice = w.server.signed_in("alice.wang").await;
    assert_eq!(w.send_code(&alice).await.status(), StatusCode::OK);
    let code = w.code_in_outbox(ALICE).await;
    w.age_codes(ALICE, 301).await;
    let late = w.reset(&alice, NEW, NEW, &code).await;
    assert_eq!(code_violation(late).await, Violation::CodeExpired);

    // A new code (the minute is long over) works; the old one never again.
    assert_eq!(w.send_code(&alice).await.status(), StatusCode::OK);
    let fresh = w.code_in_outbox(ALICE).await;
    if fresh != code {
        let old = w.reset(&alice, NEW, NEW, &code).await;
        assert!(matches!(
            code_violation(old).await,
            Violation::WrongCode { .. }
        ));
    }
    let response = w.reset(&alice, NEW, NEW, &fresh).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn sends_are_limited_to_one_a_minute_and_ten_an_hour_and_say_when_to_retry() {
    let w = world().await;
    let alice = w.server.signed_in("alice.wang").await;
    assert_eq!(w.send_code(&alice).await.status(), StatusCode::OK);
    let too_soon = w.send_code(&alice).await;
    assert_eq!(too_soon.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = too_soon.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((55..=60).contains(&retry), "{retry}");
    let refusal = problem(too_soon).await;
    assert_eq!(refusal.problem_type, ProblemType::TooManyRequests);
    assert_eq!(refusal.retry_after_secs, Some(retry));
    assert!(refusal.detail.unwrap().contains("seconds"));

    // Nine more, two minutes apart: ten in the last twenty minutes.
    for _ in 0..9 {
        w.age_codes(ALICE, 120).await;
        assert_eq!(w.send_code(&alice).await.status(), StatusCode::OK);
    }
    w.age_codes(ALICE, 120).await;
    let eleventh = w.send_code(&alice).await;
    assert_eq!(eleventh.status(), StatusCode::TOO_MANY_REQUESTS);
    // The first of the ten was sent 20 minutes ago: it leaves the hour in 40 minutes.
    let wait = problem(eleventh).await.retry_after_secs.unwrap();
    assert!((2390..=2400).contains(&wait), "{wait}");

    // Another agent is not limited by Alice's sends.
    let bob = w.server.signed_in("bob.li").await;
    assert_eq!(w.send_code(&bob).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn sends_at_the_same_time_on_two_instances_get_one_code() {
    let w = world().await;
    let other = w.server.another_instance(pc_server::Clock::system()).await;
    let alice = w.server.signed_in("alice.wang").await;
    let request = || {
        write_request(
            "POST",
            "/api/me/agent/softphone-password/code",
            &alice,
            &json!({}),
        )
    };
    let answers = futures::future::join_all(
        [&w.server, &other, &w.server, &other, &w.server, &other]
            .into_iter()
            .map(|server| server.send(request())),
    )
    .await;
    let sent = answers
        .iter()
        .filter(|answer| answer.status() == StatusCode::OK)
        .count();
    assert_eq!(sent, 1);
    assert!(answers
        .iter()
        .all(|answer| answer.status() == StatusCode::OK
            || answer.status() == StatusCode::TOO_MANY_REQUESTS));
}

#[tokio::test]
async fn email_codes_go_to_the_employee_address_and_no_code_without_two_factor() {
    let w = world().await;
    let carol = w.server.signed_in("carol.chen").await;
    let sent: CodeSent = json_body(w.send_code(&carol).await).await;
    assert_eq!(sent.channel, TwoFactorMethod::Email);
    assert_eq!(sent.destination, "c***@contoso.example");
    let (channel, destination): (String, String) =
        sqlx::query_as("SELECT channel, destination FROM outbox WHERE agent_id = 2001")
            .fetch_one(&w.db)
            .await
            .unwrap();
    assert_eq!(
        (channel.as_str(), destination.as_str()),
        ("email", "carol.chen@contoso.example")
    );

    let david = w.server.signed_in("david.zhao").await;
    assert_eq!(w.send_code(&david).await.status(), StatusCode::NOT_FOUND);
    // David's tenant asks for no code: the password alone is enough.
    let response = w.reset(&david, NEW, NEW, "").await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(w.password_hash(3001).await.is_some());
}

#[tokio::test]
async fn the_registrar_reads_the_seeded_passwords_and_then_the_reset_one() {
    let w = world().await;
    // Kamailio refuses to start unless the table has the version it knows (an INTEGER, as
    // Kamailio's schema has it).
    let (version,): (i64,) = sqlx::query_as(
        "SELECT CAST(table_version AS BIGINT) FROM version WHERE table_name = 'subscriber'",
    )
    .fetch_one(&w.db)
    .await
    .unwrap();
    assert_eq!(version, 7);
    for (_, user, domain, password) in DEMO_SOFTPHONE_PASSWORDS {
        let seeded = ha1(user, domain, password);
        assert_eq!(w.registrar_ha1(user, domain).await, Some(seeded));
    }
    // Only agents with a softphone password, and only in the realm their HA1 was made for.
    assert_eq!(w.registrar_ha1("70001002", "northwind.example").await, None);
    assert_eq!(w.registrar_ha1("90003001", "northwind.example").await, None);

    let david = w.server.signed_in("david.zhao").await;
    let response = w.reset(&david, NEW, NEW, "").await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        w.registrar_ha1("90003001", "fabrikam.example").await,
        Some(ha1("90003001", "fabrikam.example", NEW))
    );
}

#[tokio::test]
async fn the_password_rule_and_the_confirmation_are_checked_by_the_server() {
    let w = world().await;
    let david = w.server.signed_in("david.zhao").await;
    let before = w.password_hash(3001).await;
    for (password, confirmation, expected) in [
        (
            "",
            "",
            vec![
                ("password", Violation::Required),
                ("confirmation", Violation::Required),
            ],
        ),
        (
            "Ab1.xyz",
            "Ab1.xyz",
            vec![("password", Violation::PasswordLength { min: 8, max: 16 })],
        ),
        (
            "Abcdefghijk.12345",
            "Abcdefghijk.12345",
            vec![("password", Violation::PasswordLength { min: 8, max: 16 })],
        ),
        (
            "abcdefgh12",
            "abcdefgh12",
            vec![("password", Violation::PasswordKinds { min: 3 })],
        ),
        (
            "Abcdef12!",
            "Abcdef12!",
            vec![(
                "password",
                Violation::ForbiddenCharacters { chars: vec!['!'] },
            )],
        ),
        (
            "Abcdef12.",
            "Abcdef12?",
            vec![("confirmation", Violation::Mismatch)],
        ),
    ] {
        let response = w.reset(&david, password, confirmation, "").await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{password:?}"
        );
        let problem = problem(response).await;
        let found: Vec<_> = problem
            .errors
            .iter()
            .map(|e| (e.field.as_str(), e.violation.clone()))
            .collect();
        assert_eq!(found, expected, "{password:?}");
    }
    assert_eq!(w.password_hash(3001).await, before);

    // With two-factor, a code that is not six digits is refused at its field before any try.
    let alice = w.server.signed_in("alice.wang").await;
    let response = w.reset(&alice, NEW, NEW, "12ab").await;
    assert_eq!(code_violation(response).await, Violation::InvalidCode);
}

#[tokio::test]
async fn a_code_belongs_to_its_agent_only() {
    let w = world().await;
    let alice = w.server.signed_in("alice.wang").await;
    let bob = w.server.signed_in("bob.li").await;
    assert_eq!(w.send_code(&alice).await.status(), StatusCode::OK);
    let code = w.code_in_outbox(ALICE).await;
    let response = w.reset(&bob, NEW, NEW, &code).await;
    assert_eq!(code_violation(response).await, Violation::CodeExpired);
    // Alice's code still works for Alice.
    assert_eq!(
        w.reset(&alice, NEW, NEW, &code).await.status(),
        StatusCode::NO_CONTENT
    );
}
