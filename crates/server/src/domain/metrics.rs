//! Operators' signals: the counters the server keeps, read as Prometheus text at `/metrics`
//! (`web::metrics`). Requests are counted by a middleware; the domain counts the rest where it
//! happens.

use prometheus::{
    HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

use crate::domain::notifier::Channel;
use crate::storage::Db;

/// What became of a verification code's message.
#[derive(Clone, Copy, Debug)]
pub enum CodeOutcome {
    Sent,
    /// Every attempt failed, or the code expired first.
    Failed,
    /// No gateway for its channel: kept in the outbox and the log only.
    Recorded,
}

impl CodeOutcome {
    fn label(self) -> &'static str {
        match self {
            CodeOutcome::Sent => "sent",
            CodeOutcome::Failed => "failed",
            CodeOutcome::Recorded => "recorded",
        }
    }
}

/// Why a sign-in failed.
#[derive(Clone, Copy, Debug)]
pub enum SignInFailure {
    /// Unknown account or wrong password.
    Credentials,
    /// Refused by the throttle (SEC-1) before the password was checked.
    Throttled,
}

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    request_seconds: HistogramVec,
    sign_in_failures: IntCounterVec,
    codes: IntCounterVec,
    outbox_backlog: IntGauge,
    registrations: IntGauge,
}

impl Metrics {
    pub fn new() -> Self {
        let requests = IntCounterVec::new(
            Opts::new("pc_http_requests_total", "HTTP requests answered"),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let request_seconds = HistogramVec::new(
            HistogramOpts::new(
                "pc_http_request_duration_seconds",
                "Time from a request to its answer's head",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["method", "route"],
        )
        .expect("valid metric");
        let sign_in_failures = IntCounterVec::new(
            Opts::new("pc_sign_in_failures_total", "Sign-ins refused"),
            &["reason"],
        )
        .expect("valid metric");
        let codes = IntCounterVec::new(
            Opts::new(
                "pc_verification_codes_total",
                "Verification code messages by what became of them",
            ),
            &["channel", "outcome"],
        )
        .expect("valid metric");
        let outbox_backlog = IntGauge::new(
            "pc_outbox_backlog",
            "Messages in the outbox waiting to be sent",
        )
        .expect("valid metric");
        let registrations = IntGauge::new(
            "pc_softphone_registrations",
            "Agents whose softphone is registered, as last seen",
        )
        .expect("valid metric");
        let registry = Registry::new();
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(request_seconds.clone()),
            Box::new(sign_in_failures.clone()),
            Box::new(codes.clone()),
            Box::new(outbox_backlog.clone()),
            Box::new(registrations.clone()),
        ] {
            registry.register(collector).expect("each metric once");
        }
        Metrics {
            registry,
            requests,
            request_seconds,
            sign_in_failures,
            codes,
            outbox_backlog,
            registrations,
        }
    }

    /// `route` is the route's pattern (`/api/me/agent`), never the path itself: one series per
    /// route however many ids there are.
    pub fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.requests
            .with_label_values(&[method, route, &status.to_string()])
            .inc();
        self.request_seconds
            .with_label_values(&[method, route])
            .observe(seconds);
    }

    pub fn sign_in_failed(&self, why: SignInFailure) {
        let reason = match why {
            SignInFailure::Credentials => "credentials",
            SignInFailure::Throttled => "throttled",
        };
        self.sign_in_failures.with_label_values(&[reason]).inc();
    }

    pub fn code(&self, channel: Channel, outcome: CodeOutcome) {
        self.codes
            .with_label_values(&[channel.code(), outcome.label()])
            .inc();
    }

    /// The Prometheus text, with the gauges read from the database now.
    pub async fn render(&self, db: &Db) -> anyhow::Result<String> {
        self.outbox_backlog.set(db.outbox_backlog().await?);
        self.registrations.set(db.registered_softphones().await?);
        Ok(TextEncoder::new().encode_to_string(&self.registry.gather())?)
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
