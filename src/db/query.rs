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

/// What a streamed query yields: its column names first, then each row.
pub enum QueryEvent {
    Columns(Vec<String>),
    Row(Vec<Cell>),
}

/// Runs any SQL on a read-only connection to the database at `url`,
/// collecting the rows (see [`stream_query`] for large results).
pub async fn run_query(url: &str, sql: &str) -> Result<Table> {
    let mut t = Table::default();
    stream_query(url, sql, None, |e| {
        match e {
            QueryEvent::Columns(c) => t.columns = c,
            QueryEvent::Row(r) => t.rows.push(r),
        }
        Ok(true)
    })
    .await?;
    Ok(t)
}

/// Runs any SQL on a read-only connection, handing each row to `sink` as
/// it comes (memory stays flat), stopping when `sink` returns `false` or
/// when `timeout` has passed.
pub async fn stream_query(
    url: &str,
    sql: &str,
    timeout: Option<std::time::Duration>,
    mut sink: impl FnMut(QueryEvent) -> Result<bool>,
) -> Result<()> {
    let opts = SqliteConnectOptions::from_str(url)?
        .read_only(true)
        .create_if_missing(false);
    let mut conn = opts.connect().await.map_err(explain)?;
    sqlx::query("PRAGMA query_only = ON")
        .execute(&mut conn)
        .await?;
    forbid_attach(&mut conn).await?;
    let deadline = Box::new(timeout.map(|t| std::time::Instant::now() + t));
    set_deadline(&mut conn, &deadline).await?;
    let mut columns_sent = false;
    let result: Result<()> = async {
        let mut rows = sqlx::raw_sql(sql).fetch(&mut conn);
        while let Some(row) = rows
            .try_next()
            .await
            .map_err(|e| explain_timeout(e, timeout))?
        {
            if !columns_sent {
                sink(QueryEvent::Columns(
                    row.columns().iter().map(|c| c.name().to_string()).collect(),
                ))?;
                columns_sent = true;
            }
            let cells = (0..row.columns().len())
                .map(|i| cell(&row, i))
                .collect::<Result<Vec<_>>>()?;
            if !sink(QueryEvent::Row(cells))? {
                break;
            }
        }
        Ok(())
    }
    .await;
    if !columns_sent && result.is_ok() {
        use sqlx::Executor;
        let columns = match (&mut conn).describe(sql).await {
            Ok(d) => d.columns().iter().map(|c| c.name().to_string()).collect(),
            Err(_) => Vec::new(),
        };
        sink(QueryEvent::Columns(columns))?;
    }
    clear_deadline(&mut conn).await?;
    drop(deadline);
    result
}

fn explain_timeout(e: sqlx::Error, timeout: Option<std::time::Duration>) -> Error {
    if e.to_string().to_ascii_lowercase().contains("interrupted") {
        if let Some(t) = timeout {
            return Error::Query(format!(
                "stopped after {} s (--timeout); narrow the query or raise the timeout",
                t.as_secs_f64()
            ));
        }
    }
    explain(e)
}

/// SQLite calls this every few thousand instructions; a non-zero answer interrupts the statement.
extern "C" fn past_deadline(data: *mut std::ffi::c_void) -> std::ffi::c_int {
    // SAFETY: `data` points to the `Option<Instant>` boxed in `stream_query`,
    // which outlives the handler (it is cleared before the box is dropped).
    let deadline = unsafe { &*(data as *const Option<std::time::Instant>) };
    match deadline {
        Some(d) if std::time::Instant::now() > *d => 1,
        _ => 0,
    }
}

async fn set_deadline(
    conn: &mut sqlx::SqliteConnection,
    deadline: &Option<std::time::Instant>,
) -> Result<()> {
    if deadline.is_none() {
        return Ok(());
    }
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: the handle is this connection's and is locked for the call;
    // the data pointer stays valid until `clear_deadline` removes the handler.
    unsafe {
        libsqlite3_sys::sqlite3_progress_handler(
            db,
            10_000,
            Some(past_deadline),
            deadline as *const _ as *mut std::ffi::c_void,
        );
    }
    Ok(())
}

async fn clear_deadline(conn: &mut sqlx::SqliteConnection) -> Result<()> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: removing the handler from this connection's live handle.
    unsafe {
        libsqlite3_sys::sqlite3_progress_handler(db, 0, None, std::ptr::null_mut());
    }
    Ok(())
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
