//! Test helpers shared by the API test files: the app in-process with a fresh database.
//!
//! The database is a SQLite file per test, or with `PC_TEST_DATABASE=postgres` a new database
//! per test on a throw-away PostgreSQL cluster that this test process starts (and that stops
//! when the process ends). `cargo xtask test` runs the API tests both ways.

#![allow(dead_code)] // Each test file uses its own subset.

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::response::Response;
use axum::Router;
use http_body_util::BodyExt;
use pc_model::{ActivityKind, ActivityPage, Problem, SessionInfo, CSRF_HEADER};
use pc_postgres_cluster::Cluster;
use pc_server::domain::session::now;
use pc_server::storage::seed::DEMO_PASSWORD;
use pc_server::storage::{Db, Location};
use pc_server::{Clock, Config};
use serde_json::json;
use sqlx::{Connection, Executor};
use tempfile::TempDir;
use tower::ServiceExt;

/// The demo's organization units and WhatsApp channels by the IDs a new database gives them:
/// `demo/tenants.toml` is applied in its order.
pub mod demo {
    pub const NORTHWIND: i64 = 1;
    pub const CARE: i64 = 2;
    pub const SALES: i64 = 3;
    pub const CARE_VIP: i64 = 4;
    pub const CONTOSO_SERVICE: i64 = 5;
    pub const CARE_CHANNEL: i64 = 1;
    pub const CARE_ENGLISH_CHANNEL: i64 = 2;
    pub const SALES_CHANNEL: i64 = 3;
    pub const VIP_CHANNEL: i64 = 4;
    pub const CONTOSO_CHANNEL: i64 = 5;
}

/// What an agent did and what was done to them since the demo was seeded: their activity,
/// newest first, without the demo's own provisioning (SCIM-made, from `demo data`).
pub fn kinds_since_seeding(page: &ActivityPage) -> Vec<ActivityKind> {
    page.entries
        .iter()
        .filter(|entry| entry.address != pc_server::storage::seed::DEMO_ADDRESS)
        .map(|entry| entry.kind)
        .collect()
}

pub struct TestServer {
    pub app: Router,
    /// What the `--metrics-listen` address serves.
    pub metrics: Router,
    /// The database, shared with other instances on it.
    pub database: Location,
    /// Holds the SQLite file and the `dist` folder.
    dir: Arc<TempDir>,
}

/// The database kind the tests run on, from `PC_TEST_DATABASE` (`sqlite`, the default, or
/// `postgres`).
pub fn on_postgres() -> bool {
    match std::env::var("PC_TEST_DATABASE").as_deref() {
        Ok("postgres") => true,
        Ok("sqlite") | Err(_) => false,
        Ok(other) => panic!("PC_TEST_DATABASE={other}: use sqlite or postgres"),
    }
}

/// A new, empty database for one test.
pub async fn new_database(dir: &std::path::Path) -> Location {
    if on_postgres() {
        new_postgres_database().await
    } else {
        Location::Sqlite(dir.join("test.db"))
    }
}

/// A new, empty database on this test process's PostgreSQL cluster.
pub async fn new_postgres_database() -> Location {
    let cluster = postgres_cluster();
    static DATABASES: AtomicUsize = AtomicUsize::new(0);
    let name = format!("test_{}", DATABASES.fetch_add(1, Ordering::SeqCst));
    let mut admin = sqlx::PgConnection::connect(&cluster.url("postgres"))
        .await
        .unwrap();
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    Location::Postgres(cluster.url(&name))
}

/// This test process's PostgreSQL cluster, started on first use.
pub fn postgres_cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| Cluster::start().unwrap())
}

/// A signed-in agent: the cookie the browser would hold and the CSRF token the app would keep.
pub struct Agent {
    pub cookie: String,
    pub csrf: String,
}

pub async fn server_with(configure: impl FnOnce(&mut Config, &std::path::Path)) -> TestServer {
    server_with_clock(configure, Clock::system()).await
}

