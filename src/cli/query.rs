//! `conflictdb query`: any read-only SQL.

use super::{runtime, DbArgs, Outcome};
use crate::db::{run_query, Db};
use crate::output::{write_table, TableFormat};
use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
#[command(
    after_help = "The connection is read-only: INSERT, UPDATE, DELETE, ATTACH and extension loading are refused.\n\
Views make the usual questions one line: event_view (one row per event: place, date, type, actors, figures)\n\
and figure_view (one row per figure with its wording, evidence sentence and source).\n\n\
Examples:\n  conflictdb query \"SELECT event_date, location, killed, actors FROM event_view ORDER BY killed DESC LIMIT 10\"\n  conflictdb query \"SELECT wording, source, evidence FROM figure_view WHERE kind = 'killed'\" --format csv\n  conflictdb query --file my-question.sql --format markdown"
)]
pub struct QueryArgs {
    /// The SQL to run.
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    pub sql: Option<String>,
    /// Read the SQL from a file.
    #[arg(long, value_name = "PATH")]
    pub file: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: TableFormat,
    #[command(flatten)]
    pub db: DbArgs,
}

pub fn run(args: &QueryArgs) -> anyhow::Result<Outcome> {
    let sql = match (&args.sql, &args.file) {
        (Some(s), _) => s.clone(),
        (None, Some(f)) => std::fs::read_to_string(f).with_context(|| format!("reading {f}"))?,
        (None, None) => unreachable!("clap requires one"),
    };
    let t = runtime()?.block_on(async {
        // Bring the schema up to date first (a write, on its own connection),
        // so that the views exist; the query itself runs read-only.
        if let Ok(db) = Db::connect(&args.db.database_url).await {
            db.close().await;
        }
        run_query(&args.db.database_url, &sql).await
    })?;
    write_table(&t, args.format, &mut std::io::stdout().lock())?;
    Ok(Outcome::default())
}
