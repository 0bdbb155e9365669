//! SEC-1: the sign-in throttle's records (the arithmetic is in `domain::throttle`).

use sqlx::{AnyConnection, FromRow};

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
    /// The transaction first locks both keys' records (creating empty ones where there are
    /// none), so attempts on the same keys, from any server instance, are counted one after
    /// another and none is lost: in SQLite that first write takes the database's write lock,
    /// in PostgreSQL the two rows' locks (always account before address, so two attempts
    /// cannot wait on each other). Records whose window and lock are both over mean nothing
    /// and are deleted at `now`; an empty record is such a record.
    pub async fn change_sign_in_throttle<T>(
        &self,
        account_key: &str,
        address_key: &str,
        now: i64,
        change: impl FnOnce(Records) -> (Records, T),
    ) -> sqlx::Result<T> {
        let mut tx = self.pool().begin().await?;
        lock(&mut tx, "account", account_key).await?;
        lock(&mut tx, "address", address_key).await?;
        let records = Records {
            account: record(&mut tx, "account", account_key).await?,
            address: record(&mut tx, "address", address_key).await?,
        };
        let (changed, answer) = change(records);
        put(&mut tx, "account", account_key, changed.account).await?;
        put(&mut tx, "address", address_key, changed.address).await?;
        sqlx::query("DELETE FROM sign_in_throttle WHERE window_end <= $1 AND locked_until <= $2")
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(answer)
    }
}

async fn lock(connection: &mut AnyConnection, kind: &str, key: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sign_in_throttle (kind, key, failures, window_end, locks, locked_until)
         VALUES ($1, $2, 0, 0, 0, 0)
         ON CONFLICT (kind, key) DO UPDATE SET failures = sign_in_throttle.failures",
    )
    .bind(kind)
    .bind(key)
    .execute(connection)
    .await?;
    Ok(())
}

async fn record(
    connection: &mut AnyConnection,
    kind: &str,
    key: &str,
) -> sqlx::Result<Option<Record>> {
    let row: Option<RecordRow> = sqlx::query_as(
        "SELECT failures, window_end, locks, locked_until FROM sign_in_throttle
         WHERE kind = $1 AND key = $2",
    )
    .bind(kind)
    .bind(key)
    .fetch_optional(connection)
    .await?;
    Ok(row.map(Record::from))
}

async fn put(
    connection: &mut AnyConnection,
    kind: &str,
    key: &str,
    record: Option<Record>,
) -> sqlx::Result<()> {
    match record {
        Some(record) => {
            sqlx::query(
                "INSERT INTO sign_in_throttle (kind, key, failures, window_end, locks, locked_until)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (kind, key) DO UPDATE SET failures = excluded.failures,
                     window_end = excluded.window_end, locks = excluded.locks,
                     locked_until = excluded.locked_until",
            )
            .bind(kind)
            .bind(key)
            .bind(i64::from(record.failures))
            .bind(record.window_end)
            .bind(i64::from(record.locks))
            .bind(record.locked_until)
            .execute(connection)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM sign_in_throttle WHERE kind = $1 AND key = $2")
                .bind(kind)
                .bind(key)
                .execute(connection)
                .await?;
        }
    }
    Ok(())
}
