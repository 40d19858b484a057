//! `conflictdb report`: named aggregate queries over the stored events.

use super::{runtime, DbArgs, EventFilterArgs, Outcome};
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
    write_table(&t, args.format, &mut out)?;
    Ok(Outcome::default())
}
