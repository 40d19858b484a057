//! `conflictdb report`: named aggregate queries over the stored events.

use super::{runtime, DbArgs, EventFilterArgs, Outcome};
use crate::chart::{bar_chart, timeline_chart, ChartSeries};
use crate::db::{reports, run_report, Cell, Db, Table};
use crate::output::{write_table, TableFormat};
use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
#[command(
    after_help = "Totals add up each event's best count once: a figure restated in an article is never counted twice.\n\n\
Examples:\n  conflictdb report --list\n  conflictdb report summary\n  conflictdb report casualties-by-location --country SY --from 2024-01-01 --format csv\n  conflictdb report events-by-group --location Aleppo --format markdown"
)]
pub struct ReportArgs {
    /// The report to run (see --list).
    #[arg(required_unless_present = "list")]
    pub name: Option<String>,
    /// List the reports with a one-line description.
    #[arg(long)]
    pub list: bool,
    #[command(flatten)]
    pub filters: EventFilterArgs,
    /// Also draw the report as an SVG chart in this file: a timeline for timeline and casualties-by-month, bars for the others.
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<std::path::PathBuf>,
    /// The period of the timeline report: day, week (from Monday) or month.
    #[arg(long, value_enum, default_value_t)]
    pub by: crate::db::Period,
    #[arg(long, value_enum, default_value_t)]
    pub format: TableFormat,
    #[command(flatten)]
    pub db: DbArgs,
}

pub fn run(args: &ReportArgs) -> anyhow::Result<Outcome> {
    let mut out = std::io::stdout().lock();
    if args.list {
        let mut t = Table::new(vec!["name", "description"]);
        for r in reports() {
            t.rows.push(vec![
                Cell::Text(r.name.clone()),
                Cell::Text(r.description.clone()),
            ]);
        }
        write_table(&t, args.format, &mut out)?;
        return Ok(Outcome::default());
    }
    let name = args.name.as_deref().unwrap_or_default();
    let mut filters = args.filters.filters();
    filters.period = args.by;
    let t = runtime()?.block_on(async {
        let db = Db::connect(&args.db.database_url).await?;
        let t = run_report(&db.pool, name, &filters).await;
        db.close().await;
        t
    });
    let t = t.with_context(|| format!("report '{name}'"))?;
    if let Some(path) = &args.chart {
        let svg = chart(name, &t)?;
        write_atomically(path, svg.as_bytes())?;
        eprintln!("conflictdb: chart written to {}", path.display());
    }
    write_table(&t, args.format, &mut out)?;
    Ok(Outcome::default())
}

