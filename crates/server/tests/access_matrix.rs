//! SEC-2: the access matrix. Every operation of the OpenAPI document is tried with no session,
//! an expired session, another session's or no CSRF token, from another site and, where it names
//! an object, by an agent the object is not theirs; each refusal must be the one its rule says and
//! one the document lists. An operation without a rule here fails the test, so a new one cannot
//! slip in unguarded.

mod common;

use common::demo::*;
use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{json_body, world_with, write_request, Agent, TestServer};
use http_body_util::BodyExt;
use pc_model::{Problem, ProblemType, CSRF_HEADER};
use pc_server::storage::seed::DEMO_PASSWORD;
use serde_json::{json, Value};

const ROUTING_TOKEN: &str = "routing-service-token-for-the-matrix";
const HOST: &str = "127.0.0.1:8080";
const SAME_ORIGIN: &str = "http://127.0.0.1:8080";

/// Who may call an operation.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Access {
    /// Anyone, without a session.
    Public,
    /// Anyone: a top-level navigation of the browser, answered with a redirect (SSO-1).
    Navigation,
    /// Only the tenant's identity provider, with a logout token it signed (SSO-1): anyone else,
    /// an agent's session included, is refused as a malformed request. The provider's own
    /// calls are tried in `tests/sso_api.rs`, against a provider with keys of its own.
    ProviderSigned,
    /// Signing in: no session yet, but a change, so only from the app's own site.
    SignIn,
    /// Only the routing service with its bearer token; no agent's session will do.
    RoutingToken,
    /// A signed-in agent reading their own data.
    Read,
    /// A signed-in agent changing their own data: with the session's CSRF token, from the app's
    /// own site.
    Write,
}

/// The agents of the demo data the matrix signs in.
#[derive(Clone, Copy, Debug)]
enum Who {
    /// Northwind, e-card permission: the rightful caller, owner of the card on Customer Care's first channel.
    Alice,
    /// Northwind, no e-card permission.
    Bob,
    /// Contoso, another tenant, e-card permission.
    Carol,
}

/// A request naming an object that is not the caller's, and the refusal it gets.
struct Foreign {
    who: Who,
    /// Replaces the rule's body; `None` keeps it.
    body: Option<Value>,
    status: StatusCode,
    problem: ProblemType,
}

struct Rule {
    access: Access,
    /// What the rightful caller sends (valid, so a refusal can only come from the access rules).
    body: Option<Value>,
    foreign: Vec<Foreign>,
}

fn rule(access: Access, body: Option<Value>) -> Rule {
    Rule {
        access,
        body,
        foreign: Vec::new(),
    }
}

