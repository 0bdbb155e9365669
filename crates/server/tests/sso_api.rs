//! SSO-1 through the API: a sign-in through the tenant's OpenID Provider from its start to the
//! session, against a provider served on a local port by the test, with keys made for the run.
//! The browser's part (following redirects, carrying cookies) is played by the test.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Form, State};
use axum::http::{header, HeaderMap, Request, Response, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use common::{json_body, server, server_with, TestServer};
use openidconnect::core::{CoreJsonWebKeySet, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey};
use openidconnect::{
    Audience, EndUserUsername, IdTokenClaims, IssuerUrl, JsonWebKeyId, Nonce, PrivateSigningKey,
    StandardClaims, SubjectIdentifier,
};
use pc_model::{SessionInfo, SsoOutcome, SsoProvider, SsoRedeemed};
use pc_server::domain::oidc::{LogoutClaims, LogoutToken};
use pc_server::domain::tenant_file::SsoMatch;
use pc_server::storage::seed::DEMO_PASSWORD;
use pc_server::storage::Db;
use rsa::pkcs1::EncodeRsaPrivateKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const CLIENT_ID: &str = "personal-center";
const CLIENT_SECRET: &str = "the-client-secret";

fn new_key(kid: &str) -> CoreRsaPrivateSigningKey {
    let key = rsa::RsaPrivateKey::new(&mut rand_core(), 2048).unwrap();
    let pem = key.to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap();
    CoreRsaPrivateSigningKey::from_pem(&pem, Some(JsonWebKeyId::new(kid.into()))).unwrap()
}

fn rand_core() -> argon2::password_hash::rand_core::OsRng {
    argon2::password_hash::rand_core::OsRng
}

/// What the provider was asked at its authorization endpoint, and who "signed in" there.
struct Authorized {
    nonce: String,
    challenge: String,
    redirect_uri: String,
    username: String,
    /// The provider's session the sign-in happens in (`sid`).
    session_id: String,
}

#[derive(Default)]
struct ProviderState {
    issuer: String,
    /// The keys the key set shows.
    published: Vec<Arc<CoreRsaPrivateSigningKey>>,
    /// The key the next ID tokens are signed with.
    signing: Option<Arc<CoreRsaPrivateSigningKey>>,
    codes: HashMap<String, Authorized>,
    codes_issued: usize,
    key_set_fetches: usize,
}

/// An OpenID Provider on a local port: discovery, keys, and a token endpoint that checks the
/// client's secret, the redirect URI and the PKCE verifier.
#[derive(Clone)]
struct TestProvider {
    state: Arc<Mutex<ProviderState>>,
}

impl TestProvider {
    async fn start() -> TestProvider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let key = Arc::new(new_key("key-1"));
        let provider = TestProvider {
            state: Arc::new(Mutex::new(ProviderState {
                issuer,
                published: vec![key.clone()],
                signing: Some(key),
                ..ProviderState::default()
            })),
        };
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(key_set))
            .route("/token", post(token))
            .with_state(provider.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        provider
    }

    fn issuer(&self) -> String {
        self.state.lock().unwrap().issuer.clone()
    }

    /// The person signs in at the provider as `username`: it answers with a code for the
    /// authorization request at `authorization_url`.
    fn sign_in_as(&self, authorization_url: &str, username: &str) -> String {
        let url = openidconnect::url::Url::parse(authorization_url).unwrap();
        let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
        assert_eq!(query["response_type"], "code");
        assert_eq!(query["client_id"], CLIENT_ID);
        assert_eq!(query["code_challenge_method"], "S256");
        let scopes: Vec<&str> = query["scope"].split(' ').collect();
        assert!(scopes.contains(&"openid"), "{scopes:?}");
        let code = {
            let mut state = self.state.lock().unwrap();
            state.codes_issued += 1;
            format!("code-{}", state.codes_issued)
        };
        self.state.lock().unwrap().codes.insert(
            code.clone(),
            Authorized {
                nonce: query["nonce"].clone(),
                challenge: query["code_challenge"].clone(),
                redirect_uri: query["redirect_uri"].clone(),
                username: username.into(),
                session_id: format!("sid-{code}"),
            },
        );
        code
    }

    fn rotate_to(&self, key: CoreRsaPrivateSigningKey, published: bool) {
        let key = Arc::new(key);
        let mut state = self.state.lock().unwrap();
        if published {
            state.published.push(key.clone());
        }
        state.signing = Some(key);
    }

    fn key_set_fetches(&self) -> usize {
        self.state.lock().unwrap().key_set_fetches
    }

    /// A logout token of `username` (in the session of the sign-in that got `code`, when
    /// given), changed by `change` before it is signed.
    fn logout_token(
        &self,
        username: &str,
        code: Option<&str>,
        change: impl FnOnce(&mut Value),
    ) -> String {
        let state = self.state.lock().unwrap();
        let now = chrono::Utc::now().timestamp();
        let mut claims = json!({
            "iss": state.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 120,
            "jti": format!("jti-{now}"),
            "sub": format!("sub-{username}"),
            "events": {"http://schemas.openid.net/event/backchannel-logout": {}},
        });
        if let Some(code) = code {
            claims["sid"] = format!("sid-{code}").into();
        }
        change(&mut claims);
        sign_jws(
            state.signing.as_deref().unwrap(),
            &json!({"alg": "RS256", "typ": "logout+jwt", "kid": "key-1"}),
            &claims,
        )
    }
}