/// A server whose sign-in throttle goes by `clock`.
pub async fn server_with_clock(
    configure: impl FnOnce(&mut Config, &std::path::Path),
    clock: Clock,
) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let database = new_database(dir.path()).await;
    server_in(dir, database, configure, clock).await
}

/// A server on `database`, with `dir` for its `dist` folder (and any files of the test).
pub async fn server_in(
    dir: TempDir,
    database: Location,
    configure: impl FnOnce(&mut Config, &std::path::Path),
    clock: Clock,
) -> TestServer {
    let mut config = Config::for_database(database);
    config.dist = dir.path().join("dist");
    configure(&mut config, dir.path());
    let database = config.database.clone();
    let built = pc_server::build_with_clock(config, clock).await.unwrap();
    assert!(built.seeded);
    TestServer {
        app: built.app,
        metrics: built.metrics,
        database,
        dir: Arc::new(dir),
    }
}

/// Time that a test moves forward instead of sleeping; it starts at the system's.
#[derive(Clone)]
pub struct TestTime(Arc<AtomicI64>);

impl TestTime {
    pub fn starting_now() -> Self {
        TestTime(Arc::new(AtomicI64::new(now())))
    }

    pub fn clock(&self) -> Clock {
        let time = self.0.clone();
        Clock::from_fn(move || time.load(Ordering::SeqCst))
    }