/// The expected access rule of every operation, by "METHOD /path" as the document names it.
fn rules() -> BTreeMap<&'static str, Rule> {
    use Access::*;
    let batch = json!({"version": 0, "ids": ["answer_mode"]});
    BTreeMap::from([
        ("GET /workbench", rule(Public, None)),
        ("GET /sso/providers", rule(Public, None)),
        ("GET /sso/{tenant}/start", rule(Navigation, None)),
        ("GET /sso/callback", rule(Navigation, None)),
        ("POST /sso/backchannel-logout", rule(ProviderSigned, None)),
        (
            "POST /sso/redeem",
            rule(
                SignIn,
                Some(json!({"handle": "a-handle-the-framed-app-made-for-its-popup"})),
            ),
        ),
        ("GET /health/ready", rule(Public, None)),
        (
            "POST /session",
            rule(
                SignIn,
                Some(json!({"business_account": "alice.wang", "password": DEMO_PASSWORD})),
            ),
        ),
        ("GET /session", rule(Read, None)),
        ("DELETE /session", rule(Write, None)),
        ("GET /me/employee", rule(Read, None)),
        ("GET /me/agent", rule(Read, None)),
        ("GET /me/activity", rule(Read, None)),
        ("GET /me/customer-view", rule(Read, None)),
        ("GET /me/agent/downloads", rule(Read, None)),
        (
            "PUT /me/agent/phone-numbers",
            rule(
                Write,
                Some(
                    json!({"fixed_line": "+861068001002", "mobile": "+8613800138011",
                    "was_fixed_line": "+861068001001", "was_mobile": "+8613800138011"}),
                ),
            ),
        ),
        ("GET /me/agent/registration", rule(Read, None)),
        ("DELETE /me/agent/registration", rule(Write, None)),
        ("GET /me/agent/softphone", rule(Read, None)),
        ("GET /me/agent/ice-servers", rule(Read, None)),
        ("GET /me/agent/softphone-password", rule(Read, None)),
        (
            "PUT /me/agent/softphone-password",
            rule(
                Write,
                Some(
                    json!({"password": "Softphone@2026", "confirmation": "Softphone@2026",
                    "code": "123456"}),
                ),
            ),
        ),
        ("POST /me/agent/softphone-password/code", rule(Write, None)),
        ("GET /me/agent/softphone-password/code", rule(Read, None)),
        ("GET /me/settings", rule(Read, None)),
        ("GET /me/settings/history", rule(Read, None)),
        (
            "PUT /me/settings",
            rule(
                Write,
                Some(json!({"version": 0, "settings": {
                    "avatar": 2, "nickname": "Alice", "work_email": "", "greetings": [],
                    "signature": "", "follow_ou_concurrency": true,
                    "multimedia_concurrency": null}})),
            ),
        ),
        ("GET /me/parameters", rule(Read, None)),
        ("GET /me/parameters/cache", rule(Read, None)),
        // Like saves, the path names a parameter: each agent only ever sees their own history.
        ("GET /me/parameters/{id}/history", rule(Read, None)),
        // The path names a parameter, not an agent's row: each agent only ever saves their own.
        (
            "PUT /me/parameters/{id}",
            rule(Write, Some(json!({"version": 0, "value": "automatic"}))),
        ),
        (
            "POST /me/parameters/reset",
            rule(Write, Some(batch.clone())),
        ),
        ("POST /me/parameters/sync", rule(Write, Some(batch))),
        ("GET /me/business-cards", rule(Read, None)),
        (
            "POST /me/business-cards",
            Rule {
                foreign: vec![Foreign {
                    // Alice naming Carol's OU and channel, in another tenant.
                    who: Who::Alice,
                    body: Some(
                        json!({"org_unit_id": CONTOSO_SERVICE, "channel_id": CONTOSO_CHANNEL}),
                    ),
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    problem: ProblemType::Validation,
                }],
                ..rule(
                    Write,
                    Some(json!({"org_unit_id": CARE, "channel_id": CARE_CHANNEL})),
                )
            },
        ),
        (
            "DELETE /me/business-cards/{channel_id}",
            Rule {
                foreign: vec![
                    // Another tenant's agent has no card on Alice's channel.
                    Foreign {
                        who: Who::Carol,
                        body: None,
                        status: StatusCode::NOT_FOUND,
                        problem: ProblemType::NotFound,
                    },
                    // Her colleague without the permission is refused before anything is looked up.
                    Foreign {
                        who: Who::Bob,
                        body: None,
                        status: StatusCode::FORBIDDEN,
                        problem: ProblemType::Forbidden,
                    },
                ],
                ..rule(Write, None)
            },
        ),
        ("GET /routing-codes/{code}", rule(RoutingToken, None)),
    ])
}

/// The world the matrix runs in: the app, its signed-in agents and Alice's card.
struct Fixture {
    server: TestServer,
    alice: Agent,
    bob: Agent,
    carol: Agent,
    /// David's session, expired in the database.
    expired: Agent,
    /// The routing code of Alice's card on Customer Care's first channel.
    code: String,
}

impl Fixture {
    fn agent(&self, who: Who) -> &Agent {
        match who {
            Who::Alice => &self.alice,
            Who::Bob => &self.bob,
            Who::Carol => &self.carol,
        }
    }

    /// A real value for each path parameter, or `None` for a parameter the matrix does not know.
    fn fill(&self, path: &str) -> Option<String> {
        let mut filled = String::new();
        let mut rest = path;
        while let Some((before, after)) = rest.split_once('{') {
            let (name, after) = after.split_once('}')?;
            filled.push_str(before);
            filled.push_str(match name {
                "id" => "answer_mode",
                "channel_id" => "1",
                "code" => &self.code,
                "tenant" => "northwind",
                _ => return None,
            });
            rest = after;
        }
        filled.push_str(rest);
        Some(filled)
    }
}