/// A compact JWS of `claims` with `header`, signed RS256 by `key`.
fn sign_jws(key: &CoreRsaPrivateSigningKey, header: &Value, claims: &Value) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = key
        .sign(
            &CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            input.as_bytes(),
        )
        .unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

async fn discovery(State(provider): State<TestProvider>) -> Json<Value> {
    let issuer = provider.issuer();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "end_session_endpoint": format!("{issuer}/session/end"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
    }))
}

async fn key_set(State(provider): State<TestProvider>) -> Json<CoreJsonWebKeySet> {
    let mut state = provider.state.lock().unwrap();
    state.key_set_fetches += 1;
    Json(CoreJsonWebKeySet::new(
        state
            .published
            .iter()
            .map(|key| key.as_verification_key())
            .collect(),
    ))
}

async fn token(
    State(provider): State<TestProvider>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Json<Value>, (StatusCode, Json<Value>)> {
    let refuse = |error: &str| (StatusCode::BAD_REQUEST, Json(json!({"error": error})));
    let expected = format!(
        "Basic {}",
        STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    if headers.get(header::AUTHORIZATION).map(|v| v.as_bytes()) != Some(expected.as_bytes()) {
        return Err((
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        ));
    }
    let mut state = provider.state.lock().unwrap();
    let authorized = state
        .codes
        .remove(form.get("code").map(String::as_str).unwrap_or_default())
        .ok_or_else(|| refuse("invalid_grant"))?;
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != authorized.challenge
        || form.get("redirect_uri") != Some(&authorized.redirect_uri)
    {
        return Err(refuse("invalid_grant"));
    }
    let now = chrono::Utc::now();
    let claims = IdTokenClaims::new(
        IssuerUrl::new(state.issuer.clone()).unwrap(),
        vec![Audience::new(CLIENT_ID.into())],
        now + chrono::TimeDelta::minutes(5),
        now,
        StandardClaims::new(SubjectIdentifier::new(format!(
            "sub-{}",
            authorized.username
        )))
        .set_preferred_username(Some(EndUserUsername::new(authorized.username))),
        LogoutClaims {
            events: Default::default(),
            sid: Some(authorized.session_id),
        },
    )
    .set_nonce(Some(Nonce::new(authorized.nonce)));
    let id_token = LogoutToken::new(
        claims,
        state.signing.as_deref().unwrap(),
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .unwrap();
    Ok(Json(json!({
        "access_token": "an-access-token",
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token.to_string(),
    })))
}

/// The demo server with the northwind tenant's provider declared in its tenant file.
async fn server_with_provider(provider: &TestProvider, matched_to: SsoMatch) -> TestServer {
    let server = server().await;
    server
        .declare_sso_provider(
            &provider.issuer(),
            CLIENT_ID,
            CLIENT_SECRET,
            matched_to,
            true,
        )
        .await;
    server
}

/// A browser: the cookies it was given, by name.
#[derive(Default)]
struct Browser {
    cookies: HashMap<String, String>,
}

impl Browser {
    async fn get(&mut self, server: &TestServer, uri: &str) -> Response<Body> {
        let cookies: Vec<String> = self
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        let mut request = Request::get(uri).header(header::HOST, "pc.northwind.example");
        if !cookies.is_empty() {
            request = request.header(header::COOKIE, cookies.join("; "));
        }
        let response = server.send(request.body(Body::empty()).unwrap()).await;
        for set in response.headers().get_all(header::SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.into(), value.into());
            }
        }
        response
    }
}

fn location(response: &Response<Body>) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned()
}

