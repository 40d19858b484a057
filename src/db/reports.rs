//! Named reports: one SQL file each under `reports/`, embedded in the
//! binary, with a `-- name:` and a `-- description:` line. Every report reads
//! `filtered_events`, defined by `reports/_filter.sql`, so the command-line
//! filters are bound parameters in one place.

use super::query::fetch_table;
use super::Table;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use sqlx::SqlitePool;
use std::sync::OnceLock;

const FILTER: &str = include_str!("../../reports/_filter.sql");

static REPORT_FILES: &[(&str, &str)] = &[
    ("summary.sql", include_str!("../../reports/summary.sql")),
    (
        "casualties-by-location.sql",
        include_str!("../../reports/casualties-by-location.sql"),
    ),
    (
        "casualties-by-month.sql",
        include_str!("../../reports/casualties-by-month.sql"),
    ),
    (
        "events-by-type.sql",
        include_str!("../../reports/events-by-type.sql"),
    ),
    (
        "events-by-group.sql",
        include_str!("../../reports/events-by-group.sql"),
    ),
    ("sources.sql", include_str!("../../reports/sources.sql")),
    ("timeline.sql", include_str!("../../reports/timeline.sql")),
    (
        "top-events.sql",
        include_str!("../../reports/top-events.sql"),
    ),
    ("groups.sql", include_str!("../../reports/groups.sql")),
    ("precision.sql", include_str!("../../reports/precision.sql")),
];

#[derive(Debug, Clone)]
pub struct Report {
    pub name: String,
    pub description: String,
    pub sql: &'static str,
}

/// Every report, in the order `report --list` shows them.
pub fn reports() -> &'static [Report] {
    static R: OnceLock<Vec<Report>> = OnceLock::new();
    R.get_or_init(|| {
        REPORT_FILES
            .iter()
            .map(|(file, sql)| {
                let header = |tag: &str| {
                    sql.lines()
                        .find_map(|l| {
                            l.trim()
                                .strip_prefix("--")
                                .map(str::trim)
                                .and_then(|l| l.strip_prefix(tag))
                                .map(|v| v.trim().to_string())
                        })
                        .unwrap_or_else(|| panic!("reports/{file} has no `-- {tag}` line"))
                };
                Report {
                    name: header("name:"),
                    description: header("description:"),
                    sql,
                }
            })
            .collect()
    })
}

pub fn report_names() -> Vec<&'static str> {
    reports().iter().map(|r| r.name.as_str()).collect()
}

/// The command line's filters; `None` filters nothing.
#[derive(Debug, Clone, Default)]
pub struct ReportFilters {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub country: Option<String>,
    pub location: Option<String>,
    pub group: Option<String>,
    /// An event type or sub-type (e.g. battles, air_drone_strike).
    pub event_type: Option<String>,
    /// Events with a casualty figure of this victims' category (e.g. civilian).
    pub category: Option<String>,
    /// Events reported by an article that cites or was published by this source.
    pub source: Option<String>,
    pub fatalities: FatalityRule,
    /// The period of the `timeline` report.
    pub period: Period,
}

/// Which of an event's combined fatality figures reports add up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum FatalityRule {
    /// UCDP-style best estimate: the latest exact report, or the median of the reports.
    #[default]
    Best,
    /// ACLED's convention: the lowest figure any report gives.
    Conservative,
}

/// The period the timeline report counts by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Period {
    #[default]
    Day,
    /// Weeks from Monday, named by their Monday.
    Week,
    Month,
}

/// The report's SQL with the filter in front: the report may start with its
/// own `WITH`, whose definitions then follow the filter's.
pub(crate) fn full_sql(report_sql: &str) -> String {
    let body: String = report_sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    let body = body.trim();
    let filter = FILTER
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    match body.get(..4) {
        Some(w) if w.eq_ignore_ascii_case("with") => {
            format!("{filter},\n{}", body[4..].trim_start())
        }
        _ => format!("{filter}\n{body}"),
    }
}

pub async fn run_report(pool: &SqlitePool, name: &str, f: &ReportFilters) -> Result<Table> {
    let report = reports()
        .iter()
        .find(|r| r.name == name)
        .ok_or_else(|| Error::UnknownReport(name.to_string()))?;
    let sql = full_sql(report.sql);
    let mut q = sqlx::query(&sql);
    for value in f.values() {
        q = q.bind(value);
    }
    fetch_table(pool, q).await
}

impl ReportFilters {
    /// The values of `?1`…`?10` in `reports/_filter.sql`, in order.
    pub(crate) fn values(&self) -> [Option<String>; 10] {
        [
            self.from.map(|d| d.to_string()),
            self.to.map(|d| d.to_string()),
            self.country.clone(),
            self.location.clone(),
            self.group.clone(),
            self.event_type.clone(),
            self.category.clone(),
            self.source.clone(),
            Some(
                match self.fatalities {
                    FatalityRule::Best => "best",
                    FatalityRule::Conservative => "conservative",
                }
                .to_string(),
            ),
            Some(
                match self.period {
                    Period::Day => "day",
                    Period::Week => "week",
                    Period::Month => "month",
                }
                .to_string(),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_report_has_a_name_and_a_description() {
        let names = report_names();
        for required in [
            "summary",
            "casualties-by-location",
            "casualties-by-month",
            "events-by-type",
            "events-by-group",
            "sources",
            "timeline",
            "top-events",
            "groups",
            "precision",
        ] {
            assert!(names.contains(&required), "{required} missing");
        }
        assert!(reports().iter().all(|r| !r.description.is_empty()));
    }

    #[test]
    fn a_report_starting_with_its_own_cte_follows_the_filter() {
        let sql = full_sql("-- name: x\nWITH t AS (SELECT 1) SELECT * FROM t");
        assert!(sql.contains("filtered_events AS"));
        assert!(sql.contains(",\nt AS (SELECT 1)"));
    }
}