/// A real value for each required query parameter of `operation` (`?hour=9`), or `None` for a
/// parameter the matrix does not know.
fn query_string(operation: &Value) -> Option<String> {
    let mut pairs = Vec::new();
    for parameter in operation["parameters"].as_array().into_iter().flatten() {
        if parameter["in"] != "query" || parameter["required"] != true {
            continue;
        }
        let value = match parameter["name"].as_str()? {
            "hour" => "9",
            _ => return None,
        };
        pairs.push(format!("{}={value}", parameter["name"].as_str()?));
    }
    Some(if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    })
}

async fn fixture() -> Fixture {
    let world = world_with(|config, _| config.routing_token = Some(ROUTING_TOKEN.into())).await;
    let server = world.server;
    // A provider nobody answers at: starting a sign-in still redirects (back, as failed).
    server
        .declare_sso_provider(
            "http://127.0.0.1:9/",
            "personal-center",
            "a-client-secret",
            pc_server::domain::tenant_file::SsoMatch::UserName,
            true,
        )
        .await;
    let alice = server.signed_in("alice.wang").await;
    let bob = server.signed_in("bob.li").await;
    let carol = server.signed_in("carol.chen").await;
    let expired = server.signed_in("david.zhao").await;
    // Expired a second ago, as the clock would have it, without waiting; nothing signs in again
    // before the refusals are tried, so nothing sweeps it away first.
    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE agent_id = 3001")
        .bind(pc_server::domain::session::now() - 1)
        .execute(&world.db)
        .await
        .unwrap();
    let card = server
        .send(write_request(
            "POST",
            "/api/me/business-cards",
            &alice,
            &json!({"org_unit_id": CARE, "channel_id": CARE_CHANNEL}),
        ))
        .await;
    assert_eq!(card.status(), StatusCode::CREATED);
    let card: Value = json_body(card).await;
    Fixture {
        server,
        alice,
        bob,
        carol,
        expired,
        code: card["code"].as_str().unwrap().to_owned(),
    }
}

/// One way of calling an operation: the credentials and headers it carries.
#[derive(Clone, Copy)]
struct Call<'a> {
    what: &'static str,
    cookie: Option<&'a str>,
    csrf: Option<&'a str>,
    bearer: Option<&'a str>,
    /// `Origin` and `Sec-Fetch-Site`, as a browser sends them.
    origin: &'a str,
    fetch_site: Option<&'a str>,
}

impl<'a> Call<'a> {
    fn anonymous(what: &'static str) -> Self {
        Call {
            what,
            cookie: None,
            csrf: None,
            bearer: None,
            origin: SAME_ORIGIN,
            fetch_site: Some("same-origin"),
        }
    }

    fn as_agent(what: &'static str, agent: &'a Agent) -> Self {
        Call {
            cookie: Some(&agent.cookie),
            csrf: Some(&agent.csrf),
            ..Call::anonymous(what)
        }
    }
}

/// What came back: the status and, for a problem, its type.
struct Answer {
    status: StatusCode,
    problem: Option<ProblemType>,
}

async fn send(
    server: &TestServer,
    method: &str,
    uri: &str,
    call: Call<'_>,
    body: Option<&Value>,
) -> Answer {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, call.origin);
    if let Some(site) = call.fetch_site {
        request = request.header("sec-fetch-site", site);
    }
    if let Some(cookie) = call.cookie {
        request = request.header(header::COOKIE, cookie);
    }
    if let Some(csrf) = call.csrf {
        request = request.header(CSRF_HEADER, csrf);
    }
    if let Some(token) = call.bearer {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    };
    let response = server.send(request.unwrap()).await;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v == "application/problem+json");
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let problem = is_problem
        .then(|| serde_json::from_slice::<Problem>(&bytes).ok())
        .flatten()
        .map(|p| p.problem_type);
    Answer { status, problem }
}

/// An operation of the document.
struct Operation<'a> {
    key: String,
    method: String,
    uri: String,
    documented: Vec<&'a str>,
}

impl Operation<'_> {
    fn documents(&self, status: StatusCode) -> bool {
        self.documented.contains(&status.as_str())
    }
}

