//! Server configuration, from command-line flags or the environment.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::http::HeaderName;
use clap::{Parser, Subcommand, ValueEnum};
use pc_model::history::DEFAULT_KEPT_VERSIONS;

use crate::domain::throttle::{Limits, Policy};
use crate::storage::seed::DemoServices;
use crate::storage::Location;

const SIGN_IN_FAILURES_PER_ACCOUNT: u32 = 5;
/// Higher than per account: the agents of a contact center often share one public address.
const SIGN_IN_FAILURES_PER_ADDRESS: u32 = 50;
const SIGN_IN_WINDOW_SECS: i64 = 15 * 60;
const SIGN_IN_LOCK_SECS: i64 = 60;
const SIGN_IN_LOCK_MAX_SECS: i64 = 15 * 60;
/// AGT-4: with the backoff, five attempts span about half a minute of the code's five.
const DELIVERY_ATTEMPTS: i64 = 5;
const DELIVERY_BACKOFF_SECS: i64 = 2;
/// BEY-2: a history is read whole, so it stays short.
const MOST_KEPT_VERSIONS: i64 = 1000;
/// A day: the longest window or lock the flags accept.
const DAY_SECS: i64 = 24 * 60 * 60;

/// How the connection to the SMTP server is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SmtpTls {
    /// Plain text: only for a server on the same machine or a test.
    None,
    /// Plain connection upgraded with STARTTLS, which must succeed.
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
}

