//! `conflictdb query`: any read-only SQL.

use super::{runtime, DbArgs, Outcome};
use crate::db::{stream_query, Db, QueryEvent, Table};
use crate::output::{write_table, RowWriter, TableFormat};
use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
#[command(
    after_help = "The connection is read-only: INSERT, UPDATE, DELETE, ATTACH and extension loading are refused.\n\
Views make the usual questions one line: event_view (one row per event: place, date, type, actors, figures)\n\
and figure_view (one row per figure with its wording, evidence sentence and source).\n\
CSV, JSON and Markdown rows are written as they come, so large results use little memory.\n\n\
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
    /// Stop the query after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub timeout: f64,
    /// Most rows to print (default: 1000 for the terminal table, all for the other formats).
    #[arg(long, value_name = "ROWS")]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub db: DbArgs,
}

fn stdout_error(source: std::io::Error) -> crate::Error {
    crate::Error::Io {
        path: "<stdout>".into(),
        source,
    }
}

pub fn run(args: &QueryArgs) -> anyhow::Result<Outcome> {
    let sql = match (&args.sql, &args.file) {
        (Some(s), _) => s.clone(),
        (None, Some(f)) => std::fs::read_to_string(f).with_context(|| format!("reading {f}"))?,
        (None, None) => unreachable!("clap requires one"),
    };
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        anyhow::bail!("--timeout must be a positive number of seconds");
    }
    let timeout = Some(std::time::Duration::from_secs_f64(args.timeout));
    let limit = args
        .limit
        .or((args.format == TableFormat::Table).then_some(1000));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut table = Table::default();
    let mut more = false;
    runtime()?.block_on(async {
        // Bring the schema up to date first (a write, on its own connection),
        // so that the views exist; the query itself runs read-only.
        if let Ok(db) = Db::connect(&args.db.database_url).await {
            db.close().await;
        }
        let mut writer =
            (args.format != TableFormat::Table).then(|| RowWriter::new(args.format, &mut out));
        let mut rows = 0usize;
        stream_query(&args.db.database_url, &sql, timeout, |e| {
            match e {
                QueryEvent::Columns(c) => match &mut writer {
                    Some(w) => w.columns(c).map_err(stdout_error)?,
                    None => table.columns = c,
                },
                QueryEvent::Row(r) => {
                    if limit.is_some_and(|l| rows >= l) {
                        more = true;
                        return Ok(false);
                    }
                    rows += 1;
                    match &mut writer {
                        Some(w) => w.row(&r).map_err(stdout_error)?,
                        None => table.rows.push(r),
                    }
                }
            }
            Ok(true)
        })
        .await?;
        if let Some(w) = writer {
            w.finish()?;
        }
        anyhow::Ok(())
    })?;
    if args.format == TableFormat::Table {
        write_table(&table, args.format, &mut out)?;
    }
    if more {
        eprintln!(
            "conflictdb: only the first {} rows are shown (--limit N for more, or --format csv for all)",
            limit.unwrap_or_default()
        );
    }
    Ok(Outcome::default())
}