/// Collects every mismatch, so that one run lists them all.
#[derive(Default)]
struct Mismatches(Vec<String>);

impl Mismatches {
    /// The call must be refused with `status` and `problem`, a refusal the document lists.
    fn refused(
        &mut self,
        op: &Operation,
        call: &str,
        answer: &Answer,
        status: StatusCode,
        problem: ProblemType,
    ) {
        if answer.status != status || answer.problem != Some(problem) {
            self.0.push(format!(
                "{} {call}: expected {status} {problem:?}, got {} {:?}",
                op.key, answer.status, answer.problem
            ));
        } else if !op.documents(status) {
            self.0.push(format!(
                "{} {call}: refused with {status}, which the document does not list",
                op.key
            ));
        }
    }
}

#[tokio::test]
async fn every_operation_refuses_what_its_access_rule_says() {
    let fixture = fixture().await;
    let server = &fixture.server;
    let doc: Value = json_body(server.get("/api/openapi.json", None).await).await;
    let base = doc["servers"][0]["url"].as_str().unwrap();
    let mut rules = rules();
    let mut mismatches = Mismatches::default();

    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if !["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                continue;
            }
            let key = format!("{} {path}", method.to_uppercase());
            let Some(filled) = fixture.fill(path) else {
                mismatches.0.push(format!(
                    "{key}: a path parameter the matrix has no value for"
                ));
                continue;
            };
            let Some(query) = query_string(operation) else {
                mismatches.0.push(format!(
                    "{key}: a query parameter the matrix has no value for"
                ));
                continue;
            };
            let filled = format!("{filled}{query}");
            let documented = operation["responses"]
                .as_object()
                .map(|r| r.keys().map(String::as_str).collect())
                .unwrap_or_default();
            operations.push(Operation {
                key,
                method: method.to_uppercase(),
                uri: format!("{base}{filled}"),
                documented,
            });
        }
    }

    let mut matrix = Vec::new();
    for op in &operations {
        match rules.remove(op.key.as_str()) {
            // A change must not pass for a read and escape the CSRF and cross-site trials.
            Some(rule)
                if matches!(rule.access, Access::Read | Access::Write)
                    && (rule.access == Access::Read) != (op.method == "GET") =>
            {
                mismatches.0.push(format!(
                    "{}: a {:?} rule does not fit the method",
                    op.key, rule.access
                ))
            }
            Some(rule) => matrix.push((op, rule)),
            None => mismatches.0.push(format!(
                "{}: in the document but without an access rule in this test",
                op.key
            )),
        }
    }
    for key in rules.keys() {
        mismatches.0.push(format!(
            "{key}: has an access rule but is not in the document"
        ));
    }

    // The refusals first: none of them changes anything, and none signs in, which would sweep
    // the expired session away.
    let unauthenticated = ProblemType::Unauthenticated;
    let csrf = ProblemType::CsrfRejected;
    for (op, rule) in &matrix {
        let body = rule.body.as_ref();
        let alice = Call::as_agent("with a session", &fixture.alice);
        let cross_origin = Call {
            what: "from another origin",
            origin: "https://evil.example",
            fetch_site: None,
            ..alice
        };
        let cross_site = Call {
            what: "from another site",
            origin: "https://evil.example",
            fetch_site: Some("cross-site"),
            ..alice
        };
        let mut refusals = Vec::new();
        match rule.access {
            Access::Public | Access::Navigation => {}
            Access::ProviderSigned => {
                let malformed = ProblemType::MalformedRequest;
                let status = StatusCode::BAD_REQUEST;
                refusals.push((Call::anonymous("without a logout token"), status, malformed));
                refusals.push((
                    Call::as_agent("with an agent's session", &fixture.alice),
                    status,
                    malformed,
                ));
            }
            Access::SignIn => {
                refusals.push((cross_origin, StatusCode::FORBIDDEN, csrf));
                refusals.push((cross_site, StatusCode::FORBIDDEN, csrf));
            }
            Access::RoutingToken => {
                let status = StatusCode::UNAUTHORIZED;
                refusals.push((Call::anonymous("without a token"), status, unauthenticated));
                let wrong = Call {
                    bearer: Some("not-the-token"),
                    ..Call::anonymous("with a wrong token")
                };
                refusals.push((wrong, status, unauthenticated));
                refusals.push((
                    Call::as_agent("with the code's agent's session", &fixture.alice),
                    status,
                    unauthenticated,
                ));
                refusals.push((
                    Call::as_agent("with another tenant's session", &fixture.carol),
                    status,
                    unauthenticated,
                ));
            }
            Access::Read | Access::Write => {
                let status = StatusCode::UNAUTHORIZED;
                refusals.push((
                    Call::anonymous("without a session"),
                    status,
                    unauthenticated,
                ));
                refusals.push((
                    Call::as_agent("with an expired session", &fixture.expired),
                    status,
                    unauthenticated,
                ));
            }
        }
        if rule.access == Access::Write {
            let status = StatusCode::FORBIDDEN;
            let no_token = Call {
                what: "without the CSRF token",
                csrf: None,
                ..alice
            };
            let other_token = Call {
                what: "with another session's CSRF token",
                csrf: Some(&fixture.carol.csrf),
                ..alice
            };
            refusals.extend([
                (no_token, status, csrf),
                (other_token, status, csrf),
                (cross_origin, status, csrf),
                (cross_site, status, csrf),
            ]);
        }
        for (call, status, problem) in refusals {
            let answer = send(server, &op.method, &op.uri, call, body).await;
            mismatches.refused(op, call.what, &answer, status, problem);
        }
        for foreign in &rule.foreign {
            let call = Call::as_agent("naming an object not theirs", fixture.agent(foreign.who));
            let body = foreign.body.as_ref().or(body);
            let answer = send(server, &op.method, &op.uri, call, body).await;
            let what = format!("as {:?}, naming an object not theirs", foreign.who);
            mismatches.refused(op, &what, &answer, foreign.status, foreign.problem);
        }
    }

    // Then the rightful calls, which must get past the rules: reads before changes, and signing
    // out last of all.
    matrix.sort_by_key(|(op, _)| (op.method != "GET", op.key == "DELETE /session"));
    for (op, rule) in matrix
        .iter()
        .filter(|(_, rule)| rule.access != Access::ProviderSigned)
    {
        let call = match rule.access {
            Access::Public | Access::Navigation | Access::SignIn | Access::ProviderSigned => {
                Call::anonymous("as its rightful caller")
            }
            Access::RoutingToken => Call {
                bearer: Some(ROUTING_TOKEN),
                ..Call::anonymous("as its rightful caller")
            },
            Access::Read | Access::Write => {
                Call::as_agent("as its rightful caller", &fixture.alice)
            }
        };
        let answer = send(server, &op.method, &op.uri, call, rule.body.as_ref()).await;
        // A change may still be refused for what it says (e.g. a wrong verification code), but
        // never by the access rules.
        let passed = match rule.access {
            Access::Write => !matches!(
                answer.status,
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
            ),
            Access::Navigation => answer.status.is_redirection(),
            _ => answer.status.is_success(),
        };
        if !passed || !op.documents(answer.status) {
            mismatches.0.push(format!(
                "{} as its rightful caller: got {} {:?}, which is {}",
                op.key,
                answer.status,
                answer.problem,
                if passed {
                    "not in the document"
                } else {
                    "a refusal"
                }
            ));
        }
    }

    assert!(
        mismatches.0.is_empty(),
        "{} mismatches in the access matrix:\n{}",
        mismatches.0.len(),
        mismatches.0.join("\n")
    );
}

