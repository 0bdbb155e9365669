//! AGT-4: verification codes reach people. Email goes over SMTP to a real SMTP server
//! (aiosmtpd, started here); SMS goes to an HTTP gateway (a local receiver). A gateway that is
//! down is retried with backoff and every attempt is recorded; when every attempt fails the
//! agent is told and may ask again at once; a message a dead worker held is sent once its lease
//! runs out.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use common::{json_body, new_database, world_with, write_request, Agent, World};
use http_body_util::BodyExt;
use pc_model::{CodeDelivery, CodeDeliveryState, CodeSent, TwoFactorMethod};
use pc_server::config::SmtpTls;
use pc_server::domain::delivery::{RetryPolicy, Worker};
use pc_server::domain::gateways::Gateways;
use pc_server::domain::metrics::Metrics;
use pc_server::domain::notifier::{Channel, Message, Notifier};
use pc_server::domain::session::now;
use pc_server::storage::outbox::{AfterAttempt, ChannelsServed};
use pc_server::storage::verification::NewCode;
use pc_server::storage::{Db, Location};
use serde_json::{json, Value};
use tower::ServiceExt;

const NEW: &str = "Softphone.2026";
const SMS_TOKEN: &str = "sms-gateway-token-of-the-tests";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real SMTP server: aiosmtpd, which prints every message it receives on stdout.
struct SmtpServer {
    child: Child,
    port: u16,
    received: Arc<Mutex<String>>,
}

impl SmtpServer {
    fn start() -> Self {
        // `cargo xtask test` installs aiosmtpd and names its Python here.
        let python = std::env::var("PC_TEST_SMTP_PYTHON").unwrap_or_else(|_| "python3".into());
        let port = free_port();
        let mut child = Command::new(&python)
            .args(["-u", "-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{python}: {e}; run `cargo xtask setup`"));
        let received = Arc::new(Mutex::new(String::new()));
        let lines = BufReader::new(child.stdout.take().unwrap());
        let sink = received.clone();
        std::thread::spawn(move || {
            for line in lines.lines().map_while(Result::ok) {
                let mut text = sink.lock().unwrap();
                text.push_str(&line);
                text.push('\n');
            }
        });
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("aiosmtpd ({python}) ended: {status}; run `cargo xtask setup`");
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpServer {
            child,
            port,
            received,
        }
    }

