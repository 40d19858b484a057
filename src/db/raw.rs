//! Bulk inserts and reads through rusqlite on sqlx's own connection, for
//! storing a batch (see `store`) and for merging (see `merge`).
//!
//! Through sqlx, every bound string is copied into its arguments and again
//! by SQLite, and each statement is a round trip to sqlx's worker thread;
//! a profile of storing put a third of the writer's time and of SQLite's
//! thread there, and the writer is what bounds storing. Here the writer
//! thread holds the connection (`lock_handle`) and rusqlite binds and runs
//! the statements on it: 8 % fewer instructions for a whole ingest.

use crate::error::Result;
use libsqlite3_sys as ffi;
use sqlx::sqlite::LockedSqliteHandle;
use std::borrow::Cow;
use std::ffi::c_int;

/// An error SQLite returned, as sqlx reports its own (so that the callers'
/// handling of busy databases and failed batches applies unchanged).
#[derive(Debug)]
struct RawError {
    /// The extended result code.
    code: c_int,
    message: String,
}

impl std::fmt::Display for RawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "(code: {}) {}", self.code, self.message)
    }
}

impl std::error::Error for RawError {}

impl sqlx::error::DatabaseError for RawError {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.code.to_string()))
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> sqlx::error::ErrorKind {
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                sqlx::error::ErrorKind::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => sqlx::error::ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => sqlx::error::ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => sqlx::error::ErrorKind::CheckViolation,
            _ => sqlx::error::ErrorKind::Other,
        }
    }
}

/// SQLite's errors in sqlx's form; others as what they are.
pub(super) fn error(e: rusqlite::Error) -> crate::Error {
    match e {
        rusqlite::Error::SqliteFailure(f, message) => {
            crate::Error::Database(sqlx::Error::Database(Box::new(RawError {
                code: f.extended_code,
                message: message.unwrap_or_else(|| f.to_string()),
            })))
        }
        other => crate::Error::Query(format!("SQLite: {other}")),
    }
}

/// Runs `f` with rusqlite on the connection `handle` holds locked.
pub(super) fn on_connection<T>(
    handle: &mut LockedSqliteHandle<'_>,
    f: impl FnOnce(&rusqlite::Connection) -> Result<T>,
) -> Result<T> {
    // SAFETY: the connection is live and locked for this thread until
    // `handle` is dropped, after `conn`; a connection made `from_handle`
    // is not closed when dropped (its statements are finalized).
    let conn = unsafe { rusqlite::Connection::from_handle(handle.as_raw_handle().as_ptr()) }
        .map_err(error)?;
    f(&conn)
}

/// The first column of the rows `sql` selects, with `binds` bound in order.
pub(super) fn column(conn: &rusqlite::Connection, sql: &str, binds: &[String]) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare(sql).map_err(error)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(binds), |r| r.get(0))
        .map_err(error)?;
    rows.collect::<rusqlite::Result<Vec<i64>>>().map_err(error)
}

/// The values of one row of a multi-row insert, bound in column order.
pub(super) struct Row<'s, 'c> {
    stmt: &'s mut rusqlite::Statement<'c>,
    next: usize,
    failed: Option<rusqlite::Error>,
}

impl Row<'_, '_> {
    fn push(&mut self, value: impl rusqlite::ToSql) -> &mut Self {
        if self.failed.is_none() {
            if let Err(e) = self.stmt.raw_bind_parameter(self.next, value) {
                self.failed = Some(e);
            }
        }
        self.next += 1;
        self
    }

    pub(super) fn int(&mut self, v: i64) -> &mut Self {
        self.push(v)
    }

    pub(super) fn opt_int(&mut self, v: Option<i64>) -> &mut Self {
        self.push(v)
    }

    pub(super) fn text(&mut self, v: &str) -> &mut Self {
        self.push(v)
    }

    pub(super) fn opt_text(&mut self, v: Option<&str>) -> &mut Self {
        self.push(v)
    }
}

/// Inserts `rows` with multi-row statements of a few fixed shapes (as
/// `store::insert_rows` does through sqlx): `head` names the table and
/// columns, `tail` follows the values.
pub(super) fn insert_rows<R>(
    conn: &rusqlite::Connection,
    head: &str,
    tail: &str,
    columns: usize,
    rows: &[R],
    bind: impl Fn(&mut Row<'_, '_>, &R),
) -> Result<()> {
    let mut shapes: Vec<(usize, rusqlite::Statement<'_>)> = Vec::new();
    let mut rest = rows;
    while !rest.is_empty() {
        // Statements are prepared for each call (a batch), not cached across
        // them, so the shapes stay small: preparing a statement of 1,024
        // rows costs more than running it (sqlx caches its statements).
        let n = [64usize, 16, 4, 1]
            .into_iter()
            .find(|&n| n <= rest.len() && n * columns <= super::store::MAX_VARIABLES)
            .unwrap_or(1);
        let (chunk, tail_rows) = rest.split_at(n);
        let at = match shapes.iter().position(|(m, _)| *m == n) {
            Some(at) => at,
            None => {
                let one = format!("({})", vec!["?"; columns].join(", "));
                let sql = format!("{head}VALUES {}{tail}", vec![one; n].join(", "));
                shapes.push((n, conn.prepare(&sql).map_err(error)?));
                shapes.len() - 1
            }
        };
        let stmt = &mut shapes[at].1;
        let mut next = 1;
        for r in chunk {
            let mut row = Row {
                stmt: &mut *stmt,
                next,
                failed: None,
            };
            bind(&mut row, r);
            if let Some(e) = row.failed {
                return Err(error(e));
            }
            debug_assert_eq!(row.next - next, columns, "{head}");
            next = row.next;
        }
        stmt.raw_execute().map_err(error)?;
        rest = tail_rows;
    }
    Ok(())
}
