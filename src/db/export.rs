//! Events for export, one row each, streamed (`exports/events.sql`, behind
//! the reports' filter so that exports take the same bound parameters).

use super::reports::full_sql;
use crate::db::ReportFilters;
use crate::Result;
use futures::TryStreamExt;
use serde::Serialize;
use sqlx::SqlitePool;

const EVENTS: &str = include_str!("../../exports/events.sql");

/// An event with its place, actors, sources, figures and article.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct ExportEvent {
    pub event_id: i64,
    pub event_date: Option<String>,
    pub date_precision: Option<String>,
    #[sqlx(rename = "type")]
    #[serde(rename = "type")]
    pub event_type: String,
    pub sub_type: Option<String>,
    pub attackers: Option<String>,
    pub targets: Option<String>,
    pub side_a: Option<String>,
    pub side_b: Option<String>,
    pub country: Option<String>,
    pub country_name: Option<String>,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub location: Option<String>,
    pub location_kind: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub location_precision: Option<i64>,
    pub cited_sources: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub title: String,
    pub published_at: Option<String>,
    pub notes: Option<String>,
    pub killed: Option<i64>,
    pub killed_low: Option<i64>,
    pub killed_high: Option<i64>,
    /// UCDP-style best estimate; `killed` is this or, with
    /// `--fatalities conservative`, `killed_conservative`.
    pub killed_best: Option<i64>,
    /// ACLED's convention: the lowest figure any report gives.
    pub killed_conservative: Option<i64>,
    pub wounded: Option<i64>,
    /// Article events merged into this event, and their articles.
    pub reports: i64,
    pub articles: i64,
    pub deaths_security_forces: i64,
    pub deaths_combatants: i64,
    pub deaths_civilians: i64,
}

/// Calls `each` with every event the filters keep, by date then id.
pub async fn export_events(
    pool: &SqlitePool,
    filters: &ReportFilters,
    mut each: impl FnMut(ExportEvent) -> Result<()>,
) -> Result<usize> {
    let sql = full_sql(EVENTS);
    let mut q = sqlx::query_as::<_, ExportEvent>(&sql);
    for value in filters.values() {
        q = q.bind(value);
    }
    let mut rows = q.fetch(pool);
    let mut n = 0;
    while let Some(event) = rows.try_next().await? {
        each(event)?;
        n += 1;
    }
    Ok(n)
}
