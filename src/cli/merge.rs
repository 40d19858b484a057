//! `conflictdb merge`: merge the reports of the same incidents now.

use super::ingest::merge_with_progress;
use super::{runtime, DbArgs, Outcome};
use crate::db::Db;
use clap::Args;

#[derive(Debug, Args)]
#[command(
    after_help = "`ingest` merges after storing, so this is only needed after an interrupted ingest, \
or with --all after upgrading conflictdb (the merge rules may have changed). Merges undone with \
`conflictdb unmerge` stay undone.\n\nExamples:\n  conflictdb merge\n  conflictdb merge --all"
)]
pub struct MergeArgs {
    /// Merge every event again, not only those not merged yet.
    #[arg(long)]
    pub all: bool,
    /// No spinner and no summary line.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub db: DbArgs,
}

pub fn run(args: &MergeArgs) -> anyhow::Result<Outcome> {
    let rt = runtime()?;
    let db = rt.block_on(Db::connect(&args.db.database_url))?;
    if args.all {
        rt.block_on(db.forget_all_incidents())?;
    }
    let s = merge_with_progress(&rt, &db, args.quiet)?;
    if !args.quiet {
        eprintln!(
            "conflictdb: {} article events looked at, {} events written, {} reports merged into an event another article reported",
            s.reports, s.incidents_written, s.merged
        );
    }
    rt.block_on(db.close());
    Ok(Outcome::default())
}