/// Starts a sign-in in `browser`: the provider's authorization URL and the state in it.
async fn begin(browser: &mut Browser, server: &TestServer) -> (String, String) {
    let authorization = location(&browser.get(server, "/api/sso/northwind/start").await);
    let state = openidconnect::url::Url::parse(&authorization)
        .unwrap()
        .query_pairs()
        .find(|(name, _)| name == "state")
        .unwrap()
        .1
        .into_owned();
    (authorization, state)
}

async fn callback(browser: &mut Browser, server: &TestServer, code: &str, state: &str) -> String {
    location(
        &browser
            .get(
                server,
                &format!("/api/sso/callback?code={code}&state={state}"),
            )
            .await,
    )
}

#[tokio::test]
async fn the_sign_in_page_lists_the_tenants_with_a_provider() {
    let provider = TestProvider::start().await;
    let server = server_with_provider(&provider, SsoMatch::UserName).await;
    let providers: Vec<SsoProvider> = json_body(server.get("/api/sso/providers", None).await).await;
    assert_eq!(
        providers,
        [SsoProvider {
            tenant: "northwind".into(),
            display_name: "Northwind ID".into()
        }]
    );
    assert_eq!(providers[0].start_path(), "/api/sso/northwind/start");
    let response = server.get("/api/sso/contoso/start", None).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_provisioned_agent_signs_in_through_the_provider_and_the_answer_works_once() {
    let provider = TestProvider::start().await;
    let server = server_with_provider(&provider, SsoMatch::UserName).await;
    let mut browser = Browser::default();
    let (authorization, state) = begin(&mut browser, &server).await;
    assert!(authorization.starts_with(&format!("{}/authorize?", provider.issuer())));
    assert!(authorization
        .contains("redirect_uri=http%3A%2F%2Fpc.northwind.example%2Fapi%2Fsso%2Fcallback"));
    let code = provider.sign_in_as(&authorization, "Alice.Wang");

    assert_eq!(callback(&mut browser, &server, &code, &state).await, "/");
    let session = browser.get(&server, "/api/session").await;
    assert_eq!(session.status(), StatusCode::OK);
    let session: SessionInfo = json_body(session).await;
    assert_eq!(
        session.business_account, "alice.wang",
        "matched without case"
    );

    let mut again = Browser::default();
    assert_eq!(
        callback(&mut again, &server, &code, &state).await,
        "/sign-in?sso=expired",
        "the same answer again finds no sign-in"
    );
    assert!(!again.cookies.contains_key("pc_session"));
}

#[tokio::test]
async fn the_demo_seeded_with_an_identity_provider_signs_northwinds_agents_in_through_it() {
    let provider = TestProvider::start().await;
    let issuer = provider.issuer();
    let server = server_with(|config, _| {
        config.demo_identity_provider = Some(issuer);
        config.demo_identity_provider_secret = Some(CLIENT_SECRET.into());
    })
    .await;
    let providers: Vec<SsoProvider> = json_body(server.get("/api/sso/providers", None).await).await;
    assert_eq!(
        providers,
        [SsoProvider {
            tenant: "northwind".into(),
            display_name: "Northwind ID".into()
        }]
    );
    let mut browser = Browser::default();
    let (authorization, state) = begin(&mut browser, &server).await;
    let code = provider.sign_in_as(&authorization, "bob.li");
    assert_eq!(callback(&mut browser, &server, &code, &state).await, "/");
    let session: SessionInfo = json_body(browser.get(&server, "/api/session").await).await;
    assert_eq!(session.business_account, "bob.li");
    // Password sign-in stays on in the demo.
    let password_sign_in = server.sign_in("alice.wang", DEMO_PASSWORD).await;
    assert_eq!(password_sign_in.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_answer_brought_to_another_browser_signs_no_one_in() {
    let provider = TestProvider::start().await;
    let server = server_with_provider(&provider, SsoMatch::UserName).await;
    let mut victim = Browser::default();
    let mut attacker = Browser::default();
    let (authorization, state) = begin(&mut attacker, &server).await;
    let code = provider.sign_in_as(&authorization, "alice.wang");
    assert_eq!(
        callback(&mut victim, &server, &code, &state).await,
        "/sign-in?sso=expired"
    );
    assert!(!victim.cookies.contains_key("pc_session"));
    assert_eq!(
        callback(&mut attacker, &server, &code, &state).await,
        "/sign-in?sso=expired",
        "nor is it there any longer for the browser that began it"
    );
}

#[tokio::test]
async fn a_provider_user_who_is_not_an_agent_here_is_refused_and_audited() {
    let provider = TestProvider::start().await;
    let server = server_with_provider(&provider, SsoMatch::UserName).await;
    let db = Db::open(&server.database).await.unwrap();
    let failures = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'sign_in_failed' AND agent_id IS NULL",
        )
        .fetch_one(db.pool())
        .await
        .unwrap()
    };
    let before = failures().await;
    let mut browser = Browser::default();
    let (authorization, state) = begin(&mut browser, &server).await;
    let code = provider.sign_in_as(&authorization, "mallory");
    assert_eq!(
        callback(&mut browser, &server, &code, &state).await,
        "/sign-in?sso=not-provisioned"
    );
    assert!(!browser.cookies.contains_key("pc_session"));
    assert_eq!(failures().await, before + 1);
}

#[tokio::test]
async fn matched_to_external_id_does_not_take_the_business_account() {
    let provider = TestProvider::start().await;
    let server = server_with_provider(&provider, SsoMatch::ExternalId).await;
    let db = Db::open(&server.database).await.unwrap();
    sqlx::query(
        "UPDATE employees SET external_id = 'entra-0001' WHERE business_account = 'bob.li'",
    )
    .execute(db.pool())
    .await
    .unwrap();
    for (username, outcome) in [
        ("alice.wang", "/sign-in?sso=not-provisioned"),
        ("entra-0001", "/"),
    ] {
        let mut browser = Browser::default();
        let (authorization, state) = begin(&mut browser, &server).await;
        let code = provider.sign_in_as(&authorization, username);
        assert_eq!(
            callback(&mut browser, &server, &code, &state).await,
            outcome
        );
    }
}

#[tokio::test]
async fn a_cancelled_sign_in_comes_back_as_cancelled() {
    let provider = TestProvider::start().await;
    let server = server_with_provider(&provider, SsoMatch::UserName).await;
    let mut browser = Browser::default();
    let (_, state) = begin(&mut browser, &server).await;
    let answer = browser
        .get(
            &server,
            &format!("/api/sso/callback?error=access_denied&state={state}"),
        )
        .await;
    assert_eq!(location(&answer), "/sign-in?sso=cancelled");
}

#[tokio::test]
async fn a_rotated_key_is_fetched_once_and_an_unknown_one_is_refused() {
    let provider = TestProvider::start().await;
    let server = server_with_provider(&provider, SsoMatch::UserName).await;
    let sign_in = || async {
        let mut browser = Browser::default();
        let (authorization, state) = begin(&mut browser, &server).await;
        let code = provider.sign_in_as(&authorization, "alice.wang");
        callback(&mut browser, &server, &code, &state).await
    };
    assert_eq!(sign_in().await, "/");
    let fetched = provider.key_set_fetches();

    provider.rotate_to(new_key("key-2"), true);
    assert_eq!(sign_in().await, "/", "the new key is fetched, no restart");
    assert_eq!(provider.key_set_fetches(), fetched + 1);
    assert_eq!(sign_in().await, "/");
    assert_eq!(provider.key_set_fetches(), fetched + 1, "and kept");

    provider.rotate_to(new_key("key-3"), false);
    assert_eq!(sign_in().await, "/sign-in?sso=failed");
    assert_eq!(
        provider.key_set_fetches(),
        fetched + 1,
        "keys fetched moments ago are not fetched again"
    );
}

const HANDLE: &str = "the-handle-the-framed-app-made-for-its-popup";

/// Starts a sign-in in a popup opened by the framed app with `HANDLE`.
async fn begin_in_popup(popup: &mut Browser, server: &TestServer) -> (String, String) {
    let authorization = location(
        &popup
            .get(server, &format!("/api/sso/northwind/start?popup={HANDLE}"))
            .await,
    );
    let state = openidconnect::url::Url::parse(&authorization)
        .unwrap()
        .query_pairs()
        .find(|(name, _)| name == "state")
        .unwrap()
        .1
        .into_owned();
    (authorization, state)
}

/// The framed app redeems, as its fetch sends it: from `origin`, with `transport`.
async fn redeem(
    server: &TestServer,
    body: Value,
    origin: &str,
    transport: Option<&str>,
) -> Response<Body> {
    let mut request = Request::post("/api/sso/redeem")
        .header(header::HOST, "pc.northwind.example")
        .header(header::ORIGIN, origin)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(transport) = transport {
        request = request.header(pc_model::SESSION_TRANSPORT_HEADER, transport);
    }
    server
        .send(request.body(Body::from(body.to_string())).unwrap())
        .await
}

const APP_ORIGIN: &str = "http://pc.northwind.example";

/// alice.wang signs in through the provider in a popup; the ticket its last page holds.
async fn alice_ticket_from_popup(
    provider: &TestProvider,
    server: &TestServer,
    popup: &mut Browser,
) -> String {
    let (authorization, state) = begin_in_popup(popup, server).await;
    let code = provider.sign_in_as(&authorization, "alice.wang");
    let done = callback(popup, server, &code, &state).await;
    done.strip_prefix("/sso-complete.html#ticket=")
        .unwrap_or_else(|| panic!("{done}"))
        .to_owned()
}

#[tokio::test]
async fn a_popups_ticket_signs_the_framed_app_in_once() {
    let provider = TestProvider::start().await;
    let server = server_with_provider(&provider, SsoMatch::UserName).await;
    let mut popup = Browser::default();
    let ticket = alice_ticket_from_popup(&provider, &server, &mut popup).await;
    assert!(
        !popup.cookies.contains_key("pc_session"),
        "the popup itself is not signed in"
    );

    let elsewhere = redeem(
        &server,
        json!({"ticket": ticket}),
        "https://evil.example",
        None,
    )
    .await;
    assert_eq!(elsewhere.status(), StatusCode::FORBIDDEN);

    let answer = redeem(&server, json!({"ticket": ticket}), APP_ORIGIN, None).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let cookie = answer.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("pc_session="), "{cookie}");
    let redeemed: SsoRedeemed = json_body(answer).await;
    let SsoRedeemed::SignedIn { session } = redeemed else {
        panic!("{redeemed:?}")
    };
    assert_eq!(session.business_account, "alice.wang");
    assert_eq!(session.bearer_token, None);

    let again = redeem(&server, json!({"ticket": ticket}), APP_ORIGIN, None).await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED, "used once only");
}

