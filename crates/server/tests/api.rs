//! The API tested in-process, as the app and an attacker would use it.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{json_body, problem, server, server_with, sign_in_request, Agent};
use http_body_util::BodyExt;
use pc_model::{AgentInfo, Employee, ProblemType, SessionInfo, Violation, CSRF_HEADER};
use pc_server::storage::seed::DEMO_PASSWORD;
use serde_json::{json, Value};

#[tokio::test]
async fn signing_in_sets_a_strict_http_only_session_cookie() {
    let server = server().await;
    let response = server.sign_in("alice.wang", DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("pc_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    let session: SessionInfo = json_body(response).await;
    assert_eq!(session.business_account, "alice.wang");
    assert_eq!(session.csrf_token.len(), 43);
}

#[tokio::test]
async fn a_wrong_password_or_unknown_account_is_refused_alike() {
    let server = server().await;
    // Passwords are case-sensitive: the right one in lower case is wrong.
    let wrong = DEMO_PASSWORD.to_lowercase();
    for (account, password) in [("alice.wang", wrong.as_str()), ("nobody", DEMO_PASSWORD)] {
        let response = server.sign_in(account, password).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.headers().get(header::SET_COOKIE).is_none());
        assert_eq!(
            problem(response).await.problem_type,
            ProblemType::InvalidCredentials
        );
    }
}

#[tokio::test]
async fn an_employee_without_an_agent_identity_cannot_sign_in() {
    // grace.liu is a manager in the demo data with no agent and no password.
    let response = server().await.sign_in("grace.liu", DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn missing_sign_in_fields_are_named() {
    let response = server().await.sign_in("", "").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem = problem(response).await;
    assert_eq!(problem.problem_type, ProblemType::Validation);
    for field in ["business_account", "password"] {
        assert_eq!(
            problem.field_error(field).map(|e| &e.violation),
            Some(&Violation::Required),
            "{field}"
        );
    }
}

#[tokio::test]
async fn nothing_is_served_without_a_session() {
    let server = server().await;
    for uri in ["/api/session", "/api/me/employee", "/api/me/agent"] {
        let response = server.get(uri, None).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(
            problem(response).await.problem_type,
            ProblemType::Unauthenticated
        );
    }
    let forged = Agent {
        cookie: "pc_session=made-up-token".into(),
        csrf: String::new(),
    };
    let response = server.get("/api/me/agent", Some(&forged)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_signed_in_agent_sees_their_own_employee_and_agent_data() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let employee: Employee = json_body(server.get("/api/me/employee", Some(&alice)).await).await;
    assert_eq!(
        employee,
        Employee {
            business_account: "alice.wang".into(),
            username: "Alice Wang".into(),
            phone: "+86 138 0013 8011".into(),
            email: "alice.wang@northwind.example".into(),
            position: "Senior Customer Service Agent".into(),
            manager: Some("Grace Liu".into()),
        }
    );
    let agent: AgentInfo = json_body(server.get("/api/me/agent", Some(&alice)).await).await;
    assert_eq!(agent.agent_id, 1001);
    assert_eq!(agent.softphone_number, "70001001");
    assert_eq!(agent.registration_server, "sip.northwind.example:5060");
    let queues: Vec<_> = agent.skill_queues.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(queues, ["Billing", "Technical Support", "VIP Customers"]);
    assert!(agent.webrtc_enabled);
}

#[tokio::test]
async fn one_agent_can_never_read_another_agents_data() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let bob = server.signed_in("bob.li").await;
    let alices: AgentInfo = json_body(server.get("/api/me/agent", Some(&alice)).await).await;
    let bobs: AgentInfo = json_body(server.get("/api/me/agent", Some(&bob)).await).await;
    assert_eq!((alices.agent_id, bobs.agent_id), (1001, 1002));
    let alices: Employee = json_body(server.get("/api/me/employee", Some(&alice)).await).await;
    let bobs: Employee = json_body(server.get("/api/me/employee", Some(&bob)).await).await;
    assert_eq!(
        (alices.username.as_str(), bobs.username.as_str()),
        ("Alice Wang", "Bob Li")
    );
    // An agent ID smuggled into the request is not read.
    let smuggled: AgentInfo = json_body(
        server
            .get("/api/me/agent?agent_id=1002", Some(&alice))
            .await,
    )
    .await;
    assert_eq!(smuggled.agent_id, 1001);
}

#[tokio::test]
async fn a_csrf_token_works_only_with_its_own_session() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let bob = server.signed_in("bob.li").await;
    let response = server.send(sign_out_request(&alice, Some(&bob.csrf))).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        problem(response).await.problem_type,
        ProblemType::CsrfRejected
    );
}

#[tokio::test]
async fn signing_in_again_ends_the_browsers_older_session() {
    let server = server().await;
    let first = server.signed_in("alice.wang").await;
    let response = server
        .send(
            sign_in_request()
                .header(header::COOKIE, &first.cookie)
                .body(Body::from(
                    json!({"business_account": "bob.li", "password": DEMO_PASSWORD}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let old = server.get("/api/me/agent", Some(&first)).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn malformed_requests_and_wrong_methods_are_problems_too() {
    let server = server().await;
    let response = server
        .send(
            sign_in_request()
                .body(Body::from("{\"business_account\": 1"))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        problem(response).await.problem_type,
        ProblemType::MalformedRequest
    );
    // Well-formed JSON of the wrong shape is malformed too, not a rule break (422).
    let response = server
        .send(
            sign_in_request()
                .body(Body::from("{\"business_account\": 1, \"password\": \"x\"}"))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = server
        .send(
            Request::post("/api/session")
                .body(Body::from("business_account=a"))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        problem(response).await.problem_type,
        ProblemType::MalformedRequest
    );
    let response = server
        .send(Request::patch("/api/me/agent").body(Body::empty()).unwrap())
        .await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        problem(response).await.problem_type,
        ProblemType::MethodNotAllowed
    );
    let response = server.get("/api/agents/1002", None).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(problem(response).await.problem_type, ProblemType::NotFound);
}

#[tokio::test]
async fn api_answers_are_never_cached() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    for uri in ["/api/session", "/api/me/employee", "/api/me/agent"] {
        let response = server.get(uri, Some(&alice)).await;
        assert_eq!(
            response.headers()[header::CACHE_CONTROL],
            "no-store",
            "{uri}"
        );
    }
}

fn sign_out_request(agent: &Agent, csrf: Option<&str>) -> Request<Body> {
    let mut request = Request::delete("/api/session").header(header::COOKIE, &agent.cookie);
    if let Some(csrf) = csrf {
        request = request.header(CSRF_HEADER, csrf);
    }
    request.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn a_forged_request_without_the_csrf_token_is_refused() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    for csrf in [None, Some("wrong-token")] {
        let response = server.send(sign_out_request(&alice, csrf)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            problem(response).await.problem_type,
            ProblemType::CsrfRejected
        );
    }
    // The forged requests did nothing: the session still works.
    let response = server.get("/api/me/employee", Some(&alice)).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let server = server().await;
    let alice = server.signed_in("alice.wang").await;
    let response = server
        .send(sign_out_request(&alice, Some(&alice.csrf)))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cleared = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cleared.starts_with("pc_session=;"), "{cleared}");
    // Even a browser that kept the old cookie is signed out.
    let response = server.get("/api/me/employee", Some(&alice)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_sign_in_posted_from_another_site_is_refused() {
    let server = server().await;
    let response = server
        .send(
            sign_in_request()
                .header(header::HOST, "127.0.0.1:8080")
                .header(header::ORIGIN, "https://evil.example")
                .body(Body::from(
                    json!({"business_account": "alice.wang", "password": DEMO_PASSWORD})
                        .to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get(header::SET_COOKIE).is_none());
}

#[tokio::test]
async fn an_expired_session_is_refused() {
    let server = server_with(|config, _| config.session_ttl_secs = 0).await;
    let alice = server.signed_in("alice.wang").await;
    let response = server.get("/api/me/agent", Some(&alice)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        problem(response).await.problem_type,
        ProblemType::Unauthenticated
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let server = server().await;
    let doc: Value = json_body(server.get("/api/openapi.json", None).await).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/session", "/me/employee", "/me/agent"] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["components"]["schemas"]["AgentInfo"].is_object());
    assert!(doc["components"]["schemas"]["Problem"].is_object());
}

#[tokio::test]
async fn the_app_is_served_with_spa_fallback_caching_and_security_headers() {
    let loader = "import init from '/pc-app-0123456789abcdef.js'; await init();";
    let server = server_with(|config, dir| {
        config.frame_ancestors = vec!["https://workbench.example.com".into()];
        let dist = dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(
            dist.join("index.html"),
            format!("<html><head><script type=\"module\">{loader}</script></head></html>"),
        )
        .unwrap();
        std::fs::write(dist.join("pc-app-0123456789abcdef.js"), "export default 1;").unwrap();
        std::fs::write(
            dist.join("pc-app-0123456789abcdef.js.br"),
            "built-time brotli",
        )
        .unwrap();
    })
    .await;

    let page = server.get("/personalized-settings", None).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()[header::CACHE_CONTROL], "no-cache");
    assert_eq!(page.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(page.headers()[header::REFERRER_POLICY], "no-referrer");
    let csp = page.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("frame-ancestors 'self' https://workbench.example.com"),
        "{csp}"
    );
    let expected_hash = pc_server::web::assets::inline_script_hashes(&format!(
        "<script type=\"module\">{loader}</script>"
    ));
    assert!(csp.contains(&expected_hash[0]), "{csp}");
    let html = page.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&html).contains(loader));

    // An asset of an older build is missing, not the app page: no HTML cached for a year.
    let missing = server.get("/pc-app-fedcba9876543210.js", None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.headers()[header::CACHE_CONTROL], "no-cache");

    let asset = server.get("/pc-app-0123456789abcdef.js", None).await;
    assert_eq!(asset.status(), StatusCode::OK);
    assert!(asset.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(
        asset.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn assets_compressed_at_build_time_are_sent_as_they_are() {
    let server = server_with(|config, dir| {
        let dist = dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(dist.join("index.html"), "<html></html>").unwrap();
        std::fs::write(dist.join("pc-app-0123456789abcdef_bg.wasm"), "raw wasm").unwrap();
        std::fs::write(
            dist.join("pc-app-0123456789abcdef_bg.wasm.br"),
            "brotli 11 wasm",
        )
        .unwrap();
        config.dist = dist;
    })
    .await;
    let response = server
        .send(
            Request::get("/pc-app-0123456789abcdef_bg.wasm")
                .header(header::ACCEPT_ENCODING, "gzip, br")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(
        response.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"brotli 11 wasm");
}

#[tokio::test]
async fn every_page_of_the_app_is_its_index_and_a_missing_file_is_not() {
    let server = server_with(|config, dir| {
        let dist = dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(dist.join("index.html"), "<html>the app</html>").unwrap();
        config.dist = dist;
    })
    .await;
    for page in [
        "/",
        "/agent-info",
        "/personalized-settings?lang=zh-CN",
        "/sign-in",
    ] {
        let response = server.get(page, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{page}");
        assert!(response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(
            response.headers()[header::CACHE_CONTROL],
            "no-cache",
            "{page}"
        );
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&body[..], b"<html>the app</html>", "{page}");
    }
    let missing = server.get("/pc-app-0123456789abcdef.js", None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let posted = server
        .send(Request::post("/agent-info").body(Body::empty()).unwrap())
        .await;
    assert_eq!(posted.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn responses_are_compressed_when_the_browser_accepts_it() {
    let server = server().await;
    let response = server
        .send(
            Request::get("/api/openapi.json")
                .header(header::ACCEPT_ENCODING, "br")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_server_is_reached_over_https() {
    let plain = server().await.get("/api/health", None).await;
    assert!(plain
        .headers()
        .get(header::STRICT_TRANSPORT_SECURITY)
        .is_none());
    let https = server_with(|config, _| config.secure_cookies = true)
        .await
        .get("/api/health", None)
        .await;
    assert_eq!(
        https.headers()[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn pages_and_answers_carry_the_secure_headers() {
    let server = server().await;
    for uri in ["/", "/api/health"] {
        let response = server.get(uri, None).await;
        let headers = response.headers();
        assert_eq!(
            headers["cross-origin-opener-policy"], "same-origin",
            "{uri}"
        );
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer", "{uri}");
        let permissions = headers["permissions-policy"].to_str().unwrap();
        assert!(
            permissions.contains("microphone=(self)"),
            "{uri}: {permissions}"
        );
        assert!(permissions.contains("camera=()"), "{uri}: {permissions}");
    }
    // Only the API's answers, which carry personal data, are kept from other sites' pages.
    let answer = server.get("/api/health", None).await;
    assert_eq!(
        answer.headers()["cross-origin-resource-policy"],
        "same-origin"
    );
    let page = server.get("/", None).await;
    assert!(page.headers().get("cross-origin-resource-policy").is_none());
}

/// RTC-1 and TEN-1: the page's `connect-src` names the tenants' registration servers as they
/// are when the page loads, so a tenant file applied to a running server takes effect at the
/// agents' next page load, without a restart.
#[tokio::test]
async fn a_page_allows_the_registration_servers_the_tenants_have_when_it_loads() {
    let server = server_with(|config, dir| {
        let dist = dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(dist.join("index.html"), "<html>the app</html>").unwrap();
        config.dist = dist;
    })
    .await;
    let policy = |response: axum::response::Response| {
        response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let before = policy(server.get("/agent-info", None).await);
    assert!(
        before.contains("wss://sip.northwind.example:7443"),
        "{before}"
    );
    assert!(!before.contains("wss://sip2.northwind.example"), "{before}");
    let db = pc_server::storage::Db::open(&server.database)
        .await
        .unwrap();
    sqlx::query("UPDATE tenants SET sip_websocket_url = 'wss://sip2.northwind.example:7443' WHERE code = 'northwind'")
        .execute(db.pool())
        .await
        .unwrap();
    let after = policy(server.get("/agent-info", None).await);
    assert!(
        after.contains(
            "connect-src 'self' wss://sip.fabrikam.example:7443 wss://sip2.northwind.example:7443;"
        ),
        "{after}"
    );
    // The API's answers carry the policy the last page was given.
    assert_eq!(policy(server.get("/api/health", None).await), after);
}

/// OPS-6: the island of first-screen answers in a served page, if it has one.
async fn island_of(page: axum::response::Response) -> Option<Value> {
    let html = page.into_body().collect().await.unwrap().to_bytes();
    let html = String::from_utf8(html.to_vec()).unwrap();
    let start = format!(
        r#"<script type="application/json" id="{}">"#,
        pc_model::first_screen::ISLAND_ID
    );
    let (_, rest) = html.split_once(&start)?;
    let (island, _) = rest.split_once("</script>").unwrap();
    Some(serde_json::from_str(island).unwrap())
}

#[tokio::test]
async fn a_signed_in_page_comes_with_its_first_screens_answers_and_is_never_stored() {
    let server = server_with(|config, dir| {
        let dist = dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(dist.join("index.html"), "<html><head></head></html>").unwrap();
        config.dist = dist;
    })
    .await;
    let alice = server.signed_in("alice.wang").await;

    let page = server.get("/agent-info", Some(&alice)).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()[header::CACHE_CONTROL], "private, no-store");
    let island = island_of(page).await.expect("the page has the island");
    let mut expected = vec!["/api/session"];
    expected.extend(pc_model::first_screen::reads_of("/agent-info"));
    let mut paths: Vec<&str> = island
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    paths.sort_unstable();
    expected.sort_unstable();
    assert_eq!(paths, expected, "alice's reads all answer");
    for path in expected {
        let answer: Value = json_body(server.get(path, Some(&alice)).await).await;
        if path == "/api/session" {
            assert_eq!(island[path]["business_account"], "alice.wang");
            assert_eq!(island[path]["csrf_token"], answer["csrf_token"]);
        } else {
            assert_eq!(island[path], answer, "{path}: the API's own answer");
        }
    }

    // Bob has no softphone (WebRTC off): the island leaves out what is refused to him.
    let bob = server.signed_in("bob.li").await;
    let island = island_of(server.get("/agent-parameters", Some(&bob)).await)
        .await
        .unwrap();
    assert!(island.get("/api/me/parameters").is_some());
    assert!(island.get("/api/me/agent/softphone").is_none());
    assert!(island.get("/api/me/agent").is_none(), "not this tab's");

    // Signed out, or with a session that ended: the page as it is, cached as before.
    let page = server.get("/agent-info", None).await;
    assert_eq!(page.headers()[header::CACHE_CONTROL], "no-cache");
    assert_eq!(island_of(page).await, None);
    let signed_out = server
        .send(sign_out_request(&alice, Some(&alice.csrf)))
        .await;
    assert!(signed_out.status().is_success());
    assert_eq!(
        island_of(server.get("/sign-in", Some(&alice)).await).await,
        None
    );
    assert_eq!(
        island_of(server.get("/agent-info", Some(&alice)).await).await,
        None
    );
}
