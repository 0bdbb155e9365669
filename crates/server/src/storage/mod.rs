//! Everything the server keeps, in SQLite (and the parameter cache in Redis when configured).
//! SQL lives in this module and nowhere else.
//!
//! A change that can be refused answers `Result<_, Refusal>`; a read answers `Option` where
//! finding nothing is an answer.

pub mod agent_info;
pub mod audit;
pub mod business_cards;
pub mod identity;
pub mod outbox;
pub mod parameter_cache;
pub mod parameters;
pub mod redis_parameter_cache;
mod refusal;
pub mod registrations;
pub mod seed;
pub mod sessions;
pub mod settings;
pub mod softphone;
pub mod throttle;
pub mod verification;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

pub use refusal::Refusal;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        MIGRATIONS.run(&pool).await?;
        Ok(Db { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}