#[tokio::test]
async fn a_ticket_refused_from_another_origin_is_still_there_for_the_app() {
    let provider = TestProvider::start().await;
    let server = server_with_provider(&provider, SsoMatch::UserName).await;
    let mut popup = Browser::default();
    let ticket = alice_ticket_from_popup(&provider, &server, &mut popup).await;
    for origin in ["https://evil.example", "http://pc.northwind.example:8443"] {
        let answer = redeem(&server, json!({"ticket": ticket}), origin, None).await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{origin}");
    }
    let answer = redeem(
        &server,
        json!({"ticket": ticket}),
        APP_ORIGIN,
        Some("bearer"),
    )
    .await;
    let redeemed: SsoRedeemed = json_body(answer).await;
    let SsoRedeemed::SignedIn { session } = redeemed else {
        panic!("{redeemed:?}")
    };
    assert_eq!(session.bearer_token.as_ref().map(String::len), Some(43));
}

#[tokio::test]
async fn an_expired_ticket_is_refused() {
    let provider = TestProvider::start().await;
    let server = server_with_provider(&provider, SsoMatch::UserName).await;
    let mut popup = Browser::default();
    let ticket = alice_ticket_from_popup(&provider, &server, &mut popup).await;
    let db = Db::open(&server.database).await.unwrap();
    sqlx::query("UPDATE sso_tickets SET expires_at = $1")
        .bind(pc_server::domain::session::now())
        .execute(db.pool())
        .await
        .unwrap();
    let answer = redeem(&server, json!({"ticket": ticket}), APP_ORIGIN, None).await;
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn cut_from_its_popup_the_app_finds_the_outcome_by_its_handle() {
    let provider = TestProvider::start().await;
    let server = server_with_provider(&provider, SsoMatch::UserName).await;
    let poll = || async {
        let answer = redeem(&server, json!({"handle": HANDLE}), APP_ORIGIN, None).await;
        assert_eq!(answer.status(), StatusCode::OK);
        json_body::<SsoRedeemed>(answer).await
    };
    assert_eq!(poll().await, SsoRedeemed::Pending);

    let mut popup = Browser::default();
    let (authorization, state) = begin_in_popup(&mut popup, &server).await;
    assert_eq!(poll().await, SsoRedeemed::Pending, "not signed in yet");
    let code = provider.sign_in_as(&authorization, "alice.wang");
    callback(&mut popup, &server, &code, &state).await;
    assert!(matches!(poll().await, SsoRedeemed::SignedIn { .. }));
    assert_eq!(poll().await, SsoRedeemed::Pending, "taken once");

    let (authorization, state) = begin_in_popup(&mut popup, &server).await;
    let code = provider.sign_in_as(&authorization, "mallory");
    assert_eq!(
        callback(&mut popup, &server, &code, &state).await,
        "/sso-complete.html#outcome=not-provisioned"
    );
    assert_eq!(
        poll().await,
        SsoRedeemed::Refused {
            outcome: SsoOutcome::NotProvisioned
        }
    );
}

#[tokio::test]
async fn a_popup_needs_a_real_handle_and_redeeming_needs_one_thing_to_redeem() {
    let provider = TestProvider::start().await;
    let server = server_with_provider(&provider, SsoMatch::UserName).await;
    let short = server
        .get("/api/sso/northwind/start?popup=guessable", None)
        .await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for body in [
        json!({}),
        json!({"handle": "guessable"}),
        json!({"ticket": "t", "handle": HANDLE}),
    ] {
        let answer = redeem(&server, body.clone(), APP_ORIGIN, None).await;
        assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
}

#[tokio::test]
async fn a_tenant_that_switches_password_sign_in_off_lets_its_agents_in_only_through_the_provider()
{
    let provider = TestProvider::start().await;
    let server = server().await;
    server
        .declare_sso_provider(
            &provider.issuer(),
            CLIENT_ID,
            CLIENT_SECRET,
            SsoMatch::UserName,
            false,
        )
        .await;
    let refused = server
        .sign_in("alice.wang", pc_server::storage::seed::DEMO_PASSWORD)
        .await;
    assert_eq!(
        refused.status(),
        StatusCode::UNAUTHORIZED,
        "the right password, refused like a wrong one"
    );
    let other_tenant = server
        .sign_in("carol.chen", pc_server::storage::seed::DEMO_PASSWORD)
        .await;
    assert_eq!(
        other_tenant.status(),
        StatusCode::OK,
        "another tenant's agents still can"
    );

    let mut browser = Browser::default();
    let (authorization, state) = begin(&mut browser, &server).await;
    let code = provider.sign_in_as(&authorization, "alice.wang");
    assert_eq!(callback(&mut browser, &server, &code, &state).await, "/");
}

/// What the provider posts to the back-channel logout endpoint.
async fn post_logout_token(server: &TestServer, token: &str) -> StatusCode {
    server
        .send(
            Request::post("/api/sso/backchannel-logout")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("logout_token={token}")))
                .unwrap(),
        )
        .await
        .status()
}