/// PRV-1: every SCIM operation (`/scim/v2`), which no agent's session opens: with no token, a
/// revoked one or a made-up one it is refused with 401; with another tenant's token, a resource
/// of Northwind is not there (404) and a list holds nothing of Northwind's. Each refusal has
/// the SCIM error schema.
#[tokio::test]
async fn every_scim_operation_refuses_what_its_token_may_not_see() {
    let world = world_with(|_, _| {}).await;
    let server = &world.server;
    let northwind = server.scim_token("northwind").await;
    let contoso = server.scim_token("contoso").await;
    let revoked = server.scim_token("northwind").await;
    sqlx::query("UPDATE scim_tokens SET revoked_at = 1 WHERE token_hash = $1")
        .bind(pc_server::domain::session::token_hash(&revoked))
        .execute(&world.db)
        .await
        .unwrap();
    let alice = server.signed_in("alice.wang").await;
    let read = |uri: String| {
        let token = northwind.clone();
        async move {
            let response = server.scim("GET", &uri, Some(&token), None, &[]).await;
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            json_body::<Value>(response).await
        }
    };
    let users = read("/Users".into()).await;
    let user_id = users["Resources"][0]["id"].as_str().unwrap().to_owned();
    let groups = read("/Groups".into()).await;
    let group_id = groups["Resources"][0]["id"].as_str().unwrap().to_owned();
    let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                       "Operations": [{"op": "replace", "path": "title", "value": "x"}]});
    let search = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]});
    // (method, path, body, what another tenant's token gets: 404, or a list without Northwind)
    let operations: Vec<(&str, String, Option<Value>, bool)> = vec![
        ("GET", "/Users".into(), None, false),
        (
            "POST",
            "/Users".into(),
            Some(json!({"userName": "new.agent"})),
            false,
        ),
        ("POST", "/Users/.search".into(), Some(search.clone()), false),
        ("GET", format!("/Users/{user_id}"), None, true),
        (
            "PUT",
            format!("/Users/{user_id}"),
            Some(json!({"userName": "alice.wang"})),
            true,
        ),
        (
            "PATCH",
            format!("/Users/{user_id}"),
            Some(patch.clone()),
            true,
        ),
        ("DELETE", format!("/Users/{user_id}"), None, true),
        ("GET", "/Groups".into(), None, false),
        (
            "POST",
            "/Groups".into(),
            Some(json!({"displayName": "New queue"})),
            false,
        ),
        (
            "POST",
            "/Groups/.search".into(),
            Some(search.clone()),
            false,
        ),
        ("GET", format!("/Groups/{group_id}"), None, true),
        (
            "PUT",
            format!("/Groups/{group_id}"),
            Some(json!({"displayName": "Billing"})),
            true,
        ),
        ("PATCH", format!("/Groups/{group_id}"), Some(patch), true),
        ("DELETE", format!("/Groups/{group_id}"), None, true),
        ("POST", "/.search".into(), Some(search), false),
        ("GET", "/ServiceProviderConfig".into(), None, false),
        ("GET", "/ResourceTypes".into(), None, false),
        ("GET", "/ResourceTypes/User".into(), None, false),
        ("GET", "/Schemas".into(), None, false),
        (
            "GET",
            "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User".into(),
            None,
            false,
        ),
    ];
    for (method, path, body, names_a_resource) in &operations {
        for (what, token, cookie) in [
            ("no token", None, None),
            ("an agent's session", None, Some(alice.cookie.as_str())),
            ("a made-up token", Some("pcscim_made-up"), None),
            ("a revoked token", Some(revoked.as_str()), None),
        ] {
            let headers: Vec<(&str, &str)> = cookie.map(|c| ("cookie", c)).into_iter().collect();
            let response = server
                .scim(method, path, token, body.as_ref(), &headers)
                .await;
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path} with {what}"
            );
            let error: Value = json_body(response).await;
            assert_eq!(
                error["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error",
                "{method} {path} with {what}"
            );
        }
        let response = server
            .scim(method, path, Some(&contoso), body.as_ref(), &[])
            .await;
        let status = response.status();
        let answer: Value = json_body(response).await;
        if *names_a_resource {
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "{method} {path} with Contoso's token"
            );
            assert_eq!(
                answer["schemas"][0],
                "urn:ietf:params:scim:api:messages:2.0:Error"
            );
        } else {
            assert!(
                status.is_success(),
                "{method} {path} with Contoso's token: {answer}"
            );
            let text = answer.to_string();
            assert!(
                !text.contains("alice.wang")
                    && !text.contains("\"Billing\"")
                    && !text.contains("\"care\""),
                "{method} {path} with Contoso's token shows Northwind: {text}"
            );
        }
    }
    // Northwind's own data is as it was: nothing of the refused calls went through.
    assert_eq!(
        read(format!("/Users/{user_id}")).await["userName"],
        "alice.wang"
    );
    assert_eq!(
        read(format!("/Groups/{group_id}")).await["displayName"],
        "Billing"
    );
}
