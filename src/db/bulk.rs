//! Bulk loads into an empty database: its secondary indexes are dropped
//! before the load and built again after it, in one sort each, instead of
//! one B-tree insert per row (a third of the time of storing).
//!
//! An index is never lost: its definition is kept in `meta` in the same
//! transaction that drops it, and whoever connects next (this process when
//! the load ends, or any later one if this one dies) builds it again. The
//! indexes that enforce uniqueness are never dropped.

use super::Db;
use crate::error::Result;
use sqlx::{Sqlite, Transaction};

/// The tables an ingest fills, whose indexes only reports and merging read.
pub const STORED_TABLES: &[&str] = &[
    "articles",
    "article_sources",
    "location_mentions",
    "group_mentions",
    "events",
    "event_actors",
    "casualty_figures",
];

/// The tables merging fills.
pub const INCIDENT_TABLES: &[&str] = &["incidents", "incident_actors"];

/// `meta` keys of deferred indexes: this prefix, the table, ':', the index.
const KEY_PREFIX: &str = "deferred_index:";

impl Db {
    /// If the database holds no article yet, drops the secondary indexes of
    /// `tables` until [`Db::build_deferred_indexes`]. Returns how many it dropped.
    pub async fn defer_indexes_if_empty(&self, tables: &[&str]) -> Result<usize> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let empty: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM articles)")
            .fetch_one(&mut *tx)
            .await?;
        if !empty {
            return Ok(0);
        }
        let mut dropped = 0;
        for table in tables {
            let indexes: Vec<(String, String)> = sqlx::query_as(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? \
                 AND sql LIKE 'CREATE INDEX %' ORDER BY name",
            )
            .bind(table)
            .fetch_all(&mut *tx)
            .await?;
            for (name, sql) in indexes {
                sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                    .bind(format!("{KEY_PREFIX}{table}:{name}"))
                    .bind(&sql)
                    .execute(&mut *tx)
                    .await?;
                // Names come from sqlite_master, so quoting them is enough.
                sqlx::query(&format!("DROP INDEX IF EXISTS \"{name}\""))
                    .execute(&mut *tx)
                    .await?;
                dropped += 1;
            }
        }
        tx.commit().await?;
        Ok(dropped)
    }

    /// Builds the indexes deferred by [`Db::defer_indexes_if_empty`] (of
    /// `tables`, or of every table). Returns how many it built.
    pub async fn build_deferred_indexes(&self, tables: Option<&[&str]>) -> Result<usize> {
        use sqlx::Connection;
        let mut conn = self.pool.acquire().await?;
        // Sorting spills to a temporary file, not to memory as the
        // connection's other temporary data does (see `db::options`): an
        // index of a million events would otherwise be sorted in memory.
        sqlx::query("PRAGMA temp_store = FILE")
            .execute(&mut *conn)
            .await?;
        let built = async {
            let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
            let n = build_deferred(&mut tx, tables).await?;
            tx.commit().await?;
            Ok::<usize, crate::Error>(n)
        }
        .await;
        sqlx::query("PRAGMA temp_store = MEMORY")
            .execute(&mut *conn)
            .await?;
        built
    }
}

/// Whether some index is deferred (the `meta` table must exist).
pub(super) async fn any_deferred(pool: &sqlx::SqlitePool) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM meta WHERE key LIKE 'deferred\\_index:%' ESCAPE '\\')",
    )
    .fetch_one(pool)
    .await?)
}

/// Builds deferred indexes inside `tx`; returns how many.
pub(super) async fn build_deferred(
    tx: &mut Transaction<'_, Sqlite>,
    tables: Option<&[&str]>,
) -> Result<usize> {
    let has_meta: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta')",
    )
    .fetch_one(&mut **tx)
    .await?;
    if !has_meta {
        return Ok(0);
    }
    let deferred: Vec<(String, String)> = sqlx::query_as(
        "SELECT key, value FROM meta WHERE key LIKE 'deferred\\_index:%' ESCAPE '\\' ORDER BY key",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut built = 0;
    for (key, sql) in deferred {
        let table = key
            .strip_prefix(KEY_PREFIX)
            .and_then(|rest| rest.split_once(':'))
            .map(|(t, _)| t)
            .unwrap_or_default();
        if tables.is_some_and(|wanted| !wanted.contains(&table)) {
            continue;
        }
        // Another process may have built it already.
        let sql = sql.replacen("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1);
        sqlx::query(&sql).execute(&mut **tx).await?;
        sqlx::query("DELETE FROM meta WHERE key = ?")
            .bind(&key)
            .execute(&mut **tx)
            .await?;
        built += 1;
    }
    Ok(built)
}