/// Signs alice.wang in through the provider in a new browser: the browser and the code.
async fn alice_signed_in(provider: &TestProvider, server: &TestServer) -> (Browser, String) {
    let mut browser = Browser::default();
    let (authorization, state) = begin(&mut browser, server).await;
    let code = provider.sign_in_as(&authorization, "alice.wang");
    assert_eq!(callback(&mut browser, server, &code, &state).await, "/");
    (browser, code)
}

#[tokio::test]
async fn a_back_channel_logout_ends_the_providers_session_or_all_of_its_users() {
    let provider = TestProvider::start().await;
    let server = server_with_provider(&provider, SsoMatch::UserName).await;
    let (mut first, first_code) = alice_signed_in(&provider, &server).await;
    let (mut second, _) = alice_signed_in(&provider, &server).await;
    let password = server.signed_in("alice.wang").await;
    let server = &server;
    let session_of = |browser: &mut Browser| {
        let cookie = format!("pc_session={}", browser.cookies["pc_session"]);
        async move {
            server
                .get(
                    "/api/session",
                    Some(&common::Agent {
                        cookie,
                        csrf: String::new(),
                    }),
                )
                .await
                .status()
        }
    };

    let token = provider.logout_token("alice.wang", Some(&first_code), |_| {});
    assert_eq!(post_logout_token(server, &token).await, StatusCode::OK);
    assert_eq!(session_of(&mut first).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        session_of(&mut second).await,
        StatusCode::OK,
        "another provider session"
    );

    let token = provider.logout_token("alice.wang", None, |_| {});
    assert_eq!(post_logout_token(server, &token).await, StatusCode::OK);
    assert_eq!(session_of(&mut second).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        server.get("/api/session", Some(&password)).await.status(),
        StatusCode::OK,
        "a password sign-in is not the provider's to end"
    );
}

