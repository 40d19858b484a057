//! `conflictdb unmerge`: take an article's report out of the event it was merged into.

use super::{runtime, DbArgs, Outcome};
use crate::db::Db;
use clap::Args;

#[derive(Debug, Args)]
#[command(
    after_help = "The report becomes its own event (or joins another that fits it better), and stays \
apart from the reports it was merged with, also when the articles are ingested again: the decision \
is stored by article text and event, in the table merge_decisions.\n\n\
Find the report ids with `conflictdb show event ID`.\n\nExample:\n  conflictdb unmerge 57"
)]
pub struct UnmergeArgs {
    /// The id of the article event (report) to take out (event_view.event_id, "Report N" in `show event`).
    pub report: i64,
    #[command(flatten)]
    pub db: DbArgs,
}

pub fn run(args: &UnmergeArgs) -> anyhow::Result<Outcome> {
    let rt = runtime()?;
    let db = rt.block_on(Db::connect(&args.db.database_url))?;
    let others = rt.block_on(db.unmerge(args.report))?;
    let now: Option<Option<i64>> = rt.block_on(
        sqlx::query_scalar("SELECT incident_id FROM events WHERE id = ?")
            .bind(args.report)
            .fetch_optional(&db.pool),
    )?;
    if others.is_empty() {
        eprintln!(
            "conflictdb: report {} was not merged with another report; nothing changed",
            args.report
        );
    } else {
        let list: Vec<String> = others.iter().map(i64::to_string).collect();
        eprintln!(
            "conflictdb: report {} is kept apart from report(s) {} from now on; it is now event {}",
            args.report,
            list.join(", "),
            now.flatten().map_or("-".to_string(), |i| i.to_string())
        );
    }
    rt.block_on(db.close());
    Ok(Outcome::default())
}
