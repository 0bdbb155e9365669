//! SEC-1: the sign-in throttle's records (the arithmetic is in `domain::throttle`).

use sqlx::{FromRow, SqliteConnection};

use super::Db;
use crate::domain::throttle::{Record, Records};

#[derive(FromRow)]
struct RecordRow {
    failures: i64,
    window_end: i64,
    locks: i64,
    locked_until: i64,
}

impl From<RecordRow> for Record {
    fn from(row: RecordRow) -> Self {
        Record {
            failures: u32::try_from(row.failures).unwrap_or(u32::MAX),
            window_end: row.window_end,
            locks: u32::try_from(row.locks).unwrap_or(u32::MAX),
            locked_until: row.locked_until,
        }
    }
}

impl Db {
    /// Reads the records of a sign-in's business account key and address key, and writes
    /// back what `change` makes of them (`None` deletes), answering what `change` answers.
    /// The transaction takes the write lock before reading, so attempts on the same database,
    /// from any server instance, are counted one after another and none is lost. Records
    /// whose window and lock are both over mean nothing and are deleted at `now`.
    pub async fn change_sign_in_throttle<T>(
        &self,
        account_key: &str,
        address_key: &str,
        now: i64,
        change: impl FnOnce(Records) -> (Records, T),
    ) -> sqlx::Result<T> {
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await?;
        let records = Records {
            account: record(&mut tx, "account", account_key).await?,
            address: record(&mut tx, "address", address_key).await?,
        };
        let (changed, answer) = change(records);
        put(&mut tx, "account", account_key, changed.account).await?;
        put(&mut tx, "address", address_key, changed.address).await?;
        sqlx::query("DELETE FROM sign_in_throttle WHERE window_end <= ? AND locked_until <= ?")
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(answer)
    }
}

async fn record(
    connection: &mut SqliteConnection,
    kind: &str,
    key: &str,
) -> sqlx::Result<Option<Record>> {
    let row: Option<RecordRow> = sqlx::query_as(
        "SELECT failures, window_end, locks, locked_until FROM sign_in_throttle
         WHERE kind = ? AND key = ?",
    )
    .bind(kind)
    .bind(key)
    .fetch_optional(connection)
    .await?;
    Ok(row.map(Record::from))
}

async fn put(
    connection: &mut SqliteConnection,
    kind: &str,
    key: &str,
    record: Option<Record>,
) -> sqlx::Result<()> {
    match record {
        Some(record) => {
            sqlx::query(
                "INSERT INTO sign_in_throttle (kind, key, failures, window_end, locks, locked_until)
                 VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT (kind, key) DO UPDATE SET failures = excluded.failures,
                     window_end = excluded.window_end, locks = excluded.locks,
                     locked_until = excluded.locked_until",
            )
            .bind(kind)
            .bind(key)
            .bind(record.failures)
            .bind(record.window_end)
            .bind(record.locks)
            .bind(record.locked_until)
            .execute(connection)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM sign_in_throttle WHERE kind = ? AND key = ?")
                .bind(kind)
                .bind(key)
                .execute(connection)
                .await?;
        }
    }
    Ok(())
}