#[tokio::test]
async fn a_logout_token_that_fails_a_check_ends_nothing() {
    let provider = TestProvider::start().await;
    let server = server_with_provider(&provider, SsoMatch::UserName).await;
    let (mut browser, code) = alice_signed_in(&provider, &server).await;
    type Change = Box<dyn FnOnce(&mut Value)>;
    let changes: [(&str, Change); 5] = [
        ("with a nonce", Box::new(|c| c["nonce"] = "n".into())),
        ("without the event", Box::new(|c| c["events"] = json!({}))),
        (
            "for another client",
            Box::new(|c| c["aud"] = "another-app".into()),
        ),
        (
            "stale",
            Box::new(|c| c["iat"] = (chrono::Utc::now().timestamp() - 3600).into()),
        ),
        (
            "of another issuer",
            Box::new(|c| c["iss"] = "https://evil.example".into()),
        ),
    ];
    for (what, change) in changes {
        let token = provider.logout_token("alice.wang", Some(&code), change);
        assert_eq!(
            post_logout_token(&server, &token).await,
            StatusCode::BAD_REQUEST,
            "{what}"
        );
    }
    let token = provider.logout_token("alice.wang", Some(&code), |_| {});
    let mut parts: Vec<&str> = token.split('.').collect();
    parts[2] = "c2lnbmVkIGJ5IG5vYm9keQ";
    assert_eq!(
        post_logout_token(&server, &parts.join(".")).await,
        StatusCode::BAD_REQUEST,
        "tampered"
    );
    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
        parts[1]
    );
    assert_eq!(
        post_logout_token(&server, &unsigned).await,
        StatusCode::BAD_REQUEST,
        "unsigned"
    );
    assert_eq!(
        post_logout_token(&server, "not-a-token").await,
        StatusCode::BAD_REQUEST
    );

    let cookie = format!(
        "pc_session={}",
        browser.cookies.remove("pc_session").unwrap()
    );
    let still = server
        .get(
            "/api/session",
            Some(&common::Agent {
                cookie,
                csrf: String::new(),
            }),
        )
        .await;
    assert_eq!(still.status(), StatusCode::OK, "nothing ended");
}

