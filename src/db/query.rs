//! Ad-hoc SQL on a read-only connection: writes, ATTACH and extension
//! loading are refused by SQLite itself (read-only open, `query_only`, no
//! attached databases allowed), not by inspecting the SQL text.

use super::{Cell, Table};
use crate::error::{Error, Result};
use futures::TryStreamExt;
use sqlx::sqlite::{SqliteArguments, SqliteConnectOptions, SqliteRow};
use sqlx::{Column, ConnectOptions, Row, Sqlite, TypeInfo, ValueRef};
use std::str::FromStr;

fn cell(row: &SqliteRow, i: usize) -> Result<Cell> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Cell::Null);
    }
    let ty = raw.type_info().name().to_string();
    Ok(match ty.as_str() {
        "INTEGER" | "BOOLEAN" => Cell::Int(row.try_get(i)?),
        "REAL" => Cell::Real(row.try_get(i)?),
        "BLOB" => Cell::Blob(row.try_get(i)?),
        _ => Cell::Text(row.try_get(i)?),
    })
}

fn to_table(rows: &[SqliteRow]) -> Result<Table> {
    let mut t = Table::default();
    if let Some(first) = rows.first() {
        t.columns = first
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
    }
    for r in rows {
        t.rows.push(
            (0..r.columns().len())
                .map(|i| cell(r, i))
                .collect::<Result<_>>()?,
        );
    }
    Ok(t)
}

/// Runs a bound query and collects its rows, column names included even when there are none.
pub(crate) async fn fetch_table<'q>(
    pool: &sqlx::SqlitePool,
    q: sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>>,
) -> Result<Table> {
    let sql = sqlx::Execute::sql(&q).to_string();
    let rows = q.fetch_all(pool).await?;
    let mut t = to_table(&rows)?;
    if rows.is_empty() {
        t.columns = column_names(pool, &sql).await?;
    }
    Ok(t)
}

async fn column_names(pool: &sqlx::SqlitePool, sql: &str) -> Result<Vec<String>> {
    use sqlx::Executor;
    let d = pool.describe(sql).await?;
    Ok(d.columns().iter().map(|c| c.name().to_string()).collect())
}

/// What SQLite said, in words a user can act on.
fn explain(e: sqlx::Error) -> Error {
    let msg = e.to_string();
    let lower = msg.to_ascii_lowercase();
    if lower.contains("readonly") || lower.contains("read-only") || lower.contains("query_only") {
        Error::Query(format!("refused: `query` is read-only, it cannot change the database ({msg}); use `ingest` to add articles"))
    } else if lower.contains("too many attached databases") {
        Error::Query("refused: ATTACH is not allowed in `query`".to_string())
    } else if lower.contains("not authorized") || lower.contains("load_extension") {
        Error::Query(format!(
            "refused: loading extensions is not allowed in `query` ({msg})"
        ))
    } else if lower.contains("unable to open database file") {
        Error::Query(format!(
            "no database to query: {msg} (run `conflictdb ingest` or `conflictdb demo` first)"
        ))
    } else {
        Error::Query(format!("SQL error: {msg}"))
    }
}

/// Runs any SQL on a read-only connection to the database at `url`.
pub async fn run_query(url: &str, sql: &str) -> Result<Table> {
    let opts = SqliteConnectOptions::from_str(url)?
        .read_only(true)
        .create_if_missing(false);
    let mut conn = opts.connect().await.map_err(explain)?;
    sqlx::query("PRAGMA query_only = ON")
        .execute(&mut conn)
        .await?;
    forbid_attach(&mut conn).await?;
    let rows: Vec<SqliteRow> = sqlx::raw_sql(sql)
        .fetch(&mut conn)
        .try_collect()
        .await
        .map_err(explain)?;
    let mut t = to_table(&rows)?;
    if rows.is_empty() {
        use sqlx::Executor;
        if let Ok(d) = (&mut conn).describe(sql).await {
            t.columns = d.columns().iter().map(|c| c.name().to_string()).collect();
        }
    }
    Ok(t)
}

/// Sets SQLite's limit of attached databases to zero on this connection.
async fn forbid_attach(conn: &mut sqlx::SqliteConnection) -> Result<()> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is the live handle of this connection, locked for the call;
    // sqlite3_limit only reads and sets a per-connection integer.
    unsafe {
        libsqlite3_sys::sqlite3_limit(db, libsqlite3_sys::SQLITE_LIMIT_ATTACHED, 0);
    }
    Ok(())
}