impl SmtpTls {
    pub fn default_port(self) -> u16 {
        match self {
            SmtpTls::None => 25,
            SmtpTls::Starttls => 587,
            SmtpTls::Tls => 465,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// What `pc-server` does besides serving: run once against the same database and exit.
#[derive(Clone, Debug, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// TEN-1: the tenants, declared in a TOML file (see docs/tenants.example.toml).
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// PRV-1: the bearer tokens of the identity providers that provision agents by SCIM.
    #[command(subcommand, name = "scim-token")]
    ScimToken(ScimTokenCommand),
}

#[derive(Clone, Debug, PartialEq, Eq, Subcommand)]
pub enum TenantCommand {
    /// Make the database match the file: the tenants it names, with their organization units,
    /// WhatsApp channels and skill queues. All or nothing; applying it again changes nothing.
    Apply {
        file: PathBuf,
        /// Print the differences it would make and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print every tenant as a tenant file.
    Export,
}

#[derive(Clone, Debug, PartialEq, Eq, Subcommand)]
pub enum ScimTokenCommand {
    /// Create a token for the tenant and print it, once (only its hash is kept).
    Create {
        /// The tenant's code.
        #[arg(long)]
        tenant: String,
    },
    /// List the tenant's tokens (never the tokens themselves).
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Revoke one of the tenant's tokens: its next request is refused.
    Revoke {
        #[arg(long)]
        tenant: String,
        /// The token's ID, as `create` and `list` print it.
        #[arg(long)]
        id: i64,
    },
}

#[derive(Clone, Debug, Parser)]
#[command(name = "pc-server", about = "Agent Personal Center server", version)]
pub struct Config {
    /// Without a command: serve the app and the API.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Address and port to listen on.
    #[arg(long, env = "PC_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Where the data is: a SQLite file (a path or `sqlite:` URL; created when missing), or
    /// `postgres://user:password@host:port/database` for PostgreSQL, which several server
    /// instances can share. Migrated, and seeded with demo data when new.
    #[arg(
        long,
        env = "PC_DATABASE",
        default_value = "personal-center.db",
        hide_env_values = true,
        global = true
    )]
    pub database: Location,

    /// Folder holding the built app (Trunk's output).
    #[arg(long, env = "PC_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Origins allowed to show the app in a frame (the workbench), comma-separated,
    /// e.g. `https://workbench.example.com`. The app's own origin is always allowed.
    #[arg(long, env = "PC_FRAME_ANCESTORS", value_delimiter = ',')]
    pub frame_ancestors: Vec<String>,

    /// How long a sign-in lasts, in seconds (default: a 12-hour shift; at most 7 days).
    #[arg(long, env = "PC_SESSION_TTL_SECS", default_value_t = 12 * 60 * 60,
          value_parser = clap::value_parser!(i64).range(1..=7 * 24 * 60 * 60))]
    pub session_ttl_secs: i64,

    /// Mark the session cookie `Secure`; turn on whenever the server is reached over HTTPS.
    #[arg(long, env = "PC_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// SSO-1: the address browsers reach this server at, e.g. `https://pc.contoso.example`, of
    /// which `/api/sso/callback` is the redirect URI to register at the OpenID Provider.
    /// Unset: taken from each request's `Host` (`https` with --secure-cookies).
    #[arg(long, env = "PC_PUBLIC_URL", value_parser = public_url)]
    pub public_url: Option<String>,

    /// PER-6: the bearer token the contact center's routing service presents to resolve the
    /// routing codes of E-Name Cards (`GET /api/routing-codes/{code}`). Unset: nobody can.
    #[arg(long, env = "PC_ROUTING_TOKEN", hide_env_values = true)]
    pub routing_token: Option<String>,

    /// SEC-1: failed sign-ins allowed per business account within the window before it is
    /// locked.
    #[arg(long, env = "PC_SIGN_IN_FAILURES_PER_ACCOUNT", default_value_t = SIGN_IN_FAILURES_PER_ACCOUNT,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub sign_in_failures_per_account: u32,

    /// SEC-1: failed sign-ins allowed per client address (any accounts) within the window
    /// before it is locked.
    #[arg(long, env = "PC_SIGN_IN_FAILURES_PER_ADDRESS", default_value_t = SIGN_IN_FAILURES_PER_ADDRESS,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub sign_in_failures_per_address: u32,

    /// SEC-1: the window, in seconds, in which failed sign-ins are counted; it begins with the
    /// first failure.
    #[arg(long, env = "PC_SIGN_IN_WINDOW_SECS", default_value_t = SIGN_IN_WINDOW_SECS,
          value_parser = clap::value_parser!(i64).range(1..=DAY_SECS))]
    pub sign_in_window_secs: i64,

    /// SEC-1: the first lock, in seconds; each further lock lasts twice as long.
    #[arg(long, env = "PC_SIGN_IN_LOCK_SECS", default_value_t = SIGN_IN_LOCK_SECS,
          value_parser = clap::value_parser!(i64).range(1..=DAY_SECS))]
    pub sign_in_lock_secs: i64,

    /// SEC-1: the longest lock, in seconds.
    #[arg(long, env = "PC_SIGN_IN_LOCK_MAX_SECS", default_value_t = SIGN_IN_LOCK_MAX_SECS,
          value_parser = clap::value_parser!(i64).range(1..=DAY_SECS))]
    pub sign_in_lock_max_secs: i64,

    /// SEC-1: behind a reverse proxy, the header in which it passes on the client's address,
    /// e.g. `X-Forwarded-For`. The last address in it counts: the one the proxy itself added;
    /// those before it come from the client and could be forged. Unset: the address of the
    /// TCP connection counts, and the header is ignored. Set it only when every request comes
    /// through that proxy.
    #[arg(long, env = "PC_TRUSTED_PROXY_HEADER")]
    pub trusted_proxy_header: Option<HeaderName>,

    /// BEY-2: how many saved versions of the Personalized Settings, and of the Agent
    /// Parameters, each agent keeps; older ones are dropped as new ones are saved.
    #[arg(long, env = "PC_HISTORY_VERSIONS", default_value_t = DEFAULT_KEPT_VERSIONS,
          value_parser = clap::value_parser!(u32).range(1..=MOST_KEPT_VERSIONS))]
    pub history_versions: u32,

    /// Do not seed demo data into a new database.
    #[arg(long, env = "PC_NO_DEMO_DATA")]
    pub no_demo_data: bool,

    /// RTC-1: the registration server (`ws://…` or `wss://…`) the demo tenants with WebRTC get
    /// when demo data is seeded, e.g. the Kamailio that `cargo xtask serve` starts. Unset: they
    /// name `wss://sip.<tenant>.example:7443`, which no browser can reach.
    #[arg(long, env = "PC_DEMO_REGISTRATION_SERVER")]
    pub demo_registration_server: Option<String>,

    /// AGT-4: the SMTP server that sends verification codes by email. Unset: email codes are
    /// only recorded in the outbox table and the log (the demo).
    #[arg(long, env = "PC_SMTP_HOST")]
    pub smtp_host: Option<String>,

    /// The SMTP server's port (default: 25 without TLS, 587 with STARTTLS, 465 with TLS).
    #[arg(long, env = "PC_SMTP_PORT")]
    pub smtp_port: Option<u16>,

    /// How the connection to the SMTP server is secured.
    #[arg(long, env = "PC_SMTP_TLS", value_enum, default_value_t = SmtpTls::Starttls)]
    pub smtp_tls: SmtpTls,

    /// The SMTP user name; with `--smtp-password`, the server is signed in to.
    #[arg(long, env = "PC_SMTP_USERNAME")]
    pub smtp_username: Option<String>,

    #[arg(long, env = "PC_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<String>,

    /// The sender of the emails, e.g. `Personal Center <no-reply@example.com>`; needed with
    /// `--smtp-host`.
    #[arg(long, env = "PC_SMTP_FROM")]
    pub smtp_from: Option<String>,

    /// AGT-4: the HTTP gateway that sends verification codes by SMS (README: its JSON). Unset:
    /// SMS codes are only recorded in the outbox table and the log (the demo).
    #[arg(long, env = "PC_SMS_GATEWAY_URL")]
    pub sms_gateway_url: Option<String>,

    /// The bearer token the SMS gateway expects.
    #[arg(long, env = "PC_SMS_GATEWAY_TOKEN", hide_env_values = true)]
    pub sms_gateway_token: Option<String>,

    /// AGT-4: attempts to send a code before giving up (the agent is told and may ask again).
    #[arg(long, env = "PC_DELIVERY_ATTEMPTS", default_value_t = DELIVERY_ATTEMPTS,
          value_parser = clap::value_parser!(i64).range(1..=20))]
    pub delivery_attempts: i64,

    /// Seconds before the first retry of a failed send; each further one waits twice as long.
    #[arg(long, env = "PC_DELIVERY_BACKOFF_SECS", default_value_t = DELIVERY_BACKOFF_SECS,
          value_parser = clap::value_parser!(i64).range(1..=3600))]
    pub delivery_backoff_secs: i64,

    /// Serve Prometheus metrics at `/metrics` on this address, e.g. `127.0.0.1:9090`: another
    /// port than the app's, for the operators' network only. Unset: no metrics are served.
    #[arg(long, env = "PC_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,

    /// How the log is written: lines for people, or one JSON object per line for a collector.
    #[arg(long, env = "PC_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// SPEC §5: the cache the telephony side reads agent parameters from, which Sync writes:
    /// a Redis URL (`redis://host:port/db`; keys in the README). Unset: a table of the
    /// server's own database.
    #[arg(long, env = "PC_PARAMETER_CACHE", value_parser = redis_url)]
    pub parameter_cache: Option<String>,

    /// BEY-3: a STUN/TURN server (`host:port`, UDP, e.g. the coturn that `cargo xtask serve`
    /// starts) the demo tenants with WebRTC get when demo data is seeded, used with the TURN REST
    /// API and the shared secret `--demo-turn-secret`. Unset: they have no STUN or TURN server.
    #[arg(long, env = "PC_DEMO_TURN_SERVER", requires = "demo_turn_secret")]
    pub demo_turn_server: Option<String>,

    /// BEY-3: the shared secret of `--demo-turn-server` (coturn's `static-auth-secret`).
    #[arg(long, env = "PC_DEMO_TURN_SECRET", hide_env_values = true)]
    pub demo_turn_secret: Option<String>,

    /// SSO-1: an OpenID Provider (its issuer, e.g. the test provider that `cargo xtask serve`
    /// starts) the demo's northwind tenant signs in with when demo data is seeded, as the
    /// client `personal-center` with the secret `--demo-identity-provider-secret`. Unset: no
    /// demo tenant has single sign-on.
    #[arg(
        long,
        env = "PC_DEMO_IDENTITY_PROVIDER",
        requires = "demo_identity_provider_secret"
    )]
    pub demo_identity_provider: Option<String>,

    /// SSO-1: the demo client's secret at `--demo-identity-provider`.
    #[arg(long, env = "PC_DEMO_IDENTITY_PROVIDER_SECRET", hide_env_values = true)]
    pub demo_identity_provider_secret: Option<String>,

    /// EMB-1: also serve a demo workbench page on this address, framing the app, e.g.
    /// `127.0.0.1:8081` opened as `http://localhost:8081` (another site than `127.0.0.1`). Its
    /// origin must be among `--frame-ancestors`.
    #[arg(long, env = "PC_DEMO_WORKBENCH")]
    pub demo_workbench: Option<SocketAddr>,
}