#[tokio::test]
async fn signing_out_of_a_session_begun_at_the_provider_goes_on_to_its_sign_out() {
    let provider = TestProvider::start().await;
    let server = server_with_provider(&provider, SsoMatch::UserName).await;
    let sign_out = |cookie: String, path: &'static str| {
        let server = &server;
        async move {
            let mut request = Request::delete(path)
                .header(header::HOST, "pc.northwind.example")
                .header(header::COOKIE, &cookie);
            let session: SessionInfo = json_body(
                server
                    .send(
                        Request::get("/api/session")
                            .header(header::COOKIE, &cookie)
                            .body(Body::empty())
                            .unwrap(),
                    )
                    .await,
            )
            .await;
            request = request.header(pc_model::CSRF_HEADER, session.csrf_token);
            server.send(request.body(Body::empty()).unwrap()).await
        }
    };
    for (path, back_to) in [
        ("/api/session", "/sign-in"),
        ("/api/session?in_popup=true", "/sso-complete.html"),
    ] {
        let (browser, _) = alice_signed_in(&provider, &server).await;
        let answer = sign_out(
            format!("pc_session={}", browser.cookies["pc_session"]),
            path,
        )
        .await;
        assert_eq!(answer.status(), StatusCode::OK);
        let signed_out: pc_model::SignedOut = json_body(answer).await;
        let url = openidconnect::url::Url::parse(&signed_out.end_session_url).unwrap();
        assert!(signed_out
            .end_session_url
            .starts_with(&format!("{}/session/end?", provider.issuer())));
        let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
        assert_eq!(query["client_id"], CLIENT_ID);
        assert_eq!(
            query["post_logout_redirect_uri"],
            format!("http://pc.northwind.example{back_to}")
        );
    }
    let password = server.signed_in("alice.wang").await;
    let answer = sign_out(password.cookie.clone(), "/api/session").await;
    assert_eq!(
        answer.status(),
        StatusCode::NO_CONTENT,
        "a password session ends here only"
    );
}
