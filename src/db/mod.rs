//! The database: connecting (migrations run on connect), the reference
//! data, storing extractions, reports and ad-hoc queries. All of the
//! project's SQL lives here, in `migrations/` and in `reports/`.

mod bulk;
mod export;
mod merge;
mod query;
mod raw;
mod refdata;
mod reports;
mod show;
mod store;
mod table;

pub use bulk::{INCIDENT_TABLES, STORED_TABLES};
pub use export::{export_events, ExportEvent};
pub use merge::MergeSummary;
pub use query::{run_query, stream_query, QueryEvent};
pub use reports::{report_names, reports, run_report, FatalityRule, Period, Report, ReportFilters};
pub use show::{ShownArticle, ShownEvent, ShownFigure, ShownReport};
pub use store::{content_hash, short_hash, StoreOutcome, Stored};
pub use table::{Cell, Table};

use crate::error::{Error, Result};
use crate::knowledge::{embedded_data_hash, Knowledge};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::Row;
use std::str::FromStr;
use std::time::Duration;

/// Where the database is when nothing says otherwise.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://conflict.db";

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

/// An open database with its schema up to date and its reference data loaded.
pub struct Db {
    pub pool: SqlitePool,
    url: String,
    /// Ids of reference and unlisted entities by ref_key, filled as they are used.
    refs: std::sync::Mutex<store::RefCache>,
}

fn options(url: &str) -> Result<SqliteConnectOptions> {
    if !url.starts_with("sqlite:") {
        return Err(Error::Usage(format!(
            "unsupported database URL '{url}': only SQLite is supported for now (e.g. sqlite://conflict.db)"
        )));
    }
    Ok(SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(30))
        .pragma("cache_size", "-32000")
        // insert_rows keeps six shapes of each insert prepared (ingest and
        // merge use about 90); sqlx's default of 100 would evict some.
        .statement_cache_capacity(256)
        // Statement journals (multi-row inserts write one) in memory, not a temp file.
        .pragma("temp_store", "memory"))
}

impl Db {
    /// Opens (creating it if missing) and migrates the database, then loads
    /// the reference data if it changed since last time.
    pub async fn connect(url: &str) -> Result<Db> {
        let db = Db::connect_unmigrated(url).await?;
        // Indexes a bulk load dropped and did not build again (it died);
        // before migrating, which may change them.
        db.build_indexes_left_deferred().await?;
        db.run_migrations().await?;
        refdata::load_if_changed(&db.pool, embedded_data_hash(), Knowledge::embedded).await?;
        Ok(db)
    }

    /// Builds the indexes an interrupted bulk load left out (see `bulk`).
    async fn build_indexes_left_deferred(&self) -> Result<()> {
        let has_meta: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta')",
        )
        .fetch_one(&self.pool)
        .await?;
        if has_meta && bulk::any_deferred(&self.pool).await? {
            self.build_deferred_indexes(None).await?;
        }
        Ok(())
    }

    /// Runs the migrations. Each runs in its own transaction; when two
    /// processes start on a new database together, the one that loses the
    /// race finds the schema made by the other and tries again.
    async fn run_migrations(&self) -> Result<()> {
        let mut attempt = 0u64;
        loop {
            let err = match MIGRATOR.run(&self.pool).await {
                Ok(()) => return Ok(()),
                Err(
                    e @ (sqlx::migrate::MigrateError::Execute(_)
                    | sqlx::migrate::MigrateError::ExecuteMigration(..)),
                ) => e,
                Err(e) => return Err(e.into()),
            };
            // Each migration is atomic, so a failed one left nothing behind:
            // if another process has applied everything meanwhile, all is well.
            tokio::time::sleep(Duration::from_millis(50 + 100 * attempt)).await;
            let applied = self.applied_versions().await?;
            if MIGRATOR
                .iter()
                .all(|m| applied.iter().any(|(v, _)| *v == m.version))
            {
                return Ok(());
            }
            attempt += 1;
            if attempt >= 10 {
                return Err(err.into());
            }
        }
    }

    /// Opens the database without touching its schema (for `migrate status`).
    pub async fn connect_unmigrated(url: &str) -> Result<Db> {
        // One connection: commands run one statement at a time, and a pool
        // of several handed consecutive transactions to different
        // connections (a connection goes back to the pool a moment after
        // its query), each with its own page cache of the same pages
        // (ingest of 30k articles: 143-155 MB instead of 218-271 MB).
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options(url)?)
            .await?;
        Ok(Db {
            pool,
            url: url.to_string(),
            refs: Default::default(),
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Applies pending migrations; returns how many were applied.
    pub async fn migrate(&self) -> Result<usize> {
        let before = self.applied_versions().await?.len();
        self.run_migrations().await?;
        refdata::load_if_changed(&self.pool, embedded_data_hash(), Knowledge::embedded).await?;
        Ok(self.applied_versions().await?.len() - before)
    }

    async fn applied_versions(&self) -> Result<Vec<(i64, String)>> {
        let exists: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&self.pool)
        .await?;
        if exists == 0 {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT version, installed_on FROM _sqlx_migrations WHERE success ORDER BY version",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| (r.get::<i64, _>(0), r.get::<String, _>(1)))
            .collect())
    }

    /// Every migration the binary knows, and whether (and when) it was applied.
    pub async fn migration_status(&self) -> Result<Table> {
        let applied = self.applied_versions().await?;
        let mut t = Table::new(vec!["version", "description", "applied", "installed_on"]);
        for m in MIGRATOR.iter() {
            let a = applied.iter().find(|(v, _)| *v == m.version);
            t.rows.push(vec![
                Cell::Int(m.version),
                Cell::Text(m.description.to_string()),
                Cell::Text(if a.is_some() { "yes" } else { "no" }.to_string()),
                a.map(|(_, at)| Cell::Text(at.clone()))
                    .unwrap_or(Cell::Null),
            ]);
        }
        Ok(t)
    }

    /// Counts of the main tables (for summaries and tests).
    pub async fn counts(&self) -> Result<(i64, i64, i64)> {
        let r = sqlx::query("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events), (SELECT count(*) FROM casualty_figures)")
            .fetch_one(&self.pool)
            .await?;
        Ok((r.get(0), r.get(1), r.get(2)))
    }

    pub async fn close(self) {
        self.pool.close().await;
    }
}