    /// Everything printed once a whole message is in.
    fn received_message(&self) -> String {
        let started = Instant::now();
        loop {
            let text = self.received.lock().unwrap().clone();
            if text.contains("END MESSAGE") {
                return text;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "no message: {text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the SMS gateway was sent: the `Authorization` header and the JSON body.
type SmsRequest = (Option<String>, Value);

/// An SMS gateway: records each request and answers 503 to the first `failures` of them.
#[derive(Clone, Default)]
struct SmsReceiver {
    requests: Arc<Mutex<Vec<SmsRequest>>>,
    failures_left: Arc<AtomicUsize>,
}

impl SmsReceiver {
    async fn start(failures: usize) -> (Self, String) {
        let receiver = SmsReceiver::default();
        receiver.failures_left.store(failures, Ordering::SeqCst);
        let app = Router::new()
            .route("/sms", post(receive))
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/sms", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (receiver, url)
    }

    fn requests(&self) -> Vec<SmsRequest> {
        self.requests.lock().unwrap().clone()
    }
}

async fn receive(
    State(receiver): State<SmsReceiver>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> StatusCode {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap().to_owned());
    receiver
        .requests
        .lock()
        .unwrap()
        .push((authorization, body));
    let failing = receiver
        .failures_left
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::ACCEPTED
    }
}

async fn world_with_sms_gateway(url: &str, attempts: i64) -> World {
    let url = url.to_owned();
    world_with(move |config, _| {
        config.sms_gateway_url = Some(url);
        config.sms_gateway_token = Some(SMS_TOKEN.into());
        config.delivery_attempts = attempts;
        config.delivery_backoff_secs = 1;
    })
    .await
}

impl World {
    async fn delivery(&self, agent: &Agent) -> Option<CodeDeliveryState> {
        let delivery: CodeDelivery = json_body(
            self.server
                .get("/api/me/agent/softphone-password/code", Some(agent))
                .await,
        )
        .await;
        delivery.state
    }

    /// The delivery state once the worker is done with the newest code.
    async fn delivery_settled(&self, agent: &Agent) -> CodeDeliveryState {
        let started = Instant::now();
        loop {
            match self.delivery(agent).await {
                Some(CodeDeliveryState::Pending) => {
                    assert!(started.elapsed() < Duration::from_secs(30), "still pending");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Some(state) => return state,
                None => panic!("no code was sent"),
            }
        }
    }

    /// Each recorded attempt of the agent's messages: (outbox id, attempt, outcome).
    async fn attempts(&self, agent_id: i64) -> Vec<(i64, i64, String)> {
        sqlx::query_as(
            "SELECT a.outbox_id, a.attempt, a.outcome FROM outbox_attempts a
             JOIN outbox o ON o.id = a.outbox_id WHERE o.agent_id = $1 ORDER BY a.id",
        )
        .bind(agent_id)
        .fetch_all(&self.db)
        .await
        .unwrap()
    }

    async fn reset(&self, agent: &Agent, code: &str) -> StatusCode {
        self.server
            .send(write_request(
                "PUT",
                "/api/me/agent/softphone-password",
                agent,
                &json!({"password": NEW, "confirmation": NEW, "code": code}),
            ))
            .await
            .status()
    }

    async fn metrics(&self) -> String {
        let request = axum::http::Request::get("/metrics")
            .body(axum::body::Body::empty())
            .unwrap();
        let response = self.server.metrics.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    }
}

/// The six-digit code in a message text.
fn code_in(text: &str) -> String {
    let start = text
        .find("verification code is ")
        .unwrap_or_else(|| panic!("no code in {text:?}"))
        + "verification code is ".len();
    text[start..start + 6].to_owned()
}

const ALICE: i64 = 1001;
const CAROL: i64 = 2001;

/// What a worker with only an SMS gateway claims.
const SMS_ONLY: ChannelsServed = ChannelsServed {
    email: false,
    sms: true,
};

/// Alice's text message carrying `code`.
fn sms_to_alice(code: &str) -> Message {
    Message {
        agent_id: ALICE,
        channel: Channel::Sms,
        destination: "+8613800138011".into(),
        body: format!("Your softphone password verification code is {code}."),
    }
}

/// A code made at `created_at`, valid for five minutes.
fn new_code(created_at: i64) -> NewCode<'static> {
    NewCode {
        salt: b"salt",
        code_hash: b"hash",
        created_at,
        expires_at: created_at + 300,
    }
}

/// A new database with the demo data, opened without a server.
async fn seeded(location: &Location) -> Db {
    let db = Db::open(location).await.unwrap();
    db.seed_demo_data_if_empty(Default::default())
        .await
        .unwrap();
    db
}

#[tokio::test]
async fn an_email_code_arrives_over_smtp_and_sets_the_password() {
    let smtp = SmtpServer::start();
    let port = smtp.port;
    let w = world_with(move |config, _| {
        config.smtp_host = Some("127.0.0.1".into());
        config.smtp_port = Some(port);
        config.smtp_tls = SmtpTls::None;
        config.smtp_from = Some("Personal Center <no-reply@pc.example>".into());
    })
    .await;
    let carol = w.server.signed_in("carol.chen").await;
    let sent: CodeSent = json_body(w.send_code(&carol).await).await;
    assert_eq!(sent.channel, TwoFactorMethod::Email);
    assert_eq!(w.delivery_settled(&carol).await, CodeDeliveryState::Sent);

    let mail = smtp.received_message();
    assert!(mail.contains("To: carol.chen@contoso.example"), "{mail}");
    assert!(
        mail.contains(r#"From: "Personal Center" <no-reply@pc.example>"#),
        "{mail}"
    );
    assert!(mail.contains("Subject: Your verification code"), "{mail}");
    assert_eq!(
        w.reset(&carol, &code_in(&mail)).await,
        StatusCode::NO_CONTENT
    );
    let attempts = w.attempts(CAROL).await;
    assert_eq!(attempts.len(), 1);
    assert_eq!((attempts[0].1, attempts[0].2.as_str()), (1, "sent"));
}

#[tokio::test]
async fn an_sms_gateway_that_is_down_is_retried_with_backoff_until_it_takes_the_code() {
    let (gateway, url) = SmsReceiver::start(2).await;
    let w = world_with_sms_gateway(&url, 5).await;
    let alice = w.server.signed_in("alice.wang").await;
    let started = Instant::now();
    assert_eq!(w.send_code(&alice).await.status(), StatusCode::OK);
    assert_eq!(w.delivery_settled(&alice).await, CodeDeliveryState::Sent);
    // Backoff: 1 s after the first failure, 2 s after the second.
    assert!(started.elapsed() >= Duration::from_secs(2));

    let requests = gateway.requests();
    assert_eq!(requests.len(), 3);
    for (authorization, body) in &requests {
        assert_eq!(
            authorization.as_deref(),
            Some("Bearer sms-gateway-token-of-the-tests")
        );
        assert_eq!(body["to"], "+8613800138011");
        // The same id on every attempt, for the gateway to drop a resend.
        assert_eq!(body["id"], requests[0].1["id"]);
    }
    let outcomes: Vec<(i64, String)> = w
        .attempts(ALICE)
        .await
        .into_iter()
        .map(|(_, attempt, outcome)| (attempt, outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            (1, "failed".into()),
            (2, "failed".into()),
            (3, "sent".into())
        ]
    );
    let text = requests[2].1["text"].as_str().unwrap();
    assert_eq!(
        w.reset(&alice, &code_in(text)).await,
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn the_agent_is_told_when_a_code_could_not_be_sent_and_may_ask_again_at_once() {
    let (gateway, url) = SmsReceiver::start(usize::MAX).await;
    let w = world_with_sms_gateway(&url, 2).await;
    let alice = w.server.signed_in("alice.wang").await;
    assert_eq!(w.delivery(&alice).await, None);
    assert_eq!(w.send_code(&alice).await.status(), StatusCode::OK);
    assert_eq!(w.delivery_settled(&alice).await, CodeDeliveryState::Failed);
    assert_eq!(gateway.requests().len(), 2);
    let metrics = w.metrics().await;
    assert!(
        metrics.contains(r#"pc_verification_codes_total{channel="sms",outcome="failed"} 1"#),
        "{metrics}"
    );

    // A code that never arrived does not count toward once a minute.
    assert_eq!(w.send_code(&alice).await.status(), StatusCode::OK);
    assert_eq!(w.delivery(&alice).await, Some(CodeDeliveryState::Pending));
    // But one that is on its way does.
    assert_eq!(
        w.send_code(&alice).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// A gateway that only counts what it is given.
#[derive(Default)]
struct CountingGateway(AtomicUsize);

#[async_trait]
impl Notifier for CountingGateway {
    async fn send(&self, _id: i64, _message: &Message) -> anyhow::Result<()> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[tokio::test]
async fn a_message_held_by_a_stalled_worker_is_sent_once_its_lease_runs_out_and_stays_sent() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(&new_database(dir.path()).await).await;
    let now = now();
    let refused = db
        .store_code_unless_refused(
            new_code(now),
            &sms_to_alice("123456"),
            true,
            now - 3600,
            |_| None,
        )
        .await
        .unwrap();
    assert_eq!(refused, None);
    // A worker claims it for a few seconds (times are whole seconds: the margin keeps a slow
    // machine from seeing the lease end early), then dies without a word.
    const LEASE_SECS: i64 = 3;
    let held = db
        .claim_message(now, LEASE_SECS, 5, SMS_ONLY)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(held.attempts, 1);
    // Nobody else gets it meanwhile.
    assert!(db
        .claim_message(now, LEASE_SECS, 5, SMS_ONLY)
        .await
        .unwrap()
        .is_none());

    let gateway = Arc::new(CountingGateway::default());
    let worker = Worker {
        db: db.clone(),
        gateways: Gateways {
            email: None,
            sms: Some(gateway.clone()),
        },
        policy: RetryPolicy {
            attempts_max: 5,
            backoff_secs: 1,
        },
        metrics: Arc::new(Metrics::new()),
        wakeup: Arc::default(),
    };
    assert!(!worker.deliver_next().await.unwrap());
    while pc_server::domain::session::now() < now + LEASE_SECS {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(worker.deliver_next().await.unwrap());
    assert_eq!(gateway.0.load(Ordering::SeqCst), 1);
    // Sent: never again.
    assert!(!worker.deliver_next().await.unwrap());
    assert_eq!(gateway.0.load(Ordering::SeqCst), 1);
    assert_eq!(db.outbox_backlog().await.unwrap(), 0);

    // The first worker was only slow: its late failure is kept as an attempt, but it does not
    // put the sent message back in line.
    let later = pc_server::domain::session::now();
    db.record_attempt(
        &held,
        later,
        Some("gateway timed out"),
        AfterAttempt::RetryAt(later),
    )
    .await
    .unwrap();
    assert_eq!(db.outbox_backlog().await.unwrap(), 0);
    assert!(!worker.deliver_next().await.unwrap());
    assert_eq!(gateway.0.load(Ordering::SeqCst), 1);
    let (attempts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox_attempts")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(attempts, 2);
}

#[tokio::test]
async fn a_new_code_gives_up_the_message_of_the_old_one_still_waiting_for_a_gateway() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(&new_database(dir.path()).await).await;
    let store = |created_at: i64, code: &'static str| {
        let db = db.clone();
        async move {
            db.store_code_unless_refused(new_code(created_at), &sms_to_alice(code), true, 0, |_| {
                None
            })
            .await
            .unwrap()
        }
    };
    let now = now();
    // The first code's message is with a worker, whose gateway is down.
    assert_eq!(store(now - 120, "111111").await, None);
    let in_flight = db
        .claim_message(now - 120, 60, 5, SMS_ONLY)
        .await
        .unwrap()
        .unwrap();
    // The agent asks for a new code meanwhile.
    assert_eq!(store(now, "222222").await, None);
    // The worker's failure comes in late; it does not put the dead code back in line.
    db.record_attempt(&in_flight, now, Some("503"), AfterAttempt::RetryAt(now))
        .await
        .unwrap();
    let states: Vec<(String, String)> =
        sqlx::query_as("SELECT body, state FROM outbox WHERE agent_id = $1 ORDER BY id")
            .bind(ALICE)
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert_eq!(
        states,
        [
            (sms_to_alice("111111").body, "failed".to_owned()),
            (sms_to_alice("222222").body, "pending".to_owned()),
        ]
    );
    let claimed = db
        .claim_message(now, 60, 5, SMS_ONLY)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.body, sms_to_alice("222222").body);
    assert!(db
        .claim_message(now, 60, 5, SMS_ONLY)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn without_a_gateway_codes_are_recorded_and_count_as_sent() {
    let w = world_with(|_, _| {}).await;
    let alice = w.server.signed_in("alice.wang").await;
    assert_eq!(w.send_code(&alice).await.status(), StatusCode::OK);
    assert_eq!(w.delivery(&alice).await, Some(CodeDeliveryState::Sent));
    let (state,): (String,) = sqlx::query_as("SELECT state FROM outbox WHERE agent_id = $1")
        .bind(ALICE)
        .fetch_one(&w.db)
        .await
        .unwrap();
    assert_eq!(state, "recorded");
    assert!(w.attempts(ALICE).await.is_empty());
}

/// Workers of four instances claim at the same time from one database (PostgreSQL under
/// `PC_TEST_DATABASE=postgres`, where claims really run side by side): each message is claimed
/// exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn workers_of_several_instances_never_claim_the_same_message() {
    const MESSAGES: usize = 24;
    let dir = tempfile::tempdir().unwrap();
    let location = new_database(dir.path()).await;
    let db = seeded(&location).await;
    let now = now();
    // Written straight into the outbox: a new code would give up the message of the one before.
    for n in 0..MESSAGES {
        sqlx::query(
            "INSERT INTO outbox (agent_id, channel, destination, body, created_at, state,
                                 next_attempt_at)
             VALUES ($1, 'sms', '+8613800138011', $2, $3, 'pending', $3)",
        )
        .bind(ALICE)
        .bind(format!("message {n}"))
        .bind(now)
        .execute(db.pool())
        .await
        .unwrap();
    }
    let claimed = Arc::new(Mutex::new(Vec::new()));
    let mut workers = Vec::new();
    for _ in 0..4 {
        let instance = Db::open(&location).await.unwrap();
        let claimed = claimed.clone();
        workers.push(tokio::spawn(async move {
            let started = Instant::now();
            // A claim that lost a race for a row finds nothing that time; try again until
            // every message is taken.
            while claimed.lock().unwrap().len() < MESSAGES {
                assert!(
                    started.elapsed() < Duration::from_secs(30),
                    "claims stalled"
                );
                if let Some(message) = instance.claim_message(now, 60, 5, SMS_ONLY).await.unwrap() {
                    claimed.lock().unwrap().push(message.id);
                }
            }
        }));
    }
    for worker in workers {
        worker.await.unwrap();
    }
    let mut ids = claimed.lock().unwrap().clone();
    ids.sort_unstable();
    let claims = ids.len();
    ids.dedup();
    assert_eq!((claims, ids.len()), (MESSAGES, MESSAGES), "{ids:?}");
}