/// Reports over time are drawn as a timeline, the others as bars of their
/// casualty columns (or of their event counts when they have none).
fn chart(name: &str, t: &Table) -> anyhow::Result<String> {
    if t.rows.len() < 2 && name == "summary" {
        anyhow::bail!("the summary report is one row and has no chart; try timeline, casualties-by-location or groups");
    }
    let title = format!("conflictdb report {name}");
    let numeric: Vec<usize> = (0..t.columns.len())
        .filter(|&c| {
            t.rows
                .iter()
                .all(|r| matches!(r[c], Cell::Int(_) | Cell::Real(_) | Cell::Null))
        })
        .filter(|&c| !matches!(t.columns[c].as_str(), "event" | "location_precision"))
        .collect();
    let pick = |prefixes: &[&str]| -> Vec<usize> {
        numeric
            .iter()
            .copied()
            .filter(|&c| {
                prefixes.iter().any(|p| t.columns[c].starts_with(p))
                    && !t.columns[c].contains("_low")
                    && !t.columns[c].contains("_high")
            })
            .collect()
    };
    let mut columns = pick(&["killed", "wounded"]);
    let mut unit = "people";
    if columns.is_empty() {
        columns = pick(&["events", "figures", "articles"]);
        unit = "count";
    }
    if columns.is_empty() {
        anyhow::bail!("report '{name}' has no numbers to chart");
    }
    let value = |r: &[Cell], c: usize| match r[c] {
        Cell::Int(i) => i as f64,
        Cell::Real(x) => x,
        _ => f64::NAN,
    };
    let label_of = |r: &[Cell]| -> String {
        match name {
            "top-events" => format!(
                "{} {} (event {})",
                cell_text(r, t, "date"),
                cell_text(r, t, "location"),
                cell_text(r, t, "event")
            ),
            "precision" => format!(
                "place {} / date {}",
                cell_text(r, t, "location_precision"),
                cell_text(r, t, "date_precision")
            ),
            "events-by-type" => match cell_text(r, t, "sub_type").as_str() {
                "" => cell_text(r, t, "type"),
                s => s.to_string(),
            },
            _ => r[0].to_string(),
        }
    };
    if matches!(name, "timeline" | "casualties-by-month") {
        let rows: Vec<&Vec<Cell>> = t
            .rows
            .iter()
            .filter(|r| r[0].to_string() != "(unknown)")
            .collect();
        let labels: Vec<String> = rows.iter().map(|r| r[0].to_string()).collect();
        let (periods, index) = fill_periods(&labels);
        let series: Vec<ChartSeries> = columns
            .iter()
            .map(|&c| {
                let mut values = vec![0.0; periods.len()];
                for (r, &i) in rows.iter().zip(&index) {
                    values[i] = value(r, c);
                }
                ChartSeries::new(t.columns[c].clone(), values)
            })
            .collect();
        return Ok(timeline_chart(&title, &periods, &series, unit)?);
    }
    let categories: Vec<String> = t.rows.iter().map(|r| label_of(r)).collect();
    let series: Vec<ChartSeries> = columns
        .iter()
        .map(|&c| {
            ChartSeries::new(
                t.columns[c].clone(),
                t.rows.iter().map(|r| value(r, c)).collect(),
            )
        })
        .collect();
    Ok(bar_chart(&title, &categories, &series, unit)?)
}

fn cell_text(r: &[Cell], t: &Table, column: &str) -> String {
    t.columns
        .iter()
        .position(|c| c == column)
        .map(|i| r[i].to_string())
        .unwrap_or_default()
}

/// Evenly spaced periods from the first label to the last, with the days,
/// weeks or months that had no event (a timeline would hide the gaps), and
/// where each label falls. Labels that are not dates are kept as they are.
fn fill_periods(labels: &[String]) -> (Vec<String>, Vec<usize>) {
    use chrono::{Months, NaiveDate};
    const MOST: usize = 5_000;
    let as_day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let as_month = |s: &str| NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok();
    let identity = || (labels.to_vec(), (0..labels.len()).collect());
    let (Some(first), Some(last)) = (labels.first(), labels.last()) else {
        return identity();
    };
    let months = first.len() == 7;
    let parse = |s: &str| if months { as_month(s) } else { as_day(s) };
    let dates: Option<Vec<NaiveDate>> = labels.iter().map(|l| parse(l)).collect();
    let (Some(dates), Some(start), Some(end)) = (dates, parse(first), parse(last)) else {
        return identity();
    };
    // Weeks: every label a Monday seven days apart from the others.
    let step_days = if !months
        && dates.windows(2).all(|w| (w[1] - w[0]).num_days() % 7 == 0)
        && dates.len() > 1
    {
        7
    } else {
        1
    };
    let mut periods = Vec::new();
    let mut at = start;
    while at <= end && periods.len() < MOST {
        periods.push(if months {
            at.format("%Y-%m").to_string()
        } else {
            at.to_string()
        });
        at = if months {
            at.checked_add_months(Months::new(1))
                .unwrap_or(end + chrono::Duration::days(1))
        } else {
            at + chrono::Duration::days(step_days)
        };
    }
    if periods.len() >= MOST {
        return identity();
    }
    let position: std::collections::HashMap<&str, usize> = periods
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    let index = labels
        .iter()
        .map(|l| position.get(l.as_str()).copied().unwrap_or(0))
        .collect();
    (periods, index)
}

/// Writes next to the target, then renames: never half a file under its name.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    let partial = super::partial_path(path);
    std::fs::write(&partial, bytes)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    std::fs::rename(&partial, path).with_context(|| format!("cannot write {}", path.display()))
}
