//! Operators' signals: Prometheus metrics on their own address (requests by route and status
//! with latency, readiness checks among them, sign-in failures, codes, the outbox backlog,
//! registrations), JSON logs on request, and a graceful shutdown on SIGTERM that lets the
//! request in flight finish.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{new_database, world, write_request};
use http_body_util::BodyExt;
use pc_server::storage::Location;
use serde_json::{json, Value};
use tower::ServiceExt;

async fn text(app: &axum::Router, uri: &str) -> (StatusCode, String) {
    let response = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn metrics_count_requests_sign_in_failures_codes_and_state() {
    let w = world().await;
    assert_eq!(
        w.server
            .sign_in("alice.wang", "wrong-password")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let alice = w.server.signed_in("alice.wang").await;
    for _ in 0..2 {
        assert_eq!(
            w.server.get("/api/me/agent", Some(&alice)).await.status(),
            StatusCode::OK
        );
    }
    let sent = w
        .server
        .send(write_request(
            "POST",
            "/api/me/agent/softphone-password/code",
            &alice,
            &json!({}),
        ))
        .await;
    assert_eq!(sent.status(), StatusCode::OK);

    assert_eq!(
        w.server.get("/api/health/ready", None).await.status(),
        StatusCode::OK
    );

    let (status, metrics) = text(&w.server.metrics, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    for line in [
        r#"pc_http_requests_total{method="GET",route="/api/health/ready",status="200"} 1"#,
        r#"pc_http_requests_total{method="GET",route="/api/me/agent",status="200"} 2"#,
        r#"pc_http_requests_total{method="POST",route="/api/session",status="401"} 1"#,
        r#"pc_http_request_duration_seconds_count{method="GET",route="/api/me/agent"} 2"#,
        r#"pc_sign_in_failures_total{reason="credentials"} 1"#,
        r#"pc_verification_codes_total{channel="sms",outcome="recorded"} 1"#,
        "pc_outbox_backlog 0",
        // Alice, Bob and David in the demo data.
        "pc_softphone_registrations 3",
    ] {
        assert!(metrics.contains(line), "no {line:?} in\n{metrics}");
    }
    // A route's pattern, never a path with an id in it: the series stay few.
    let card = w
        .server
        .get("/api/me/business-cards/12345", Some(&alice))
        .await;
    let (_, metrics) = text(&w.server.metrics, "/metrics").await;
    assert!(!metrics.contains("12345"), "{card:?}\n{metrics}");
}

#[tokio::test]
async fn metrics_are_not_served_on_the_app_address() {
    let w = world().await;
    let (_, answer) = text(&w.server.app, "/metrics").await;
    assert!(!answer.contains("pc_http_requests_total"), "{answer}");
}

/// The server binary, started on free ports with JSON logs, on a new database of the kind the
/// API tests run on (`PC_TEST_DATABASE`).
struct Process {
    child: std::process::Child,
    lines: mpsc::Receiver<String>,
    _dir: tempfile::TempDir,
}

impl Process {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database = tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(new_database(dir.path()));
        let mut child = Command::new(env!("CARGO_BIN_EXE_pc-server"))
            .args(["--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0"])
            .args(["--log-format", "json"])
            .arg("--database")
            .arg(match database {
                Location::Sqlite(path) => path.into_os_string(),
                Location::Postgres(url) => url.into(),
            })
            .arg("--dist")
            .arg(dir.path().join("dist"))
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (send, lines) = mpsc::channel();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        Process {
            child,
            lines,
            _dir: dir,
        }
    }

    /// The next line of output that contains `text`, and the lines before it.
    fn line_with(&self, text: &str) -> (String, Vec<String>) {
        let mut before = Vec::new();
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("no line with {text:?} after {before:#?}"));
            if line.contains(text) {
                return (line, before);
            }
            before.push(line);
        }
    }

    fn address_after(&self, text: &str) -> String {
        let (line, _) = self.line_with(text);
        let url = line.split(text).nth(1).unwrap().trim();
        url.trim_start_matches("http://")
            .trim_end_matches("/metrics")
            .to_owned()
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_then_the_server_exits_cleanly() {
    let mut server = Process::start();
    let (notice, _) = server.line_with("verification codes are only recorded");
    assert!(
        notice.contains("No gateway for SMS (--sms-gateway-url) or email (--smtp-host)"),
        "{notice}"
    );
    let app = server.address_after("listening on");
    let metrics = server.address_after("Metrics:");
    let mut scrape = TcpStream::connect(&metrics).unwrap();
    write!(
        scrape,
        "GET /metrics HTTP/1.1\r\nHost: {metrics}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut scraped = String::new();
    scrape.read_to_string(&mut scraped).unwrap();
    assert!(scraped.contains("pc_outbox_backlog 0"), "{scraped}");

    // A sign-in whose body is only half there when the signal comes.
    let body = json!({"business_account": "alice.wang", "password": "wrong-password"}).to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut request = TcpStream::connect(&app).unwrap();
    write!(
        request,
        "POST /api/session HTTP/1.1\r\nHost: {app}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    server.terminate();
    std::thread::sleep(Duration::from_millis(500));
    assert!(server.child.try_wait().unwrap().is_none(), "ended too soon");
    request.write_all(rest.as_bytes()).unwrap();
    let mut answer = String::new();
    request.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");

    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
    // Each request was logged as one JSON object.
    let logged: Vec<Value> = server
        .lines
        .try_iter()
        .filter_map(|line| serde_json::from_str(&line).ok())
        .collect();
    assert!(
        logged.iter().any(|entry| entry["status"] == 401
            && entry["span"]["uri"] == "/api/session"
            && entry["level"] == "INFO"),
        "{logged:#?}"
    );
}