/// A URL the redis crate accepts (`redis://`, `rediss://`, `redis+unix://`), checked before the
/// server starts.
fn redis_url(url: &str) -> Result<String, String> {
    redis::Client::open(url)
        .map(|_| url.to_owned())
        .map_err(|e| e.to_string())
}

/// An `http(s)://` origin, kept without a trailing slash.
fn public_url(url: &str) -> Result<String, String> {
    let trimmed = url.trim_end_matches('/');
    let host = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"));
    match host {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => {
            Ok(trimmed.to_owned())
        }
        _ => Err("give the origin only: http(s)://host[:port]".into()),
    }
}

impl Config {
    /// The services the demo tenants are pointed at when demo data is seeded: each one whose
    /// flags are given.
    pub fn demo_services(&self) -> DemoServices<'_> {
        DemoServices {
            registration_server: self.demo_registration_server.as_deref(),
            turn: self
                .demo_turn_server
                .as_deref()
                .zip(self.demo_turn_secret.as_deref()),
            identity_provider: self
                .demo_identity_provider
                .as_deref()
                .zip(self.demo_identity_provider_secret.as_deref()),
        }
    }

    /// Defaults for tests and embedding: loopback on a free port, short sessions, the given database.
    pub fn for_database(database: Location) -> Self {
        Config {
            command: None,
            listen: ([127, 0, 0, 1], 0).into(),
            database,
            dist: PathBuf::from("dist"),
            frame_ancestors: Vec::new(),
            session_ttl_secs: 3600,
            secure_cookies: false,
            public_url: None,
            routing_token: None,
            sign_in_failures_per_account: SIGN_IN_FAILURES_PER_ACCOUNT,
            sign_in_failures_per_address: SIGN_IN_FAILURES_PER_ADDRESS,
            sign_in_window_secs: SIGN_IN_WINDOW_SECS,
            sign_in_lock_secs: SIGN_IN_LOCK_SECS,
            sign_in_lock_max_secs: SIGN_IN_LOCK_MAX_SECS,
            trusted_proxy_header: None,
            history_versions: DEFAULT_KEPT_VERSIONS,
            no_demo_data: false,
            demo_registration_server: None,
            parameter_cache: None,
            demo_turn_server: None,
            demo_turn_secret: None,
            demo_identity_provider: None,
            demo_identity_provider_secret: None,
            demo_workbench: None,
            smtp_host: None,
            smtp_port: None,
            smtp_tls: SmtpTls::Starttls,
            smtp_username: None,
            smtp_password: None,
            smtp_from: None,
            sms_gateway_url: None,
            sms_gateway_token: None,
            delivery_attempts: DELIVERY_ATTEMPTS,
            delivery_backoff_secs: DELIVERY_BACKOFF_SECS,
            metrics_listen: None,
            log_format: LogFormat::Text,
        }
    }

    /// SEC-1: the sign-in limits per business account and per client address.
    pub fn sign_in_limits(&self) -> Limits {
        let policy = |failures| Policy {
            failures,
            window_secs: self.sign_in_window_secs,
            lock_secs: self.sign_in_lock_secs,
            lock_max_secs: self.sign_in_lock_max_secs,
        };
        Limits {
            account: policy(self.sign_in_failures_per_account),
            address: policy(self.sign_in_failures_per_address),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_versions_are_kept_unless_told_otherwise_and_at_least_one() {
        let parse = |args: &[&str]| Config::try_parse_from([&["pc-server"], args].concat());
        assert_eq!(parse(&[]).unwrap().history_versions, 50);
        assert_eq!(
            parse(&["--history-versions", "3"])
                .unwrap()
                .history_versions,
            3
        );
        assert!(parse(&["--history-versions", "0"]).is_err());
        assert!(parse(&["--history-versions", "1001"]).is_err());
    }
}