    pub fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

/// A server and its database, for tests that look at what the server keeps but never shows.
pub struct World {
    pub server: TestServer,
    pub db: sqlx::AnyPool,
}

pub async fn world() -> World {
    world_with(|_, _| {}).await
}

pub async fn world_with(configure: impl FnOnce(&mut Config, &std::path::Path)) -> World {
    let server = server_with(configure).await;
    let db = Db::open(&server.database).await.unwrap().pool().clone();
    World { server, db }
}

pub async fn server() -> TestServer {
    server_with(|_, _| {}).await
}

/// A server whose parameter cache is `redis`.
pub async fn server_with_redis(redis: &Redis) -> TestServer {
    server_with(|config, _| config.parameter_cache = Some(redis.url())).await
}

/// A throw-away Redis on a free port, without persistence (Debian's `redis-server`, which
/// `cargo xtask setup` installs); stopped when dropped.
pub struct Redis {
    child: std::process::Child,
    port: u16,
}

impl Redis {
    pub fn start() -> Redis {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let mut child = std::process::Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server (`cargo xtask setup` installs it)");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(child.try_wait().unwrap().is_none(), "redis-server ended");
            assert!(
                std::time::Instant::now() < deadline,
                "redis-server not listening"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Redis { child, port }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// A connection of another reader or writer, e.g. the telephony side.
    pub fn connection(&self) -> redis::Connection {
        redis::Client::open(self.url())
            .and_then(|client| client.get_connection())
            .expect("a connection to redis")
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl TestServer {
    /// Another server instance on this one's database, as a second process would be.
    pub async fn another_instance(&self, clock: Clock) -> TestServer {
        let mut config = Config::for_database(self.database.clone());
        config.dist = self.dir.path().join("dist");
        let built = pc_server::build_with_clock(config, clock).await.unwrap();
        assert!(!built.seeded);
        TestServer {
            app: built.app,
            metrics: built.metrics,
            database: self.database.clone(),
            dir: self.dir.clone(),
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Response {
        self.app.clone().oneshot(request).await.unwrap()
    }

    pub async fn sign_in(&self, account: &str, password: &str) -> Response {
        self.send(
            sign_in_request()
                .body(Body::from(
                    json!({"business_account": account, "password": password}).to_string(),
                ))
                .unwrap(),
        )
        .await
    }

    pub async fn signed_in(&self, account: &str) -> Agent {
        self.signed_in_with(account, DEMO_PASSWORD).await
    }

    pub async fn signed_in_with(&self, account: &str, password: &str) -> Agent {
        let response = self.sign_in(account, password).await;
        assert_eq!(response.status(), StatusCode::OK);
        let cookie = response.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let session: SessionInfo = json_body(response).await;
        Agent {
            cookie,
            csrf: session.csrf_token,
        }
    }

    /// The OpenAPI document the server serves.
    pub async fn openapi_document(&self) -> serde_json::Value {
        json_body(self.get("/api/openapi.json", None).await).await
    }

    /// Saves `settings` on top of `version`, as the app does.
    pub async fn save_settings(
        &self,
        agent: &Agent,
        version: i64,
        settings: serde_json::Value,
    ) -> Response {
        self.send(write_request(
            "PUT",
            "/api/me/settings",
            agent,
            &json!({"version": version, "settings": settings}),
        ))
        .await
    }

    pub async fn get(&self, uri: &str, agent: Option<&Agent>) -> Response {
        let mut request = Request::get(uri);
        if let Some(agent) = agent {
            request = request.header(header::COOKIE, &agent.cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }
}

impl TestServer {
    /// SSO-1: the northwind tenant's OpenID Provider declared at `issuer` in its tenant file,
    /// with `client_secret`, its agents matched by `matched_to`.
    pub async fn declare_sso_provider(
        &self,
        issuer: &str,
        client_id: &str,
        client_secret: &str,
        matched_to: pc_server::domain::tenant_file::SsoMatch,
        password_sign_in: bool,
    ) {
        use pc_server::domain::tenant_file;
        let db = Db::open(&self.database).await.unwrap();
        let mut file = db.export_tenants().await.unwrap();
        let northwind = file
            .tenants
            .iter_mut()
            .find(|tenant| tenant.code == "northwind")
            .unwrap();
        northwind.sso = Some(tenant_file::SsoDeclaration {
            issuer: issuer.into(),
            display_name: "Northwind ID".into(),
            client_id: client_id.into(),
            client_secret_env: Some("NORTHWIND_OIDC_SECRET".into()),
            client_secret_file: None,
            scopes: vec!["profile".into()],
            agent_claim: "preferred_username".into(),
            matched_to,
            password_sign_in,
        });
        let checked = tenant_file::check(file, |_| Ok(client_secret.into())).unwrap();
        db.apply_tenants(&checked, false).await.unwrap();
    }

    /// PRV-1: a new SCIM bearer token of the tenant with this code, as `pc-server scim-token
    /// create` makes one.
    pub async fn scim_token(&self, tenant: &str) -> String {
        let db = Db::open(&self.database).await.unwrap();
        let tenant_id = db.tenant_id(tenant).await.unwrap().expect("a demo tenant");
        let token = pc_server::domain::provisioning::new_token();
        db.insert_scim_token(
            tenant_id,
            &pc_server::domain::session::token_hash(&token),
            now(),
        )
        .await
        .unwrap();
        token
    }

    /// A SCIM request with `token` as its bearer (none: without), a JSON body and headers.
    pub async fn scim(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<&serde_json::Value>,
        headers: &[(&str, &str)],
    ) -> Response {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("/scim/v2{uri}"));
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let body = match body {
            Some(body) => {
                request = request.header(header::CONTENT_TYPE, "application/scim+json");
                Body::from(body.to_string())
            }
            None => Body::empty(),
        };
        self.send(request.body(body).unwrap()).await
    }
}

impl World {
    /// AGT-4: asks for a verification code, as Send Code in the app does.
    pub async fn send_code(&self, agent: &Agent) -> Response {
        self.server
            .send(write_request(
                "POST",
                "/api/me/agent/softphone-password/code",
                agent,
                &json!({}),
            ))
            .await
    }
}

pub async fn json_body<T: serde::de::DeserializeOwned>(response: Response) -> T {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&bytes)))
}

pub async fn problem(response: Response) -> Problem {
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/problem+json"
    );
    json_body(response).await
}

/// A JSON POST to the sign-in endpoint, for a test to add headers and a body to.
pub fn sign_in_request() -> axum::http::request::Builder {
    Request::post("/api/session").header(header::CONTENT_TYPE, "application/json")
}

/// A state-changing request as the app sends it: cookie, CSRF token and a JSON body.
pub fn write_request(
    method: &str,
    uri: &str,
    agent: &Agent,
    body: &serde_json::Value,
) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, &agent.cookie)
        .header(CSRF_HEADER, &agent.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}
