use std::sync::Arc;

use tokio::sync::{Notify, Semaphore};

use crate::config::Config;
use crate::domain::clock::Clock;
use crate::domain::gateways::Gateways;
use crate::domain::metrics::Metrics;
use crate::domain::oidc::Providers;
use crate::domain::parameters::ParameterCache;
use crate::domain::registrar::Registrar;
use crate::storage::parameter_cache::TableParameterCache;
use crate::storage::redis_parameter_cache::RedisParameterCache;
use crate::storage::registrations::TableRegistrar;
use crate::storage::Db;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// Password hashing takes ~19 MiB and a core for a moment: at most one per core at a time
    /// (`domain::password::run_limited`).
    pub password_checks: Arc<Semaphore>,
    /// Where Sync puts agent parameters for the telephony side.
    pub parameter_cache: Arc<dyn ParameterCache>,
    /// AGT-5: whether the agent's softphone number is registered; Unregister signs it out.
    pub registrar: Arc<dyn Registrar>,
    /// AGT-4: the gateways that send verification codes by SMS or email.
    pub gateways: Gateways,
    /// AGT-4: rung when a message is written to the outbox, to wake the delivery worker.
    pub outbox_written: Arc<Notify>,
    /// What `/metrics` shows.
    pub metrics: Arc<Metrics>,
    /// SEC-1: the time the sign-in throttle goes by; tests move it instead of waiting.
    pub clock: Clock,
    /// SSO-1: the tenants' OpenID Providers as discovered, with their keys.
    pub providers: Arc<Providers>,
}

impl AppState {
    /// Connects to the configured parameter cache, if it is not the built-in one.
    pub async fn new(db: Db, config: Config, clock: Clock) -> anyhow::Result<Self> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let parameter_cache: Arc<dyn ParameterCache> = match &config.parameter_cache {
            Some(url) => Arc::new(RedisParameterCache::connect(url).await?),
            None => Arc::new(TableParameterCache::new(db.clone())),
        };
        Ok(AppState {
            parameter_cache,
            registrar: Arc::new(TableRegistrar::new(db.clone())),
            gateways: Gateways::from_config(&config)?,
            outbox_written: Arc::new(Notify::new()),
            metrics: Arc::new(Metrics::new()),
            db,
            config: Arc::new(config),
            password_checks: Arc::new(Semaphore::new(cores)),
            clock,
            providers: Arc::new(Providers::new()?),
        })
    }
}
