//! Several server instances on one PostgreSQL database, as behind a load balancer: two real
//! `pc-server` processes, and each rule that must hold across them tried through both.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pc_model::CSRF_HEADER;
use pc_postgres_cluster::Cluster;
use pc_server::storage::seed::DEMO_PASSWORD;
use serde_json::{json, Value};

const ROUTING_TOKEN: &str = "routing-service-token-of-the-instances-test";

/// A `pc-server` process, stopped when dropped.
struct Instance {
    child: Child,
    port: u16,
}

impl Instance {
    fn start(database: &str, dist: &std::path::Path) -> Instance {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .unwrap()
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_pc-server"))
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--database", database])
            .arg("--dist")
            .arg(dist)
            .args(["--routing-token", ROUTING_TOKEN])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(child.try_wait().unwrap().is_none(), "pc-server exited");
            assert!(Instant::now() < deadline, "pc-server did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        Instance { child, port }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/api{path}", self.port)
    }

    fn sign_in(&self, account: &str) -> Session {
        let answer = ureq::post(&self.url("/session"))
            .set("Content-Type", "application/json")
            .send_string(
                &json!({"business_account": account, "password": DEMO_PASSWORD}).to_string(),
            )
            .unwrap();
        let cookie = answer.header("set-cookie").unwrap();
        let cookie = cookie.split(';').next().unwrap().to_owned();
        let session: Value = serde_json::from_str(&answer.into_string().unwrap()).unwrap();
        Session {
            cookie,
            csrf: session["csrf_token"].as_str().unwrap().to_owned(),
        }
    }

    fn get(&self, path: &str, session: &Session) -> (u16, Value) {
        answer(
            ureq::get(&self.url(path))
                .set("Cookie", &session.cookie)
                .call(),
        )
    }

    fn write(&self, method: &str, path: &str, session: &Session, body: &Value) -> (u16, Value) {
        answer(
            ureq::request(method, &self.url(path))
                .set("Cookie", &session.cookie)
                .set(CSRF_HEADER, &session.csrf)
                .set("Content-Type", "application/json")
                .send_string(&body.to_string()),
        )
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Session {
    cookie: String,
    csrf: String,
}

/// The status and JSON body (`null` when empty) of an answer, whatever its status.
fn answer(result: Result<ureq::Response, ureq::Error>) -> (u16, Value) {
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("{error}"),
    };
    let status = response.status();
    let text = response.into_string().unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[test]
fn two_instances_on_one_postgresql_database_act_as_one_server() {
    let cluster = Cluster::start().unwrap();
    let dist = tempfile::tempdir().unwrap();
    let database = cluster.url("postgres");
    // Both start at once on the new database, as replicas rolled out together: one seeds the
    // demo data, the other finds it there instead of failing to start.
    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(|| Instance::start(&database, dist.path()));
        let b = scope.spawn(|| Instance::start(&database, dist.path()));
        (a.join().unwrap(), b.join().unwrap())
    });

    // A session made on one works on the other.
    let alice = a.sign_in("alice.wang");
    let (status, employee) = b.get("/me/employee", &alice);
    assert_eq!(status, 200);
    assert_eq!(employee["business_account"], "alice.wang");

    // A stale save through one is refused through the other.
    let (_, page) = a.get("/me/settings", &alice);
    let version = page["version"].as_i64().unwrap();
    let mut settings = page["settings"].clone();
    settings["nickname"] = json!("Alice on A");
    settings["work_email"] = json!("alice.care@northwind.example");
    let body = json!({"version": version, "settings": settings});
    assert_eq!(a.write("PUT", "/me/settings", &alice, &body).0, 200);
    let (status, problem) = b.write("PUT", "/me/settings", &alice, &body);
    assert_eq!(status, 409, "{problem}");

    // The unique work email holds across them, whatever its case.
    let bob = b.sign_in("bob.li");
    let (_, page) = b.get("/me/settings", &bob);
    let mut settings = page["settings"].clone();
    settings["work_email"] = json!("Alice.Care@Northwind.Example");
    let body = json!({"version": page["version"], "settings": settings});
    let (status, problem) = b.write("PUT", "/me/settings", &bob, &body);
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "work_email", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "email_taken", "{problem}");

    // Verification-code limits hold across them: one code a minute, wherever it is asked for.
    let code = "/me/agent/softphone-password/code";
    assert_eq!(a.write("POST", code, &alice, &json!({})).0, 200);
    assert_eq!(b.write("POST", code, &alice, &json!({})).0, 429);

    // A routing code issued by one resolves on the other.
    // Customer Care and its first channel, as a new database numbers the demo (demo/tenants.toml).
    let card = json!({"org_unit_id": 2, "channel_id": 1});
    let (status, card) = a.write("POST", "/me/business-cards", &alice, &card);
    assert_eq!(status, 201, "{card}");
    let code = card["code"].as_str().unwrap();
    let (status, target) = answer(
        ureq::get(&b.url(&format!("/routing-codes/{code}")))
            .set("Authorization", &format!("Bearer {ROUTING_TOKEN}"))
            .call(),
    );
    assert_eq!(status, 200, "{target}");
    assert_eq!(target["agent_id"], 1001);

    // Both are ready while the database answers; without it, neither is.
    assert_eq!(answer(ureq::get(&a.url("/health/ready")).call()).0, 200);
    assert_eq!(answer(ureq::get(&b.url("/health/ready")).call()).0, 200);
    drop(cluster);
    assert_eq!(answer(ureq::get(&a.url("/health/ready")).call()).0, 503);
    assert_eq!(answer(ureq::get(&b.url("/health/ready")).call()).0, 503);
}
